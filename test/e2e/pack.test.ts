import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { installedBytes, installedPackages } from '../../bench/footprint.mjs';
import { ROOT, tempDir } from '../helpers/cli.js';

// `npm create rust-async` installs this package before its first question: what it pulls in is
// start-up time. Everything a run from the built-in templates needs is bundled; tools only team
// packs need are installed on first use. These limits keep a dependency from creeping back.
const MAX_PACKAGES = 5;
const MAX_MEGABYTES = 5;

// npm drops or renames dotfiles when packing (`.gitignore` above all): install the real tarball
// and check that a project generated from it still has them.
describe('the published package', () => {
  it('installs from its tarball, small, and generates a complete project', async () => {
    const packDir = await tempDir('cra-pack-');
    const { stdout } = await execa('npm', ['pack', '--pack-destination', packDir, '--json'], { cwd: ROOT });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    expect(packed).toBeDefined();
    const { filename, files } = packed as { filename: string; files: { path: string }[] };
    expect(files.filter((file) => file.path.endsWith('.map')).map((file) => file.path)).toEqual([]);

    const installDir = await tempDir('cra-install-');
    await execa('npm', ['init', '-y'], { cwd: installDir });
    await execa('npm', ['install', '--no-audit', '--no-fund', path.join(packDir, filename)], { cwd: installDir });

    const installed = await installedPackages(path.join(installDir, 'node_modules'));
    expect(installed).toContain('create-rust-async');
    expect(installed.length, installed.join(', ')).toBeLessThanOrEqual(MAX_PACKAGES);
    expect((await installedBytes(path.join(installDir, 'node_modules'))) / 1e6).toBeLessThanOrEqual(MAX_MEGABYTES);

    const bin = path.join(installDir, 'node_modules/.bin/create-rust-async');
    // An empty user cache: a run from the built-in templates installs nothing on first use either.
    const env = { CI: 'true', CREATE_RUST_ASYNC_CACHE: await tempDir('cra-empty-cache-') };
    const result = await execa(bin, ['svc', '--yes', '--no-git', '--ci', '--docker'], { cwd: installDir, reject: false, env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    for (const file of ['.gitignore', '.env.example', '.github/workflows/ci.yml', '.dockerignore', 'Dockerfile', 'src/main.rs', 'Cargo.toml']) {
      expect(existsSync(path.join(installDir, 'svc', file)), file).toBe(true);
    }
    // The cache holds the compiled code of the chunks that ran (dist/cli/launch.cjs), and no tool.
    expect(await readdir(env.CREATE_RUST_ASYNC_CACHE)).toEqual(['code']);
    const [compiled] = await readdir(path.join(env.CREATE_RUST_ASYNC_CACHE, 'code'));
    expect(await readdir(path.join(env.CREATE_RUST_ASYNC_CACHE, 'code', compiled as string))).toContainEqual(expect.stringMatching(/^pack-\w+\.cjs\.v8$/));

    const add = await execa(bin, ['add', 'http-server', '--path', 'svc', '--yes'], { cwd: installDir, reject: false, env });
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(existsSync(path.join(installDir, 'svc/src/http_server.rs')) || existsSync(path.join(installDir, 'svc/src/http_server/mod.rs'))).toBe(true);
    expect(await readdir(env.CREATE_RUST_ASYNC_CACHE)).toEqual(['code']);

    const list = await execa(bin, ['list'], { cwd: installDir, reject: false, env });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('pipeline');
  }, 240_000);
});
