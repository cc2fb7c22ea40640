// fs.promises rather than node:fs/promises: Node loads it on first use, not with the module (docs/build.md).
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { CliError } from '../errors.js';
import { isInside } from '../paths/inside.js';

/**
 * Resolves a path a pack names (`field` says where) inside the pack. Absolute paths, `..` that
 * climbs out, and symlinks that point outside the pack are rejected: a pack may only read itself.
 */
export async function packPath(root: string, relative: string, field: string): Promise<string> {
  if (path.isAbsolute(relative) || /^[A-Za-z]:[\\/]/.test(relative)) {
    throw new CliError(`${field}: "${relative}" is an absolute path`, 'Template packs may only use paths inside the pack');
  }
  const resolved = path.resolve(root, relative);
  if (!isInside(resolved, root)) {
    throw new CliError(`${field}: "${relative}" points outside the pack`, 'Template packs may only use paths inside the pack');
  }
  const real = await fs.realpath(resolved).catch(() => resolved);
  if (!isInside(real, root)) {
    throw new CliError(`${field}: "${relative}" is a symlink that leads outside the pack`, 'Replace the symlink with the file itself');
  }
  return resolved;
}
