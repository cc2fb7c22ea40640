import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const ACME = path.join(ROOT, 'test/fixtures/packs/acme');
const BASE_FLAGS = ['--yes', '--no-git', '--components', 'audit-log', '--answer', 'team=payments'];

async function expectAcmeProject(dir: string) {
  const read = (file: string) => readFile(path.join(dir, file), 'utf8');
  expect(await read('README.md')).toContain('Owned by the payments team.'); // override (child pack)
  expect(await read('README.md')).toContain('## Audit log'); // the extra component's section
  expect(await read('.gitignore')).toContain('/coverage'); // override (parent pack)
  expect(await read('CODEOWNERS')).toBe('* @acme/payments\n'); // added file with an extra answer
  expect(existsSync(path.join(dir, 'deny.toml'))).toBe(true); // parent file, conditional on CI
  expect(existsSync(path.join(dir, '.github/workflows/ci.yml'))).toBe(true); // CI locked on
  expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false); // pack default: no Docker
  expect(await read('src/audit_log.rs')).toContain('pub struct AuditLogConfig');
  expect(await read('src/lib.rs')).toContain('pub mod audit_log;');
  expect(await read('.env.example')).toContain('AUDIT_LOG_SERVICE=my-service');
  const manifest = JSON.parse(await read('.create-rust-async.json')) as { packs: string[] };
  expect(manifest.packs).toEqual(['acme-base', 'acme']);
}

describe('template packs', () => {
  it('overrides, adds files and a component, locks CI, and extends a parent pack', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', ACME, ...BASE_FLAGS], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    await expectAcmeProject(path.join(cwd, 'svc'));
  });

  it('works the same from an npm pack tarball', async () => {
    const packDir = await tempDir('cra-fixture-pack-');
    await execa('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: ACME });
    const [tarball] = (await readdir(packDir)).filter((f) => f.endsWith('.tgz'));
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', path.join(packDir, tarball as string), ...BASE_FLAGS], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    await expectAcmeProject(path.join(cwd, 'svc'));
  }, 120_000);

  it('lists pack components, and refuses a flag against a locked answer', async () => {
    const cwd = await tempDir();
    const locked = await runCli(['svc', '--template', ACME, ...BASE_FLAGS, '--no-ci'], { cwd });
    expect(locked.exitCode).toBe(1);
    expect(locked.stderr).toMatch(/the template pack fixes ci to true\. Drop --ci\/--no-ci/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('a missing pack question is reported with the flag that answers it', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', ACME, '--components', 'audit-log', '--no-git', '--no-docker'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--answer team=...');
  });

  it('`template init` writes a starter pack that generates a project', async () => {
    const cwd = await tempDir();
    const init = await runCli(['template', 'init', 'team-pack'], { cwd });
    expect(init.exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'team-pack/rust-async-template.json'))).toBe(true);
    const result = await runCli(['svc', '--template', './team-pack', '--yes', '--no-git', '--components', 'audit-log'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(cwd, 'svc/CODEOWNERS'), 'utf8')).toContain('@platform');
    expect(await readFile(path.join(cwd, 'svc/clippy.toml'), 'utf8')).toContain('too-many-lines-threshold');
    const again = await runCli(['template', 'init', 'team-pack'], { cwd });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);
  });
});

describe('plop generators run through the plan', () => {
  async function crate() {
    const cwd = await tempDir();
    await runCli(['svc', '--template', ACME, ...BASE_FLAGS], { cwd });
    return path.join(cwd, 'svc');
  }
  const generate = (dir: string, extra: string[] = []) =>
    runCli(['generate', 'adr', '--template', ACME, '--path', dir, '--answer', 'title=Use Postgres', ...extra], { cwd: dir });

  it('--dry-run prints a diff and writes nothing', async () => {
    const dir = await crate();
    const before = await readdir(dir, { recursive: true });
    const result = await generate(dir, ['--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('+++ b/docs/adr/use-postgres.md');
    expect(result.stdout).toContain('+# Use Postgres');
    expect(await readdir(dir, { recursive: true })).toEqual(before);
  });

  it('writes for real, with plop helpers, and a second run appends nothing twice', async () => {
    const dir = await crate();
    const result = await generate(dir);
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'docs/adr/use-postgres.md'), 'utf8')).toBe('# Use Postgres\n\nStatus: proposed\n');
    const index = path.join(dir, 'docs/adr/README.md');
    expect(await readFile(index, 'utf8')).toBe('# Decisions\n- [Use Postgres](use-postgres.md)\n');
    const second = await generate(dir);
    expect(second.exitCode).toBe(1); // the ADR file exists: plop's add refuses, and so do we
    expect(second.stderr).toContain('docs/adr/use-postgres.md already exists');
    expect(await readFile(index, 'utf8')).toBe('# Decisions\n- [Use Postgres](use-postgres.md)\n');
  });

  it('an unknown generator names the ones that exist', async () => {
    const dir = await crate();
    const result = await runCli(['generate', 'nope', '--template', ACME, '--path', dir], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no generator "nope"\. Choose one of: adr/);
  });
});

