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

/** How `--verify` reports: a step starting and ending, and cargo's output where it goes. */
export interface VerifyReporter {
  start(step: number, total: number, label: string): void;
  done(step: number, total: number, label: string, seconds: number): void;
  /** With `--verbose`, cargo's output as it runs; otherwise undefined. */
  live?: NodeJS.WritableStream;
  /** Where a failed step's whole output goes (stderr), before the one-line error. */
  failure: NodeJS.WritableStream;
}

/**
 * Runs the verify steps in the new crate, one at a time. A failed step's whole output is written
 * out (unless it was already shown live) and the error is one line naming the step.
 */
export async function verifyCrate(dir: string, report: VerifyReporter): Promise<string[]> {
  const { execa } = await import('execa');
  const passed: string[] = [];
  for (const [index, step] of VERIFY_STEPS.entries()) {
    const number = index + 1;
    const started = Date.now();
    report.start(number, VERIFY_STEPS.length, step.label);
    const child = execa('cargo', step.args, { cwd: dir, reject: false, all: true, env: { CARGO_TERM_COLOR: 'never' } });
    if (report.live) child.all?.pipe(report.live, { end: false });
    const result = await child;
    const seconds = (Date.now() - started) / 1000;
    if (result.failed) {
      if (!report.live) report.failure.write(`${(result.all ?? '').trimEnd()}\n`);
      throw new CliError(
        `${step.label} failed (step ${number}/${VERIFY_STEPS.length}, after ${seconds.toFixed(1)}s); its output is above`,
        `The crate was written to ${dir}; fix the problem and run \`cargo ${step.args.join(' ')}\` there`,
      );
    }
    report.done(number, VERIFY_STEPS.length, step.label, seconds);
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
export async function formatNewRust<T extends { path: string; before: string | undefined; after: string | undefined }>(
  root: string,
  edition: string,
  changes: readonly T[],
): Promise<T[]> {
  const { execa } = await import('execa');
  return Promise.all(
    changes.map(async (change) => {
      if (change.before !== undefined || change.after === undefined || !change.path.endsWith('.rs')) return change;
      const result = await execa('rustfmt', ['--edition', edition, '--emit', 'stdout'], { cwd: root, input: change.after, reject: false });
      return result.exitCode === 0 ? { ...change, after: result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n` } : change;
    }),
  );
}
