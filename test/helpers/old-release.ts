import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'vitest';

import { blobId, hashContent } from '../../src/plan/manifest.js';
import { runCli } from './cli.js';
import { git, gitHome } from './git.js';

export const OLD_VERSION = '0.0.9';
/** What the simulated 0.0.9 wrote in src/config.rs where the current templates write `CURRENT_DOC`. */
export const OLD_DOC = '//! Configuration, read from the environment.';
/** A file the simulated 0.0.9 wrote that the current templates do not. */
export const OLD_ONLY = 'docs/ops.md';
/** A file the current templates write that the simulated 0.0.9 did not. */
export const NEW_ONLY = 'clippy.toml';

/**
 * A crate as an earlier release of the built-in templates would have generated it, committed as
 * that release's first commit. No earlier release of the package exists to install, so one is
 * simulated: the current render, with the recorded version set to 0.0.9, three files changed the
 * way a release changes them (a doc line in src/config.rs, the version line in the README), one
 * file more (docs/ops.md) and one less (clippy.toml), and the manifest's hashes and blob ids
 * describing exactly those texts. The running version cannot render that base, so the upgrade
 * must read it from git.
 */
export async function oldReleaseCrate(parent: string, name = 'svc'): Promise<{ dir: string; env: Record<string, string>; currentDoc: string }> {
  const dir = path.join(parent, name);
  const made = await runCli([dir, '--components', 'http-server', '--no-ci', '--no-docker', '--no-git'], { cwd: parent });
  expect(made.exitCode).toBe(0);
  const manifestFile = path.join(dir, '.create-rust-async.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  const config = await readFile(path.join(dir, 'src/config.rs'), 'utf8');
  const currentDoc = config.split('\n')[0] as string;
  const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
  const old: Record<string, string> = {
    'src/config.rs': config.replace(currentDoc, OLD_DOC),
    'README.md': readme.replace('create-rust-async) 0.1.0', `create-rust-async) ${OLD_VERSION}`),
    [OLD_ONLY]: '# Operations\n\nRun it with `cargo run`.\n',
  };
  expect(old['README.md']).not.toBe(readme);
  await rm(path.join(dir, NEW_ONLY));
  delete manifest.files[NEW_ONLY];
  delete manifest.blobs[NEW_ONLY];
  for (const [file, text] of Object.entries(old)) {
    await writeFile(path.join(dir, file), text).catch(async () => {
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true }));
      await writeFile(path.join(dir, file), text);
    });
    manifest.files[file] = hashContent(text);
    manifest.blobs[file] = blobId(text);
  }
  manifest.version = OLD_VERSION;
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const env = await gitHome();
  await git(dir, env, 'init', '-q');
  await git(dir, env, 'add', '-A');
  await git(dir, env, 'commit', '-qm', `Initial commit from create-rust-async ${OLD_VERSION}`);
  return { dir, env, currentDoc };
}
