import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { HAND_WRITTEN_TOML, commitAll, git, makeCrate } from '../helpers/crates.js';

// The acme fixture pack's `audit-log` component stands in for any component here: these tests
// are about how `add` treats the crate, which is the same for every component. The cargo suite
// compiles every built-in component added to each kind of crate.
const PACK = ['--template', path.join(ROOT, 'test/fixtures/packs/acme')];
const status = async (dir: string) => (await git(dir, ['status', '--porcelain'])).stdout;

describe('add to a crate made by new', () => {
  it('adds the module and its wiring, records it, and a second run changes nothing', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const first = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'src/lib.rs'), 'utf8')).toContain('pub mod audit_log;');
    expect(await readFile(path.join(dir, 'src/config.rs'), 'utf8')).toContain('audit_log: crate::audit_log::AuditLogConfig::from_env(&env)?,');
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toContain('AUDIT_LOG_SERVICE=my-service');
    const manifest = JSON.parse(await readFile(path.join(dir, '.create-rust-async.json'), 'utf8')) as { components: string[] };
    expect(manifest.components).toEqual(['audit-log']);
    // Only the component: the pack's house files belong to `new` with that pack.
    expect(existsSync(path.join(dir, 'CODEOWNERS'))).toBe(false);

    await commitAll(dir);
    const second = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('Nothing to do: audit-log is already in');
    expect(await status(dir)).toBe('');
  });

  it('edits files the user changed at their anchors, keeping the changes', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const configFile = path.join(dir, 'src/config.rs');
    const edited = (await readFile(configFile, 'utf8')).replace('pub struct Config {', '// Our own note.\npub struct Config {');
    await writeFile(configFile, edited);
    await commitAll(dir);
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const config = await readFile(configFile, 'utf8');
    expect(config).toContain('// Our own note.');
    expect(config).toContain('pub audit_log: crate::audit_log::AuditLogConfig,');
  });

  /** A crate made by new with the HTTP server alone, in a fresh git repository (not yet committed). */
  async function serverCrate(): Promise<string> {
    const parent = await tempDir();
    const made = await runCli([path.join(parent, 'svc'), '--components', 'http-server', '--no-ci', '--no-docker', '--no-git'], { cwd: parent });
    expect(made.exitCode).toBe(0);
    const dir = path.join(parent, 'svc');
    await git(dir, ['init', '-q']);
    return dir;
  }

  it('merges the change into a generated file the user edited elsewhere, keeping the edit', async () => {
    const dir = await serverCrate();
    // The router changes when db joins (its routes are merged), so it is the file at stake.
    const router = path.join(dir, 'src/http_server/router.rs');
    await writeFile(router, `${await readFile(router, 'utf8')}\n// My own route notes.\n`);
    await commitAll(dir);

    const result = await runCli(['add', 'db', '--db', 'sqlite'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const merged = await readFile(router, 'utf8');
    expect(merged).toContain('// My own route notes.');
    expect(merged).toContain('app = app.merge(routes::notes::router());');
    expect(existsSync(path.join(dir, 'src/db.rs'))).toBe(true);
  });

  it('writes nothing and exits 1 with the manual steps when an edit overlaps the change', async () => {
    const dir = await serverCrate();
    // The user rewrote the very lines where db's routes go.
    const router = path.join(dir, 'src/http_server/router.rs');
    const text = await readFile(router, 'utf8');
    await writeFile(router, text.replace('serve_routes(health_routes(), state, request_timeout)', 'serve_routes(health_routes().merge(my_routes()), state, request_timeout)'));
    await commitAll(dir);

    for (const dryRun of [['--dry-run'], []]) {
      const result = await runCli(['add', 'db', '--db', 'sqlite', ...dryRun], { cwd: dir });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/would change src\/http_server\/router\.rs, which you edited where the change goes; nothing was written/);
      expect(result.stderr).toContain('+     app = app.merge(routes::notes::router());');
      expect(await status(dir)).toBe('');
    }
  });

  it('refuses a dirty tree without --allow-dirty, and changes nothing', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    await writeFile(path.join(dir, 'NOTES.md'), 'work in progress\n');
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/has uncommitted changes\. Commit or stash them first.*--allow-dirty/);
    expect(await status(dir)).toBe('?? NOTES.md\n'.trimEnd());
    const allowed = await runCli(['add', 'audit-log', ...PACK, '--allow-dirty'], { cwd: dir });
    expect(allowed.exitCode).toBe(0);
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const result = await runCli(['add', 'audit-log', ...PACK, '--dry-run'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--- a/src/lib.rs');
    expect(result.stdout).toContain('+pub mod audit_log;');
    expect(result.stdout).toContain('+++ b/src/audit_log.rs');
    expect(await status(dir)).toBe('');
  });

  it('puts every file back when a write fails midway', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    // A directory where the module file goes: the earlier writes (.env.example, README.md) succeed,
    // then this one fails, and they must be undone.
    await mkdir(path.join(dir, 'src/audit_log.rs'));
    await writeFile(path.join(dir, 'src/audit_log.rs/keep'), '');
    await commitAll(dir);
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
    expect(await status(dir)).toBe('');
  });

  it('rejects unknown components, and needs a crate', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const unknown = await runCli(['add', 'nope'], { cwd: dir });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/unknown component "nope"/);
    const nowhere = await runCli(['add', 'audit-log', ...PACK], { cwd: await tempDir() });
    expect(nowhere.exitCode).toBe(1);
    expect(nowhere.stderr).toMatch(/no Cargo\.toml in .* or above\. Run add inside a crate, or pass --path/);
  });
});

