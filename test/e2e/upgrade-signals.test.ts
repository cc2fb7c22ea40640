import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { bigPack } from '../helpers/big-pack.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { interrupt } from '../helpers/interrupt.js';
import { snapshot } from '../helpers/tree.js';

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
const COUNT = 1500;

describe('a signal during upgrade', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: every file restored, exit code', async (signal) => {
    let hits = 0;
    for (let attempt = 0; attempt < 5 && hits === 0; attempt++) {
      const pack = await bigPack(COUNT);
      const cwd = await tempDir();
      const made = await runCli(['svc', '--template', pack, '--yes', '--no-git', '--components', 'none'], { cwd });
      expect(made.exitCode).toBe(0);
      // v2 of the pack, beside v1, changes every data file, so the write takes long enough to interrupt.
      const v2 = `${pack}-v2`;
      await cp(pack, v2, { recursive: true });
      await Promise.all(Array.from({ length: COUNT }, (_, i) => writeFile(path.join(v2, `files/data/f${i}.txt`), `file ${i}, v2\n`)));
      const crate = path.join(cwd, 'svc');
      const before = await snapshot(crate);
      const outcome = await interrupt(['upgrade', '--path', crate, '--template', v2], cwd, signal, async () =>
        (await readFile(path.join(crate, 'data/f0.txt'), 'utf8')).includes('v2'),
      );
      if (outcome.exitCode === 0) continue;
      hits++;
      expect(outcome.exitCode).toBe(EXIT[signal]);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(await snapshot(crate)).toEqual(before);
    }
    expect(hits).toBeGreaterThan(0);
  });
});
