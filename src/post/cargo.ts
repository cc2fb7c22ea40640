import { CliError } from '../errors.js';

/** The checks `--verify` runs, in order; the first failure stops the run. */
export const VERIFY_STEPS: readonly { label: string; args: string[] }[] = [
  { label: 'cargo fmt --check', args: ['fmt', '--check'] },
  { label: 'cargo clippy', args: ['clippy', '--all-targets', '--', '-D', 'warnings'] },
  { label: 'cargo test', args: ['test'] },
];

export async function hasCargo(): Promise<boolean> {
  const { execa } = await import('execa');
  return !(await execa('cargo', ['--version'], { reject: false })).failed;
}

/**
 * Runs the verify steps in the new crate. On failure, the error carries the step's output (its
 * last lines) so the user sees why without re-running it.
 */
export async function verifyCrate(dir: string, onStep: (label: string) => void): Promise<string[]> {
  const { execa } = await import('execa');
  if (!(await hasCargo())) {
    throw new CliError('--verify needs cargo, which was not found', 'Install Rust from https://rustup.rs or drop --verify');
  }
  const passed: string[] = [];
  for (const step of VERIFY_STEPS) {
    onStep(step.label);
    const result = await execa('cargo', step.args, { cwd: dir, reject: false, all: true, env: { CARGO_TERM_COLOR: 'never' } });
    if (result.failed) {
      const tail = (result.all ?? '').trim().split('\n').slice(-40).join('\n');
      throw new CliError(`${step.label} failed in ${dir}:\n${tail}\n`, 'The project was written; fix the problem above or report it');
    }
    passed.push(step.label);
  }
  return passed;
}

/**
 * Formats the crate's Rust files: used when a template pack contributed Rust, which, unlike the
 * built-in templates, is not proven rustfmt-clean by this package's tests.
 */
export async function cargoFmt(dir: string): Promise<'formatted' | 'no-cargo' | 'failed'> {
  const { execa } = await import('execa');
  if (!(await hasCargo())) return 'no-cargo';
  const result = await execa('cargo', ['fmt'], { cwd: dir, reject: false });
  return result.failed ? 'failed' : 'formatted';
}

/**
 * Formats new Rust files as `cargo fmt` would in the crate they go to (its edition, its
 * rustfmt.toml), in memory, before they are written. Used for files `add` creates in a
 * hand-written crate, whose paths were rewritten (support code moved into one module), which can
 * change the order rustfmt wants for `use` lines. Files without rustfmt stay as rendered.
 */
export async function formatNewRust<T extends { path: string; before: string | undefined; after: string }>(
  root: string,
  edition: string,
  changes: readonly T[],
): Promise<T[]> {
  const { execa } = await import('execa');
  return Promise.all(
    changes.map(async (change) => {
      if (change.before !== undefined || !change.path.endsWith('.rs')) return change;
      const result = await execa('rustfmt', ['--edition', edition, '--emit', 'stdout'], { cwd: root, input: change.after, reject: false });
      return result.exitCode === 0 ? { ...change, after: result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n` } : change;
    }),
  );
}
