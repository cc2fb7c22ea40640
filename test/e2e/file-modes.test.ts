import { chmod, lstat, readFile, readlink, rename, stat, symlink } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { BIN, tempDir } from '../helpers/cli.js';
import { makeCrate } from '../helpers/crates.js';

const mode = async (file: string) => ((await stat(file)).mode & 0o777).toString(8);

/** Runs the CLI under a given umask, as a user's shell would. */
const underUmask = (umask: string, cwd: string, args: string[]) =>
  execa('sh', ['-c', `umask ${umask} && exec node "$@"`, 'sh', BIN, ...args], { cwd, reject: false, stdin: 'ignore', env: { CI: '' } });

describe('file modes follow the umask, like cargo new', () => {
  it.each([
    ['022', '755', '644'],
    ['027', '750', '640'],
  ])('umask %s: directories %s, files %s', async (umask, dirMode, fileMode) => {
    const cwd = await tempDir();
    const result = await underUmask(umask, cwd, ['svc', '--yes', '--no-git', '--components', 'none']);
    expect(result.exitCode).toBe(0);
    const root = path.join(cwd, 'svc');
    expect(await mode(root)).toBe(dirMode);
    expect(await mode(path.join(root, 'src'))).toBe(dirMode);
    expect(await mode(path.join(root, 'Cargo.toml'))).toBe(fileMode);
    expect(await mode(path.join(root, 'src/main.rs'))).toBe(fileMode);
  });
});

describe('add keeps what the user set up', () => {
  it("keeps a file's mode and writes through a symlinked Cargo.toml to its target", async () => {
    const parent = await tempDir();
    const dir = await makeCrate(parent, 'generated');
    const shared = path.join(parent, 'Cargo.shared.toml');
    await rename(path.join(dir, 'Cargo.toml'), shared);
    await symlink(shared, path.join(dir, 'Cargo.toml'));
    await chmod(path.join(dir, 'src/lib.rs'), 0o600);
    await chmod(shared, 0o640);

    const result = await execa('node', [BIN, 'add', 'pipeline', '--allow-dirty'], { cwd: dir, reject: false, env: { CI: '' } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect((await lstat(path.join(dir, 'Cargo.toml'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(dir, 'Cargo.toml'))).toBe(shared);
    expect(await readFile(shared, 'utf8')).toMatch(/tokio-util/);
    expect(await mode(shared)).toBe('640');
    expect(await readFile(path.join(dir, 'src/lib.rs'), 'utf8')).toContain('pub mod pipeline;');
    expect(await mode(path.join(dir, 'src/lib.rs'))).toBe('600');
  });

  it('refuses a symlink to nothing, and changes nothing', async () => {
    const parent = await tempDir();
    const dir = await makeCrate(parent, 'generated');
    const readme = path.join(dir, 'README.md');
    await rename(readme, path.join(parent, 'gone.md'));
    await symlink(path.join(parent, 'missing.md'), readme);
    const result = await execa('node', [BIN, 'add', 'pipeline', '--allow-dirty'], { cwd: dir, reject: false, env: { CI: '' } });
    // Adding a component always adds its README section, so README.md is among the changes.
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/README\.md is a symlink to a file that does not exist/);
    expect(await readlink(readme)).toBe(path.join(parent, 'missing.md'));
  });
});
