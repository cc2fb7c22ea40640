import { constants } from 'node:fs';
import { access, rm, stat, writeFile } from 'node:fs/promises';
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
  const info = await stat(absolute).catch(() => undefined);
  if (info?.isDirectory()) throw new CliError(`--save-preset ${file} is a directory`, 'Pass a file path, e.g. --save-preset team.json');
  const dir = path.dirname(absolute);
  const parent = await stat(dir).catch(() => undefined);
  if (!parent?.isDirectory()) {
    throw new CliError(`cannot save the preset: ${dir} is not a directory`, 'Create the directory first, or choose another --save-preset path');
  }
  try {
    // Creating the file is the only honest test (as root, access() says yes to /proc); it is
    // removed at once and written for real after the crate.
    if (info) await access(absolute, constants.W_OK);
    else await writeFile(absolute, '', { flag: 'wx' }).then(() => rm(absolute));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw new CliError(`cannot save the preset to ${absolute} (${code})`, 'Choose another --save-preset path, or fix its permissions');
  }
}
