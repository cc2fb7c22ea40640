import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { CancelledError, CliError } from '../errors.js';

/** One file to create or change in an existing project. */
export interface FileChange {
  /** Path relative to the project root, `/`-separated. */
  path: string;
  /** The content the plan was computed from; `undefined` for a new file. */
  before: string | undefined;
  after: string;
}

/**
 * The writer for changes to an existing project (`generate`, `add`). It first checks that no file
 * changed since planning, then writes each file to a temporary sibling and renames it into place;
 * if anything fails or Ctrl-C arrives, every file already written is restored and every new file
 * (and directory) removed.
 */
export async function writeChanges(root: string, changes: readonly FileChange[], signal?: AbortSignal): Promise<void> {
  for (const change of changes) {
    const current = await readFile(path.join(root, change.path), 'utf8').catch(() => undefined);
    if (current !== change.before) {
      throw new CliError(`${change.path} changed while the plan was made`, 'Run the command again; nothing was written');
    }
  }

  const done: FileChange[] = [];
  const createdDirs: string[] = [];
  try {
    for (const change of changes) {
      if (signal?.aborted) throw CancelledError.from(signal);
      const dest = path.join(root, change.path);
      const made = await mkdir(path.dirname(dest), { recursive: true });
      if (made) createdDirs.push(made);
      const temp = `${dest}.create-rust-async-${process.pid}.tmp`;
      await writeFile(temp, change.after);
      await rename(temp, dest).catch(async (error) => {
        await rm(temp, { force: true });
        throw error;
      });
      done.push(change);
    }
  } catch (error) {
    for (const change of done.reverse()) {
      const dest = path.join(root, change.path);
      if (change.before === undefined) await rm(dest, { force: true });
      else await writeFile(dest, change.before);
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
        `b/${change.path}`,
        change.before ?? '',
        change.after,
        undefined,
        undefined,
        { context: 3 },
      ),
    )
    .join('');
}
