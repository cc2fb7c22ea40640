import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';

import { runCli } from './cli.js';

/** A Cargo.toml with comments and a hand-written dependency: `add` must keep all of it. */
export const HAND_WRITTEN_TOML = `[package]
name = "hand-made"
version = "0.1.0" # keep in sync with CHANGELOG.md
edition = "2024"

# Dependencies we chose by hand.
[dependencies]
itoa = "1.0" # fast integer formatting
`;

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export async function git(dir: string, args: string[]) {
  return execa('git', args, { cwd: dir, env: GIT_ENV });
}

export async function commitAll(dir: string, message = 'snapshot') {
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-qm', message, '--allow-empty']);
}

export type CrateKind = 'generated' | 'lib' | 'bin';

/**
 * A committed crate of one of the three kinds `add` must handle: made by `new` (base crate), by
 * `cargo new --lib`, or by `cargo new` with a hand-edited Cargo.toml.
 */
export async function makeCrate(parent: string, kind: CrateKind, name = 'hand-made'): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(parent, { recursive: true });
  if (kind === 'generated') {
    const result = await runCli([dir, '--components', 'none', '--no-ci', '--no-docker', '--no-git'], { cwd: parent });
    if (result.exitCode !== 0) throw new Error(result.stderr);
  } else {
    await execa('cargo', ['new', '--quiet', '--vcs', 'none', kind === 'lib' ? '--lib' : '--bin', '--name', name, dir]);
    if (kind === 'bin') await writeFile(path.join(dir, 'Cargo.toml'), HAND_WRITTEN_TOML.replace('hand-made', name));
  }
  await git(dir, ['init', '-q']);
  await commitAll(dir, 'initial');
  return dir;
}
