import path from 'node:path';

import { CliError } from '../errors.js';

/**
 * Whether `child` is `root` or below it. Both are resolved first; only a leading `..` segment
 * leaves the root, so a folder named `..cache` is inside, and a path on another drive (which
 * `path.relative` returns absolute) is not.
 */
export function isInside(child: string, root: string): boolean {
  const relative = path.relative(root, child);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** Rejects a generated path that could land outside the target directory. */
export function assertSafeOutputPath(file: string, origin: string): void {
  // Generated paths are relative, `/`-separated and already normal; anything else hides where it lands.
  const plain = !path.posix.isAbsolute(file) && !path.isAbsolute(file) && !file.includes('\\') && path.posix.normalize(file) === file;
  // A normal relative path leaves the project only through a leading `..` (no resolving against
  // the working directory needed, which costs every file of every run).
  if (!plain || file === '..' || file.startsWith('../')) {
    throw new CliError(`${origin} would write "${file}", outside the project`, 'Use a relative path inside the project');
  }
}
