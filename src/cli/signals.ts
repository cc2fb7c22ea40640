import { CancelledError, CliError, SIGNAL_EXIT_CODES, type StopSignal } from '../errors.js';

/** The write in progress, if any: a signal then aborts it so it can undo itself. */
let writing: AbortController | undefined;
/** Set once a write completed: a later signal (during git or cargo) stops a run whose files are whole. */
let wrote = false;

/**
 * One path for SIGINT, SIGTERM and SIGHUP. During a write the writer is told to stop, removes what
 * it staged or restores what it changed, and the run ends with the signal's exit code. At any
 * other moment nothing is half-written (planning is in memory), so the run ends at once with that
 * code and a one-line message. `report` prints that message in the run's format (text or JSON).
 */
export function handleStopSignals(report: (error: CliError) => number): void {
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]) {
    process.on(signal, () => {
      // A second signal while the writer rolls back must not cut the rollback short.
      if (writing) {
        if (!writing.signal.aborted) writing.abort(signal);
        return;
      }
      const error = wrote
        ? new CliError(`stopped by ${signal}; the files were already written in full`, '', SIGNAL_EXIT_CODES[signal])
        : new CancelledError(signal);
      process.exit(report(error));
    });
  }
}

/** Runs a write that a stop signal aborts between files (the writer rolls back on abort). */
export async function whileWriting<T>(write: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  writing = abort;
  try {
    const result = await write(abort.signal);
    wrote = true;
    return result;
  } finally {
    writing = undefined;
  }
}

