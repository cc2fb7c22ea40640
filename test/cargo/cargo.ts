import { homedir } from 'node:os';
import path from 'node:path';

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { expect } from 'vitest';

import { readRulesTable } from '../helpers/rules-table.js';

/**
 * Every crate the cargo suites build shares one target dir, so dependencies compile once. It lives
 * outside the clone so repeated runs on one machine stay warm; CRA_CARGO_TARGET_DIR moves it.
 */
export const TARGET_DIR = process.env.CRA_CARGO_TARGET_DIR ?? path.join(homedir(), '.cache/create-rust-async/matrix-target');

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

export const STEPS: { label: string; args: string[] }[] = [
  // First, on the raw output: built-in templates must render rustfmt-clean.
  { label: 'fmt', args: ['fmt', '--check'] },
  { label: 'clippy', args: ['clippy', '--all-targets', '--', '-D', 'warnings'] },
  { label: 'test', args: ['test'] },
  { label: 'doc', args: ['doc', '--no-deps'] },
];

/**
 * Runs the steps in `dir`; fails with cargo's output on the first error or warning. Returns a
 * timing line and the number of tests that passed.
 */
export async function checkCrate(dir: string, steps = STEPS): Promise<{ summary: string; passed: number }> {
  const seconds: string[] = [];
  let passed = 0;
  for (const step of steps) {
    const started = Date.now();
    const result = await execa('cargo', step.args, { cwd: dir, env: CARGO_ENV, reject: false, all: true });
    seconds.push(`${step.label} ${((Date.now() - started) / 1000).toFixed(0)}s`);
    const output = result.all ?? '';
    if (result.exitCode !== 0) throw new Error(`cargo ${step.args.join(' ')} failed in ${dir}:\n${output.slice(-6000)}`);
    // Warnings are errors in clippy/test/doc (RUSTFLAGS/RUSTDOCFLAGS); this catches any other.
    expect(output, `cargo ${step.label} printed a warning`).not.toMatch(/^warning:/m);
    if (step.label === 'test') {
      passed = [...output.matchAll(/test result: ok\. (\d+) passed/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(passed, 'the crate has tests and they ran').toBeGreaterThan(0);
      seconds.push(`${passed} tests`);
      await expectEveryTestModuleRan(dir);
      await expectReadmeTestsListed(dir);
    }
  }
  return { summary: seconds.join(', '), passed };
}

/**
 * A total count can hide a component whose tests never ran: every module the integration-test
 * binary declares must list tests of its own.
 */
async function expectEveryTestModuleRan(dir: string): Promise<void> {
  const main = path.join(dir, 'tests/service/main.rs');
  if (!existsSync(main)) return;
  const modules = [...(await readFile(main, 'utf8')).matchAll(/^mod (\w+);/gm)].map((m) => m[1] as string);
  const listed = await execa('cargo', ['test', '-q', '--test', 'service', '--', '--list'], { cwd: dir, env: CARGO_ENV, reject: false });
  for (const module of modules) {
    expect(listed.stdout, `tests/service/${module}.rs has tests`).toMatch(new RegExp(`^${module}::\\w+: test$`, 'm'));
  }
}

/**
 * Every test the README's rules table names is one cargo runs: a test function listed by
 * `cargo test -- --list` under that name (in a module of its file), or, for a rustdoc example, the
 * doc test of that item in that file.
 */
async function expectReadmeTestsListed(dir: string): Promise<void> {
  const readme = path.join(dir, 'README.md');
  if (!existsSync(readme)) return;
  const { rows } = readRulesTable(await readFile(readme, 'utf8'));
  if (rows.length === 0) return;
  const listed = await execa('cargo', ['test', '-q', '--', '--list'], { cwd: dir, env: CARGO_ENV, reject: false });
  const lines = listed.stdout.split('\n');
  for (const row of rows) {
    const found = row.doc
      ? lines.some((line) => line.startsWith(`${row.testFile} - `) && line.includes(`${row.test} (line `) && line.endsWith(': test'))
      : lines.some((line) => line === `${row.test}: test` || line.endsWith(`::${row.test}: test`));
    expect(found, `README: ${row.test} (${row.testFile}) is a test cargo runs`).toBe(true);
  }
}
