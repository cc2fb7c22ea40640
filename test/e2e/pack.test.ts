import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { ROOT, tempDir } from '../helpers/cli.js';

// npm drops or renames dotfiles when packing (`.gitignore` above all): install the real tarball
// and check that a project generated from it still has them.
describe('the published package', () => {
  it('installs from its tarball and generates a complete project', async () => {
    const packDir = await tempDir('cra-pack-');
    await execa('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: ROOT });
    const [tarball] = (await readdir(packDir)).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const installDir = await tempDir('cra-install-');
    await execa('npm', ['init', '-y'], { cwd: installDir });
    await execa('npm', ['install', '--no-audit', '--no-fund', path.join(packDir, tarball as string)], { cwd: installDir });

    const bin = path.join(installDir, 'node_modules/.bin/create-rust-async');
    const result = await execa(bin, ['svc', '--yes', '--no-git', '--ci', '--docker'], { cwd: installDir, reject: false, env: { CI: 'true' } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    for (const file of ['.gitignore', '.env.example', '.github/workflows/ci.yml', '.dockerignore', 'Dockerfile', 'src/main.rs', 'Cargo.toml']) {
      expect(existsSync(path.join(installDir, 'svc', file)), file).toBe(true);
    }
  }, 240_000);
});
