import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';

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
    expect(afterHelp.files).toContainEqual(expect.stringMatching(/^main-\w+\.cjs\.v8$/));
    // --help loads no command: no command chunk and no template data was compiled.
    expect(afterHelp.files.filter((file) => /^(new-command|builtin-templates)-/.test(file))).toEqual([]);
    const mainCache = afterHelp.files.find((file) => file.startsWith('main-')) as string;
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
  });

  it('a damaged cache file is ignored and replaced, and the output does not change', async () => {
    const cwd = await tempDir();
    const cache = await tempDir('cra-code-cache-');
    const env = { CREATE_RUST_ASYNC_CACHE: cache, CI: 'true' };
    const clean = await runCli(['svc', '--yes', '--no-git', '--dry-run', '--json'], { cwd, env });
    expect(clean.exitCode).toBe(0);

    const { dir, files } = await compiledChunks(cache);
    for (const file of files) await writeFile(path.join(dir, file), 'not V8 code');
    const damaged = await runCli(['svc', '--yes', '--no-git', '--dry-run', '--json'], { cwd, env });
    expect(damaged).toEqual(clean);
    for (const file of files) {
      expect((await readFile(path.join(dir, file), 'utf8')).startsWith('not V8 code'), file).toBe(false);
    }
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
