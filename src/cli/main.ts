import { Command, CommanderError, Option } from 'commander';

import { CliError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';

/**
 * The command line. Only commander is loaded up front: each command imports what it needs when it
 * runs, so `--help` and `--version` start fast.
 */
function program(): Command {
  const cli = new Command('create-rust-async')
    .description('Scaffold production-shaped async Rust services on tokio.')
    .version(TOOL_VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  cli
    .command('new [dir]', { isDefault: true })
    .description('create a new service crate in <dir> (default: my-svc)')
    .option('--name <crate>', 'crate name (default: the directory name)')
    .option('--components <ids>', 'comma-separated component ids, or "none" (see `list`)')
    .addOption(new Option('--db <driver>', 'database for the db component (default: sqlite)').choices(['sqlite', 'postgres']))
    .option('--ci', 'add a GitHub Actions workflow (default)')
    .option('--no-ci', 'no GitHub Actions workflow')
    .option('--docker', 'add a Dockerfile (default)')
    .option('--no-docker', 'no Dockerfile')
    .option('--git', 'git init and a first commit (default)')
    .option('--no-git', 'no git repository')
    .option('-y, --yes', 'take the default for every question not answered by a flag')
    .option('--dry-run', 'print what would be written; write nothing')
    .option('--force', 'allow a non-empty directory (existing files are never overwritten)')
    .option('--verify', 'run cargo fmt --check, clippy -D warnings and cargo test on the result')
    .option('--json', 'machine-readable result on stdout')
    .option('--template <dir|package|tgz>', 'team template pack: overrides and extends the built-in templates')
    .option('--preset <file>', 'answers file (JSON or YAML); flags win over it, it wins over defaults')
    .option('--save-preset <file>', 'write the answers of this run to a preset file')
    .option('--answer <name=value...>', "answer a template pack's own question (repeatable)")
    .action(async (dir: string | undefined, options) => {
      const { runNew } = await import('./new-command.js');
      process.exitCode = await runNew(dir, options);
    });

  const template = cli.command('template').description('work with team template packs');
  template
    .command('init <dir>')
    .description('write a documented starter template pack to <dir>')
    .action(async (dir: string) => {
      const { runTemplateInit } = await import('./template-init-command.js');
      await runTemplateInit(dir);
    });

  cli
    .command('generate [generator]')
    .description("run a template pack's plop generator in an existing crate")
    .requiredOption('--template <dir|package|tgz>', 'the template pack that ships the plopfile')
    .option('--path <dir>', 'the crate to change (default: the current directory)')
    .option('--answer <name=value...>', 'answer a generator prompt (repeatable)')
    .option('-y, --yes', "take each prompt's default when not answered")
    .option('--dry-run', 'print the changes as a diff; write nothing')
    .option('--json', 'machine-readable result on stdout')
    .action(async (generator: string | undefined, options) => {
      const { runGenerate } = await import('./generate-command.js');
      process.exitCode = await runGenerate(generator, options);
    });

  cli
    .command('list')
    .description('list the available components')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { runList } = await import('./list-command.js');
      runList(options);
    });

  return cli;
}

/** Prints an error as one line (plus a stack with DEBUG set) and returns its exit code. */
export function reportError(error: unknown, json = false): number {
  if (error instanceof CliError) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.line })}\n`);
    process.stderr.write(`error: ${error.line}\n`);
    if (process.env.DEBUG) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `error: ${message}. This is a bug in create-rust-async; rerun with DEBUG=1 and report the output\n`,
  );
  if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors get our one-line format.
      if (error.exitCode === 0) return 0;
      const message = error.message.replace(/^error: /, '');
      process.stderr.write(`error: ${message}. Run \`create-rust-async --help\` for usage\n`);
      return 1;
    }
    return reportError(error, argv.includes('--json'));
  }
}
