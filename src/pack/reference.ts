import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

import { isInside } from '../paths/inside.js';

/** An npm package name, with an optional `@version` or tag. */
export const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(@[^\s/]+)?$/;

/**
 * A `--template` that names something on disk (a pack directory or a tarball), not an npm package:
 * the same rule `resolvePackDir` follows.
 */
export function isLocalSpec(spec: string, from: string): boolean {
  return (
    spec.startsWith('.') ||
    path.isAbsolute(spec) ||
    /\.(tgz|tar\.gz)$/.test(spec) ||
    existsSync(path.resolve(from, spec)) ||
    !NPM_NAME.test(spec)
  );
}

/**
 * How a crate records the pack it was made with, so `add` finds it again from the crate, wherever
 * the command runs. A pack beside the crate (inside the crate's parent directory, as in a
 * repository holding both) is stored relative to the crate and moves with it; a pack elsewhere is
 * stored as an absolute path; an npm package by its name.
 */
export function packReference(spec: string, from: string, crateRoot: string): string {
  if (!isLocalSpec(spec, from)) return spec;
  const absolute = path.resolve(from, spec);
  if (!isInside(absolute, path.dirname(crateRoot))) return absolute;
  const relative = path.relative(crateRoot, absolute).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * Whether two `--template` spellings (each with the directory it is relative to) name one pack:
 * local paths by their real paths (`./pack`, `../svc/pack`, a symlink), npm packages by name.
 */
export async function samePack(a: { spec: string; from: string }, b: { spec: string; from: string }): Promise<boolean> {
  const local = [isLocalSpec(a.spec, a.from), isLocalSpec(b.spec, b.from)];
  if (local[0] !== local[1]) return false;
  if (!local[0]) return a.spec === b.spec;
  const real = (p: { spec: string; from: string }) => realpath(path.resolve(p.from, p.spec)).catch(() => path.resolve(p.from, p.spec));
  return (await real(a)) === (await real(b));
}
