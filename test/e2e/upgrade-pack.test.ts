import { existsSync } from 'node:fs';
import { appendFile, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { tempDir } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { AUDIT_LOG, USER_DOC_EDIT, V1_LINE, V2_LINE, teamCrate, upgrade } from '../helpers/upgrade.js';

/** Every file under `dir` (git's own folder aside), relative, `/`-separated. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !path.relative(dir, e.parentPath).split(path.sep).includes('.git'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const read = (dir: string, file: string) => readFile(path.join(dir, file), 'utf8');

describe('upgrade from a team pack changed in place (v1 → v2)', () => {
  it('merges the pack change around the team edits, applies every kind of change, and a second run changes nothing', async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'));
    const { dir } = crate;
    // Without a terminal, the question v2 added must be answered: all missing answers in one error.
    const unanswered = await upgrade(crate);
    expect(unanswered.exitCode).toBe(1);
    expect(unanswered.stderr).toContain('--answer tier=...');
    expect(await git(dir, crate.env, 'status', '--porcelain')).toBe('');
    const result = await upgrade(crate, '--json', '--yes');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    const actions = Object.fromEntries(report.files.map((f: { path: string; action: string }) => [f.path, f.action]));
    expect(actions).toMatchObject({
      [AUDIT_LOG]: 'merged',
      'Cargo.toml': 'merged',
      CODEOWNERS: 'updated',
      '.editorconfig': 'added',
      'deny.toml': 'removed',
    });
    expect(report.conflicts).toEqual([]);

    const audit = await read(dir, AUDIT_LOG);
    expect(audit).toContain(V2_LINE);
    expect(audit).toContain(USER_DOC_EDIT);
    const toml = await read(dir, 'Cargo.toml');
    expect(toml).toMatch(/^itoa = "1\.0\.19"$/m);
    expect(toml).toContain('# Ours: hex-encoded audit ids.\nhex = "0.4"\n');
    // --yes took the new question's default.
    expect(await read(dir, 'CODEOWNERS')).toBe('* @acme/payments\n# support tier: gold\n');
    expect(existsSync(path.join(dir, 'deny.toml'))).toBe(false);
    const manifest = JSON.parse(await read(dir, '.create-rust-async.json'));
    expect(manifest.answers.extra).toEqual({ team: 'payments', tier: 'gold' });
    // Merged files are the user's: no hash says "as generated"; the blob of the template text stays.
    expect(manifest.files[AUDIT_LOG]).toBeUndefined();
    expect(manifest.files.CODEOWNERS).toMatch(/^sha256-/);
    expect(Object.keys(manifest.blobs)).toContain('.editorconfig');
    expect(Object.keys(manifest.blobs)).not.toContain('deny.toml');

    await git(dir, crate.env, 'add', '-A');
    await git(dir, crate.env, 'commit', '-qm', 'upgrade');
    const again = await upgrade(crate);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await git(dir, crate.env, 'status', '--porcelain')).toBe('');
  });

  it('writes conflict markers into exactly the file whose edit overlaps, applies the rest, and exits 1', async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'), true);
    const { dir } = crate;
    const result = await upgrade(crate, '--answer', 'tier=silver');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`Resolve the conflicts in ${AUDIT_LOG}`);
    const marked = [];
    for (const file of await allFiles(dir)) if ((await read(dir, file)).includes('<<<<<<< ')) marked.push(file);
    expect(marked).toEqual([AUDIT_LOG]);
    const audit = await read(dir, AUDIT_LOG);
    expect(audit).toContain(
      `<<<<<<< ours (your edits)\n//! (e.g. \`RUST_LOG=info,audit=trace\` in staging).\n=======\n${V2_LINE}\n>>>>>>> theirs (create-rust-async`,
    );
    expect(audit).not.toContain(V1_LINE);
    // Everything else of v2 is in.
    expect(await read(dir, 'Cargo.toml')).toMatch(/^itoa = "1\.0\.19"$/m);
    expect(existsSync(path.join(dir, '.editorconfig'))).toBe(true);
    expect(existsSync(path.join(dir, 'deny.toml'))).toBe(false);
    expect(await read(dir, 'CODEOWNERS')).toContain('# support tier: silver');
  });

  it('--dry-run prints the summary table and the diff, writes nothing, and exits 1 when conflicts would be left', async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'), true);
    const before = await git(crate.dir, crate.env, 'status', '--porcelain', '--untracked-files=all');
    const result = await upgrade(crate, '--dry-run', '--yes');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/updated 1, merged 1, conflicted 1, added 1, removed 1, kept 0/);
    expect(result.stdout).toMatch(/src\/audit_log\.rs\s+conflicted/);
    expect(result.stdout).toContain('--- a/deny.toml\n+++ /dev/null');
    expect(result.stdout).toContain('+++ b/.editorconfig');
    expect(await git(crate.dir, crate.env, 'status', '--porcelain', '--untracked-files=all')).toBe(before);
  });

  it('without the git history, a pack changed in place is no base: the error names the files and nothing is written', async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'));
    await rm(path.join(crate.dir, '.git'), { recursive: true });
    const before = await read(crate.dir, AUDIT_LOG);
    const result = await upgrade(crate, '--yes');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot find what create-rust-async 0\.1\.0 generated for \d+ files?, the base to merge from: /);
    expect(result.stderr).toContain("their git blobs are not in the crate's repository, and ");
    // The pack now needs an answer the crate was generated without: it cannot render v1 again.
    expect(result.stderr).toMatch(/ and \d+ more: the recorded templates cannot be rendered \(template pack error: /);
    expect(result.stderr).toContain('put the template pack ../pack back as it was then');
    expect(await read(crate.dir, AUDIT_LOG)).toBe(before);
    expect(existsSync(path.join(crate.dir, '.editorconfig'))).toBe(false);
  });

  it('a component added later with add is part of the base and of the next version, whose merged text git keeps', async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'), false, 'http-client');
    const before = await read(crate.dir, 'src/http_client.rs');
    // add merged its dependencies into the team's edited Cargo.toml: the template text it merged is
    // never committed, so add keeps it under a ref, where even an aggressive gc leaves it.
    const { blobs } = JSON.parse(await read(crate.dir, '.create-rust-async.json'));
    expect(await git(crate.dir, crate.env, 'ls-tree', '--name-only', 'refs/create-rust-async/bases')).toContain(blobs['Cargo.toml']);
    await git(crate.dir, crate.env, 'gc', '-q', '--prune=now');
    const result = await upgrade(crate, '--yes', '--json');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).not.toContain('src/http_client.rs');
    expect(await read(crate.dir, 'src/http_client.rs')).toBe(before);
    expect(await read(crate.dir, AUDIT_LOG)).toContain(V2_LINE);
    expect(JSON.parse(await read(crate.dir, '.create-rust-async.json')).components).toContain('http-client');
  });

  it("keeps the user's own file where v2 adds one (a conflict, exit 1) and their edited copy of a file v2 drops", async () => {
    const crate = await teamCrate(await tempDir('cra-upgrade-'));
    const { dir } = crate;
    await writeFile(path.join(dir, '.editorconfig'), 'root = true\n\n[*.rs]\nindent_size = 4\n');
    await appendFile(path.join(dir, 'deny.toml'), '\n[bans]\nmultiple-versions = "warn"\n');
    await git(dir, crate.env, 'add', '-A');
    await git(dir, crate.env, 'commit', '-qm', 'our editorconfig, and a ban list');
    const before = { editorconfig: await read(dir, '.editorconfig'), deny: await read(dir, 'deny.toml') };
    const result = await upgrade(crate, '--yes');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^\s+! \.editorconfig: the templates now write this file and you have your own there/m);
    expect(result.stdout).toMatch(/^\s+= deny\.toml: the templates no longer write it, and you changed it/m);
    expect(await read(dir, '.editorconfig')).toBe(before.editorconfig);
    expect(await read(dir, 'deny.toml')).toBe(before.deny);
    expect(await read(dir, AUDIT_LOG)).toContain(V2_LINE);
  });
});
