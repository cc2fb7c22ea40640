// What an install leaves in node_modules: the package count and the bytes on disk. Shared by the
// benchmark and the packed-tarball test, so both count the same way.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every installed package below `nodeModules` (nested node_modules and scoped names included). */
export async function installedPackages(nodeModules) {
  const found = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? (await readdir(path.join(nodeModules, entry.name))).map((name) => `${entry.name}/${name}`)
      : [entry.name];
    for (const name of names) {
      found.push(name);
      found.push(...(await installedPackages(path.join(nodeModules, name, 'node_modules'))));
    }
  }
  return found;
}

/** Total size of the files below `dir`, in bytes. */
export async function installedBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
