import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { COMPONENTS } from '../../src/catalog/index.js';
import { hashContent } from '../../src/plan/manifest.js';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';

const NO_EXTRAS = ['--no-ci', '--no-docker', '--no-git'];

describe('help and version', () => {
  it('prints help for the program and each command', async () => {
    const cwd = await tempDir();
    const help = await runCli(['--help'], { cwd });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/new \[options\] \[dir\]/);
    expect(help.stdout).toMatch(/list/);
    const newHelp = await runCli(['new', '--help'], { cwd });
    for (const flag of ['--name', '--components', '--db', '--no-ci', '--no-docker', '--no-git', '--yes', '--dry-run', '--force', '--verify', '--json']) {
      expect(newHelp.stdout).toContain(flag);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version'], { cwd: await tempDir() });
    expect(result).toMatchObject({ exitCode: 0, stdout: pkg.version });
  });
});

describe('new', () => {
  it('--yes generates the default project and records every file in the manifest', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--no-git'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Created svc');
    const root = path.join(cwd, 'svc');
    for (const file of ['Cargo.toml', '.gitignore', '.env.example', '.github/workflows/ci.yml', 'Dockerfile', 'src/main.rs']) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    const manifest = JSON.parse(await readFile(path.join(root, '.create-rust-async.json'), 'utf8')) as {
      files: Record<string, string>;
      answers: { name: string };
    };
    expect(manifest.answers.name).toBe('svc');
    expect(Object.keys(manifest.files)).toContain('src/main.rs');
    for (const [file, hash] of Object.entries(manifest.files)) {
      expect(hashContent(await readFile(path.join(root, file), 'utf8')), file).toBe(hash);
    }
    expect(await readdir(cwd)).toEqual(['svc']);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--dry-run'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/would create \d+ files/);
    expect(result.stdout).toContain('src/main.rs');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('--json prints a parseable result', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--json', ...NO_EXTRAS], { cwd });
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as { ok: boolean; name: string; files: string[]; nextSteps: string[] };
    expect(json).toMatchObject({ ok: true, name: 'svc' });
    expect(json.files).toContain('Cargo.toml');
    expect(json.nextSteps).toContain('cargo test');
  });

  it('--git creates a repository with a first commit', async () => {
    const cwd = await tempDir();
    const home = await tempDir();
    await writeFile(path.join(home, '.gitconfig'), '[user]\n\tname = Test\n\temail = test@example.com\n');
    const result = await runCli(['svc', '--yes', '--git'], { cwd, env: { HOME: home } });
    expect(result.exitCode).toBe(0);
    const log = await execa('git', ['log', '--oneline'], { cwd: path.join(cwd, 'svc'), env: { HOME: home } });
    expect(log.stdout).toContain('Initial commit from create-rust-async');
    const status = await execa('git', ['status', '--porcelain'], { cwd: path.join(cwd, 'svc'), env: { HOME: home } });
    expect(status.stdout).toBe('');
  });

  it('--force adds files to a non-empty directory and keeps the user\'s files', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'svc'));
    await writeFile(path.join(cwd, 'svc/NOTES.md'), 'mine\n');
    const result = await runCli(['svc', '--yes', '--force', ...NO_EXTRAS], { cwd });
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(cwd, 'svc/NOTES.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(cwd, 'svc/src/main.rs'))).toBe(true);
  });
});

