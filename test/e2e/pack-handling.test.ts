import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const ACME = path.join(ROOT, 'test/fixtures/packs/acme');
const NEW_FLAGS = ['--yes', '--no-git', '--components', 'none', '--answer', 'team=payments'];

async function copyAcme(cwd: string, name = 'mypack') {
  await cp(ACME, path.join(cwd, name), { recursive: true });
}

describe('a pack is recorded relative to the crate and found from it', () => {
  it('--template ./mypack: add later finds the pack from the crate, and ../mypack is the same pack', async () => {
    const cwd = await tempDir();
    await copyAcme(cwd);
    const made = await runCli(['svc', '--template', './mypack', ...NEW_FLAGS], { cwd });
    expect(made.exitCode).toBe(0);
    const crate = path.join(cwd, 'svc');
    const manifest = JSON.parse(await readFile(path.join(crate, '.create-rust-async.json'), 'utf8')) as { template: string };
    expect(manifest.template).toBe('../mypack');

    // From inside the crate, with no --template: the stored one resolves from the crate.
    const fromCrate = await runCli(['add', 'audit-log', '--dry-run'], { cwd: crate });
    expect(fromCrate.stderr).toBe('');
    expect(fromCrate.exitCode).toBe(0);
    // The same pack spelt three ways keeps the pack's house files (its .gitignore has /coverage).
    await symlink(path.join(cwd, 'mypack'), path.join(cwd, 'linked'));
    for (const spelling of ['../mypack', path.join(cwd, 'mypack'), '../linked']) {
      const result = await runCli(['add', 'audit-log', '--template', spelling, '--dry-run'], { cwd: crate });
      expect(result.exitCode, spelling).toBe(0);
      expect(result.stdout, spelling).not.toContain('-/coverage');
      expect(result.stdout, spelling).toContain('audit_log');
    }
  });

  it('a pack elsewhere is stored as an absolute path', async () => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', ACME, ...NEW_FLAGS], { cwd });
    expect(result.exitCode).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(cwd, 'svc/.create-rust-async.json'), 'utf8')) as { template: string };
    expect(manifest.template).toBe(ACME);
  });

  it('--save-preset stores the pack relative to the preset file', async () => {
    const cwd = await tempDir();
    await copyAcme(cwd);
    await mkdir(path.join(cwd, 'presets'));
    const first = await runCli(['one', '--template', './mypack', ...NEW_FLAGS, '--save-preset', 'presets/team.json'], { cwd });
    expect(first.exitCode).toBe(0);
    const preset = JSON.parse(await readFile(path.join(cwd, 'presets/team.json'), 'utf8')) as { template: string };
    expect(preset.template).toBe('../mypack');
    const replay = await runCli(['two', '--preset', 'presets/team.json', '--no-git'], { cwd });
    expect(replay.stderr).toBe('');
    expect(replay.exitCode).toBe(0);
  });
});

describe('binary files in a pack', () => {
  it('are copied byte for byte and hashed over their bytes', async () => {
    const pack = await tempDir('cra-bin-pack-');
    await writeFile(path.join(pack, 'rust-async-template.json'), JSON.stringify({ name: 'bin', files: [{ dir: 'files' }] }));
    await mkdir(path.join(pack, 'files/assets'), { recursive: true });
    // 64 bytes with NUL and bytes that are not UTF-8.
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0xc3]), randomBytes(56)]);
    await writeFile(path.join(pack, 'files/assets/logo.png'), bytes);
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', pack, '--yes', '--no-git', '--components', 'none'], { cwd });
    expect(result.exitCode).toBe(0);
    const written = await readFile(path.join(cwd, 'svc/assets/logo.png'));
    expect(written.length).toBe(64);
    expect(written.equals(bytes)).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(cwd, 'svc/.create-rust-async.json'), 'utf8')) as { files: Record<string, string> };
    expect(manifest.files['assets/logo.png']).toBe(`sha256-${createHash('sha256').update(bytes).digest('hex')}`);
    const dry = await runCli(['other', '--template', pack, '--yes', '--no-git', '--components', 'none', '--dry-run'], { cwd });
    expect(dry.stdout).toMatch(/assets\/logo\.png\s+64 B\s+\(binary\)/);
  });
});

