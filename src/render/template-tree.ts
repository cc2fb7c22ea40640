import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CliError } from '../errors.js';
import { contentOf } from './binary.js';

/** The package's own `templates/` folder (next to `dist/` when installed). */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** One file of a template folder, read into memory. */
export interface TemplateFile {
  /** Path inside the template folder, with `/` separators. */
  source: string;
  /** Path in the generated crate. */
  target: string;
  content: string;
  /** Rendered with Handlebars (`.hbs` suffix) or copied as is. */
  render: boolean;
  /** A fragment under `partials/`, included by other templates rather than written. */
  partial: boolean;
  executable: boolean;
  /**
   * Built-in templates are proven rustfmt- and prettier-clean by this package's tests; files from
   * a template pack are not, so they are formatted after rendering.
   */
  origin: 'builtin' | 'pack';
}

/**
 * Maps a template path to its output path. A leading `_` in a segment stands for `.` because npm
 * drops or rewrites dotfiles such as `.gitignore` when it packs a package; `.hbs` marks a template.
 */
export function targetPath(source: string): string {
  return source
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

/** The name templates include a partial by: `templates/db/partials/readme.md.hbs` is `db/readme`. */
export function partialName(dir: string, source: string): string {
  return `${dir}/${source.slice('partials/'.length).replace(/\..*$/, '')}`;
}

/**
 * Reads every file below `dir` (sorted, so output order is stable). A symlink is followed only if
 * it stays inside `root` (a pack may not read files outside itself); built-ins have none.
 */
export async function readTemplateDir(
  dir: string,
  origin: TemplateFile['origin'] = 'builtin',
  root: string = dir,
): Promise<TemplateFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: TemplateFile[] = [];
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const source = path.relative(dir, full).split(path.sep).join('/');
    if (entry.isSymbolicLink()) {
      const real = await realpath(full).catch(() => full);
      const relative = path.relative(await realpath(root), real);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        throw new CliError(`${full} is a symlink that leads outside the template pack`, 'Replace the symlink with the file itself');
      }
      if (!(await stat(real)).isFile()) continue;
    } else if (!entry.isFile()) {
      continue;
    }
    const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
    const render = source.endsWith('.hbs');
    files.push({
      source,
      target: targetPath(source),
      // Templates are text by definition; anything else may be binary and is kept byte for byte.
      content: render ? bytes.toString('utf8') : contentOf(bytes),
      render,
      partial: source.startsWith('partials/'),
      executable: (info.mode & 0o111) !== 0,
      origin,
    });
  }
  return files.sort((a, b) => a.source.localeCompare(b.source));
}

/** Template folders read so far, keyed by absolute path: a run reads each folder once. */
export type TemplateStore = Map<string, TemplateFile[]>;

export async function loadTemplateDirs(root: string, dirs: readonly string[]): Promise<TemplateStore> {
  const store: TemplateStore = new Map();
  await Promise.all(
    dirs.map(async (dir) => {
      store.set(dir, await readTemplateDir(path.resolve(root, dir)));
    }),
  );
  return store;
}
