import { compareText } from '../text-order.js';

/**
 * Small, anchored edits to files a user may have changed: each returns the new text, or
 * `undefined` when its anchor is gone (then the user gets the exact lines to paste instead of a
 * guess). Every edit is idempotent: applying it to its own output changes nothing.
 */

/** Adds `pub mod <name>;` (or `mod`) after the last module declaration, or after the crate docs. */
export function addModDecl(source: string, name: string, visibility: 'pub ' | ''): string {
  const declared = new RegExp(`^\\s*(pub(\\([^)]*\\))?\\s+)?mod\\s+${name}\\s*[;{]`, 'm');
  if (declared.test(source)) return source;
  const line = `${visibility}mod ${name};`;
  const lines = source.split('\n');
  let last = -1;
  lines.forEach((text, i) => {
    if (/^(pub(\([^)]*\))?\s+)?mod\s+\w+\s*;/.test(text)) last = i;
  });
  if (last >= 0) {
    // Keep a sorted block sorted (rustfmt sorts consecutive `mod` lines).
    let at = last + 1;
    let first = last;
    while (first > 0 && /^(pub(\([^)]*\))?\s+)?mod\s+\w+\s*;/.test(lines[first - 1] as string)) first--;
    for (let i = first; i <= last; i++) {
      const existing = (lines[i] as string).replace(/^(pub(\([^)]*\))?\s+)?mod\s+/, '');
      if (compareText(existing, `${name};`) > 0) {
        at = i;
        break;
      }
    }
    lines.splice(at, 0, line);
    return lines.join('\n');
  }
  // No module yet: after the leading inner docs and attributes (`cargo fmt` tidies blank lines).
  let at = 0;
  while (at < lines.length && /^(\/\/!|#!\[)/.test(lines[at] as string)) {
    // An inner attribute may span lines: `#![allow(\n    ...,\n)]`.
    if ((lines[at] as string).startsWith('#![')) while (at < lines.length && !(lines[at] as string).trimEnd().endsWith(']')) at++;
    at++;
  }
  lines.splice(at, 0, ...(at === 0 ? [line, ''] : ['', line]));
  return lines.join('\n');
}

/** Adds a `//! - [`module`]: doc` line to the crate docs' `# Layout` list, if there is one. */
export function addLayoutDoc(source: string, module: string, doc: string): string | undefined {
  if (source.includes(`//! - [\`${module}\`]`)) return source;
  const lines = source.split('\n');
  let last = -1;
  lines.forEach((text, i) => {
    if (text.startsWith('//! - [`')) last = i;
  });
  if (last === -1) return undefined;
  lines.splice(last + 1, 0, `//! - [\`${module}\`]: ${doc}`);
  return lines.join('\n');
}

/** Appends `KEY=value` entries (with their comments) that `.env.example` lacks. */
export function addEnvVars(source: string, vars: readonly { name: string; example: string; doc: string }[]): string {
  const present = new Set(
    source
      .split('\n')
      .map((line) => line.match(/^\s*#?\s*([A-Z][A-Z0-9_]*)=/)?.[1])
      .filter(Boolean),
  );
  const added = vars.filter((v) => !present.has(v.name)).map((v) => `\n# ${v.doc}\n${v.name}=${v.example}\n`);
  if (added.length === 0) return source;
  return `${source.replace(/\n*$/, '\n')}${added.join('')}`;
}

/** Appends a Markdown section unless a heading with the same text is already there. */
export function addSection(source: string, section: string): string {
  const heading = section.trim().split('\n')[0]?.trim();
  if (heading && source.split('\n').some((line) => line.trim() === heading)) return source;
  return `${source.replace(/\n*$/, '\n')}\n${section.trim()}\n`;
}
