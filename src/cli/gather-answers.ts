import path from 'node:path';

import type { Component, DbKind, QueueKind } from '../catalog/types.js';
import { DB_KINDS, QUEUE_KINDS } from '../catalog/types.js';
import { CliError } from '../errors.js';
import type { AnswerValues, PackQuestion } from '../pack/types.js';
import { type Answers, DEFAULT_ANSWERS, DEFAULT_DIR, checkQueue, defaultQueue, parseQueue } from '../plan/answers.js';
import { crateNameProblem, libName, suggestCrateName } from '../plan/crate-name.js';
import { resolveComponents } from '../plan/resolve.js';

/** The flags of `new`, as commander parses them. */
export interface NewFlags {
  name?: string;
  components?: string;
  db?: string;
  queue?: string;
  ci?: boolean;
  docker?: boolean;
  git?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  verify?: boolean;
  verbose?: boolean;
  json?: boolean;
  template?: string;
  preset?: string;
  savePreset?: string;
  answer?: string[];
}

/** How to ask for what is still open: prompts at a terminal (tests pass their own). */
export interface Asker {
  name(fallback: string, validate: (value: string) => string | undefined): Promise<string>;
  components(catalog: readonly Component[], preselected: readonly string[]): Promise<string[]>;
  db(fallback: DbKind): Promise<DbKind>;
  /** The worker's queue, among `choices` (PostgreSQL only where the crate has it). */
  queue(fallback: QueueKind, choices: readonly QueueKind[]): Promise<QueueKind>;
  confirm(message: string, fallback: boolean): Promise<boolean>;
  /** A directory typed at the name prompt holds files: cancel, or add the crate beside them. */
  nonEmpty(dir: string): Promise<'cancel' | 'ignore'>;
  question(question: PackQuestion): Promise<string | boolean>;
}

/** The queues offered at the prompt, in the order shown. */
const QUEUE_CHOICES: readonly QueueKind[] = QUEUE_KINDS;

/** Where answers come from, strongest first: flags, then the preset, then pack and built-in defaults. */
export interface AnswerSources {
  flags: NewFlags;
  preset: AnswerValues;
  defaults: AnswerValues;
  locks: AnswerValues;
  catalog: readonly Component[];
  questions: readonly PackQuestion[];
}

