import { chmod, lstat, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { CancelledError, CliError } from '../errors.js';
import type { FileChange } from '../plan/changes.js';
import { contentBytes, contentOf } from '../render/binary.js';

/**
 * Where a change is written: through a symlink to the file it points to (so a symlinked
 * `Cargo.toml` stays a symlink and its target gets the change), and with the mode the file has.
 */
async function destination(root: string, change: FileChange): Promise<{ file: string; mode?: number }> {
  const file = path.join(root, change.path);
  const link = await lstat(file).catch(() => undefined);
  if (!link) return { file };
  const real = link.isSymbolicLink()
    ? await realpath(file).catch(() => {
        throw new CliError(`${change.path} is a symlink to a file that does not exist`, 'Fix or remove the symlink; nothing was written');
      })
    : file;
  return { file: real, mode: (await stat(real)).mode & 0o7777 };
}

/**
 * The writer for changes to an existing project (`generate`, `add`, `upgrade`). It first checks
 * that no file changed since planning, then writes each file to a temporary sibling and renames it
 * into place (or removes it, for a change whose `after` is undefined);
 * if anything fails or Ctrl-C arrives, every file already written is restored and every new file
 * (and directory) removed.
 */
export async function writeChanges(root: string, changes: readonly FileChange[], signal?: AbortSignal): Promise<void> {
  const destinations = [];
  for (const change of changes) {
    const current = await readFile(path.join(root, change.path)).then(contentOf, () => undefined);
    if (current !== change.before) {
      throw new CliError(`${change.path} changed while the plan was made`, 'Run the command again; nothing was written');
    }
    destinations.push(await destination(root, change));
  }

  const done: FileChange[] = [];
  const createdDirs: string[] = [];
  try {
    for (const [index, change] of changes.entries()) {
      if (signal?.aborted) throw CancelledError.from(signal);
      const { file: dest, mode } = destinations[index] as { file: string; mode?: number };
      if (change.after === undefined) {
        // A removal: the text is in `before`, so a rollback writes it back.
        await rm(dest, { force: true });
        done.push({ ...change, path: dest });
        continue;
      }
      const made = await mkdir(path.dirname(dest), { recursive: true });
      if (made) createdDirs.push(made);
      const temp = `${dest}.create-rust-async-${process.pid}.tmp`;
      await writeFile(temp, contentBytes(change.after));
      try {
        // The rename gives the file a new inode; the user's mode (an executable script, a
        // read-only-for-others config) carries over explicitly.
        if (mode !== undefined) await chmod(temp, mode);
        await rename(temp, dest);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      done.push({ ...change, path: dest });
    }
  } catch (error) {
    // `done` holds absolute destinations (a symlink's target, not the link).
    for (const change of done.reverse()) {
      if (change.before === undefined) await rm(change.path, { force: true });
      else await writeFile(change.path, contentBytes(change.before));
    }
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A unified diff of every change, for `--dry-run` (new files are diffed against nothing). */
export async function describeChanges(changes: readonly FileChange[]): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  return changes
    .map((change) =>
      createTwoFilesPatch(
        change.before === undefined ? '/dev/null' : `a/${change.path}`,
        change.after === undefined ? '/dev/null' : `b/${change.path}`,
        change.before ?? '',
        change.after ?? '',
        undefined,
        undefined,
        { context: 3 },
      ),
    )
    .join('');
}
