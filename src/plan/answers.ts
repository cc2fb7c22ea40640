import type { DbKind } from '../catalog/types.js';

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
