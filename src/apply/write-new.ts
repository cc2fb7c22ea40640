import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  await mkdir(parent, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create ${parent} (${error.code ?? error.message})`, 'Choose a directory you can write to');
  });
  // Not mkdtemp: its 0700 would become the crate's mode with the rename. A plain mkdir gets the
  // umask-derived mode `cargo new` gives (0755 under umask 022); the random suffix keeps it unique.
  const staging = path.join(parent, `.${path.basename(target)}.staging-${randomBytes(6).toString('hex')}`);
  await mkdir(staging).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write in ${parent} (${error.code ?? error.message})`, 'Choose a directory you can write to');
  });

  try {
    // Each folder is made once, not once per file in it (a round trip to libuv's thread pool each).
    const made = new Set<string>([staging]);
    for (const file of toWrite) {
      throwIfAborted(signal);
      const dest = path.join(staging, file.path);
      if (!made.has(path.dirname(dest))) {
        await mkdir(path.dirname(dest), { recursive: true });
        made.add(path.dirname(dest));
      }
      // Modes as for any new file, less the umask: 0644 and 0755 for executables under umask 022.
      await writeFile(dest, contentBytes(file.content), { mode: file.executable ? 0o777 : 0o666 });
    }
    throwIfAborted(signal);
    if (state === 'missing') {
      // One rename publishes the whole tree: before it there is no target, after it all of it.
      await rename(staging, target);
    } else {
      await moveInto(staging, target, toWrite, signal);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { written: toWrite.map((file) => file.path), unchanged };
}

/** With `--force`: files that exist with other content stop the run before anything is written. */
async function findConflicts(files: readonly PlannedFile[], target: string) {
  const toWrite: PlannedFile[] = [];
  const unchanged: string[] = [];
  const conflicts: string[] = [];
  for (const file of files) {
    const existing = await readFile(path.join(target, file.path)).catch(() => undefined);
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
      const made = await mkdir(path.dirname(dest), { recursive: true });
      if (made) createdDirs.push(made);
      await rename(path.join(staging, file.path), dest);
      moved.push(dest);
    }
  } catch (error) {
    await Promise.all(moved.map((dest) => rm(dest, { force: true })));
    // Each directory was created by this run, so it holds none of the user's files.
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw CancelledError.from(signal);
}
