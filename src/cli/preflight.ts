// fs.promises rather than node:fs/promises: Node loads it on first use, not with the module (docs/build.md).
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

import { CliError } from '../errors.js';

/**
 * What `new` would find out only after writing the crate, checked before anything is asked or
 * written: a failure afterwards would leave a crate behind, and the rerun would find the
 * directory not empty.
 */
export async function preflightNew(flags: { savePreset?: string; verify?: boolean; dryRun?: boolean }): Promise<void> {
  if (flags.savePreset !== undefined && !flags.dryRun) await assertPresetWritable(flags.savePreset);
  if (flags.verify && !flags.dryRun) {
    const { hasCargo } = await import('../post/cargo.js');
    if (!(await hasCargo())) {
      throw new CliError('--verify needs cargo, which was not found on PATH', 'Install Rust from https://rustup.rs, or drop --verify');
    }
  }
}

async function assertPresetWritable(file: string): Promise<void> {
  const absolute = path.resolve(file);
  const info = await fs.stat(absolute).catch(() => undefined);
  if (info?.isDirectory()) throw new CliError(`--save-preset ${file} is a directory`, 'Pass a file path, e.g. --save-preset team.json');
  const dir = path.dirname(absolute);
  const parent = await fs.stat(dir).catch(() => undefined);
  if (!parent?.isDirectory()) {
    throw new CliError(`cannot save the preset: ${dir} is not a directory`, 'Create the directory first, or choose another --save-preset path');
  }
  try {
    // Creating the file is the only honest test (as root, fs.access() says yes to /proc); it is
    // removed at once and written for real after the crate.
    if (info) await fs.access(absolute, constants.W_OK);
    else await fs.writeFile(absolute, '', { flag: 'wx' }).then(() => fs.rm(absolute));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw new CliError(`cannot save the preset to ${absolute} (${code})`, 'Choose another --save-preset path, or fix its permissions');
  }
}
