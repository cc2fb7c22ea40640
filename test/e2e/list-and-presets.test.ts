import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const ACME = path.join(ROOT, 'test/fixtures/packs/acme');

describe('list --template', () => {
  it("shows the pack's components beside the built-in ones", async () => {
    const cwd = await tempDir();
    const text = await runCli(['list', '--template', ACME], { cwd });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/audit-log\s+structured audit events.*\(from the template pack\)/);
    expect(text.stdout).toMatch(/pipeline/);
    const json = await runCli(['list', '--template', ACME, '--json'], { cwd });
    const components = (JSON.parse(json.stdout) as { components: { id: string; source: string }[] }).components;
    expect(components.find((c) => c.id === 'audit-log')).toMatchObject({ source: 'pack' });
    expect(components.find((c) => c.id === 'pipeline')).toMatchObject({ source: 'built-in' });
    const plain = await runCli(['list'], { cwd });
    expect(plain.stdout).not.toContain('audit-log');
  });
});

describe('presets', () => {
  it('a UTF-8 byte-order mark is tolerated', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'team.json'), `\uFEFF${JSON.stringify({ components: [], ci: false, docker: false, git: false })}`);
    const result = await runCli(['svc', '--preset', 'team.json'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('a million unknown ids give a short error naming the first ten', async () => {
    const cwd = await tempDir();
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `nope-${i}`);
    await writeFile(path.join(cwd, 'team.json'), JSON.stringify({ components: ids }));
    const result = await runCli(['svc', '--preset', 'team.json', '--yes'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.length).toBeLessThan(1200);
    expect(result.stderr).toMatch(/unknown components "nope-0", .*"nope-9" … and 999990 more\. Choose from/);
    expect(await readdir(cwd)).toEqual(['team.json']);
  });

  it('a huge value in an error is cut to a readable length', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--name', 'x'.repeat(50_000)], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.length).toBeLessThan(1200);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
