import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CliError } from '../errors.js';
import { isInside } from '../paths/inside.js';

const STARTER = fileURLToPath(new URL('../../starter-pack/', import.meta.url));

/** `create-rust-async template init <dir>`: copies the documented starter pack into an empty dir. */
export async function runTemplateInit(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const existing = await readdir(target).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new CliError(`${target} is not empty`, 'Choose a new or empty directory for the template pack');
  }
  await cp(STARTER, target, { recursive: true, errorOnExist: true, force: false }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${target} (${error.code ?? error.message})`, 'Choose a directory you can write to');
  });
  // Below the working directory the pack is shown as `./dir`, the way one would type it.
  const shown = isInside(target, process.cwd()) ? `./${path.relative(process.cwd(), target)}` : target;
  process.stdout.write(
    `Wrote a starter template pack to ${target}.\n\nTry it:\n  npx create-rust-async my-svc --template ${shown} --yes\n\nThen read ${path.join(dir, 'README.md')} to make it yours.\n`,
  );
}
