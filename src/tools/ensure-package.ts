// fs.promises rather than node:fs/promises: Node loads it on first use, not with the module (docs/build.md).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { CliError } from '../errors.js';
import { cacheRoot } from './cache-root.js';
import { importUrl } from './import-url.js';
import { TOOL_PACKAGES, type ToolPackage } from './versions.js';

/** Where one pinned tool lives: `<cache>/tools/<name>@<version>`. */
function toolDir(name: ToolPackage): string {
  return path.join(cacheRoot(), 'tools', `${name}@${TOOL_PACKAGES[name]}`);
}

// A module inside the tool's folder imports the package, so Node resolves it (with its `import`
// export condition and its own dependencies) from that folder's node_modules.
const LOADER = 'load.mjs';
const loaderSource = (name: ToolPackage) => `export const load = () => import(${JSON.stringify(name)});\n`;

const isInstalled = (name: ToolPackage, dir: string) => existsSync(path.join(dir, 'node_modules', name, 'package.json'));

/**
 * Installs into a fresh folder beside the final one and renames it into place, so an interrupted
 * or concurrent install never leaves a half-filled tool folder that later runs would trust.
 * `--ignore-scripts`: the pinned tools need no install scripts, and none should run unasked.
 */
async function install(name: ToolPackage, dir: string, why: string): Promise<void> {
  const spec = `${name}@${TOOL_PACKAGES[name]}`;
  process.stderr.write(`create-rust-async: ${why} needs ${spec}; installing it once into ${dir}\n`);
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const staging = await fs.mkdtemp(`${dir}.partial-`);
  try {
    const { execa } = await import('execa');
    const result = await execa(
      'npm',
      ['install', '--prefix', staging, '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', spec],
      { reject: false, all: true },
    );
    if (result.failed) {
      const reason = (result.all ?? '').split('\n').find((line) => /ERR!|npm error/.test(line)) ?? result.shortMessage ?? 'npm install failed';
      throw new CliError(
        `${why} needs ${spec}, which could not be installed (${reason.replace(/^npm (error|ERR!)\s*/, '').trim()})`,
        `Connect to the registry and run again, or install it yourself: npm install --prefix "${dir}" ${spec}`,
      );
    }
    await fs.writeFile(path.join(staging, LOADER), loaderSource(name));
    await fs.rename(staging, dir).catch(async () => {
      // Another run installed it meanwhile: theirs is as good as ours.
      if (isInstalled(name, dir)) return;
      // A leftover folder without the package (emptied by hand): replace it.
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(staging, dir);
    });
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/**
 * Imports a package that only some runs need (e.g. prettier for a pack's Markdown), installing the
 * pinned version into the user cache on first use. `why` says what needs it, for the messages.
 */
export async function ensurePackage<T>(name: ToolPackage, why: string): Promise<T> {
  const dir = toolDir(name);
  const loader = path.join(dir, LOADER);
  if (!isInstalled(name, dir)) {
    await install(name, dir, why);
  } else if (!existsSync(loader)) {
    // Installed by hand with `npm install --prefix`, as the offline error suggests.
    await fs.writeFile(loader, loaderSource(name));
  }
  const { load } = (await importUrl(pathToFileURL(loader).href)) as { load: () => Promise<T> };
  return load();
}
