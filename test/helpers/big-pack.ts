import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { tempDir } from './cli.js';

/**
 * A template pack with many files, so writing takes long enough for a test to send a signal while
 * it is under way: `files/` for `new`, and a component `bulk` for `add`.
 */
export async function bigPack(count = 1500): Promise<string> {
  const dir = await tempDir('cra-big-pack-');
  await writeFile(
    path.join(dir, 'rust-async-template.json'),
    JSON.stringify({
      name: 'big',
      files: [{ dir: 'files' }],
      components: [
        {
          id: 'bulk',
          title: 'bulk',
          description: 'many data files',
          templates: [{ dir: 'bulk' }],
          wiring: { module: 'bulk', layoutDoc: 'bulk data.' },
        },
      ],
    }),
  );
  for (const folder of ['files/data', 'bulk/data/bulk']) await mkdir(path.join(dir, folder), { recursive: true });
  await mkdir(path.join(dir, 'bulk/src'), { recursive: true });
  await mkdir(path.join(dir, 'bulk/partials'));
  await writeFile(path.join(dir, 'bulk/src/bulk.rs'), '//! Bulk data.\n');
  await writeFile(path.join(dir, 'bulk/partials/readme.md.hbs'), '## Bulk\n\nData files.\n');
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      Promise.all([
        writeFile(path.join(dir, `files/data/f${i}.txt`), `file ${i}\n`),
        writeFile(path.join(dir, `bulk/data/bulk/f${i}.txt`), `file ${i}\n`),
      ]),
    ),
  );
  return dir;
}
