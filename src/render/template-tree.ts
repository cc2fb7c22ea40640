// fs.promises rather than node:fs/promises: Node loads it on first use, not with the module (docs/build.md).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CliError } from '../errors.js';
import { isInside } from '../paths/inside.js';
import { compareText } from '../text-order.js';
import { embeddedTemplates } from './builtin-data.js';
import { type TemplateText, loadCompiler } from './handlebars.js';
import { contentOf } from './binary.js';

/**
 * The package's own `templates/` folder, from `src/render/` and from the bundle in `dist/cli/` alike.
 * The bundle does not read it: the built-in folders are embedded, precompiled, at build time.
 */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** One file of a template folder, read into memory. */
export type TemplateFile = {
  /** Path inside the template folder, with `/` separators. */
  source: string;
  /** Path in the generated crate. */
  target: string;
  /** A fragment under `partials/`, included by other templates rather than written. */
  partial: boolean;
  executable: boolean;
  /**
   * Built-in templates are proven rustfmt- and prettier-clean by this package's tests; files from
   * a template pack are not, so they are formatted after rendering.
   */
  origin: 'builtin' | 'pack';
} & (
  | {
      /** A template (`.hbs` suffix), rendered with Handlebars. */
      render: true;
      /**
       * Its text; for a template precompiled at build time (a built-in, in the bundle), that form
       * instead: the bundle does not ship the text twice.
       */
      content: TemplateText;
    }
  | {
      /** Any other file, copied as it is. */
      render: false;
      content: string;
    }
);

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

function templateFile(source: string, content: TemplateText, executable: boolean, origin: TemplateFile['origin']): TemplateFile {
  const common = { source, target: targetPath(source), partial: source.startsWith('partials/'), executable, origin };
  if (source.endsWith('.hbs')) return { ...common, render: true, content };
  if (typeof content !== 'string') throw new Error(`${source} is precompiled but not a template`);
  return { ...common, render: false, content };
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
  // Files read from disk were not precompiled at build time.
  const [entries] = await Promise.all([fs.readdir(dir, { recursive: true, withFileTypes: true }), loadCompiler()]);
  const files: TemplateFile[] = [];
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const source = path.relative(dir, full).split(path.sep).join('/');
    if (entry.isSymbolicLink()) {
      const real = await fs.realpath(full).catch(() => full);
      if (!isInside(real, await fs.realpath(root))) {
        throw new CliError(`${full} is a symlink that leads outside the template pack`, 'Replace the symlink with the file itself');
      }
      if (!(await fs.stat(real)).isFile()) continue;
    } else if (!entry.isFile()) {
      continue;
    }
    const [bytes, info] = await Promise.all([fs.readFile(full), fs.stat(full)]);
    // Templates are text by definition; anything else may be binary and is kept byte for byte.
    const content = source.endsWith('.hbs') ? bytes.toString('utf8') : contentOf(bytes);
    files.push(templateFile(source, content, (info.mode & 0o111) !== 0, origin));
  }
  return files.sort((a, b) => compareText(a.source, b.source));
}

/** Template folders read so far, keyed by absolute path: a run reads each folder once. */
export type TemplateStore = Map<string, TemplateFile[]>;

/**
 * Reads template folders below `root`. For the built-in folders the bundle answers from the data
 * embedded at build time (no directory walk, no compiler); from source they are read from disk.
 */
export async function loadTemplateDirs(root: string, dirs: readonly string[]): Promise<TemplateStore> {
  const store: TemplateStore = new Map();
  const embedded = path.resolve(root) === path.resolve(BUILTIN_TEMPLATES) ? await embeddedTemplates() : undefined;
  await Promise.all(
    dirs.map(async (dir) => {
      if (!embedded) {
        store.set(dir, await readTemplateDir(path.resolve(root, dir)));
        return;
      }
      // The build embeds each top-level folder whole; a component's folders are below it (`db/common`).
      const [top = dir, ...rest] = dir.split('/');
      const prefix = rest.length > 0 ? `${rest.join('/')}/` : '';
      const files = embedded[top]?.filter((file) => file.source.startsWith(prefix));
      if (!files?.length) throw new Error(`template folder "${dir}" is not in the build; rebuild the package`);
      store.set(
        dir,
        files.map((file) =>
          templateFile(file.source.slice(prefix.length), 'spec' in file ? { spec: file.spec } : file.content, file.executable, 'builtin'),
        ),
      );
    }),
  );
  return store;
}
