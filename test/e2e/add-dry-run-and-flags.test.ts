import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { git, makeCrate } from '../helpers/crates.js';

describe('add --dry-run', () => {
  it('starts with a table of files, actions and line counts, then the diff', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const result = await runCli(['add', 'pipeline', '--dry-run'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const [head, ...rest] = result.stdout.split('\n===');
    expect(rest.length).toBeGreaterThan(0); // the diff follows the table
    expect(head).toMatch(/^\s+file\s+action\s+\+lines\s+-lines$/m);
    expect(head).toMatch(/^\s+src\/pipeline\.rs\s+create\s+\+\d+\s+-0$/m);
    expect(head).toMatch(/^\s+src\/lib\.rs\s+modify\s+\+\d+\s+-\d+$/m);
    expect(head).toMatch(/^\s+\d+ files\s+\+\d+\s+-\d+$/m);
    // The table's counts are the diff's: src/lib.rs gains exactly the lines the diff adds.
    const libAdded = Number(/src\/lib\.rs\s+modify\s+\+(\d+)/.exec(head as string)?.[1]);
    const libDiff = result.stdout.split('+++ b/src/lib.rs')[1]?.split('\n===')[0] ?? '';
    expect(libDiff.split('\n').filter((line) => line.startsWith('+')).length).toBe(libAdded);
    const json = await runCli(['add', 'pipeline', '--dry-run', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout).summary).toContainEqual({ path: 'src/pipeline.rs', action: 'create', added: expect.any(Number), removed: 0 });
  });
});

describe('generate --dry-run', () => {
  it('starts with the same table', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const acme = path.join(ROOT, 'test/fixtures/packs/acme');
    const result = await runCli(['generate', 'adr', '--template', acme, '--answer', 'title=Use Tokio', '--dry-run'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\s+file\s+action\s+\+lines\s+-lines\n\s+docs\/adr\/use-tokio\.md\s+create\s+\+3\s+-0\n/);
  });
});

describe('ignored flags are warned about', () => {
  it('add --db for a crate that has db: warning, and the driver is not changed', async () => {
    const parent = await tempDir();
    const made = await runCli(['svc', '--components', 'db', '--db', 'sqlite', '--no-ci', '--no-docker', '--no-git'], { cwd: parent });
    expect(made.exitCode).toBe(0);
    const dir = path.join(parent, 'svc');
    const result = await runCli(['add', 'worker', '--db', 'postgres', '--allow-dirty'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('warning: --db postgres is ignored: svc has the db component already (with sqlite), and add does not change its driver');
    const manifest = JSON.parse(await readFile(path.join(dir, '.create-rust-async.json'), 'utf8')) as { answers: { db: string } };
    expect(manifest.answers.db).toBe('sqlite');
  });

  it('add --db without db among the added components', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const result = await runCli(['add', 'pipeline', '--db', 'postgres', '--dry-run'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('warning: --db postgres is ignored: it applies only when db is one of the components added');
  });

  it.each([
    [['--dry-run', '--save-preset', 'p.json'], 'warning: --save-preset is ignored: a dry run writes nothing, the preset included'],
    [['--verbose'], "warning: --verbose is ignored: it only changes what --verify shows"],
    [['--force'], /^warning: --force is ignored: .*svc is new, so there is nothing to keep$/],
  ])('new %j', async (flags, warning) => {
    const cwd = await tempDir();
    const result = await runCli(['svc', '--yes', '--no-git', '--components', 'none', ...flags], { cwd });
    expect(result.exitCode).toBe(0);
    if (typeof warning === 'string') expect(result.stderr).toBe(warning);
    else expect(result.stderr).toMatch(warning);
  });

  it('new --git inside a repository says on stderr that it was skipped', async () => {
    const cwd = await tempDir();
    await git(cwd, ['init', '-q']);
    const result = await runCli(['svc', '--yes', '--git', '--components', 'none'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('warning: --git is ignored: the directory is inside a git repository already, so git init and the first commit were skipped');
  });
});

describe('generate refuses a dirty tree, like add', () => {
  it('without --allow-dirty: error and nothing written; with it: runs', async () => {
    const dir = await makeCrate(await tempDir(), 'generated');
    const acme = path.join(ROOT, 'test/fixtures/packs/acme');
    await writeFile(path.join(dir, 'wip.txt'), 'work in progress\n');
    const args = ['generate', 'adr', '--template', acme, '--answer', 'title=Use Tokio'];
    const refused = await runCli(args, { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/has uncommitted changes\. Commit or stash them first so the change generate makes is easy to review, or pass --allow-dirty/);
    expect((await git(dir, ['status', '--porcelain'])).stdout).toBe('?? wip.txt');
    const allowed = await runCli([...args, '--allow-dirty'], { cwd: dir });
    expect(allowed.exitCode).toBe(0);
  });
});
