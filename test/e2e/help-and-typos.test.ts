import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';

describe('top-level help', () => {
  it("shows the default command's options, so usage errors point somewhere useful", async () => {
    const result = await runCli(['--help'], { cwd: await tempDir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Options for new (the default command');
    for (const flag of ['--name <crate>', '--components <ids>', '--no-git', '--yes', '--force', '--verify', '--verbose', '--template', '--save-preset']) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe('upgrade in help', () => {
  it('is listed with a one-line description, and its own help names every flag', async () => {
    const cwd = await tempDir();
    const top = await runCli(['--help'], { cwd });
    expect(top.stdout).toMatch(/^\s+upgrade \[options\]\s+bring a generated crate up to newer templates/m);
    const own = await runCli(['upgrade', '--help'], { cwd });
    expect(own.exitCode).toBe(0);
    for (const flag of ['--path <dir>', '--template <dir|package|tgz>', '--to <version>', '--answer <name=value...>', '--yes', '--dry-run', '--allow-dirty', '--json']) {
      expect(own.stdout).toContain(flag);
    }
  });
});

describe('did you mean', () => {
  it.each([
    ['lst', 'list'],
    ['ad', 'add'],
    ['nw', 'new'],
    ['generat', 'generate'],
    ['templte', 'template'],
    ['upgrad', 'upgrade'],
  ])('%s → %s, even under --yes, and nothing is created', async (typo, command) => {
    const cwd = await tempDir();
    const result = await runCli([typo, '--yes', '--no-git'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `error: unknown command "${typo}" (did you mean \`create-rust-async ${command}\`?). To create a crate named ${typo}, run \`create-rust-async new ${typo}\``,
    );
    expect(await readdir(cwd)).toEqual([]);
  });

  it('`new lst` and an existing directory named lst are taken as meant', async () => {
    const cwd = await tempDir();
    const named = await runCli(['new', 'lst', '--yes', '--no-git', '--components', 'none'], { cwd });
    expect(named.exitCode).toBe(0);
    await mkdir(path.join(cwd, 'ad'));
    const existing = await runCli(['ad', '--yes', '--no-git', '--components', 'none'], { cwd });
    expect(existing.exitCode).toBe(0);
  });

  it.each(['billing', 'one', 'api'])('%s, far enough from every command, is a crate name', async (name) => {
    const cwd = await tempDir();
    const result = await runCli([name, '--yes', '--no-git', '--components', 'none'], { cwd });
    expect(result.exitCode).toBe(0);
  });
});
