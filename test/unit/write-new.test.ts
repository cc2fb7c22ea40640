import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { checkTarget } from '../../src/apply/target.js';
import { writeNew } from '../../src/apply/write-new.js';
import type { PlannedFile } from '../../src/plan/plan-new.js';
import { tempDir } from '../helpers/cli.js';

const files: PlannedFile[] = [
  { path: 'Cargo.toml', content: '[package]\n', executable: false, origin: 'builtin' },
  { path: 'src/main.rs', content: 'fn main() {}\n', executable: false, origin: 'builtin' },
  { path: 'scripts/run.sh', content: '#!/bin/sh\n', executable: true, origin: 'builtin' },
];

describe('the writer', () => {
  it('creates the whole tree, with modes, and leaves no staging directory', async () => {
    const parent = await tempDir();
    const target = path.join(parent, 'svc');
    const result = await writeNew(files, target, await checkTarget(target, false));
    expect(result.written).toEqual(files.map((f) => f.path));
    expect(await readFile(path.join(target, 'src/main.rs'), 'utf8')).toBe('fn main() {}\n');
    expect((await stat(path.join(target, 'scripts/run.sh'))).mode & 0o111).not.toBe(0);
    expect(await readdir(parent)).toEqual(['svc']);
  });

  it('leaves nothing behind when cancelled', async () => {
    const parent = await tempDir();
    const target = path.join(parent, 'svc');
    const abort = new AbortController();
    abort.abort();
    await expect(writeNew(files, target, 'missing', abort.signal)).rejects.toThrow(/cancelled/);
    expect(await readdir(parent)).toEqual([]);
  });

  it('leaves nothing behind when a write fails midway', async () => {
    const parent = await tempDir();
    const target = path.join(parent, 'svc');
    // The second file needs `Cargo.toml` to be a directory: the write fails after the first one.
    const broken = [...files.slice(0, 2), { path: 'Cargo.toml/oops', content: '', executable: false, origin: 'builtin' as const }];
    await expect(writeNew(broken, target, 'missing')).rejects.toThrow();
    expect(await readdir(parent)).toEqual([]);
  });

  it('with --force, refuses to overwrite a file with other content and writes nothing', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'Cargo.toml'), '# mine\n');
    await writeFile(path.join(target, 'notes.txt'), 'keep me\n');
    await expect(writeNew(files, target, await checkTarget(target, true))).rejects.toThrow(/would overwrite: Cargo.toml/);
    expect((await readdir(target)).sort()).toEqual(['Cargo.toml', 'notes.txt']);
    expect(await readFile(path.join(target, 'Cargo.toml'), 'utf8')).toBe('# mine\n');
  });

  it('with --force, adds files beside the user\'s and skips identical ones', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'Cargo.toml'), '[package]\n');
    await writeFile(path.join(target, 'notes.txt'), 'keep me\n');
    const result = await writeNew(files, target, await checkTarget(target, true));
    expect(result.unchanged).toEqual(['Cargo.toml']);
    expect(result.written).toEqual(['src/main.rs', 'scripts/run.sh']);
    expect(await readFile(path.join(target, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect((await readdir(target)).sort()).toEqual(['Cargo.toml', 'notes.txt', 'scripts', 'src']);
  });

  it('rolls back files moved into an existing directory when a later move fails', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'notes.txt'), 'keep me\n');
    // `notes.txt/x` cannot be created because notes.txt is a file; the move before it is undone.
    const broken = [files[1] as PlannedFile, { path: 'notes.txt/x', content: '', executable: false, origin: 'builtin' as const }];
    await expect(writeNew(broken, target, 'non-empty')).rejects.toThrow();
    expect(await readdir(target)).toEqual(['notes.txt']);
  });
});
