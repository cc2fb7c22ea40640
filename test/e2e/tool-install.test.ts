import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { TOOL_PACKAGES } from '../../src/tools/versions.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

// A pack whose templates render Markdown needs prettier, which the package does not ship: the
// first such run installs the pinned version into the user's cache, later runs reuse it.
const ACME = path.join(ROOT, 'test/fixtures/packs/acme');
const FLAGS = ['--template', ACME, '--yes', '--no-git', '--components', 'audit-log', '--answer', 'team=payments'];
const PRETTIER = `prettier@${TOOL_PACKAGES.prettier}`;

describe('tools a template pack needs', () => {
  it('are installed into the user cache on first use, with a notice, and reused after', async () => {
    const cwd = await tempDir();
    const cache = await tempDir('cra-tool-cache-');
    // The npm cache `npm ci` filled has the pinned version: no network needed.
    const env = { CREATE_RUST_ASYNC_CACHE: cache, npm_config_prefer_offline: 'true' };

    const first = await runCli(['one', ...FLAGS], { cwd, env });
    expect(first.stderr).toContain(`needs ${PRETTIER}; installing it once into ${path.join(cache, 'tools', PRETTIER)}`);
    expect(first.exitCode).toBe(0);
    expect(existsSync(path.join(cache, 'tools', PRETTIER, 'node_modules/prettier/package.json'))).toBe(true);

    const second = await runCli(['two', ...FLAGS], { cwd, env });
    expect(second.stderr).toBe('');
    expect(second.exitCode).toBe(0);

    // A tool folder whose package was deleted is installed again rather than failing the run.
    await rm(path.join(cache, 'tools', PRETTIER, 'node_modules'), { recursive: true });
    const third = await runCli(['three', ...FLAGS], { cwd, env });
    expect(third.stderr).toContain(`needs ${PRETTIER}; installing it once`);
    expect(third.exitCode).toBe(0);
  }, 240_000);

  it('offline, fail with one line that names what to install, and write nothing', async () => {
    const cwd = await tempDir();
    const cache = await tempDir('cra-tool-cache-');
    const env = { CREATE_RUST_ASYNC_CACHE: cache, npm_config_offline: 'true', npm_config_cache: await tempDir('cra-npm-cache-') };
    const result = await runCli(['svc', ...FLAGS], { cwd, env });
    expect(result.exitCode).toBe(1);
    const [notice, error, ...rest] = result.stderr.split('\n');
    expect(notice).toContain(`needs ${PRETTIER}; installing it once`);
    expect(error).toMatch(new RegExp(`^error: .*needs ${PRETTIER}, which could not be installed .*npm install --prefix ".*" ${PRETTIER}$`));
    expect(rest).toEqual([]);
    expect(existsSync(path.join(cwd, 'svc'))).toBe(false);
    // No half-installed tool folder for the next run to trust.
    expect(existsSync(path.join(cache, 'tools', PRETTIER))).toBe(false);
  });
});
