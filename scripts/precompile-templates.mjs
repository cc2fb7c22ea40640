// Build step: every file under templates/ becomes data in one ES module, `.hbs` files precompiled
// with Handlebars (the same strict, no-escape options the runtime compiler uses) and kept in that
// form only, so a run from built-in templates neither walks a directory nor loads the Handlebars
// compiler. Each top-level
// folder is a template folder; what the paths mean (targets, partials) stays in src/render.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import Handlebars from 'handlebars';

export const COMPILE_OPTIONS = { strict: true, noEscape: true };

async function folderFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    const source = path.relative(dir, full).split(path.sep).join('/');
    const [content, info] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
    let spec;
    if (source.endsWith('.hbs')) {
      try {
        spec = Handlebars.precompile(content, { ...COMPILE_OPTIONS }); // a copy: Handlebars adds keys to it
      } catch (error) {
        throw new Error(`${full}: ${error.message}`);
      }
    }
    files.push({ source, content, executable: (info.mode & 0o111) !== 0, spec });
  }
  // The order readTemplateDir gives, so output order does not depend on how the CLI was built.
  return files.sort((a, b) => a.source.localeCompare(b.source, 'en')); // the order src/text-order.ts gives
}

/** The JavaScript source of the module: `export default { <folder>: [{ source, executable, spec | content }] }`. */
export async function templatesModule(root) {
  const folders = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const parts = [];
  for (const folder of folders) {
    // A template's precompiled form holds its text; the text itself is not needed at run time.
    const files = (await folderFiles(path.join(root, folder))).map(
      ({ source, content, executable, spec }) =>
        `{source:${JSON.stringify(source)},executable:${executable},${spec ? `spec:${spec}` : `content:${JSON.stringify(content)}`}}`,
    );
    parts.push(`${JSON.stringify(folder)}:[\n${files.join(',\n')}]`);
  }
  return `// Generated from templates/ by scripts/precompile-templates.mjs.\nexport default {\n${parts.join(',\n')}\n};\n`;
}