describe('bad input: one line, exit 1, nothing written', () => {
  const cases: [string, string[], RegExp, ((cwd: string) => Promise<void>)?][] = [
    ['keyword name', ['fn', '--yes'], /invalid crate name "fn": it is a Rust keyword\. Pass --name/],
    ['std name', ['x', '--name', 'std', '--yes'], /it is the name of a standard library crate/],
    ['test name', ['test', '--yes'], /standard library crate/],
    ['leading digit', ['1svc', '--yes'], /starts with a digit\. Pass --name svc-1svc/],
    ['space', ['my svc', '--yes'], /contains " "/],
    ['non-ASCII', ['x', '--name', 'café', '--yes'], /non-ASCII/],
    ['empty name', ['x', '--name', '', '--yes'], /the name is empty/],
    ['dot-dot', ['x', '--name', '..', '--yes'], /invalid crate name "..": it contains "."/],
    ['unknown component', ['svc', '--yes', '--components', 'nope'], /unknown component "nope"\. Choose from/],
    ['unknown flag', ['svc', '--yes', '--colour'], /unknown option '--colour'.*--help/],
    ['bad --db', ['svc', '--yes', '--db', 'oracle'], /--db.*oracle/],
    ['--db without db', ['svc', '--yes', '--components', 'none', '--db', 'postgres'], /--db only applies to the db component/],
    ['dry-run with verify', ['svc', '--yes', '--dry-run', '--verify'], /--dry-run and --verify cannot be used together/],
    ['target is a file', ['svc', '--yes'], /svc exists and is not a directory/, (cwd) => writeFile(path.join(cwd, 'svc'), 'x')],
    [
      'non-empty target',
      ['svc', '--yes'],
      /svc is not empty\. Choose a new directory, or pass --force/,
      async (cwd) => {
        await mkdir(path.join(cwd, 'svc'));
        await writeFile(path.join(cwd, 'svc/keep.txt'), 'x');
      },
    ],
    ['parent is a file', ['blocker/svc', '--yes'], /blocker is a file/, (cwd) => writeFile(path.join(cwd, 'blocker'), 'x')],
    ['unwritable parent', ['/proc/svc', '--yes', ...NO_EXTRAS], /cannot (write|create)/],
  ];

  it.each(cases)('%s', async (_, args, message, setup) => {
    const cwd = await tempDir();
    await setup?.(cwd);
    const before = (await readdir(cwd, { recursive: true })).sort();
    const result = await runCli(args, { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect((await readdir(cwd, { recursive: true })).sort()).toEqual(before);
  });

  it('without a terminal or --yes, lists every missing answer in one error', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/missing: --components, --ci\/--no-ci, --docker\/--no-docker, --git\/--no-git\. Pass them as flags, or --yes/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('shows a stack trace only with DEBUG set', async () => {
    const cwd = await tempDir();
    const result = await runCli(['fn', '--yes'], { cwd, env: { DEBUG: '1' } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/\bat .*\.c?js:\d+/);
  });
});

describe('list', () => {
  it('prints the catalog, and JSON with --json', async () => {
    const cwd = await tempDir();
    const text = await runCli(['list'], { cwd });
    expect(text.exitCode).toBe(0);
    const json = await runCli(['list', '--json'], { cwd });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveProperty('components');
  });
});

describe('at a terminal', () => {
  const drive = (cwd: string, steps: { expect: string; send: string }[], args: string[] = []) =>
    execa('python3', [path.join(ROOT, 'test/helpers/pty_drive.py'), cwd, JSON.stringify(steps), 'node', BIN, ...args], {
      reject: false,
    });

  it('asks each question and generates what was answered', async () => {
    const cwd = await tempDir();
    const defaults = COMPONENTS.filter((c) => c.default).map((c) => c.id);
    const result = await drive(cwd, [
      { expect: 'Crate name', send: 'term-svc\r' },
      // Accept the preselected components (and the default database, if db is one of them).
      ...(COMPONENTS.length > 0 ? [{ expect: 'Components', send: '\r' }] : []),
      ...(defaults.includes('db') ? [{ expect: 'Database', send: '\r' }] : []),
      ...(defaults.includes('worker') ? [{ expect: 'Queue for the worker', send: '\r' }] : []),
      { expect: 'GitHub Actions', send: 'n\r' },
      { expect: 'Dockerfile', send: 'y\r' },
      { expect: 'git repository', send: 'n\r' },
    ]);
    expect(result.stdout).toContain('Created term-svc');
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'term-svc/Dockerfile'))).toBe(true);
    expect(existsSync(path.join(cwd, 'term-svc/.github'))).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(cwd, 'term-svc/.create-rust-async.json'), 'utf8')) as { components: string[] };
    expect([...manifest.components].sort()).toEqual(expect.arrayContaining([...defaults].sort()));
  });

  it('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const cwd = await tempDir();
    const result = await drive(cwd, [{ expect: 'Crate name', send: '\x03' }]);
    expect(result.exitCode).toBe(130);
    expect(await readdir(cwd)).toEqual([]);
  });
});
