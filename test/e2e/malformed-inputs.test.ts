import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { bigPack } from '../helpers/big-pack.js';
import { git, gitHome, repoState } from '../helpers/git.js';
import { interrupt } from '../helpers/interrupt.js';
import { snapshot } from '../helpers/tree.js';

/**
 * Malformed input of every kind, run with the real CLI in a directory that is the user's git
 * repository with committed and uncommitted work. For each: the exit code, one line on stderr
 * saying what is wrong, no stack trace, no file written or changed, and the user's repository
 * (commits, index, working tree) exactly as it was.
 */

const ACME = path.join(ROOT, 'test/fixtures/packs/acme');
const NEW = ['--yes', '--no-git'];

interface Case {
  name: string;
  /** Fixtures inside the user's directory (committed before the run, like any user file). */
  setup?: (cwd: string) => Promise<void>;
  args: string[] | ((cwd: string) => string[]);
  message: RegExp;
  exit?: number;
  /** Run from this directory below the user's (e.g. inside a crate). */
  from?: string;
  env?: Record<string, string>;
  /** Instead of a plain run: e.g. send a signal mid-write. */
  run?: (cwd: string, args: string[], env: Record<string, string>) => Promise<{ exitCode: number | undefined; stderr: string }>;
}

const write = (file: string, content: string | Buffer) => async (cwd: string) => {
  await mkdir(path.dirname(path.join(cwd, file)), { recursive: true });
  await writeFile(path.join(cwd, file), content);
};
const all =
  (...steps: ((cwd: string) => Promise<void>)[]) =>
  async (cwd: string) => {
    for (const step of steps) await step(cwd);
  };
const pack = (manifest: object, files: Record<string, string> = {}) =>
  all(write('pack/rust-async-template.json', JSON.stringify({ name: 'p', ...manifest })), ...Object.entries(files).map(([f, c]) => write(`pack/${f}`, c)));
/** A crate made by `new`, for `add`. */
const crate = (extra: string[] = []) => async (cwd: string) => {
  const result = await runCli(['my-crate', '--components', 'none', '--no-ci', '--no-docker', '--no-git', ...extra], { cwd });
  if (result.exitCode !== 0) throw new Error(result.stderr);
};

let slowPack: string;

/**
 * Sends `signal` once `started` sees the write under way (the staging directory of `new`, the
 * first folder `add` creates). If the run finished first, `undo` removes its complete result and
 * the run is tried again; after five misses the last outcome (exit 0) fails the case.
 */
const signalled =
  (signal: NodeJS.Signals, started: (cwd: string) => Promise<boolean>, undo: (cwd: string, env: Record<string, string>) => Promise<void>) =>
  async (cwd: string, args: string[], env: Record<string, string>) => {
    for (let attempt = 0; ; attempt++) {
      const outcome = await interrupt(args, cwd, signal, () => started(cwd), env);
      if (outcome.exitCode !== 0 || attempt === 4) return outcome;
      await undo(cwd, env);
    }
  };
const newStarted = async (cwd: string) => (await readdir(cwd)).some((entry) => entry.startsWith('.svc.staging-'));
const undoNew = (cwd: string) => execa('rm', ['-rf', path.join(cwd, 'svc')]).then(() => undefined);
const addStarted = async (crateDir: string) => existsSync(path.join(crateDir, 'data/bulk'));
/** Run in the crate's directory, so only the crate's files are restored. */
const undoAdd = async (crateDir: string, env: Record<string, string>) => {
  await git(crateDir, env, 'checkout', '--', '.');
  await git(crateDir, env, 'clean', '-fdq', '--', '.');
};