describe("a pack author's mistakes are user errors naming the pack file", () => {
  async function pack(files: Record<string, string>, manifest: object = {}) {
    const dir = await tempDir('cra-author-pack-');
    await writeFile(path.join(dir, 'rust-async-template.json'), JSON.stringify({ name: 'oops', files: [{ dir: 'files' }], ...manifest }));
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    return dir;
  }
  const cases: [string, () => Promise<string>, (dir: string) => RegExp][] = [
    ['a file clashing with a built-in path', () => pack({ 'files/Cargo.toml': '[package]\n' }), (d) => new RegExp(`${d}/files/Cargo\\.toml`)],
    ['YAML that does not parse', () => pack({ 'files/config.yml': 'a: [1, 2\nb: }\n' }), () => /config\.yml, which does not parse as yaml: .*\(\d+:\d+\)/],
    ['an unknown flag', () => pack({ 'files/x.txt.hbs': '{{#if flags.nope}}x{{/if}}\n' }), (d) => new RegExp(`${d}/files/x\\.txt\\.hbs.*flags\\.nope`)],
    ['an unknown flag in an override', () => pack({ 'files/.keep': '', 'overrides/base/README.md.hbs': '{{#if flags.nope}}x{{/if}}\n' }), (d) => new RegExp(`${d}/overrides/base/README\\.md\\.hbs.*flags\\.nope`)],
    [
      'a partial that does not compile',
      () =>
        pack(
          { 'files/.keep': '', 'comp/src/comp.rs': '//! c\n', 'comp/partials/readme.md.hbs': '## C\n{{#if}}\n' },
          { components: [{ id: 'comp', title: 'c', description: 'c', templates: [{ dir: 'comp' }], wiring: { module: 'comp', layoutDoc: 'c.' } }] },
        ),
      (d) => new RegExp(`partial ${d}/comp/readme`),
    ],
  ];

  it.each(cases)('%s', async (_, makePack, message) => {
    const dir = await makePack();
    const cwd = await tempDir();
    const components = _.includes('partial') ? 'comp' : 'none';
    const result = await runCli(['svc', '--template', dir, '--yes', '--no-git', '--components', components], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message(dir));
    expect(result.stderr).not.toMatch(/bug in create-rust-async/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readdir(cwd)).toEqual([]);
  });
});

describe('plopfiles as teams write them', () => {
  let pack: string;
  beforeAll(async () => {
    pack = await tempDir('cra-plop-pack-');
    await writeFile(path.join(pack, 'package.json'), JSON.stringify({ name: 'plop-team-pack', version: '1.0.0', private: true }));
    // A real helper pack from the registry, in the pack's own node_modules.
    await execa('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', 'plop-pack-fancy-comments@0.2.1'], { cwd: pack });
    await mkdir(path.join(pack, 'plop-templates'));
    await writeFile(path.join(pack, 'plop-templates/note.md.hbs'), '# {{title}}\n\n{{rs-header title}}\n');
  }, 120_000);

  const plopfiles: [string, string][] = [
    [
      'plopfile.mjs',
      `export default async function (plop) {
  await plop.load('plop-pack-fancy-comments', { prefix: 'rs-', commentStart: '//', commentEnd: '' });
  plop.setGenerator('note', { prompts: [{ type: 'input', name: 'title' }], actions: [{ type: 'add', path: 'docs/{{kebabCase title}}.md', templateFile: 'plop-templates/note.md.hbs' }] });
}
`,
    ],
    [
      'plopfile.cjs',
      `module.exports = async function (plop) {
  await plop.load('plop-pack-fancy-comments', { prefix: 'rs-', commentStart: '//', commentEnd: '' });
  plop.setGenerator('note', { prompts: [{ type: 'input', name: 'title' }], actions: [{ type: 'add', path: 'docs/{{kebabCase title}}.md', templateFile: './plop-templates/note.md.hbs' }] });
};
`,
    ],
  ];

  it.each(plopfiles)('%s: templateFile relative to the plopfile, helpers from the pack', async (file, source) => {
    await writeFile(path.join(pack, file), source);
    await writeFile(path.join(pack, 'rust-async-template.json'), JSON.stringify({ name: 'plop-team', plopfile: file }));
    const crate = await tempDir();
    const result = await runCli(['generate', 'note', '--template', pack, '--path', crate, '--answer', 'title=Use Tokio'], { cwd: crate });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const note = await readFile(path.join(crate, 'docs/use-tokio.md'), 'utf8');
    expect(note).toMatch(/^# Use Tokio\n\n\/\/=+\n==  Use Tokio  ==\n/);
  });

  it('a plopfile that loads a helper pack it does not ship is a pack error', async () => {
    const dir = await tempDir('cra-plop-missing-');
    await writeFile(path.join(dir, 'plopfile.mjs'), "export default async function (plop) { await plop.load('plop-pack-not-installed'); }\n");
    await writeFile(path.join(dir, 'rust-async-template.json'), JSON.stringify({ name: 'x', plopfile: 'plopfile.mjs' }));
    const crate = await tempDir();
    const result = await runCli(['generate', 'x', '--template', dir, '--path', crate], { cwd: crate });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/plopfile .*plopfile\.mjs failed to load: .*plop-pack-not-installed.*node_modules/);
    expect(result.stderr).not.toMatch(/bug in create-rust-async/);
    expect(await readdir(crate)).toEqual([]);
  });
});

describe('npm and tarball packs', () => {
  it("an npm failure shows npm's reason, and no temporary directory is left", async () => {
    const tmp = await tempDir('cra-tmp-');
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--template', 'create-rust-async-no-such-pack-xq7'], { cwd, env: { TMPDIR: tmp } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/cannot install template pack "create-rust-async-no-such-pack-xq7": 404 Not Found/);
    expect(await readdir(tmp)).toEqual([]);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('a tarball pack leaves no temporary directory', async () => {
    const tmp = await tempDir('cra-tmp-');
    const tarballs = await tempDir('cra-tgz-');
    await execa('npm', ['pack', '--pack-destination', tarballs, '--silent'], { cwd: ACME });
    const [tarball] = await readdir(tarballs);
    const cwd = await tempDir();
    const result = await runCli(['svc', '--template', path.join(tarballs, tarball as string), ...NEW_FLAGS], { cwd, env: { TMPDIR: tmp } });
    expect(result.exitCode).toBe(0);
    expect(await readdir(tmp)).toEqual([]);
  });
});
