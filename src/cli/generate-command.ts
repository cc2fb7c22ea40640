import { stat } from 'node:fs/promises';
import path from 'node:path';

import { describeChanges, writeChanges } from '../apply/write-changes.js';
import { CancelledError, CliError } from '../errors.js';
import { loadPackChain } from '../pack/load.js';
import { loadPlopfile } from '../pack/plop.js';
import { formatSummary, summarizeChanges } from './change-summary.js';
import { parseAnswerFlags } from './gather-answers.js';
import { whileWriting } from './signals.js';
import { isInteractive } from './terminal.js';
import { warnIgnored } from './warnings.js';

interface GenerateFlags {
  template: string;
  path?: string;
  answer?: string[];
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  allowDirty?: boolean;
}

/** `create-rust-async generate <generator> --template <pack>`: a pack's plop generator, through the plan. */
export async function runGenerate(name: string | undefined, flags: GenerateFlags): Promise<number> {
  const root = path.resolve(flags.path ?? '.');
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
    throw new CliError(`${root} is not a directory`, 'Pass the project directory with --path');
  }
  const chain = await loadPackChain(flags.template, process.cwd());
  const withPlopfile = [...chain].reverse().find((pack) => pack.manifest.plopfile);
  if (!withPlopfile?.manifest.plopfile) {
    throw new CliError(`template pack ${flags.template} has no plopfile`, 'Add "plopfile" to its rust-async-template.json');
  }
  const { packPath } = await import('../pack/paths.js');
  const plopfile = await packPath(withPlopfile.root, withPlopfile.manifest.plopfile, 'plopfile');
  const plop = await loadPlopfile(plopfile, root);

  const generators = plop.generators();
  if (name === undefined) {
    const list = generators.map((g) => `  ${g.name}  ${g.description}`).join('\n');
    throw new CliError(`name a generator to run:\n${list}\n`, 'Run `create-rust-async generate <generator> --template ...`');
  }

  // Answers: --answer wins, then --yes takes the prompt's default, then a terminal is asked.
  const given = parseAnswerFlags(flags.answer);
  const answers: Record<string, unknown> = {};
  const missing: string[] = [];
  const interactive = isInteractive() && !flags.json;
  for (const prompt of plop.prompts(name)) {
    if (given[prompt.name] !== undefined) answers[prompt.name] = given[prompt.name];
    else if (flags.yes && prompt.default !== undefined) answers[prompt.name] = prompt.default;
    else if (interactive) {
      const { input } = await import('@inquirer/prompts');
      answers[prompt.name] = await input({ message: prompt.message ?? prompt.name, default: prompt.default as string | undefined }).catch(
        (error: Error) => {
          if (error.name === 'ExitPromptError') throw new CancelledError();
          throw error;
        },
      );
    } else missing.push(`--answer ${prompt.name}=...`);
  }
  if (missing.length > 0) {
    throw new CliError(`no terminal to ask, and these answers are missing: ${missing.join(', ')}`, 'Pass them as flags');
  }

  const changes = await plop.plan(name, answers);
  if (flags.allowDirty && flags.dryRun) warnIgnored('--allow-dirty', 'a dry run writes nothing, so it does not check for uncommitted changes');
  if (!flags.dryRun && !flags.allowDirty && changes.length > 0) {
    const { assertClean } = await import('../post/git.js');
    await assertClean(root, 'generate');
  }
  if (flags.dryRun) {
    const diff = await describeChanges(changes);
    const summary = await summarizeChanges(changes);
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, dryRun: true, changes: changes.map((c) => c.path), summary, diff }, null, 2)}\n`);
    else process.stdout.write(changes.length > 0 ? `${formatSummary(summary)}\n\n${diff}` : 'Nothing to change.\n');
    return 0;
  }

  await whileWriting((signal) => writeChanges(root, changes, signal));
  const created = changes.filter((c) => c.before === undefined).map((c) => c.path);
  const modified = changes.filter((c) => c.before !== undefined).map((c) => c.path);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, generator: name, created, modified }, null, 2)}\n`);
  } else if (changes.length === 0) {
    process.stdout.write('Nothing to change: the generator output is already there.\n');
  } else {
    const lines = [...created.map((f) => `  + ${f}`), ...modified.map((f) => `  ~ ${f}`)];
    process.stdout.write(`Ran ${name} in ${root}:\n${lines.join('\n')}\n`);
  }
  return 0;
}
