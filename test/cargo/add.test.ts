import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../helpers/cli.js';
import { type CrateKind, HAND_WRITTEN_TOML, makeCrate } from '../helpers/crates.js';
import { readFile } from 'node:fs/promises';
import { STEPS, checkCrate } from './cargo.js';
import { ADD_MATRIX } from './matrix.js';

const WORK_DIR = path.join(ROOT, '.cache/add');
const KINDS: CrateKind[] = ['generated', 'lib', 'bin'];
const timings: string[] = [];

// `add` into each kind of crate must leave it passing fmt --check, clippy -D warnings and test.
// (cargo doc is covered by the `new` matrix for the same module files.)
describe.sequential('add, then cargo', () => {
  afterAll(() => {
    process.stdout.write(`\nadd matrix timings:\n${timings.join('\n')}\n`);
  });

  const cases = ADD_MATRIX.flatMap((entry) => KINDS.map((kind) => [`${entry.component} into ${kind}`, entry, kind] as const));
  it.each(cases)('%s', async (label, entry, kind) => {
    const parent = path.join(WORK_DIR, `${entry.component}-${kind}`);
    await rm(parent, { recursive: true, force: true });
    const dir = await makeCrate(parent, kind, `hand-made-${kind}`);
    const args = ['add', entry.component, ...(entry.template ? ['--template', path.join(ROOT, entry.template)] : [])];
    const result = await runCli(args, { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    if (kind === 'bin') {
      const toml = await readFile(path.join(dir, 'Cargo.toml'), 'utf8');
      expect(toml.startsWith(HAND_WRITTEN_TOML.replace('hand-made', `hand-made-${kind}`))).toBe(true);
    }
    const started = Date.now();
    const { summary } = await checkCrate(dir, STEPS.filter((step) => step.label !== 'doc'));
    timings.push(`  ${label.padEnd(36)} ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s  (${summary})`);
  });
});
