import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'vitest';

import { ROOT, runCli } from './cli.js';
import { git, gitHome } from './git.js';

/** The team pack the upgrade tests start from: the acme fixture, plus a crate its component needs. */
const ACME = path.join(ROOT, 'test/fixtures/packs/acme');
const MANIFEST = 'rust-async-template.json';
export const AUDIT_LOG = 'src/audit_log.rs';

/** v2 changes this line of audit_log.rs; the user's own edit goes a few lines below it. */
export const V1_LINE = '//! (e.g. `RUST_LOG=info,audit=info`).';
export const V2_LINE = '//! (e.g. `RUST_LOG=info,audit=debug` while investigating).';
const USER_DOC = '/// Settings for audit events.';
export const USER_DOC_EDIT = '/// Settings for audit events (the payments team reviews changes).';

type Json = Record<string, any>;

async function editJson(file: string, edit: (json: Json) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Json;
  edit(json);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
}

async function replaceIn(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  expect(text, `${file} contains ${from}`).toContain(from);
  await writeFile(file, text.replace(from, to));
}

/** v1 of the team pack, in `dir`: the acme fixture, its audit-log component needing itoa 1.0. */
export async function writePackV1(dir: string): Promise<void> {
  await cp(ACME, dir, { recursive: true });
  await editJson(path.join(dir, MANIFEST), (json) => {
    json.components[0].crates = [{ name: 'itoa', version: '1.0' }];
  });
}

/**
 * The same pack changed in place to v2: a changed file (audit_log.rs), a new file (.editorconfig),
 * a removed file (the parent's deny.toml), a new question (`tier`, used in CODEOWNERS) and a
 * bumped dependency (itoa 1.0 → 1.0.19).
 */
export async function writePackV2(dir: string): Promise<void> {
  await replaceIn(path.join(dir, 'components/audit-log/src/audit_log.rs'), V1_LINE, V2_LINE);
  await writeFile(path.join(dir, 'files/_editorconfig'), 'root = true\n\n[*]\nend_of_line = lf\n');
  await rm(path.join(dir, 'parent/files'), { recursive: true });
  await editJson(path.join(dir, 'parent', MANIFEST), (json) => {
    delete json.files;
  });
  await writeFile(path.join(dir, 'files/CODEOWNERS.hbs'), '* @acme/{{answers.team}}\n# support tier: {{answers.tier}}\n');
  await editJson(path.join(dir, MANIFEST), (json) => {
    json.questions.push({ name: 'tier', message: 'Support tier?', default: 'gold' });
    json.components[0].crates = [{ name: 'itoa', version: '1.0.19' }];
  });
}

export interface TeamCrate {
  parent: string;
  pack: string;
  dir: string;
  env: Record<string, string>;
}

/**
 * A crate generated (with git) from pack v1, then edited by its team and committed: a doc line
 * in audit_log.rs (`overlap` edits the very line v2 changes instead), and a dependency of their own
 * in Cargo.toml; `addLater` is a component added with `add` after that. Then the pack moves to
 * v2 in place, as a team's pack directory does.
 */
export async function teamCrate(parent: string, overlap = false, addLater?: string): Promise<TeamCrate> {
  const pack = path.join(parent, 'pack');
  const dir = path.join(parent, 'svc');
  await writePackV1(pack);
  const env = await gitHome();
  const made = await runCli(
    ['new', 'svc', '--template', './pack', '--components', 'http-server,audit-log', '--no-docker', '--yes', '--answer', 'team=payments'],
    { cwd: parent, env },
  );
  expect(made.stderr).toBe('');
  expect(made.exitCode).toBe(0);
  const file = path.join(dir, AUDIT_LOG);
  if (overlap) await replaceIn(file, V1_LINE, '//! (e.g. `RUST_LOG=info,audit=trace` in staging).');
  else await replaceIn(file, USER_DOC, USER_DOC_EDIT);
  await replaceIn(path.join(dir, 'Cargo.toml'), '[dependencies]\n', '[dependencies]\n# Ours: hex-encoded audit ids.\nhex = "0.4"\n');
  await git(dir, env, 'commit', '-qam', 'our edits');
  if (addLater !== undefined) {
    const added = await runCli(['add', addLater], { cwd: dir, env });
    expect(added.exitCode).toBe(0);
    await git(dir, env, 'add', '-A');
    await git(dir, env, 'commit', '-qm', `add ${addLater}`);
  }
  await writePackV2(pack);
  return { parent, pack, dir, env };
}

export function upgrade(crate: TeamCrate, ...args: string[]) {
  return runCli(['upgrade', ...args], { cwd: crate.dir, env: crate.env });
}
