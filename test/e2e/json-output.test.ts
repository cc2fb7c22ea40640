import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';

describe('--json: every outcome is one JSON object on stdout', () => {
  const failures: [string, string[], RegExp, ((cwd: string) => Promise<void>)?][] = [
    ['an unknown option', ['svc', '--yes', '--colour', '--json'], /unknown option '--colour'/],
    ['a bad --db choice', ['svc', '--yes', '--db', 'oracle', '--json'], /argument 'oracle' is invalid/],
    ['add without a component', ['add', '--json'], /missing required argument 'component'/],
    ['an invalid crate name', ['fn', '--yes', '--json'], /invalid crate name "fn"/],
    ['an unknown component', ['svc', '--yes', '--components', 'nope', '--json'], /unknown component "nope"/],
    ['a non-empty target', ['svc', '--yes', '--json'], /is not empty/, async (cwd) => {
      await mkdir(path.join(cwd, 'svc'));
      await writeFile(path.join(cwd, 'svc/x'), 'x');
    }],
    ['missing answers', ['svc', '--json'], /these answers are missing/],
    ['add outside a crate', ['add', 'db', '--json'], /no Cargo\.toml/],
    ['a missing preset', ['svc', '--preset', 'nope.json', '--json'], /preset nope\.json cannot be read/],
  ];

  it.each(failures)('%s', async (_, args, message, setup) => {
    const cwd = await tempDir();
    await setup?.(cwd);
    const before = await readdir(cwd, { recursive: true });
    const result = await runCli(args, { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(result.stdout) as { ok: boolean; error: string; fix: string; exitCode: number };
    expect(json.ok).toBe(false);
    expect(json.error).toMatch(message);
    expect(json.error).not.toMatch(/\.\s*$/);
    expect(typeof json.fix).toBe('string');
    expect(json.fix.length).toBeGreaterThan(0);
    expect(json.exitCode).toBe(1);
    expect(await readdir(cwd, { recursive: true })).toEqual(before);
  });

  it('a success is one JSON object too', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--no-git', '--components', 'none', '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, name: 'svc' });
  });
});

describe('usage errors', () => {
  it('end with one period and point to the command that was mistyped', async () => {
    const cwd = await tempDir();
    const top = await runCli(['svc', '--colour'], { cwd });
    expect(top.stderr).toBe("error: unknown option '--colour'. Run `create-rust-async --help` for usage");
    const add = await runCli(['add', 'db', '--colour'], { cwd });
    expect(add.stderr).toBe("error: unknown option '--colour'. Run `create-rust-async add --help` for usage");
    const choice = await runCli(['svc', '--db', 'oracle'], { cwd });
    expect(choice.stderr).not.toMatch(/\.\./);
  });
});
