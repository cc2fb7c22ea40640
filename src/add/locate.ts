import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from '@decimalturn/toml-patch';

import { CliError } from '../errors.js';
import { MANIFEST_PATH, type Manifest } from '../plan/manifest.js';
import { compareText } from '../text-order.js';

/** The crate `add` changes, as found on disk. */
export interface CrateInfo {
  root: string;
  name: string;
  cargoToml: string;
  hasLib: boolean;
  hasMain: boolean;
  hasReadme: boolean;
  /** The crate's top-level modules (`src/<name>.rs` or `src/<name>/`), which `add` must not clash with. */
  modules: string[];
  /** Present when this tool generated the crate. */
  manifest?: Manifest;
}

interface CargoManifest {
  package?: { name?: string };
  workspace?: Record<string, unknown>;
}

async function readManifest(file: string): Promise<CargoManifest> {
  try {
    return parse(await readFile(file, 'utf8')) as CargoManifest;
  } catch (error) {
    throw new CliError(`${file} is not valid TOML (${(error as Error).message.split('\n')[0]})`, 'Fix it so cargo can read it, then run add again');
  }
}

interface CargoMetadata {
  packages: { id: string; name: string; manifest_path: string }[];
  workspace_members: string[];
}

/**
 * The workspace's members as cargo itself reads them (globs, `exclude`, a root package), from
 * `cargo metadata`; `--no-deps` and `--offline` keep it to reading manifests, with no network.
 */
async function members(root: string): Promise<{ dir: string; name: string }[]> {
  const { execa } = await import('execa');
  let stdout: string;
  try {
    ({ stdout } = await execa('cargo', ['metadata', '--no-deps', '--format-version', '1', '--offline'], { cwd: root }));
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: unknown };
    if (code === 'ENOENT') {
      throw new CliError(
        `cargo was not found, and listing the members of the workspace at ${root} needs it`,
        'Install Rust (https://rustup.rs), or pass --path <member dir>',
      );
    }
    const cause = String(stderr ?? '').split('\n').find((line) => line.startsWith('error:'));
    throw new CliError(
      `cargo metadata failed in ${root}${cause ? ` (${cause})` : ''}`,
      'Fix the workspace so cargo can read it, or pass --path <member dir>',
    );
  }
  const metadata = JSON.parse(stdout) as CargoMetadata;
  const ids = new Set(metadata.workspace_members);
  return metadata.packages
    .filter((pkg) => ids.has(pkg.id))
    .map((pkg) => ({ dir: path.dirname(pkg.manifest_path), name: pkg.name }))
    .sort((a, b) => compareText(a.name, b.name));
}

/**
 * Finds the crate to change: the nearest Cargo.toml at or above `start` (as cargo does). In a
 * workspace, `--package` picks a member; a virtual workspace without it is an error that lists them.
 */
export async function locateCrate(start: string, packageName: string | undefined): Promise<CrateInfo> {
  let dir = path.resolve(start);
  while (!existsSync(path.join(dir, 'Cargo.toml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new CliError(`no Cargo.toml in ${path.resolve(start)} or above`, 'Run add inside a crate, or pass --path <crate dir>');
    }
    dir = parent;
  }
  const cargo = await readManifest(path.join(dir, 'Cargo.toml'));
  const isMember = packageName !== undefined && cargo.package?.name !== packageName;
  if (!cargo.package || isMember) {
    // Only a workspace has members to ask cargo for; a lone crate with another name has none.
    const list = cargo.workspace ? await members(dir) : [];
    const chosen = list.find((member) => member.name === packageName);
    if (!chosen) {
      const names = list.map((member) => member.name).join(', ') || '(none found)';
      const what = packageName === undefined ? `${dir} is a workspace` : `no workspace member is named "${packageName}"`;
      throw new CliError(`${what}; members: ${names}`, 'Choose one with --package <name> or --path <member dir>');
    }
    return describe(chosen.dir, chosen.name);
  }
  return describe(dir, cargo.package.name ?? path.basename(dir));
}

async function describe(root: string, name: string): Promise<CrateInfo> {
  const manifestFile = path.join(root, MANIFEST_PATH);
  let manifest: Manifest | undefined;
  if (existsSync(manifestFile)) {
    try {
      manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    } catch {
      throw new CliError(`${manifestFile} is not valid JSON`, `Restore it from version control, or delete it to treat the crate as hand-written`);
    }
  }
  return {
    root,
    name,
    cargoToml: path.join(root, 'Cargo.toml'),
    hasLib: existsSync(path.join(root, 'src/lib.rs')),
    hasMain: existsSync(path.join(root, 'src/main.rs')),
    hasReadme: existsSync(path.join(root, 'README.md')),
    modules: await topLevelModules(path.join(root, 'src')),
    ...(manifest ? { manifest } : {}),
  };
}

async function topLevelModules(src: string): Promise<string[]> {
  const entries = await readdir(src, { withFileTypes: true }).catch(() => []);
  return entries.flatMap((entry) => {
    if (entry.isDirectory()) return [entry.name];
    return entry.name.endsWith('.rs') ? [entry.name.slice(0, -3)] : [];
  });
}
