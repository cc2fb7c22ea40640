import { parse, patch } from '@decimalturn/toml-patch';

import type { DepTable, MergedDep } from '../plan/dependencies.js';

type TomlTable = Record<string, unknown>;

interface DepEntry {
  version?: string;
  features?: string[];
  'default-features'?: boolean;
  [key: string]: unknown;
}

/**
 * Whether `have` (a Cargo requirement such as "1.0" or "0.7.3") is the same semver-compatible
 * line as `want`: same major, and same minor while the major is 0. Otherwise the module may not
 * build against the user's version, which is worth a warning (but not an edit: their version stays).
 */
export function compatible(have: string, want: string): boolean {
  const parts = (v: string) => v.replace(/^[\^~=<>\s]+/, '').split('.').map((n) => Number.parseInt(n, 10));
  const [h, w] = [parts(have), parts(want)];
  if (h[0] !== w[0]) return false;
  return h[0] !== 0 || h[1] === undefined || w[1] === undefined || h[1] === w[1];
}

/**
 * Adds the dependencies a component needs to a user's Cargo.toml, keeping their comments, order
 * and formatting (toml-patch edits the document in place). A crate already present keeps its
 * version and source and only gains missing features; `default-features = false` is never
 * imposed on a crate the user already has.
 */
export function mergeCargoToml(text: string, tables: Record<DepTable, MergedDep[]>): { text: string; warnings: string[] } {
  const doc = parse(text) as TomlTable;
  const warnings: string[] = [];
  for (const [table, deps] of Object.entries(tables) as [DepTable, MergedDep[]][]) {
    if (deps.length === 0) continue;
    const existing = (doc[table] ??= {}) as TomlTable;
    for (const dep of deps) {
      const current = existing[dep.name];
      if (current === undefined) {
        existing[dep.name] = fresh(dep);
        continue;
      }
      const entry: DepEntry = typeof current === 'string' ? { version: current } : (current as DepEntry);
      if (entry.version !== undefined && !compatible(entry.version, dep.version)) {
        warnings.push(`${table}: ${dep.name} is "${entry.version}"; the generated code is written for "${dep.version}"`);
      }
      const missing = dep.features.filter((feature) => !(entry.features ?? []).includes(feature));
      if (missing.length === 0) continue;
      existing[dep.name] =
        typeof current === 'string' ? { version: current, features: missing } : { ...entry, features: [...(entry.features ?? []), ...missing] };
    }
  }
  return { text: patch(text, doc), warnings };
}

function fresh(dep: MergedDep): string | DepEntry {
  if (dep.defaultFeatures && dep.features.length === 0) return dep.version;
  return {
    version: dep.version,
    ...(dep.defaultFeatures ? {} : { 'default-features': false }),
    ...(dep.features.length > 0 ? { features: dep.features } : {}),
  };
}
