import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { BIN, TOOL_CACHE, tempDir } from '../helpers/cli.js';

// Every Node module a run loads costs start-up time (docs/build.md): these are the ones a run
// must not load unless it uses them. The list of loaded modules comes from Node itself.
const HOOK = `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, JSON.stringify(process.moduleLoadList)));`;

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const dir = await tempDir();
  const hook = path.join(dir, 'hook.cjs');
  const out = path.join(dir, 'modules.json');
  await writeFile(hook, HOOK);
  const result = await execa('node', ['--require', hook, BIN, ...args], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', CREATE_RUST_ASYNC_CACHE: TOOL_CACHE, MODULES_OUT: out },
  });
  expect(result.exitCode, result.stderr).toBe(0);
  const list = JSON.parse(await readFile(out, 'utf8')) as string[];
  return list.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
}

describe('start-up', () => {
  it('new loads neither fs/promises, readline, the recursive remover nor child_process when it needs none of them', async () => {
    const loaded = await modulesLoadedBy(['svc', '--yes', '--no-git']);
    expect(loaded).toContain('crypto'); // the manifest's hashes: the list is real
    expect(loaded.filter((name) => /^(fs\/promises|internal\/fs\/promises|internal\/readline\/|internal\/fs\/rimraf|child_process)/.test(name))).toEqual([]);
  });

  it('--help loads no crypto, fs/promises or child_process', async () => {
    const loaded = await modulesLoadedBy(['--help']);
    expect(loaded).toContain('vm'); // the code cache's loader
    expect(loaded.filter((name) => /^(crypto|fs\/promises|internal\/fs\/promises|child_process)$/.test(name))).toEqual([]);
  });
});
