import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { TOOL_PACKAGES } from '../../src/tools/versions.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: object; devDependencies: Record<string, string> };

describe('tools installed on first use', () => {
  it.each(Object.entries(TOOL_PACKAGES))('%s is pinned to the version the tests run against', (name, version) => {
    expect(manifest.devDependencies[name]).toBe(version);
    const installed = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string };
    expect(installed.version).toBe(version);
  });

  it('are not dependencies of the package (everything else is bundled)', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});
