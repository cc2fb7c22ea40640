import { parse, patch } from '@decimalturn/toml-patch';
import semver from 'semver';

import type { DepTable, MergedDep } from '../plan/dependencies.js';

type TomlTable = Record<string, unknown>;

interface DepEntry {
  version?: string;
  features?: string[];
  'default-features'?: boolean;
  [key: string]: unknown;
}

/** One comparator of a Cargo requirement: an optional operator, then a version or wildcard. */
const CARGO_COMPARATOR = /^(?:\^|~|=|>=|<=|>|<)?\s*(?:\*|\d+(?:\.(?:\d+|\*|x|X)){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/**
 * A Cargo version requirement as an npm semver range, or `undefined` if it is not one. Cargo
 * separates comparators with commas where npm uses spaces, and reads a bare `1.2` as `^1.2`;
 * the operators and wildcards otherwise mean the same in both. Syntax cargo rejects (`||`,
 * hyphen ranges) is refused here too rather than read with npm's meaning.
 */
export function cargoRange(requirement: unknown): string | undefined {
  if (typeof requirement !== 'string') return undefined;
  const comparators = requirement.split(',').map((part) => part.trim());
  if (!comparators.every((part) => CARGO_COMPARATOR.test(part))) return undefined;
  const range = comparators.map((part) => (/^\d/.test(part) ? `^${part}` : part.replace(/\s+/g, ''))).join(' ');
  return semver.validRange(range) === null ? undefined : range;
}

/**
 * Whether the user's requirement `have` (such as "1.0", ">=1.2, <2" or "=0.8.1") admits a version
 * the generated code, written for `want`, builds against: the two ranges share a version. If not,
 * the module may not build against the user's version, which is worth a warning (but not an edit:
 * their version stays). A requirement that cannot be read counts as incompatible.
 */
export function compatible(have: unknown, want: string): boolean {
  const [haveRange, wantRange] = [cargoRange(have), cargoRange(want)];
  return haveRange !== undefined && wantRange !== undefined && semver.intersects(haveRange, wantRange);
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
        const unread = cargoRange(entry.version) === undefined ? ', which is not a version requirement this tool can read' : '';
        warnings.push(`${table}: ${dep.name} is ${JSON.stringify(entry.version)}${unread}; the generated code is written for "${dep.version}"`);
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
