import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { CliError } from '../errors.js';
import type { Answers } from '../plan/answers.js';
import { packReference } from './reference.js';
import { PRESET_SCHEMA } from './schema.js';
import type { Preset } from './types.js';
import { validate } from './validate.js';

/** Reads an answers file: JSON, or YAML (`.yaml`/`.yml`). Unknown keys and bad values name the key. */
export async function readPreset(file: string): Promise<Preset> {
  const raw = await readFile(file, 'utf8').catch(() => {
    throw new CliError(`preset ${file} cannot be read`, 'Check the path');
  });
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse rejects as an
  // invisible "unexpected token".
  const text = raw.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(file)) {
      const { parse } = await import('yaml');
      data = parse(text);
    } else {
      data = JSON.parse(text);
    }
  } catch (error) {
    throw new CliError(`preset ${file} does not parse (${(error as Error).message.split('\n')[0]})`, 'Fix the syntax');
  }
  const preset = validate<Preset>(PRESET_SCHEMA, data ?? {}, file);
  // A preset's template path is relative to the preset, not to where the command runs.
  if (preset.template?.startsWith('.')) preset.template = path.resolve(path.dirname(file), preset.template);
  return preset;
}

/** Writes the answers of a run as a preset that replays it (`--save-preset`). */
export async function savePreset(file: string, answers: Answers, template: string | undefined): Promise<void> {
  // The preset resolves its template relative to itself (see readPreset), so that is how it is stored.
  const stored = template === undefined ? undefined : packReference(template, process.cwd(), path.dirname(path.resolve(file)));
  const preset: Preset = {
    ...(stored ? { template: stored } : {}),
    components: answers.components,
    ...(answers.components.includes('db') ? { db: answers.db } : {}),
    ...(answers.queue === undefined ? {} : { queue: answers.queue }),
    ci: answers.ci,
    docker: answers.docker,
    git: answers.git,
    ...(Object.keys(answers.extra).length > 0 ? { answers: answers.extra } : {}),
  };
  await writeFile(file, `${JSON.stringify(preset, null, 2)}\n`).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write preset ${file} (${error.code ?? error.message})`, 'Choose a path you can write to');
  });
}
