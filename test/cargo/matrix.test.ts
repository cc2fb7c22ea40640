import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

import { ROOT, runCli } from '../helpers/cli.js';
import { MATRIX, type Variant, variantArgs } from './matrix.js';

/**
 * Every variant is its own crate (a shared workspace would unify features and hide a missing one),
 * built into one shared target dir so dependencies compile once. The dir lives outside the clone
 * so repeated runs on one machine stay warm; CRA_CARGO_TARGET_DIR moves it.
 */
const TARGET_DIR = process.env.CRA_CARGO_TARGET_DIR ?? path.join(homedir(), '.cache/create-rust-async/matrix-target');
const WORK_DIR = path.join(ROOT, '.cache/matrix');

/** The same environment for every cargo command, so artifacts are shared between commands. */
const CARGO_ENV = {
  CARGO_TARGET_DIR: TARGET_DIR,
  CARGO_TERM_COLOR: 'never',
  CARGO_INCREMENTAL: '0',
  // Debug info is not needed to run tests; skipping it makes builds and links much faster.
  CARGO_PROFILE_DEV_DEBUG: '0',
  CARGO_PROFILE_TEST_DEBUG: '0',
  RUSTFLAGS: '-D warnings',
  RUSTDOCFLAGS: '-D warnings',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

const STEPS: { label: string; args: string[] }[] = [
  // First, on the raw output: built-in templates must render rustfmt-clean.
  { label: 'fmt', args: ['fmt', '--check'] },
  { label: 'clippy', args: ['clippy', '--all-targets', '--', '-D', 'warnings'] },
  { label: 'test', args: ['test'] },
  { label: 'doc', args: ['doc', '--no-deps'] },
];

const timings: string[] = [];

async function cargo(dir: string, args: string[]) {
  return execa('cargo', args, { cwd: dir, env: CARGO_ENV, reject: false, all: true });
}

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
    const seconds: string[] = [];
    for (const step of STEPS) {
      const stepStart = Date.now();
      const result = await cargo(dir, step.args);
      seconds.push(`${step.label} ${((Date.now() - stepStart) / 1000).toFixed(0)}s`);
      if (result.exitCode !== 0) {
        throw new Error(`cargo ${step.args.join(' ')} failed in ${dir}:\n${(result.all ?? '').slice(-6000)}`);
      }
      // Warnings are errors in clippy/test/doc (RUSTFLAGS/RUSTDOCFLAGS); this catches any other.
      expect(result.all ?? '', `cargo ${step.label} printed a warning`).not.toMatch(/^warning:/m);
      if (step.label === 'test') {
        const passed = [...(result.all ?? '').matchAll(/test result: ok\. (\d+) passed/g)].reduce((n, m) => n + Number(m[1]), 0);
        expect(passed, 'the generated crate has tests and they ran').toBeGreaterThan(0);
        seconds.push(`${passed} tests`);
      }
    }
    timings.push(`  ${id.padEnd(28)} ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s  (${seconds.join(', ')})`);
  });
});
