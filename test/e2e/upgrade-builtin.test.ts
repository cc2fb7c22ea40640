import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';
import { git, gitHome } from '../helpers/git.js';
import { NEW_ONLY, OLD_DOC, OLD_ONLY, OLD_VERSION, oldReleaseCrate } from '../helpers/old-release.js';

describe('upgrade from an earlier release of the built-in templates', () => {
  it('reads the old release from git, applies what changed, keeps the user edit, and records the running version', async () => {
    const { dir, env, currentDoc } = await oldReleaseCrate(await tempDir('cra-upgrade-old-'));
    await appendFile(path.join(dir, 'src/config.rs'), '\n// Reviewed by the payments team.\n');
    await git(dir, env, 'commit', '-qam', 'our note');

    const result = await runCli(['upgrade'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`from create-rust-async ${OLD_VERSION} to create-rust-async 0.1.0`);
    const config = await readFile(path.join(dir, 'src/config.rs'), 'utf8');
    expect(config.startsWith(`${currentDoc}\n`)).toBe(true);
    expect(config).not.toContain(OLD_DOC);
    expect(config).toContain('// Reviewed by the payments team.');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('create-rust-async) 0.1.0');
    expect(existsSync(path.join(dir, OLD_ONLY))).toBe(false);
    expect(existsSync(path.join(dir, NEW_ONLY))).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(dir, '.create-rust-async.json'), 'utf8'));
    expect(manifest.version).toBe('0.1.0');

    await git(dir, env, 'add', '-A');
    await git(dir, env, 'commit', '-qm', 'upgrade');
    const again = await runCli(['upgrade'], { cwd: dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await git(dir, env, 'status', '--porcelain')).toBe('');
  });

  it('without the git history that holds the old release, names the files whose base is missing and writes nothing', async () => {
    const { dir, env } = await oldReleaseCrate(await tempDir('cra-upgrade-old-'));
    await rm(path.join(dir, '.git'), { recursive: true });
    const before = await readFile(path.join(dir, 'src/config.rs'), 'utf8');
    const result = await runCli(['upgrade'], { cwd: dir, env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot find what create-rust-async 0\.0\.9 generated for 2 files, the base to merge from: /);
    expect(result.stderr).toContain("their git blobs are not in the crate's repository");
    expect(result.stderr).toContain(`${OLD_ONLY}: the recorded templates no longer write it`);
    expect(result.stderr).toContain('src/config.rs: the recorded templates render it differently now');
    // The README's only change is the version line, which rendering with the recorded version restores.
    expect(result.stderr).not.toContain('README.md');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readFile(path.join(dir, 'src/config.rs'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, OLD_ONLY))).toBe(true);
  });
});

describe('upgrade of a crate whose manifest predates blob ids', () => {
  it('takes the base from rendering again, checked against the recorded hashes, and only adds the blob ids', async () => {
    const parent = await tempDir('cra-upgrade-noblobs-');
    const env = await gitHome();
    const made = await runCli(['new', 'svc', '--components', 'http-server', '--no-ci', '--no-docker', '--yes'], { cwd: parent, env });
    expect(made.exitCode).toBe(0);
    const dir = path.join(parent, 'svc');
    const file = path.join(dir, '.create-rust-async.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    delete manifest.blobs;
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
    await git(dir, env, 'commit', '-qam', 'a manifest as older releases wrote it');

    const result = await runCli(['upgrade'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('only .create-rust-async.json changed');
    expect(await git(dir, env, 'status', '--porcelain')).toBe(' M .create-rust-async.json');
    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(after.blobs).sort()).toEqual(Object.keys(manifest.files).sort());
  });
});

describe('add on a crate from an earlier release, then upgrade', () => {
  it("keeps what the earlier release generated as the base of the files add leaves, so upgrade still updates them", async () => {
    const { dir, env, currentDoc } = await oldReleaseCrate(await tempDir('cra-upgrade-add-old-'));
    const added = await runCli(['add', 'http-client'], { cwd: dir, env });
    expect(added.exitCode).toBe(0);
    await git(dir, env, 'add', '-A');
    await git(dir, env, 'commit', '-qm', 'add http-client');
    expect(existsSync(path.join(dir, OLD_ONLY))).toBe(true);

    const result = await runCli(['upgrade'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(dir, OLD_ONLY))).toBe(false);
    expect(existsSync(path.join(dir, NEW_ONLY))).toBe(true);
    expect((await readFile(path.join(dir, 'src/config.rs'), 'utf8')).startsWith(`${currentDoc}\n`)).toBe(true);
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('create-rust-async) 0.1.0');
  });
});
