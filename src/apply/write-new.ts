import { randomBytes } from 'node:crypto';
// fs.promises rather than node:fs/promises: Node loads it on first use, not with the module (docs/build.md).
import { mkdirSync, promises as fs, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CancelledError, CliError } from '../errors.js';
import { contentBytes } from '../render/binary.js';
import type { PlannedFile } from '../plan/plan-new.js';
import type { TargetState } from './target.js';

export interface WriteResult {
  /** Files created, relative to the crate root. */
  written: string[];
  /** Files already present with exactly the planned content (only with `--force`). */
  unchanged: string[];
}

/**
 * The only code that writes a new project. It checks for conflicts first, then writes every file
 * into a staging directory and moves it into place, so an error or Ctrl-C (`signal`) at any point
 * leaves the target as it was: no directory if there was none, no stray files if there was one.
 */
export async function writeNew(
  files: readonly PlannedFile[],
  target: string,
  state: TargetState,
  signal?: AbortSignal,
): Promise<WriteResult> {
  const { toWrite, unchanged } = state === 'non-empty' ? await findConflicts(files, target) : { toWrite: files, unchanged: [] };

  const parent = state === 'missing' ? path.dirname(target) : target;
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create ${parent} (${errorCode(error)})`, 'Choose a directory you can write to');
  }
  // Not mkdtemp: its 0700 would become the crate's mode with the rename. A plain mkdir gets the
  // umask-derived mode `cargo new` gives (0755 under umask 022); the random suffix keeps it unique.
  const staging = path.join(parent, `.${path.basename(target)}.staging-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(staging);
  } catch (error) {
    throw new CliError(`cannot write in ${parent} (${errorCode(error)})`, 'Choose a directory you can write to');
  }

  let published = false;
  try {
    // Synchronous calls: each asynchronous one is a round trip through libuv's thread pool, and the
    // writes of a whole crate took longer that way than the rest of `new`. A stop signal is seen
    // only when the event loop runs, so the loop lets it run every few files and before publishing.
    const made = new Set<string>([staging]);
    for (const [index, file] of toWrite.entries()) {
      if (index % SIGNAL_CHECK_EVERY === 0) await signalsDelivered(signal);
      const dest = path.join(staging, file.path);
      if (!made.has(path.dirname(dest))) {
        mkdirSync(path.dirname(dest), { recursive: true });
        made.add(path.dirname(dest));
      }
      // Modes as for any new file, less the umask: 0644 and 0755 for executables under umask 022.
      writeFileSync(dest, contentBytes(file.content), { mode: file.executable ? 0o777 : 0o666 });
    }
    await signalsDelivered(signal);
    if (state === 'missing') {
      // One rename publishes the whole tree: before it there is no target, after it all of it.
      renameSync(staging, target);
      published = true;
    } else {
      await moveInto(staging, target, toWrite, signal);
    }
  } finally {
    // After the rename there is nothing left to remove (and Node's recursive remover not to load).
    if (!published) rmSync(staging, { recursive: true, force: true });
  }
  return { written: toWrite.map((file) => file.path), unchanged };
}

/** With `--force`: files that exist with other content stop the run before anything is written. */
async function findConflicts(files: readonly PlannedFile[], target: string) {
  const toWrite: PlannedFile[] = [];
  const unchanged: string[] = [];
  const conflicts: string[] = [];
  for (const file of files) {
    const existing = await fs.readFile(path.join(target, file.path)).catch(() => undefined);
    if (existing === undefined) toWrite.push(file);
    else if (existing.equals(contentBytes(file.content))) unchanged.push(file.path);
    else conflicts.push(file.path);
  }
  if (conflicts.length > 0) {
    const shown = conflicts.slice(0, 5).join(', ') + (conflicts.length > 5 ? `, and ${conflicts.length - 5} more` : '');
    throw new CliError(
      `${target} already has ${conflicts.length === 1 ? 'a file' : 'files'} the generator would overwrite: ${shown}`,
      'Move them away or choose an empty directory; nothing was written',
    );
  }
  return { toWrite, unchanged };
}

/** Moves staged files into an existing directory; if one move fails, the ones already moved are removed. */
async function moveInto(staging: string, target: string, files: readonly PlannedFile[], signal?: AbortSignal) {
  const moved: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const file of files) {
      throwIfAborted(signal);
      const dest = path.join(target, file.path);
      const made = await fs.mkdir(path.dirname(dest), { recursive: true });
      if (made) createdDirs.push(made);
      await fs.rename(path.join(staging, file.path), dest);
      moved.push(dest);
    }
  } catch (error) {
    await Promise.all(moved.map((dest) => fs.rm(dest, { force: true })));
    // Each directory was created by this run, so it holds none of the user's files.
    for (const dir of createdDirs.reverse()) await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function errorCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw CancelledError.from(signal);
}

/** Files written between two looks at the event loop: a stop signal waits at most this many writes. */
const SIGNAL_CHECK_EVERY = 64;

/**
 * Lets the event loop deliver a pending stop signal (which aborts `signal`), then checks it. A
 * signal is read in the loop's poll phase; two turns through `setImmediate` make sure one passes,
 * wherever in the loop this was called from.
 */
async function signalsDelivered(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return;
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  throwIfAborted(signal);
}
