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

/** The user cancelled (Ctrl-C or Esc at a prompt, SIGINT while writing). */
export class CancelledError extends CliError {
  constructor() {
    super('cancelled; nothing was written', '', 130);
    this.name = 'CancelledError';
  }
}