const cases: Case[] = [
  // Names
  { name: 'a keyword as the name', args: ['fn', ...NEW], message: /invalid crate name "fn": it is a Rust keyword/ },
  { name: 'std', args: ['x', '--name', 'std', ...NEW], message: /"std": it is the name of a standard library crate/ },
  { name: 'core', args: ['x', '--name', 'core', ...NEW], message: /"core": it is the name of a standard library crate/ },
  { name: 'test', args: ['test', ...NEW], message: /"test": it is the name of a standard library crate/ },
  { name: 'a leading digit', args: ['1svc', ...NEW], message: /starts with a digit/ },
  { name: 'a space', args: ['my svc', ...NEW], message: /contains " "/ },
  { name: 'non-ASCII', args: ['x', '--name', 'café', ...NEW], message: /non-ASCII/ },
  { name: 'an empty --name', args: ['x', '--name', '', ...NEW], message: /the name is empty/ },
  { name: 'a slash in --name', args: ['x', '--name', 'foo/bar', ...NEW], message: /contains "\/"/ },
  { name: 'a Windows device name', args: ['x', '--name', 'CON', ...NEW], message: /reserved file name on Windows/ },
  { name: "a name of cargo's build directories", args: ['deps', ...NEW], message: /clashes with one of cargo's build directories/ },
  { name: '.. as --name', args: ['x', '--name', '..', ...NEW], message: /invalid crate name "\.\."/ },
  { name: 'an empty directory argument', args: ['', ...NEW], message: /the directory is an empty string/ },
  { name: 'a blank directory argument', args: ['   ', ...NEW], message: /the directory is an empty string/ },
  { name: 'a 50,000-character name', args: ['x', '--name', 'n'.repeat(50_000), ...NEW], message: /^error: .{0,1100}$/ },
  // Command typos
  { name: 'lst for list', args: ['lst', ...NEW], message: /unknown command "lst" \(did you mean `create-rust-async list`\?\)/ },
  { name: 'ad for add', args: ['ad', ...NEW], message: /unknown command "ad" \(did you mean `create-rust-async add`\?\)/ },
  { name: 'templte for template', args: ['templte', ...NEW], message: /did you mean `create-rust-async template`/ },
  { name: 'generat for generate', args: ['generat', ...NEW], message: /did you mean `create-rust-async generate`/ },
  // Flags
  { name: 'an unknown option', args: ['svc', ...NEW, '--colour'], message: /unknown option '--colour'\. Run `create-rust-async --help`/ },
  { name: 'a bad --db', args: ['svc', ...NEW, '--db', 'oracle'], message: /argument 'oracle' is invalid/ },
  { name: '--db without db', args: ['svc', ...NEW, '--components', 'none', '--db', 'postgres'], message: /--db only applies to the db component/ },
  { name: 'a bad --queue', args: ['svc', ...NEW, '--queue', 'kafka'], message: /argument 'kafka' is invalid/ },
  {
    name: '--queue postgres without PostgreSQL',
    args: ['svc', ...NEW, '--components', 'worker', '--queue', 'postgres'],
    message: /--queue postgres keeps jobs in the database, but the crate has no db component on PostgreSQL.*--db postgres, or pick --queue redis/,
  },
  { name: '--queue without worker', args: ['svc', ...NEW, '--components', 'db', '--db', 'sqlite', '--queue', 'redis'], message: /--queue only applies to the worker component/ },
  { name: '--dry-run with --verify', args: ['svc', ...NEW, '--dry-run', '--verify'], message: /cannot be used together/ },
  { name: 'an unknown component', args: ['svc', ...NEW, '--components', 'nope'], message: /unknown component "nope"/ },
  { name: 'several unknown components', args: ['svc', ...NEW, '--components', 'db,nope,zzz'], message: /unknown components "nope", "zzz"/ },
  { name: '--answer without =', args: ['svc', ...NEW, '--answer', 'team'], message: /is not name=value/ },
  { name: '--answer with no pack', args: ['svc', ...NEW, '--answer', 'team=x'], message: /no question is named "team"/ },
  { name: 'too many arguments', args: ['svc', 'extra', ...NEW], message: /too many arguments for 'new'/ },
  { name: 'add without a component', args: ['add'], message: /missing required argument 'component'/ },
  { name: 'generate without --template', args: ['generate', 'x'], message: /required option '--template/ },
  { name: 'an unknown command option for list', args: ['list', '--yes'], message: /unknown option '--yes'/ },
  { name: '--json usage error', args: ['svc', '--json', '--colour'], message: /unknown option '--colour'/ },
  { name: 'no answers without a terminal', args: ['svc'], message: /these answers are missing/ },
  { name: '--save-preset to nowhere', args: ['svc', ...NEW, '--save-preset', '/proc/p.json'], message: /cannot save the preset/ },
  { name: '--save-preset to a directory', setup: write('presets/.keep', ''), args: ['svc', ...NEW, '--save-preset', 'presets'], message: /is a directory/ },
  {
    name: '--verify without cargo',
    args: ['svc', ...NEW, '--verify'],
    message: /--verify needs cargo, which was not found on PATH/,
    run: async (cwd, args) => {
      const bin = await tempDir('cra-path-');
      await symlink(process.execPath, path.join(bin, 'node'));
      const r = await execa(process.execPath, [BIN, ...args], { cwd, reject: false, stdin: 'ignore', env: { PATH: bin, CI: '', HOME: cwd }, extendEnv: false });
      return { exitCode: r.exitCode, stderr: r.stderr };
    },
  },
  // Targets
  { name: 'a target that is a file', setup: write('svc', 'x'), args: ['svc', ...NEW], message: /exists and is not a directory/ },
  { name: 'a non-empty target', setup: write('svc/keep.txt', 'x'), args: ['svc', ...NEW], message: /is not empty\. Choose a new directory, or pass --force/ },
  { name: 'a parent that is a file', setup: write('blocker', 'x'), args: ['blocker/svc', ...NEW], message: /blocker is a file/ },
  { name: 'an unwritable parent', args: ['/proc/svc', ...NEW, '--components', 'none'], message: /cannot (write|create)/ },
  { name: '--force with a conflicting file', setup: write('svc/Cargo.toml', '[package]\nname = "mine"\n'), args: ['svc', ...NEW, '--force'], message: /already has a file the generator would overwrite: Cargo\.toml/ },
  // Presets
  { name: 'a missing preset', args: ['svc', '--preset', 'nope.json'], message: /preset nope\.json cannot be read/ },
  { name: 'a preset that is not JSON', setup: write('p.json', '{ components: '), args: ['svc', '--preset', 'p.json'], message: /preset p\.json does not parse/ },
  { name: 'a preset that is not YAML', setup: write('p.yaml', 'a: [1\nb: }'), args: ['svc', '--preset', 'p.yaml'], message: /preset p\.yaml does not parse/ },
  { name: 'a preset with an unknown key', setup: write('p.json', '{"componets": []}'), args: ['svc', '--preset', 'p.json', '--yes'], message: /unknown key "componets"/ },
  { name: 'a preset with a bad value', setup: write('p.json', '{"ci": "yes"}'), args: ['svc', '--preset', 'p.json', '--yes'], message: /p\.json: ci must be boolean/ },
  { name: 'a preset with a bad db', setup: write('p.json', '{"db": "oracle"}'), args: ['svc', '--preset', 'p.json', '--yes'], message: /db must be one of "sqlite", "postgres"/ },
  { name: 'a preset with an unknown component', setup: write('p.json', '{"components": ["nope"]}'), args: ['svc', '--preset', 'p.json', '--yes'], message: /unknown component "nope"/ },
  { name: 'a preset that is a directory', setup: write('p.json/x', ''), args: ['svc', '--preset', 'p.json', '--yes'], message: /preset p\.json cannot be read/ },
  { name: 'a preset naming a missing pack', setup: write('p.json', '{"template": "./gone"}'), args: ['svc', '--preset', 'p.json', '--yes'], message: /template pack ".*gone" not found/ },
  {
    name: 'a preset with 100,000 unknown ids',
    setup: write('p.json', JSON.stringify({ components: Array.from({ length: 100_000 }, (_, i) => `x${i}`) })),
    args: ['svc', '--preset', 'p.json', '--yes'],
    message: /unknown components "x0", .* … and 99990 more/,
  },
  { name: 'a preset whose top level is a list', setup: write('p.json', '[1, 2]'), args: ['svc', '--preset', 'p.json', '--yes'], message: /p\.json: \(top level\) must be object/ },
  // Packs
  { name: 'a missing pack', args: ['svc', ...NEW, '--template', './gone'], message: /template pack "\.\/gone" not found/ },
  { name: 'a pack without a manifest', setup: write('pack/README.md', 'x'), args: ['svc', ...NEW, '--template', './pack'], message: /has no rust-async-template\.json/ },
  { name: 'a pack manifest that is not JSON', setup: write('pack/rust-async-template.json', '{'), args: ['svc', ...NEW, '--template', './pack'], message: /is not valid JSON/ },
  { name: 'a pack with an unknown key', setup: pack({ overide: 'x' }), args: ['svc', ...NEW, '--template', './pack'], message: /has an unknown key "overide"/ },
  { name: 'a pack folder outside the pack', setup: pack({ files: [{ dir: '../outside' }] }), args: ['svc', ...NEW, '--template', './pack'], message: /points outside the pack/ },
  { name: 'a pack folder that is missing', setup: pack({ files: [{ dir: 'files' }] }), args: ['svc', ...NEW, '--template', './pack'], message: /folder "files" does not exist/ },
  { name: 'a pack file clashing with a built-in', setup: pack({ files: [{ dir: 'files' }] }, { 'files/Cargo.toml': 'x' }), args: ['svc', ...NEW, '--template', './pack'], message: /template pack error: .*pack\/files\/Cargo\.toml/ },
  { name: 'pack YAML output that does not parse', setup: pack({ files: [{ dir: 'files' }] }, { 'files/x.yml': 'a: [1\nb: }\n' }), args: ['svc', ...NEW, '--template', './pack'], message: /renders x\.yml, which does not parse as yaml/ },
  { name: 'an unknown flag in a pack', setup: pack({ files: [{ dir: 'files' }] }, { 'files/x.txt.hbs': '{{#if flags.nope}}{{/if}}' }), args: ['svc', ...NEW, '--template', './pack'], message: /template pack error: .*x\.txt\.hbs.*"flags\.nope" is no flag of any component/ },
  { name: 'a pack template with a syntax error', setup: pack({ files: [{ dir: 'files' }] }, { 'files/x.txt.hbs': '{{#if}}' }), args: ['svc', ...NEW, '--template', './pack'], message: /x\.txt\.hbs: Parse error on line 1/ },
  { name: 'a pack template with a missing variable', setup: pack({ files: [{ dir: 'files' }] }, { 'files/x.txt.hbs': '{{nope}}' }), args: ['svc', ...NEW, '--template', './pack'], message: /"nope" not defined/ },
  { name: 'packs that extend each other', setup: pack({ extends: '.' }), args: ['svc', ...NEW, '--template', './pack'], message: /extend each other in a cycle/ },
  { name: 'a missing tarball', args: ['svc', ...NEW, '--template', './gone.tgz'], message: /tarball .*gone\.tgz does not exist/ },
  { name: 'a pack that is a file', setup: write('pack', 'x'), args: ['svc', ...NEW, '--template', './pack'], message: /is a file, not a directory/ },
  { name: 'an npm pack that does not exist', args: ['svc', ...NEW, '--template', 'create-rust-async-no-such-pack-q9'], message: /404 Not Found/ },
  {
    name: "--answer against a pack's locked answer",
    setup: pack({ questions: [{ name: 'team', message: 'Team?', default: 'a' }], lock: { answers: { team: 'a' } } }),
    args: ['svc', ...NEW, '--template', './pack', '--answer', 'team=b'],
    message: /the template pack fixes team to "a"\. Drop --answer team=\.\.\./,
  },
  { name: 'a pack locking an answer a flag contradicts', args: ['svc', ...NEW, '--template', ACME, '--answer', 'team=x', '--no-ci'], message: /the template pack fixes ci to true/ },
  // Crates for add
  { name: 'add outside a crate', args: ['add', 'db'], message: /no Cargo\.toml in .* or above/ },
  { name: 'add an unknown component', setup: crate(), from: 'my-crate', args: ['add', 'nope'], message: /unknown component "nope"/ },
  { name: 'add --db oracle', setup: crate(), from: 'my-crate', args: ['add', 'db', '--db', 'oracle'], message: /argument 'oracle' is invalid/ },
  { name: 'add to a crate whose Cargo.toml does not parse', setup: write('bad/Cargo.toml', '[package\nname = "x"'), from: 'bad', args: ['add', 'db'], message: /Cargo\.toml is not valid TOML/ },
  { name: 'add in a virtual workspace', setup: write('ws/Cargo.toml', '[workspace]\nmembers = []\n'), from: 'ws', args: ['add', 'db'], message: /is a workspace; members: \(none found\)/ },
  { name: 'add with an unknown --package', setup: write('ws/Cargo.toml', '[workspace]\nmembers = []\n'), from: 'ws', args: ['add', 'db', '--package', 'nope'], message: /no workspace member is named "nope"/ },
  { name: "add with a broken tool manifest", setup: all(crate(), write('my-crate/.create-rust-async.json', '{')), from: 'my-crate', args: ['add', 'db'], message: /\.create-rust-async\.json is not valid JSON/ },
  { name: 'add with uncommitted work in the crate', setup: crate(), from: 'my-crate', args: ['add', 'pipeline'], message: /has uncommitted changes/ },
  { name: 'add --path to a missing directory', args: ['add', 'db', '--path', 'nowhere'], message: /no Cargo\.toml in .*nowhere or above/ },
  {
    name: 'add over a symlink to nothing',
    setup: all(crate(), async (cwd) => {
      await execa('rm', [path.join(cwd, 'my-crate/README.md')]);
      await symlink(path.join(cwd, 'missing.md'), path.join(cwd, 'my-crate/README.md'));
    }),
    from: 'my-crate',
    args: ['add', 'pipeline', '--allow-dirty'],
    message: /README\.md is a symlink to a file that does not exist/,
  },
  {
    name: 'add when the pack the crate was made with is gone',
    setup: async (cwd) => {
      await cp(ACME, path.join(cwd, 'team-pack'), { recursive: true });
      const made = await runCli(['my-crate', '--template', './team-pack', ...NEW, '--components', 'none', '--answer', 'team=x'], { cwd });
      if (made.exitCode !== 0) throw new Error(made.stderr);
      await execa('rm', ['-rf', path.join(cwd, 'team-pack')]);
    },
    from: 'my-crate',
    args: ['add', 'pipeline'],
    message: /template pack "\.\.\/team-pack" not found/,
  },
  { name: 'generate with an unknown generator', setup: crate(), from: 'my-crate', args: ['generate', 'nope', '--template', ACME], message: /no generator "nope"/ },
  { name: 'generate with uncommitted work', setup: crate(), from: 'my-crate', args: ['generate', 'adr', '--template', ACME, '--answer', 'title=T'], message: /has uncommitted changes/ },
  // Signals mid-write
  {
    name: 'SIGTERM while new writes',
    args: () => ['svc', '--template', slowPack, ...NEW, '--components', 'none'],
    message: /stopped by SIGTERM; nothing was written/,
    exit: 143,
    run: signalled('SIGTERM', newStarted, undoNew),
  },
  {
    name: 'SIGHUP while new writes',
    args: () => ['svc', '--template', slowPack, ...NEW, '--components', 'none'],
    message: /stopped by SIGHUP; nothing was written/,
    exit: 143,
    run: signalled('SIGHUP', newStarted, undoNew),
  },
  {
    name: 'SIGINT while add writes',
    setup: async (cwd) => {
      const made = await runCli(['my-crate', '--template', slowPack, ...NEW, '--components', 'none'], { cwd });
      if (made.exitCode !== 0) throw new Error(made.stderr);
    },
    from: 'my-crate',
    args: ['add', 'bulk'],
    message: /cancelled; nothing was written/,
    exit: 130,
    run: signalled('SIGINT', addStarted, undoAdd),
  },
];

/** The cases whose own fixtures are meant to be uncommitted (the dirty-tree refusals). */
const DIRTY_CRATE = new Set(['add with uncommitted work in the crate', 'generate with uncommitted work']);

describe('malformed input: exit code, one line, no trace, nothing written, the user\'s repository untouched', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = await gitHome();
    slowPack = await bigPack();
  }, 120_000);

  it('has at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const cwd = await tempDir();
    await git(cwd, env, 'init', '-q');
    await c.setup?.(cwd);
    await writeFile(path.join(cwd, 'notes.md'), 'v1\n');
    await git(cwd, env, 'add', '-A');
    await git(cwd, env, 'commit', '-qm', 'user work');
    // Uncommitted work of the user's: must survive every case, unstaged and uncommitted.
    await writeFile(path.join(cwd, 'notes.md'), 'v2, not committed\n');
    if (DIRTY_CRATE.has(c.name)) await writeFile(path.join(cwd, 'my-crate/wip.rs'), '// work in progress\n');
    const before = { files: await snapshot(cwd, ['.git']), repo: await repoState(cwd, env) };

    const args = typeof c.args === 'function' ? c.args(cwd) : c.args;
    const where = path.join(cwd, c.from ?? '.');
    const result = c.run ? await c.run(where, args, { ...env }) : await runCli(args, { cwd: where, env });

    expect(result.exitCode).toBe(c.exit ?? 1);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(c.message);
    expect(result.stderr).not.toMatch(/\bat .*\.[cm]?js:\d+/);
    expect(result.stderr).not.toMatch(/bug in create-rust-async/);
    expect(await snapshot(cwd, ['.git'])).toEqual(before.files);
    expect(await repoState(cwd, env)).toBe(before.repo);
  });
});
