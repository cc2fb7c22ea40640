import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { execa } from 'execa';

import { tempDir } from './cli.js';

/** A HOME with a git identity, so commits work and tests never read the real user's config. */
export async function gitHome(): Promise<Record<string, string>> {
  const home = await tempDir('cra-home-');
  await writeFile(path.join(home, '.gitconfig'), '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
  // A fresh HOME hides the user's git config; cargo (a rustup proxy) still needs its toolchain.
  const real = homedir();
  return {
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? path.join(real, '.rustup'),
    CARGO_HOME: process.env.CARGO_HOME ?? path.join(real, '.cargo'),
  };
}

export async function git(cwd: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd, env })).stdout;
}

/** Everything git knows about a repository's state: commits, index and working tree. */
export async function repoState(cwd: string, env: Record<string, string>): Promise<string> {
  const log = await execa('git', ['log', '--format=%H %s'], { cwd, env, reject: false });
  const status = await git(cwd, env, 'status', '--porcelain', '--untracked-files=all');
  const staged = await git(cwd, env, 'diff', '--cached', '--stat');
  return `${log.stdout}\n--\n${status}\n--\n${staged}`;
}
