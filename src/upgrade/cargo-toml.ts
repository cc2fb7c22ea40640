import { isDeepStrictEqual } from 'node:util';

import { parse, patch } from '@decimalturn/toml-patch';

import { mergeText } from '../add/reconcile.js';

type TomlTable = Record<string, unknown>;

const DEP_TABLES = ['dependencies', 'dev-dependencies', 'build-dependencies'] as const;

function parsed(text: string): TomlTable | undefined {
  try {
    return parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/** The manifest without its dependency tables: what must not differ for a per-dependency merge. */
function withoutDeps(doc: TomlTable): TomlTable {
  const rest = { ...doc };
  for (const table of DEP_TABLES) delete rest[table];
  return rest;
}

/**
 * Merges the templates' change to Cargo.toml (`base` → `next`) into the user's (`disk`). A line
 * merge first, as for any file; where its hunks overlap the user's edits (a dependency added next
 * to one the templates bump, say) and the templates changed dependencies only, the change is
 * applied dependency by dependency with toml-patch, which keeps the user's formatting, comments
 * and entries: a dependency the user left as generated takes the new version (or is removed), a
 * new one is added, one the user already changed the same way is left. A dependency both changed
 * differently, or one the user removed that the templates change, is a conflict (`undefined`).
 */
export function mergeCargoUpgrade(base: string, disk: string, next: string): string | undefined {
  const lines = mergeText(base, disk, next);
  if (lines !== undefined) return lines;
  const [baseDoc, diskDoc, nextDoc] = [parsed(base), parsed(disk), parsed(next)];
  if (!baseDoc || !diskDoc || !nextDoc) return undefined;
  if (!isDeepStrictEqual(withoutDeps(baseDoc), withoutDeps(nextDoc))) return undefined;
  for (const table of DEP_TABLES) {
    const [from, to] = [(baseDoc[table] ?? {}) as TomlTable, (nextDoc[table] ?? {}) as TomlTable];
    const mine = (diskDoc[table] ?? {}) as TomlTable;
    for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
      const [was, will, has] = [from[name], to[name], mine[name]];
      if (isDeepStrictEqual(was, will) || isDeepStrictEqual(has, will)) continue;
      if (!isDeepStrictEqual(has, was)) return undefined;
      if (will === undefined) delete mine[name];
      else mine[name] = will;
    }
    if (Object.keys(mine).length > 0 || diskDoc[table] !== undefined) diskDoc[table] = mine;
  }
  return patch(disk, diskDoc);
}
