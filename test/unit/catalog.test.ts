import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { BASE, COMPONENTS } from '../../src/catalog/index.js';
import { CRATE_VERSIONS } from '../../src/catalog/versions.js';
import { BUILTIN_TEMPLATES } from '../../src/render/template-tree.js';
import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';
import { fileOf, plan } from '../helpers/plan.js';

const ids = COMPONENTS.map((c) => c.id);

describe('catalog integrity', () => {
  it('has unique ids, and requires/conflicts name real components', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const component of COMPONENTS) {
      for (const other of [...component.requires, ...component.conflicts]) {
        expect(ids, `${component.id} refers to ${other}`).toContain(other);
      }
    }
  });

  it('has a template folder for every source and a pinned version for every crate', () => {
    for (const part of [BASE, ...COMPONENTS]) {
      for (const source of part.templates) {
        expect(existsSync(path.join(BUILTIN_TEMPLATES, source.dir)), source.dir).toBe(true);
      }
      for (const dep of part.crates) expect(CRATE_VERSIONS, dep.name).toHaveProperty(dep.name);
    }
  });

  it('has a cargo-matrix line for every component', () => {
    for (const id of ids) {
      expect(MATRIX.some((variant) => variant.components.includes(id)), id).toBe(true);
    }
  });
});

describe('environment variables', () => {
  // Every `env.<helper>("NAME", ...)` call and every std::env read in generated Rust.
  const READ = /\benv\.(?:string|parse|positive|millis|\w+)\(\s*"([A-Z][A-Z0-9_]*)"|env::var(?:_os)?\(\s*"([A-Z][A-Z0-9_]*)"/g;

  it.each(MATRIX.map((v) => [v.id, v] as const))('%s: every variable the code reads is in .env.example', (_, variant) => {
    const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: true, docker: true });
    const documented = new Set(
      fileOf(result, '.env.example')
        .split('\n')
        .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
        .map((line) => line.split('=')[0]),
    );
    const read = new Set<string>();
    for (const file of result.files.filter((f) => f.path.startsWith('src/') && f.path.endsWith('.rs'))) {
      for (const match of file.content.matchAll(READ)) read.add((match[1] ?? match[2]) as string);
    }
    // RUST_LOG is read through Config like the others; the list must not be empty by accident.
    expect(read.has('SHUTDOWN_GRACE_MS')).toBe(true);
    for (const name of read) expect(documented, `${name} is read but not documented`).toContain(name);
    for (const name of documented) expect(read, `${name} is documented but never read`).toContain(name);
  });
});
