import { appendFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../helpers/cli.js';
import { CLASHING_FILES, HAND_WRITTEN_TOML, commitAll, makeCrate } from '../helpers/crates.js';
import { STEPS, checkCrate } from './cargo.js';
import { ADD_MATRIX } from './matrix.js';

const WORK_DIR = path.join(ROOT, '.cache/add');
const timings: string[] = [];

// `add` into each kind of crate must leave it passing fmt --check, clippy -D warnings, test and doc.
describe.sequential('add, then cargo', () => {
  afterAll(() => {
    process.stdout.write(`\nadd matrix timings:\n${timings.join('\n')}\n`);
  });

  it.each(ADD_MATRIX.map((entry) => [entry.id, entry] as const))('%s', async (id, entry) => {
    const parent = path.join(WORK_DIR, id);
    await rm(parent, { recursive: true, force: true });
    const { into } = entry;
    const dir = await makeCrate(parent, into.kind, `hand-made-${into.kind}`, into.kind === 'generated' ? into : {});
    if (into.kind === 'generated' && into.editApp) {
      // The user's own line in the wiring: add merges around it instead of refusing or dropping it.
      await appendFile(path.join(dir, 'src/app.rs'), '\n// Started by the platform team\'s supervisor in production.\n');
      await commitAll(dir, 'a note of ours');
    }
    const before = into.kind === 'clashing' ? await Promise.all(CLASHING_FILES.map((f) => readFile(path.join(dir, f), 'utf8'))) : [];
    const args = ['add', entry.component, ...(entry.db ? ['--db', entry.db] : []), ...(entry.queue ? ['--queue', entry.queue] : []), ...(entry.template ? ['--template', path.join(ROOT, entry.template)] : [])];
    const result = await runCli(args, { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    if (into.kind === 'bin') {
      const toml = await readFile(path.join(dir, 'Cargo.toml'), 'utf8');
      expect(toml.startsWith(HAND_WRITTEN_TOML.replace('hand-made', `hand-made-${into.kind}`))).toBe(true);
    }
    if (into.kind === 'clashing') {
      // The crate's own modules are untouched; the support code went beside them.
      expect(await Promise.all(CLASHING_FILES.map((f) => readFile(path.join(dir, f), 'utf8')))).toEqual(before);
    }
    if (into.kind === 'generated' && into.editApp) {
      expect(await readFile(path.join(dir, 'src/app.rs'), 'utf8')).toContain("Started by the platform team's supervisor");
    }
    const started = Date.now();
    const { summary } = await checkCrate(dir, STEPS);
    timings.push(`  ${id.padEnd(36)} ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s  (${summary})`);
  });
});
