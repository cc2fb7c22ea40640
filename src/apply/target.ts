import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { CliError } from '../errors.js';

export type TargetState = 'missing' | 'empty' | 'non-empty';

/** A non-empty target without `--force`: at a terminal the user is asked instead. */
export class TargetNotEmptyError extends CliError {}

/**
 * Checks where a new crate will go before anything is planned or written: a file in the way, a
 * non-empty directory without `--force`, or a parent that cannot be written are errors.
 */
export async function checkTarget(target: string, force: boolean): Promise<TargetState> {
  // Synchronous calls: a few metadata lookups, each cheaper than a round trip through the thread pool.
  const info = statOrUndefined(target);
  if (info && !info.isDirectory()) {
    throw new CliError(`${target} exists and is not a directory`, 'Choose another directory name');
  }
  if (info) {
    const entries = readdirSync(target);
    if (entries.length === 0) return 'empty';
    if (!force) {
      throw new TargetNotEmptyError(
        `${target} is not empty`,
        'Choose a new directory, or pass --force to add the generated files to it (existing files are never overwritten)',
      );
    }
    assertWritable(target);
    return 'non-empty';
  }
  assertWritable(nearestExisting(path.dirname(target)));
  return 'missing';
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function nearestExisting(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    const info = statOrUndefined(current);
    if (info) {
      if (!info.isDirectory()) {
        throw new CliError(`${current} is a file, so nothing can be created below it`, 'Choose another directory');
      }
      return current;
    }
    if (path.dirname(current) === current) return current;
  }
}

function assertWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`cannot write to ${dir}`, 'Choose a directory you can write to, or fix its permissions');
  }
}
