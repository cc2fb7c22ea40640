/**
 * An error the user can act on: one sentence saying what is wrong and one saying how to fix it.
 * Anything else reaching the top level is a bug and is reported as such.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The single line printed to stderr. */
  get line(): string {
    return this.fix ? `${this.message}. ${this.fix}` : this.message;
  }
}

/**
 * Exit codes for the signals that stop a run: 130 for Ctrl-C (128 + SIGINT), 143 "terminated" for
 * SIGTERM and SIGHUP alike. A hang-up is treated as a termination request (the shell convention
 * would be 129), so scripts check one code for "stopped from outside".
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** The user cancelled (Ctrl-C or Esc at a prompt) or the run was stopped by a signal. */
export class CancelledError extends CliError {
  constructor(signal: StopSignal = 'SIGINT') {
    super(signal === 'SIGINT' ? 'cancelled; nothing was written' : `stopped by ${signal}; nothing was written`, '', SIGNAL_EXIT_CODES[signal]);
    this.name = 'CancelledError';
  }

  /** The error a writer throws when it sees its abort signal (whose reason is the stop signal). */
  static from(signal: AbortSignal): CancelledError {
    const reason: unknown = signal.reason;
    return new CancelledError(typeof reason === 'string' && reason in SIGNAL_EXIT_CODES ? (reason as StopSignal) : 'SIGINT');
  }
}
