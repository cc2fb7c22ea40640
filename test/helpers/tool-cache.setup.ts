import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

import { TOOL_PACKAGES, type ToolPackage } from '../../src/tools/versions.js';
import { ROOT, TOOL_CACHE } from './cli.js';

/**
 * The e2e and cargo tests run the CLI with a tool cache (CREATE_RUST_ASYNC_CACHE) whose tools link
 * to this repository's devDependencies (same pinned versions), as if a user had installed them by
 * hand: pack tests then need no network and print no install notice. The install itself is tested
 * on its own, with an empty cache (test/e2e/tool-install.test.ts). Both projects run this setup,
 * so it only adds what is missing.
 */
export default async function seedToolCache(): Promise<void> {
  for (const name of Object.keys(TOOL_PACKAGES) as ToolPackage[]) {
    const target = path.join(TOOL_CACHE, 'tools', `${name}@${TOOL_PACKAGES[name]}`, 'node_modules', name);
    if (existsSync(target)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    const installed = path.join(ROOT, 'node_modules', name);
    if (!existsSync(installed)) throw new Error(`${name} is not installed; run npm ci`);
    await symlink(installed, target, 'junction').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // the other project's setup was first
    });
  }
}
