import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, realpath, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CliError } from '../errors.js';
import { PACK_MANIFEST_FILE, PACK_SCHEMA } from './schema.js';
import type { Pack, PackManifest } from './types.js';
import { NPM_NAME } from './reference.js';
import { validate } from './validate.js';

/**
 * Installs an npm package or tarball into a fresh temporary prefix and returns its directory.
 * `--ignore-scripts`: loading a template must not run the package's install scripts.
 */
async function installPackage(spec: string): Promise<string> {
  const { execa } = await import('execa');
  const prefix = await mkdtemp(path.join(tmpdir(), 'create-rust-async-pack-'));
  // The pack is read into memory, but a plopfile is loaded from disk late in a run, so the copy
  // lives until the process exits (normally, on an error, or on a stop signal) and no longer.
  process.once('exit', () => rmSync(prefix, { recursive: true, force: true }));
  const result = await execa(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', spec],
    { reject: false, all: true },
  );
  if (result.failed) {
    throw new CliError(`cannot install template pack "${spec}": ${npmReason(result.all ?? '')}`, 'Check the package name, version or tarball path');
  }
  const manifest = JSON.parse(await readFile(path.join(prefix, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const [name] = Object.keys(manifest.dependencies ?? {});
  if (!name) throw new CliError(`npm installed nothing for "${spec}"`, 'Check the package name or tarball');
  return path.join(prefix, 'node_modules', name);
}

/**
 * npm's reason, from its error lines (`npm error` since npm 10, `npm ERR!` before): the first one
 * that says more than the error code, e.g. "404 Not Found - GET https://registry.npmjs.org/x".
 */
export function npmReason(output: string): string {
  const lines = output
    .split('\n')
    .filter((line) => /^npm (error|ERR!)/.test(line))
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '' && !/^code\s/.test(line));
  return lines[0] ?? 'npm install failed';
}

/** Turns `--template` (a directory, an npm package name, or a `.tgz`) into a directory. */
export async function resolvePackDir(spec: string, from: string): Promise<string> {
  const local = path.resolve(from, spec);
  if (/\.(tgz|tar\.gz)$/.test(spec)) {
    if (!existsSync(local)) throw new CliError(`template pack tarball ${local} does not exist`, 'Check the path');
    return installPackage(local);
  }
  const info = await stat(local).catch(() => undefined);
  if (info?.isDirectory()) return local;
  if (info) throw new CliError(`template pack ${local} is a file, not a directory`, 'Pass the pack directory, an npm package name or a .tgz');
  if (spec.startsWith('.') || spec.startsWith('/') || !NPM_NAME.test(spec)) {
    throw new CliError(`template pack "${spec}" not found`, 'Pass an existing directory, an npm package name or a .tgz');
  }
  return installPackage(spec);
}

export async function readPack(dir: string): Promise<Pack> {
  const root = await realpath(dir);
  const file = path.join(root, PACK_MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CliError(`${root} has no ${PACK_MANIFEST_FILE}`, 'A template pack needs a manifest; `create-rust-async template init <dir>` writes a starter pack');
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message})`, 'Fix the syntax');
  }
  return { root, manifest: validate<PackManifest>(PACK_SCHEMA, data, file) };
}

/**
 * Loads a pack and every pack it `extends`, base-most first. An `extends` path is relative to the
 * pack that names it; each pack in the chain is validated on its own. A cycle is an error.
 */
export async function loadPackChain(spec: string, from: string): Promise<Pack[]> {
  const chain: Pack[] = [];
  const seen: string[] = [];
  let next: { spec: string; from: string } | undefined = { spec, from };
  while (next) {
    const dir: string = await resolvePackDir(next.spec, next.from);
    const pack = await readPack(dir);
    if (seen.includes(pack.root)) {
      const names = [...seen, pack.root].map((root) => path.basename(root)).join(' -> ');
      throw new CliError(`template packs extend each other in a cycle: ${names}`, 'Remove one of the "extends" entries');
    }
    seen.push(pack.root);
    chain.unshift(pack);
    const parent = pack.manifest.extends;
    if (parent === undefined) break;
    next = { spec: parent, from: pack.root };
  }
  return chain;
}
