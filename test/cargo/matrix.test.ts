import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../helpers/cli.js';
import { TARGET_DIR, checkCrate } from './cargo.js';
import { MATRIX, type Variant, variantArgs } from './matrix.js';

// Every variant is its own crate (a shared workspace would unify features and hide a missing one).
const WORK_DIR = path.join(ROOT, '.cache/matrix');
const timings: string[] = [];

describe.sequential('cargo matrix', () => {
  afterAll(() => {
    process.stdout.write(`\ncargo matrix timings (target dir ${TARGET_DIR}):\n${timings.join('\n')}\n`);
  });

  it.each(MATRIX.map((variant) => [variant.id, variant] as [string, Variant]))('%s', async (id, variant) => {
    const dir = path.join(WORK_DIR, id);
    await rm(dir, { recursive: true, force: true });
    const generated = await runCli([dir, ...variantArgs(variant)], { cwd: ROOT });
    expect(generated.stderr).toBe('');
    expect(generated.exitCode).toBe(0);

    const started = Date.now();
    const { summary } = await checkCrate(dir);
    timings.push(`  ${id.padEnd(28)} ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s  (${summary})`);
  });
});
