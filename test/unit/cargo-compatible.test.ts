import { describe, expect, it } from 'vitest';

import { cargoRange, compatible, mergeCargoToml } from '../../src/add/cargo-merge.js';

describe('Cargo requirements', () => {
  it('reads a bare version as a caret requirement and commas as "and"', () => {
    expect(cargoRange('1.2')).toBe('^1.2');
    expect(cargoRange('>=1.2, <2')).toBe('>=1.2 <2');
    expect(cargoRange('>= 1.2')).toBe('>=1.2');
    expect(cargoRange('*')).toBe('*');
  });

  it('refuses what cargo would not read', () => {
    for (const requirement of ['latest', '', '1.2 || 2', '1 - 2', '1,,2', 'v1']) expect(cargoRange(requirement), requirement).toBeUndefined();
    expect(cargoRange(1)).toBeUndefined();
  });
});

describe('compatible: the user requirement shares a version with the caret range the code is written for', () => {
  it('bare majors and minors', () => {
    expect(compatible('1', '1.54')).toBe(true);
    expect(compatible('1.0', '1.54')).toBe(true);
    expect(compatible('2', '1.54')).toBe(false);
    expect(compatible('1.60', '1.54')).toBe(true);
  });

  it('0.x: the minor is the breaking part; 0.0.x: only the same patch', () => {
    expect(compatible('0.7.3', '0.7')).toBe(true);
    expect(compatible('0.6', '0.7')).toBe(false);
    expect(compatible('0.0.3', '0.0.4')).toBe(false);
    expect(compatible('0.0.3', '0.0.3')).toBe(true);
  });

  it('ranges, wildcards, tilde and exact requirements', () => {
    expect(compatible('>=1.2, <2', '1.54')).toBe(true);
    expect(compatible('>=1.2, <1.50', '1.54')).toBe(false);
    expect(compatible('*', '0.8')).toBe(true);
    expect(compatible('~1.2', '1.54')).toBe(false);
    expect(compatible('~1.54', '1.54')).toBe(true);
    expect(compatible('=0.8.1', '0.8')).toBe(true);
    expect(compatible('=0.8.1', '0.9')).toBe(false);
  });

  it('counts an unreadable requirement as incompatible', () => {
    expect(compatible('latest', '1.54')).toBe(false);
  });
});

describe('merging into a requirement that cannot be read', () => {
  it('warns, keeps the requirement and still adds the missing features', () => {
    const tables = {
      dependencies: [{ name: 'tokio', version: '1.54', features: ['macros'], defaultFeatures: true }],
      'dev-dependencies': [],
      'build-dependencies': [],
    };
    const { text, warnings } = mergeCargoToml('[dependencies]\ntokio = "latest"\n', tables);
    expect(text).toMatch(/tokio = \{ version = "latest", features = \[ ?"macros" ?\] \}/);
    expect(warnings).toEqual([
      'dependencies: tokio is "latest", which is not a version requirement this tool can read; the generated code is written for "1.54"',
    ]);
  });
});
