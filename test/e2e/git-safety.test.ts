import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';
import { git, gitHome, repoState } from '../helpers/git.js';

const FLAGS = ['--yes', '--components', 'none', '--no-ci', '--no-docker', '--git'];

describe('git never commits what the user had', () => {
  it('--force into a repository with uncommitted work: no init, no commit, index untouched', async () => {
    const env = await gitHome();
    const cwd = await tempDir();
    const repo = path.join(cwd, 'svc');
    await mkdir(repo);
    await git(repo, env, 'init', '-q');
    await writeFile(path.join(repo, 'notes.md'), 'v1\n');
    await git(repo, env, 'add', 'notes.md');
    await git(repo, env, 'commit', '-q', '-m', 'mine');
    await writeFile(path.join(repo, 'notes.md'), 'v2, not committed\n');
    await writeFile(path.join(repo, 'draft.txt'), 'untracked work\n');
    const before = await repoState(repo, env);

    const result = await runCli(['svc', ...FLAGS, '--force'], { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/inside a git repository already/);
    const after = await repoState(repo, env);
    // Same commits; the generated files are only untracked additions.
    expect(after.split('\n--\n')[0]).toBe(before.split('\n--\n')[0]);
    expect(after.split('\n--\n')[2]).toBe(before.split('\n--\n')[2]);
    expect(await git(repo, env, 'status', '--porcelain', 'notes.md', 'draft.txt')).toBe(' M notes.md\n?? draft.txt');
    expect(await readFile(path.join(repo, 'notes.md'), 'utf8')).toBe('v2, not committed\n');
  });

  it('--force into a plain non-empty directory creates no repository', async () => {
    const env = await gitHome();
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'svc'));
    await writeFile(path.join(cwd, 'svc/secret.env'), 'TOKEN=1\n');
    const result = await runCli(['svc', ...FLAGS, '--force'], { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/already held files, so no git repository was created/);
    expect(existsSync(path.join(cwd, 'svc/.git'))).toBe(false);
  });

  it('inside a parent repository: neither init nor commit, the parent is unchanged', async () => {
    const env = await gitHome();
    const cwd = await tempDir();
    await git(cwd, env, 'init', '-q');
    await writeFile(path.join(cwd, 'a.txt'), 'a\n');
    await git(cwd, env, 'add', 'a.txt');
    await git(cwd, env, 'commit', '-q', '-m', 'parent');
    const before = await git(cwd, env, 'log', '--format=%H');
    const result = await runCli(['svc', ...FLAGS], { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'svc/.git'))).toBe(false);
    expect(await git(cwd, env, 'log', '--format=%H')).toBe(before);
    expect(await git(cwd, env, 'diff', '--cached', '--name-only')).toBe('');
  });

  it('an empty directory gets a repository and a first commit of the generated files only', async () => {
    const env = await gitHome();
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'svc'));
    const result = await runCli(['svc', ...FLAGS], { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(await git(path.join(cwd, 'svc'), env, 'log', '--format=%s')).toBe('Initial commit from create-rust-async');
  });
});
