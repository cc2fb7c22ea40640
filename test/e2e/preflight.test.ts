import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { BIN, runCli, tempDir } from '../helpers/cli.js';

const FLAGS = ['--yes', '--no-git', '--components', 'none'];

describe('what would fail after writing is checked before writing', () => {
  it.each([
    ['a directory that does not exist', 'nowhere/team.json', /cannot save the preset: .*nowhere is not a directory/],
    ['a directory', 'presets', /--save-preset presets is a directory/],
    ['a place that cannot be written', '/proc/team.json', /cannot save the preset to \/proc\/team\.json \(ENOENT\)/],
  ])('--save-preset to %s: error, no crate, and a rerun works', async (_, destination, message) => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'presets'));
    const result = await runCli(['svc', ...FLAGS, '--save-preset', destination], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await readdir(cwd)).toEqual(['presets']);
    const rerun = await runCli(['svc', ...FLAGS, '--save-preset', 'presets/team.json'], { cwd });
    expect(rerun.exitCode).toBe(0);
  });

  it('--verify without cargo on PATH: error before writing', async () => {
    const cwd = await tempDir();
    const bin = await tempDir('cra-path-');
    await symlink(process.execPath, path.join(bin, 'node'));
    const result = await execa(process.execPath, [BIN, 'svc', ...FLAGS, '--verify'], {
      cwd,
      reject: false,
      stdin: 'ignore',
      env: { PATH: bin, CI: '' },
      extendEnv: false,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: --verify needs cargo, which was not found on PATH. Install Rust from https://rustup.rs, or drop --verify');
    expect(await readdir(cwd)).toEqual([]);
  });
});
