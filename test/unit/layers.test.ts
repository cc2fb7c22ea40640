import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Which top-level folders of `src/` each one imports from (static and dynamic imports). */
function folderImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const from = file.split(path.sep)[0] as string;
    const text = readFileSync(path.join(SRC, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'(\.\.?\/[^']+)'/g)) {
      const to = path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier as string)).split(path.sep)[0] as string;
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

function reaches(edges: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const target of edges.get(next) ?? []) {
      if (target === to) return true;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return false;
}

describe('layers', () => {
  it('src/plan and src/pack do not import each other, directly or through other folders', () => {
    const edges = folderImports();
    // A scan that found no imports would pass the check below vacuously.
    expect(edges.size).toBeGreaterThan(0);
    expect(reaches(edges, 'plan', 'pack') && reaches(edges, 'pack', 'plan'), 'src/plan and src/pack import each other').toBe(false);
  });
});