export function parseComponentList(value: string | string[]): string[] {
  if (Array.isArray(value)) return [...new Set(value)];
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

/** `--answer team=payments` (repeatable) → `{ team: 'payments' }`; `true`/`false` become booleans. */
export function parseAnswerFlags(values: readonly string[] | undefined): Record<string, string | boolean> {
  const answers: Record<string, string | boolean> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new CliError(`--answer ${JSON.stringify(value)} is not name=value`, 'Write it as --answer name=value');
    const raw = value.slice(eq + 1);
    answers[value.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return answers;
}

type Key = 'components' | 'db' | 'queue' | 'ci' | 'docker' | 'git';
const FLAG_NAMES: Record<Key, string> = {
  components: '--components',
  db: '--db',
  queue: '--queue',
  ci: '--ci/--no-ci',
  docker: '--docker/--no-docker',
  git: '--git/--no-git',
};

/**
 * Fills the answers. For each question: a pack lock wins (a flag against it is an error), then a
 * flag, then the preset; then `--yes` takes the default (pack, then built-in), or a terminal is
 * asked. With none of these, every missing answer is listed in one error.
 */
export async function gatherAnswers(
  dirArg: string | undefined,
  sources: AnswerSources,
  asker: Asker | undefined,
  /** `asked`: the directory was typed at the prompt, so a problem with it may be asked about too. */
  checkDir: (dir: string, asked: boolean) => Promise<unknown>,
): Promise<Answers> {
  const { flags, preset, defaults, locks, catalog } = sources;
  const missing: string[] = [];

  if (flags.db !== undefined && !(DB_KINDS as readonly string[]).includes(flags.db)) {
    throw new CliError(`unknown --db ${JSON.stringify(flags.db)}`, `Use one of: ${DB_KINDS.join(', ')}`);
  }
  if (flags.queue !== undefined) parseQueue(flags.queue);
  if (flags.dryRun && flags.verify) {
    throw new CliError('--dry-run and --verify cannot be used together', 'A dry run writes nothing to verify; drop one of them');
  }
  if (flags.name !== undefined) validateCrateName(flags.name, 'flag');

  const flagValues: AnswerValues = {
    components: flags.components,
    db: flags.db as DbKind | undefined,
    queue: flags.queue as QueueKind | undefined,
    ci: flags.ci,
    docker: flags.docker,
    git: flags.git,
  };
  for (const key of Object.keys(FLAG_NAMES) as Key[]) {
    const locked = locks[key];
    const given = flagValues[key];
    if (locked !== undefined && given !== undefined && JSON.stringify(normalize(key, given)) !== JSON.stringify(normalize(key, locked))) {
      throw new CliError(`the template pack fixes ${key} to ${JSON.stringify(locked)}`, `Drop ${FLAG_NAMES[key]}, or use another template`);
    }
  }

  async function answer<T>(key: Key, builtin: T, ask?: (fallback: T) => Promise<T>): Promise<T | undefined> {
    for (const layer of [locks, flagValues, preset]) {
      if (layer[key] !== undefined) return normalize(key, layer[key]) as T;
    }
    const fallback = (defaults[key] === undefined ? builtin : normalize(key, defaults[key])) as T;
    if (flags.yes) return fallback;
    if (ask) return ask(fallback);
    // The queue has a default that follows from the other answers (as before the choice existed),
    // so scripts that never heard of it keep working.
    if (key === 'queue') return fallback;
    missing.push(FLAG_NAMES[key]);
    return undefined;
  }

  // Directory and name first: a bad name or an occupied directory fails before any question.
  let dir = dirArg;
  let asked = false;
  if (dir === undefined) {
    if (flags.yes) dir = DEFAULT_DIR;
    else if (asker) {
      dir = await asker.name(flags.name ?? DEFAULT_DIR, crateNameProblem);
      asked = true;
    } else missing.push('[dir]');
  }
  const name = flags.name ?? (dir === undefined ? undefined : path.basename(path.resolve(dir)));
  if (name !== undefined && flags.name === undefined) validateCrateName(name, 'dir');
  if (dir !== undefined) await checkDir(dir, asked);

  for (const layer of [flagValues, preset, defaults, locks]) {
    if (layer.components !== undefined) resolveComponents(parseComponentList(layer.components), catalog);
  }
  const builtinDefaults = catalog.filter((component) => component.default).map((component) => component.id);
  const components = await answer<string[]>(
    'components',
    builtinDefaults,
    // With an empty catalog there is nothing to choose, so nothing to ask.
    asker && ((fallback) => (catalog.length > 0 ? asker.components(catalog, fallback) : Promise.resolve([]))),
  );

  const resolved = components ? resolveComponents(components, catalog).components : [];
  const usesDb = resolved.some((c) => c.id === 'db');
  if (flags.db !== undefined && components && !usesDb) {
    throw new CliError('--db only applies to the db component, which is not chosen', 'Add db to --components or drop --db');
  }
  const db = usesDb ? await answer<DbKind>('db', DEFAULT_ANSWERS.db, asker && ((fallback) => asker.db(fallback))) : DEFAULT_ANSWERS.db;
  const usesWorker = resolved.some((c) => c.id === 'worker');
  if (flags.queue !== undefined && components && !usesWorker) {
    throw new CliError('--queue only applies to the worker component, which is not chosen', 'Add worker to --components or drop --queue');
  }
  const crate = { components: resolved.map((c) => c.id), db: db ?? DEFAULT_ANSWERS.db };
  const queueChoices = QUEUE_CHOICES.filter((kind) => kind !== 'postgres' || defaultQueue(crate) === 'postgres');
  const queue = usesWorker
    ? await answer<QueueKind>('queue', defaultQueue(crate), asker && ((fallback) => asker.queue(fallback, queueChoices)))
    : undefined;
  if (queue !== undefined) checkQueue(queue, crate);
  const confirm = (message: string) => asker && ((fallback: boolean) => asker.confirm(message, fallback));
  const ci = await answer('ci', DEFAULT_ANSWERS.ci, confirm('Add a GitHub Actions workflow?'));
  const docker = await answer('docker', DEFAULT_ANSWERS.docker, confirm('Add a Dockerfile?'));
  const git = await answer('git', DEFAULT_ANSWERS.git, confirm('Initialize a git repository?'));
  const extra = await extraAnswers(sources, asker, missing);

  if (missing.length > 0) {
    throw new CliError(
      `no terminal to ask, and these answers are missing: ${missing.join(', ')}`,
      'Pass them as flags, or --yes to take the defaults',
    );
  }
  return { dir, name, components, db, ...(queue === undefined ? {} : { queue }), ci, docker, git, extra } as Answers;
}

/** Answers to a pack's own questions, through the same layers as the built-in ones (`upgrade` asks the new ones here too). */
export async function extraAnswers(sources: AnswerSources, asker: Asker | undefined, missing: string[]) {
  const given = parseAnswerFlags(sources.flags.answer);
  const known = new Set(sources.questions.map((question) => question.name));
  for (const name of [...Object.keys(given), ...Object.keys(sources.preset.answers ?? {})]) {
    if (!known.has(name)) {
      throw new CliError(`no question is named "${name}"`, known.size > 0 ? `Known: ${[...known].join(', ')}` : 'Only template packs add questions');
    }
  }
  const extra: Record<string, string | boolean> = {};
  for (const question of sources.questions) {
    const locked = sources.locks.answers?.[question.name];
    // As for the built-in answers: a flag against a pack's lock is an error, never dropped.
    if (locked !== undefined && given[question.name] !== undefined && given[question.name] !== locked) {
      throw new CliError(`the template pack fixes ${question.name} to ${JSON.stringify(locked)}`, `Drop --answer ${question.name}=..., or use another template`);
    }
    const value = locked ?? given[question.name] ?? sources.preset.answers?.[question.name];
    const fallback = sources.defaults.answers?.[question.name] ?? question.default;
    if (value !== undefined) extra[question.name] = value;
    else if (sources.flags.yes) extra[question.name] = fallback;
    else if (asker) extra[question.name] = await asker.question({ ...question, default: fallback });
    else missing.push(`--answer ${question.name}=...`);
  }
  return extra;
}

function normalize(key: Key, value: unknown): unknown {
  return key === 'components' ? parseComponentList(value as string | string[]) : value;
}
