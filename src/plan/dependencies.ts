import type { CrateDep } from '../catalog/types.js';
import { crateVersion } from '../catalog/versions.js';
import { compareText } from '../text-order.js';

export type DepTable = 'dependencies' | 'dev-dependencies' | 'build-dependencies';

/** One crate as it will appear in a Cargo.toml table, after merging every component's needs. */
export interface MergedDep {
  name: string;
  version: string;
  features: string[];
  defaultFeatures: boolean;
}

export function depTable(dep: CrateDep): DepTable {
  if (dep.dev) return 'dev-dependencies';
  if (dep.build) return 'build-dependencies';
  return 'dependencies';
}

/**
 * Merges the crates of every chosen component per table: features are unioned, and default
 * features stay off only if every component that names the crate turns them off.
 */
export function mergeDeps(deps: readonly CrateDep[]): Record<DepTable, MergedDep[]> {
  const tables: Record<DepTable, Map<string, MergedDep>> = {
    dependencies: new Map(),
    'dev-dependencies': new Map(),
    'build-dependencies': new Map(),
  };
  for (const dep of deps) {
    const table = tables[depTable(dep)];
    const existing = table.get(dep.name);
    const defaultFeatures = dep.defaultFeatures ?? true;
    if (existing) {
      existing.features = [...new Set([...existing.features, ...(dep.features ?? [])])];
      existing.defaultFeatures ||= defaultFeatures;
    } else {
      table.set(dep.name, {
        name: dep.name,
        version: dep.version ?? crateVersion(dep.name),
        features: [...(dep.features ?? [])],
        defaultFeatures,
      });
    }
  }
  const sorted = (table: Map<string, MergedDep>) =>
    [...table.values()]
      .map((dep) => ({ ...dep, features: [...dep.features].sort() }))
      .sort((a, b) => compareText(a.name, b.name));
  return {
    dependencies: sorted(tables.dependencies),
    'dev-dependencies': sorted(tables['dev-dependencies']),
    'build-dependencies': sorted(tables['build-dependencies']),
  };
}

/** The TOML line for one dependency, in the short form when there is nothing but a version. */
export function depLine(dep: MergedDep): string {
  const parts = [`version = "${dep.version}"`];
  if (!dep.defaultFeatures) parts.push('default-features = false');
  if (dep.features.length > 0) parts.push(`features = [${dep.features.map((f) => `"${f}"`).join(', ')}]`);
  return parts.length === 1 ? `${dep.name} = "${dep.version}"` : `${dep.name} = { ${parts.join(', ')} }`;
}
