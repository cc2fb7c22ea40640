import path from 'node:path';

import { COMPONENTS } from '../catalog/index.js';
import { DB_KINDS, type DbKind } from '../catalog/types.js';
import { CliError } from '../errors.js';
import { type Answers, DEFAULT_ANSWERS, DEFAULT_DIR } from '../plan/answers.js';
import { crateNameProblem, suggestCrateName } from '../plan/crate-name.js';
import { resolveComponents } from '../plan/resolve.js';

/** The flags of `new`, as commander parses them. */
export interface NewFlags {
  name?: string;
  components?: string;
  db?: string;
  ci?: boolean;
  docker?: boolean;
  git?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  verify?: boolean;
  json?: boolean;
}

/** How to ask for what the flags leave open: a prompt at a terminal, or nothing. */
export interface Asker {
  name(fallback: string, validate: (value: string) => string | undefined): Promise<string>;
  components(catalog: typeof COMPONENTS): Promise<string[]>;
  db(): Promise<DbKind>;
  confirm(message: string, fallback: boolean): Promise<boolean>;
}

export function parseComponentList(value: string): string[] {
  if (value.trim() === 'none') return [];
  return [...new Set(value.split(',').map((id) => id.trim()).filter(Boolean))];
}

export function validateCrateName(name: string, from: 'flag' | 'dir'): void {
  const problem = crateNameProblem(name);
  if (problem === undefined) return;
  const suggestion = suggestCrateName(name);
  const fix =
    from === 'flag'
      ? `Pass a valid --name, e.g. --name ${suggestion}`
      : `Pass --name ${suggestion} to keep the directory, or choose another directory name`;
  throw new CliError(`invalid crate name ${JSON.stringify(name)}: ${problem}`, fix);
}

/**
 * Fills the answers: a flag wins, then `--yes` takes the default, then a terminal is asked. With
 * neither a flag, `--yes` nor a terminal, every missing answer is listed in one error.
 */
export async function gatherAnswers(
  dirArg: string | undefined,
  flags: NewFlags,
  asker: Asker | undefined,
  checkDir: (dir: string) => Promise<unknown>,
): Promise<Answers> {
  const missing: string[] = [];
  const fallback = <T>(flag: string, value: T | undefined, def: T, ask?: () => Promise<T>): Promise<T | undefined> => {
    if (value !== undefined) return Promise.resolve(value);
    if (flags.yes) return Promise.resolve(def);
    if (ask) return ask();
    missing.push(flag);
    return Promise.resolve(undefined);
  };

  if (flags.db !== undefined && !(DB_KINDS as readonly string[]).includes(flags.db)) {
    throw new CliError(`unknown --db ${JSON.stringify(flags.db)}`, `Use one of: ${DB_KINDS.join(', ')}`);
  }
  if (flags.dryRun && flags.verify) {
    throw new CliError('--dry-run and --verify cannot be used together', 'A dry run writes nothing to verify; drop one of them');
  }
  if (flags.name !== undefined) validateCrateName(flags.name, 'flag');

  // Directory and name first: a bad name or an occupied directory should fail before any question.
  let dir = dirArg;
  if (dir === undefined) {
    dir = await fallback('[dir]', undefined, DEFAULT_DIR, asker && (() => asker.name(flags.name ?? DEFAULT_DIR, crateNameProblem)));
  }
  const name = flags.name ?? (dir === undefined ? undefined : path.basename(path.resolve(dir)));
  if (name !== undefined && flags.name === undefined) validateCrateName(name, 'dir');
  if (dir !== undefined) await checkDir(dir);

  const componentFlag = flags.components === undefined ? undefined : parseComponentList(flags.components);
  if (componentFlag) resolveComponents(componentFlag, COMPONENTS);
  const components = await fallback(
    '--components',
    componentFlag,
    COMPONENTS.filter((component) => component.default).map((component) => component.id),
    // With an empty catalog there is nothing to choose, so nothing to ask.
    asker && (() => (COMPONENTS.length > 0 ? asker.components(COMPONENTS) : Promise.resolve([]))),
  );

  const usesDb = components ? resolveComponents(components, COMPONENTS).components.some((c) => c.id === 'db') : false;
  if (flags.db !== undefined && components && !usesDb) {
    throw new CliError('--db only applies to the db component, which is not chosen', 'Add db to --components or drop --db');
  }
  const db = usesDb
    ? await fallback('--db', flags.db as DbKind | undefined, DEFAULT_ANSWERS.db, asker && (() => asker.db()))
    : DEFAULT_ANSWERS.db;

  const ci = await fallback('--ci/--no-ci', flags.ci, DEFAULT_ANSWERS.ci, asker && (() => asker.confirm('Add a GitHub Actions workflow?', DEFAULT_ANSWERS.ci)));
  const docker = await fallback('--docker/--no-docker', flags.docker, DEFAULT_ANSWERS.docker, asker && (() => asker.confirm('Add a Dockerfile?', DEFAULT_ANSWERS.docker)));
  const git = await fallback('--git/--no-git', flags.git, DEFAULT_ANSWERS.git, asker && (() => asker.confirm('Initialize a git repository?', DEFAULT_ANSWERS.git)));

  if (missing.length > 0) {
    throw new CliError(
      `no terminal to ask, and these answers are missing: ${missing.join(', ')}`,
      'Pass them as flags, or --yes to take the defaults',
    );
  }
  return { dir, name, components, db, ci, docker, git } as Answers;
}
