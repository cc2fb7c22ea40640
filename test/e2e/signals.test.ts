import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';
import { interrupt } from '../helpers/interrupt.js';
import { bigPack } from '../helpers/big-pack.js';
import { snapshot } from '../helpers/tree.js';

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 143 };

describe('SIGINT, SIGTERM and SIGHUP take one all-or-nothing path', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s during new: staged output removed, exit code', async (signal) => {
    const pack = await bigPack();
    let hits = 0;
    for (let attempt = 0; attempt < 5 && hits === 0; attempt++) {
      const cwd = await tempDir();
      const outcome = await interrupt(['svc', '--template', pack, '--yes', '--no-git', '--components', 'none'], cwd, signal, async () =>
        (await readdir(cwd)).some((entry) => entry.startsWith('.svc.staging-')),
      );
      if (outcome.exitCode === 0) {
        expect(existsSync(path.join(cwd, 'svc/data/f1499.txt'))).toBe(true);
        continue;
      }
      hits++;
      expect(outcome.exitCode).toBe(EXIT[signal]);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toMatch(/nothing was written/);
      expect(await readdir(cwd)).toEqual([]);
    }
    expect(hits).toBeGreaterThan(0);
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s during add: every file restored, exit code', async (signal) => {
    const pack = await bigPack();
    let hits = 0;
    for (let attempt = 0; attempt < 5 && hits === 0; attempt++) {
      const cwd = await tempDir();
      const made = await runCli(['svc', '--template', pack, '--yes', '--no-git', '--components', 'none'], { cwd });
      expect(made.exitCode).toBe(0);
      const crate = path.join(cwd, 'svc');
      const before = await snapshot(crate);
      const outcome = await interrupt(['add', 'bulk', '--path', crate], cwd, signal, async () => existsSync(path.join(crate, 'data/bulk')));
      if (outcome.exitCode === 0) continue;
      hits++;
      expect(outcome.exitCode).toBe(EXIT[signal]);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(await snapshot(crate)).toEqual(before);
    }
    expect(hits).toBeGreaterThan(0);
  });

  it('a signal outside a write (installing a pack) ends the run with its code and writes nothing', async () => {
    const tarballDir = await tempDir('cra-tgz-');
    await execa('npm', ['pack', '--pack-destination', tarballDir, '--silent'], { cwd: await smallPack() });
    const [tarball] = await readdir(tarballDir);
    let hits = 0;
    for (let attempt = 0; attempt < 3 && hits === 0; attempt++) {
      const cwd = await tempDir();
      // The CLI's temporary npm prefix appearing means it is installing the pack: past start-up,
      // before planning.
      const tmp = await tempDir('cra-tmp-');
      const args = ['svc', '--template', path.join(tarballDir, tarball as string), '--yes', '--no-git', '--components', 'none', '--json'];
      const outcome = await interrupt(args, cwd, 'SIGTERM', async () => (await readdir(tmp)).length > 0, { TMPDIR: tmp });
      if (outcome.exitCode === 0) continue;
      hits++;
      expect(outcome.exitCode).toBe(143);
      expect(JSON.parse(outcome.stdout)).toMatchObject({ ok: false, error: 'stopped by SIGTERM; nothing was written' });
      expect(await readdir(cwd)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]); // the npm prefix is removed on the way out
    }
    expect(hits).toBeGreaterThan(0);
  });
});

async function smallPack(): Promise<string> {
  const dir = await tempDir('cra-small-pack-');
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'small-pack', version: '1.0.0' }));
  await writeFile(path.join(dir, 'rust-async-template.json'), JSON.stringify({ name: 'small' }));
  return dir;
}