describe('add to a hand-written crate', () => {
  it('a cargo new binary keeps its Cargo.toml comments and dependency, and gets a library', async () => {
    const dir = await makeCrate(await tempDir(), 'bin');
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const toml = await readFile(path.join(dir, 'Cargo.toml'), 'utf8');
    expect(toml.startsWith(HAND_WRITTEN_TOML)).toBe(true); // every original line, in place
    expect(toml).toContain('tokio = { version = "1.54"');
    expect(await readFile(path.join(dir, 'src/lib.rs'), 'utf8')).toContain('pub mod audit_log;');
    expect(result.stdout).toContain('let config = hand_made::service_support::config::Config::from_env()?;');
  });

  it('an existing dependency keeps its version and gains only missing features', async () => {
    const dir = await makeCrate(await tempDir(), 'bin');
    await writeFile(path.join(dir, 'Cargo.toml'), `${HAND_WRITTEN_TOML}tokio = { version = "1.40", features = ["fs"] } # pinned\n`);
    await commitAll(dir);
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const toml = await readFile(path.join(dir, 'Cargo.toml'), 'utf8');
    expect(toml).toMatch(/tokio = \{ version = "1\.40", features = \["fs", "macros", "rt-multi-thread", "signal", "sync", "time"\] \} # pinned/);
  });

  it('a workspace without --package lists its members', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'Cargo.toml'), '[workspace]\nmembers = ["crates/*"]\nresolver = "3"\n');
    await mkdir(path.join(root, 'crates'));
    await makeCrate(path.join(root, 'crates'), 'lib', 'alpha');
    await makeCrate(path.join(root, 'crates'), 'lib', 'beta');
    const result = await runCli(['add', 'audit-log', ...PACK], { cwd: root });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/is a workspace; members: alpha, beta\. Choose one with --package/);
    const chosen = await runCli(['add', 'audit-log', ...PACK, '--package', 'beta', '--allow-dirty'], { cwd: root });
    expect(chosen.stderr).toBe('');
    expect(existsSync(path.join(root, 'crates/beta/src/audit_log.rs'))).toBe(true);
  });

  it('reads workspace members as cargo does, and passes on what cargo says when it cannot', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'Cargo.toml'), '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\nresolver = "3"\n');
    await makeCrate(path.join(root, 'crates'), 'lib', 'alpha');
    await mkdir(path.join(root, 'crates/old'));
    const listed = await runCli(['add', 'audit-log', ...PACK], { cwd: root });
    expect(listed.stderr).toMatch(/is a workspace; members: alpha\. Choose one with --package/);

    // A glob member without a Cargo.toml is cargo's error, shown as its own first line.
    await mkdir(path.join(root, 'crates/empty'));
    const broken = await runCli(['add', 'audit-log', ...PACK, '--package', 'alpha'], { cwd: root });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/cargo metadata failed in .* \(error: failed to load manifest for workspace member .*empty`\)\. Fix the workspace/);
  });
});
