import { existsSync } from 'node:fs';

import { CliError } from '../errors.js';
import { crateNameProblem } from '../plan/crate-name.js';

/**
 * The commands a bare word may be a typo of. `help` is left out: words near it (hello, yelp, held)
 * are likelier crate names than typos.
 */
export const COMMANDS = ['new', 'add', 'upgrade', 'list', 'generate', 'template'] as const;

/** Levenshtein distance; the words compared are command-sized, so the simple table is enough. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * `create-rust-async lst --yes` would otherwise create a crate named "lst". A bare word (no path
 * separator) near a command, that is not an existing directory, is refused with the command it
 * probably meant, and the way to really create a crate of that name. Near is two edits, but one
 * for the three-letter commands: two edits from `new` or `add` cover most three-letter words
 * (one, api, app), which are likelier crate names than typos.
 */
export function assertNotACommandTypo(dir: string | undefined): void {
  // A word that is no valid crate name anyway (`test`) gets the crate-name error instead.
  if (dir === undefined || /[\\/.]/.test(dir) || existsSync(dir) || crateNameProblem(dir) !== undefined) return;
  const word = dir.toLowerCase();
  const near = COMMANDS.map((command) => ({ command, distance: editDistance(word, command) }))
    .filter(({ command, distance }) => distance <= (command.length <= 3 ? 1 : 2))
    .sort((a, b) => a.distance - b.distance)[0];
  if (!near) return;
  throw new CliError(
    `unknown command "${dir}" (did you mean \`create-rust-async ${near.command}\`?)`,
    `To create a crate named ${dir}, run \`create-rust-async new ${dir}\``,
  );
}
