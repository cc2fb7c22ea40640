import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every entry below `dir` with its mode and a hash of its bytes: equal snapshots mean nothing
 * changed. Top-level entries in `skip` (e.g. `.git`, which git itself updates) are left out.
 */
export async function snapshot(dir: string, skip: readonly string[] = []): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of (await readdir(dir, { recursive: true })).sort()) {
    if (skip.includes(entry.split(path.sep)[0] as string)) continue;
    const full = path.join(dir, entry);
    const info = await lstat(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) result[entry] = `link ${await readlink(full)}`;
    else if (info.isDirectory()) result[entry] = `dir ${mode}`;
    else result[entry] = `file ${mode} ${createHash('sha256').update(await readFile(full)).digest('hex')}`;
  }
  return result;
}
