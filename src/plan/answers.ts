import { type DbKind, QUEUE_KINDS, type QueueKind } from '../catalog/types.js';
import { CliError } from '../errors.js';

/** Everything a `new` run needs to know; the CLI fills it from flags, a preset, prompts or defaults. */
export interface Answers {
  /** Target directory, as given (relative to the working directory). */
  dir: string;
  /** Crate name (default: the directory's base name). */
  name: string;
  /** Component ids as chosen; `resolveComponents` adds what they require. */
  components: string[];
  /** Driver for the `db` component. */
  db: DbKind;
  /**
   * The worker's queue backend (see `defaultQueue`). Absent in crates made before the choice
   * existed, which had the default.
   */
  queue?: QueueKind;
  /** Write `.github/workflows/ci.yml`. */
  ci: boolean;
  /** Write a `Dockerfile` (and a compose file when a component needs a service). */
  docker: boolean;
  /** `git init` and a first commit. */
  git: boolean;
  /** Answers to a template pack's extra questions, by question name. */
  extra: Record<string, string | boolean>;
}

/**
 * What `--yes` picks (DESIGN §2). CI and Docker are on because a service ships with both;
 * git is on because `cargo new` does the same.
 */
export const DEFAULT_ANSWERS: Omit<Answers, 'dir' | 'name' | 'components' | 'extra'> = {
  db: 'sqlite',
  ci: true,
  docker: true,
  git: true,
};

export const DEFAULT_DIR = 'my-svc';

/** The queue when none is chosen: the durable one in PostgreSQL when the crate has it, else in memory. */
export function defaultQueue(answers: { components: readonly string[]; db: DbKind }): QueueKind {
  return answers.components.includes('db') && answers.db === 'postgres' ? 'postgres' : 'memory';
}

/** `--queue` as typed: one of QUEUE_KINDS, or a one-line error with the list. */
export function parseQueue(value: string, flag = '--queue'): QueueKind {
  if (!(QUEUE_KINDS as readonly string[]).includes(value)) {
    throw new CliError(`unknown ${flag} ${JSON.stringify(value)}`, `Use one of: ${QUEUE_KINDS.join(', ')}`);
  }
  return value as QueueKind;
}

/** A queue that the rest of the answers cannot carry: PostgreSQL needs the db component on PostgreSQL. */
export function checkQueue(queue: QueueKind, answers: { components: readonly string[]; db: DbKind }): void {
  if (queue === 'postgres' && !(answers.components.includes('db') && answers.db === 'postgres')) {
    throw new CliError(
      '--queue postgres keeps jobs in the database, but the crate has no db component on PostgreSQL',
      'Add db to the components with --db postgres, or pick --queue redis or nats (or memory)',
    );
  }
}
