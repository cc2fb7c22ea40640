import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT, runCli, tempDir } from '../helpers/cli.js';

/** The compiled chunks a run left in `cache` (dist/cli/launch.cjs, docs/build.md). */
async function compiledChunks(cache: string): Promise<{ dir: string; files: string[] }> {
  const [version] = await readdir(path.join(cache, 'code'));
  const dir = path.join(cache, 'code', version as string);
  return { dir, files: (await readdir(dir)).sort() };
}

describe('code cache', () => {
  it('a first run fills it, a second run gives the same output from it, and a run writes only what it compiled', async () => {
    const cwd = await tempDir();
    const cache = await tempDir('cra-code-cache-');
    const env = { CREATE_RUST_ASYNC_CACHE: cache, CI: 'true' };

    const first = await runCli(['--help'], { cwd, env });
    expect(first.exitCode).toBe(0);
    const afterHelp = await compiledChunks(cache);
    // The entry and its static imports are one pack, compiled and cached as one script.
    expect(afterHelp.files).toEqual([expect.stringMatching(/^pack-\w+\.cjs\.v8$/)]);
    const mainCache = afterHelp.files[0] as string;
    const written = await readFile(path.join(afterHelp.dir, mainCache));

    const second = await runCli(['--help'], { cwd, env });
    expect(second).toEqual(first);
    // Accepted by V8, so not written again.
    expect(await readFile(path.join(afterHelp.dir, mainCache))).toEqual(written);

    const generated = await runCli(['svc', '--yes', '--no-git'], { cwd, env });
    expect(generated.exitCode).toBe(0);
    const afterNew = await compiledChunks(cache);
    expect(afterNew.files).toContainEqual(expect.stringMatching(/^new-command-\w+\.cjs\.v8$/));
    expect(afterNew.files).toContainEqual(expect.stringMatching(/^builtin-templates-\w+\.cjs\.v8$/));
    expect(afterNew.files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    // The pack's cache, made by --help, is kept: `new` ran no member that --help did not.
    expect(await readFile(path.join(afterHelp.dir, mainCache))).toEqual(written);
  });

  it('dist/cli holds the entry and its static imports in one pack, and nothing twice', async () => {
    const dist = path.join(ROOT, 'dist/cli');
    const files = await readdir(dist);
    const packs = files.filter((file) => /^pack-\w+\.cjs$/.test(file));
    expect(packs).toHaveLength(1);
    const pack = await readFile(path.join(dist, packs[0] as string), 'utf8');
    const members = [...pack.matchAll(/^"([\w-]+\.cjs)": \(function \(/gm)].map((match) => match[1] as string);
    expect(members).toContainEqual(expect.stringMatching(/^main-\w+\.cjs$/));
    expect(members.length).toBeGreaterThan(1);
    // A member is not also a file of its own, and the launcher is told about exactly these.
    expect(files.filter((file) => members.includes(file))).toEqual([]);
    const launcher = await readFile(path.join(dist, 'launch.cjs'), 'utf8');
    for (const member of members) expect(launcher).toContain(JSON.stringify(member));
    // Commands and template data stay out: a run that does not need them must not compile them.
    expect(members.filter((member) => /^(new-command|add-command|list-command|builtin-templates)-/.test(member))).toEqual([]);
  });

  it('a damaged cache file is ignored and replaced, and the output does not change', async () => {
    const cwd = await tempDir();
    const cache = await tempDir('cra-code-cache-');
    const env = { CREATE_RUST_ASYNC_CACHE: cache, CI: 'true' };
    const clean = await runCli(['svc', '--yes', '--no-git', '--dry-run', '--json'], { cwd, env });
    expect(clean.exitCode).toBe(0);

    const { dir, files } = await compiledChunks(cache);
    expect(files).toContainEqual(expect.stringMatching(/^pack-\w+\.cjs\.v8$/));
    for (const file of files) await writeFile(path.join(dir, file), 'not V8 code');
    // A file of another build goes when the cache is written.
    await writeFile(path.join(dir, 'pack-00000000.cjs.v8'), 'another build');
    const damaged = await runCli(['svc', '--yes', '--no-git', '--dry-run', '--json'], { cwd, env });
    expect(damaged).toEqual(clean);
    for (const file of files) {
      expect((await readFile(path.join(dir, file), 'utf8')).startsWith('not V8 code'), file).toBe(false);
    }
    expect(existsSync(path.join(dir, 'pack-00000000.cjs.v8'))).toBe(false);
  });

  it('a cache folder that cannot be created changes nothing but speed', async () => {
    const cwd = await tempDir();
    const blocked = path.join(await tempDir(), 'a-file');
    await writeFile(blocked, '');
    const result = await runCli(['svc', '--yes', '--no-git', '--components', 'none'], { cwd, env: { CREATE_RUST_ASYNC_CACHE: blocked, CI: 'true' } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(cwd, 'svc/Cargo.toml'))).toBe(true);
  });
});
