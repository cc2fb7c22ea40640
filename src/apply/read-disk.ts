import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

import { CliError } from '../errors.js';
import { contentOf } from '../render/binary.js';

/**
 * A crate's file as the planners of `add` and `upgrade` compare it: its content (binary files
 * byte for byte, as the writers read them back), undefined if there is none. A symlink is followed;
 * one that leads nowhere is an error, since a write through it would create a file elsewhere.
 */
export async function readDisk(root: string, file: string): Promise<string | undefined> {
  const full = path.join(root, file);
  const link = await fs.lstat(full).catch(() => undefined);
  if (!link) return undefined;
  if (link.isSymbolicLink() && !existsSync(full)) {
    throw new CliError(`${file} is a symlink to a file that does not exist`, 'Fix or remove the symlink; nothing was written');
  }
  return contentOf(await fs.readFile(full));
}
