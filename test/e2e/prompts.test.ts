import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { COMPONENTS } from '../../src/catalog/index.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';

const drive = (cwd: string, steps: { expect: string; send: string }[], args: string[] = []) =>
  execa('python3', [path.join(ROOT, 'test/helpers/pty_drive.py'), cwd, JSON.stringify(steps), 'node', BIN, ...args], { reject: false });

/** The screen lines of the components prompt as first drawn (up to the help line below the list). */
function componentScreen(output: string): string[] {
  const start = output.indexOf('Components:');
  return output.slice(start).split(/\r?\n/).slice(0, COMPONENTS.length + 3);
}

describe('prompts at an 80-column terminal', () => {
  it('show every component on one short line each, and echo only the ids', async () => {
    const cwd = await tempDir();
    const result = await drive(cwd, [
      { expect: 'Crate name', send: 'svc\r' },
      { expect: 'Components', send: '\r' },
      { expect: 'Database', send: '\r' },
      { expect: 'Queue for the worker', send: '\r' },
      { expect: 'GitHub Actions', send: 'n\r' },
      { expect: 'Dockerfile', send: 'n\r' },
      { expect: 'git repository', send: 'n\r' },
    ]);
    expect(result.exitCode).toBe(0);
    const screen = componentScreen(result.stdout);
    for (const component of COMPONENTS) {
      const line = screen.find((l) => l.includes(` ${component.id} `) || l.endsWith(` ${component.id}`));
      expect(line, component.id).toBeDefined();
    }
    for (const line of screen) expect(line.length, line).toBeLessThanOrEqual(80);
    // The answer echo lists ids, not descriptions.
    const defaults = COMPONENTS.filter((c) => c.default).map((c) => c.id);
    expect(result.stdout).toMatch(new RegExp(`Components: ${defaults.join(', ')}`));
    for (const component of COMPONENTS) expect(result.stdout).not.toContain(component.description);
    expect(result.stdout).toMatch(/Database for the db component: sqlite\r?\n/);
    expect(result.stdout).toMatch(/Queue for the worker: memory\r?\n/);
  });

  it('asks for the queue when the worker is chosen, offering PostgreSQL only with it', async () => {
    const cwd = await tempDir();
    const result = await drive(cwd, [
      { expect: 'Crate name', send: 'svc\r' },
      { expect: 'Components', send: '\r' },
      { expect: 'Database', send: '\r' },
      // memory, redis: one down is Redis (no PostgreSQL to offer with SQLite).
      { expect: 'Queue for the worker', send: '\x1b[B\r' },
      { expect: 'GitHub Actions', send: 'n\r' },
      { expect: 'Dockerfile', send: 'n\r' },
      { expect: 'git repository', send: 'n\r' },
    ]);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/Queue for the worker: redis\r?\n/);
    expect(result.stdout).not.toMatch(/postgres — durable/);
    const manifest = JSON.parse(await readFile(path.join(cwd, 'svc/.create-rust-async.json'), 'utf8'));
    expect(manifest.answers.queue).toBe('redis');
    expect(existsSync(path.join(cwd, 'svc/src/worker/durable/redis_streams.rs'))).toBe(true);
  });
});

describe('a non-empty directory typed at the name prompt', () => {
  async function occupied() {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'taken'));
    await writeFile(path.join(cwd, 'taken/notes.md'), 'mine\n');
    return cwd;
  }

  it('cancel: exit 130, nothing written', async () => {
    const cwd = await occupied();
    const result = await drive(cwd, [
      { expect: 'Crate name', send: 'taken\r' },
      { expect: 'is not empty', send: '\r' },
    ]);
    expect(result.exitCode).toBe(130);
    expect(await readdir(path.join(cwd, 'taken'))).toEqual(['notes.md']);
  });

  it('ignore: the crate is added beside the files, which stay as they were', async () => {
    const cwd = await occupied();
    const result = await drive(cwd, [
      { expect: 'Crate name', send: 'taken\r' },
      { expect: 'is not empty', send: '\x1b[B\r' },
      { expect: 'Components', send: '\r' },
      { expect: 'Database', send: '\r' },
      { expect: 'Queue for the worker', send: '\r' },
      { expect: 'GitHub Actions', send: 'n\r' },
      { expect: 'Dockerfile', send: 'n\r' },
      { expect: 'git repository', send: 'n\r' },
    ]);
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(cwd, 'taken/notes.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(cwd, 'taken/Cargo.toml'))).toBe(true);
  });
});