describe('unsafe packs are rejected with nothing written', () => {
  async function pack(manifest: object, setup?: (dir: string) => Promise<void>) {
    const dir = await tempDir('cra-bad-pack-');
    await writeFile(path.join(dir, 'rust-async-template.json'), JSON.stringify({ name: 'bad', ...manifest }));
    await setup?.(dir);
    return dir;
  }
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['a files folder outside the pack', () => pack({ files: [{ dir: '../outside' }] }), /"\.\.\/outside" points outside the pack/],
    ['an absolute folder', () => pack({ files: [{ dir: '/etc' }] }), /"\/etc" is an absolute path/],
    [
      'a symlink that escapes',
      () =>
        pack({ files: [{ dir: 'files' }] }, async (dir) => {
          await mkdir(path.join(dir, 'files'));
          await symlink('/etc/hostname', path.join(dir, 'files/hostname'));
        }),
      /symlink that leads outside the template pack/,
    ],
    [
      'a component module that is not an identifier',
      () =>
        pack({
          components: [{ id: 'x', title: 'x', description: 'x', templates: [{ dir: 'x' }], wiring: { module: '../x', layoutDoc: 'x' } }],
        }),
      /components\/0\/wiring\/module must match pattern/,
    ],
    ['an unknown manifest key', () => pack({ overide: 'x' }), /rust-async-template\.json: \(top level\) has an unknown key "overide"/],
    ['an extends cycle', () => pack({ extends: '.' }), /extend each other in a cycle/],
    ['a missing pack', async () => '/nonexistent/pack', /template pack "\/nonexistent\/pack" not found/],
  ];

  it.each(cases)('%s', async (_, makePack, message) => {
    const packDir = await makePack();
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', packDir, '--yes', '--no-git'], { cwd });
    expect(result.stderr).toMatch(message);
    expect(result.exitCode).toBe(1);
    expect(await readdir(cwd)).toEqual([]);
  });
});

describe('presets', () => {
  it('flags win over the preset, the preset over defaults', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'team.json'), JSON.stringify({ components: [], ci: false, docker: false, git: false }));
    const result = await runCli(['svc', '--preset', 'team.json', '--ci'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0); // no --yes needed: the preset answers everything
    expect(existsSync(path.join(cwd, 'svc/.github/workflows/ci.yml'))).toBe(true); // flag beat preset
    expect(existsSync(path.join(cwd, 'svc/Dockerfile'))).toBe(false); // preset beat default
  });

  it('reads YAML too', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'team.yaml'), 'components: none\nci: false\ndocker: true\ngit: false\n');
    const result = await runCli(['svc', '--preset', 'team.yaml'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'svc/Dockerfile'))).toBe(true);
  });

  it.each([
    ['an unknown key', { componets: [] }, /team\.json: \(top level\) has an unknown key "componets"/],
    ['a bad value', { ci: 'yes' }, /team\.json: ci must be boolean/],
    ['a bad db', { db: 'oracle' }, /team\.json: db must be one of "sqlite", "postgres"/],
    ['an unknown component', { components: ['nope'] }, /unknown component "nope"/],
  ])('rejects %s, naming the key', async (_, preset, message) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'team.json'), JSON.stringify(preset));
    const result = await runCli(['svc', '--preset', 'team.json', '--yes'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await readdir(cwd)).toEqual(['team.json']);
  });

  it('--save-preset records the answers so a run can be replayed', async () => {
    const cwd = await tempDir();
    const first = await runCli(['one', '--template', ACME, ...BASE_FLAGS, '--save-preset', 'saved.json'], { cwd });
    expect(first.exitCode).toBe(0);
    const saved = JSON.parse(await readFile(path.join(cwd, 'saved.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ components: ['audit-log'], ci: true, docker: false, answers: { team: 'payments' } });
    // Relative to the preset when the pack sits beside it, absolute otherwise: the same pack either way.
    expect(path.resolve(cwd, saved.template as string)).toBe(ACME);
    const replay = await runCli(['two', '--preset', 'saved.json'], { cwd });
    expect(replay.stderr).toBe('');
    expect(replay.exitCode).toBe(0);
    await expectAcmeProject(path.join(cwd, 'two'));
  });
});
