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

export type CrateKind = 'generated' | 'lib' | 'bin' | 'clashing';

/** A hand-written library with modules named like the support code `add` brings: theirs, untouched. */
const CLASHING_MODULES: Record<string, string> = {
  'src/lib.rs': '//! A library with its own config, errors and shutdown.\n\npub mod config;\npub mod error;\npub mod shutdown;\n',
  'src/config.rs': '//! Our own settings.\n\n/// The port we listen on.\npub const PORT: u16 = 3000;\n',
  'src/error.rs': '//! Our own error.\n\n/// Something went wrong.\n#[derive(Debug)]\npub struct Oops;\n',
  'src/shutdown.rs': '//! Our own shutdown.\n\n/// Stops everything.\npub fn stop() {}\n',
};

/**
 * A committed crate of one of the kinds `add` must handle: made by `new` (with `components`), by
 * `cargo new --lib`, by `cargo new` with a hand-edited Cargo.toml, or a library with its own
 * `config`, `error` and `shutdown` modules.
 */
export async function makeCrate(
  parent: string,
  kind: CrateKind,
  name = 'hand-made',
  generated: { components?: string[]; db?: string } = {},
): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(parent, { recursive: true });
  if (kind === 'generated') {
    const components = generated.components?.length ? generated.components.join(',') : 'none';
    const db = generated.components?.includes('db') ? ['--db', generated.db ?? 'sqlite'] : [];
    const result = await runCli([dir, '--components', components, ...db, '--no-ci', '--no-docker', '--no-git'], { cwd: parent });
    if (result.exitCode !== 0) throw new Error(result.stderr);
  } else {
    await execa('cargo', ['new', '--quiet', '--vcs', 'none', kind === 'bin' ? '--bin' : '--lib', '--name', name, dir]);
    if (kind === 'bin') await writeFile(path.join(dir, 'Cargo.toml'), HAND_WRITTEN_TOML.replace('hand-made', name));
    if (kind === 'clashing') {
      for (const [file, content] of Object.entries(CLASHING_MODULES)) await writeFile(path.join(dir, file), content);
    }
  }
  await git(dir, ['init', '-q']);
  await commitAll(dir, 'initial');
  return dir;
}

/** The crate's own modules in a `clashing` crate (lib.rs, which declares them, gains `add`'s modules). */
export const CLASHING_FILES = Object.keys(CLASHING_MODULES).filter((file) => file !== 'src/lib.rs');
