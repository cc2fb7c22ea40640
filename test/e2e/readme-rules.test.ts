import { describe, expect, it } from 'vitest';

import { RULES } from '../../src/catalog/rules.js';
import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';
import { fileOf, plan } from '../helpers/plan.js';
import { readRulesTable } from '../helpers/rules-table.js';

// The README's rules table must be true of the crate it describes: every file it names is
// generated, and every test it names is a test function in the file it says (or, for a rustdoc
// example, a documented item with an example). The cargo matrix also finds each test in
// `cargo test -- --list`.
describe.each(MATRIX.map((v) => [v.id, v] as const))('%s: README rules table', (_, variant) => {
  const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: true, docker: true });
  const table = readRulesTable(fileOf(result, 'README.md'));
  const paths = new Set(result.files.map((f) => f.path));

  it('lists every rule once, in order', () => {
    expect(table.rules).toEqual(Object.values(RULES));
  });

  it.each(table.rows.map((row) => [`${row.file} / ${row.test}`, row] as const))('%s is real', (_, row) => {
    expect(paths.has(row.file), `${row.file} is generated`).toBe(true);
    const source = fileOf(result, row.testFile);
    if (row.doc) {
      // A doc comment with a code block, right above the item (and its attributes).
      const item = new RegExp(`((?:^///.*\\n)+)(?:#\\[.*\\]\\n)*pub (?:struct|enum|fn|trait) ${row.test}\\b`, 'm').exec(source);
      expect(item?.[1], `${row.test} is documented in ${row.testFile}`).toMatch(/^\/\/\/ ```$/m);
    } else {
      const test = new RegExp(`#\\[(?:tokio::test|test|sqlx::test)[^\\]]*\\]\\s*\\n\\s*(?:async )?fn ${row.test}\\(`);
      expect(source, `${row.test} is a test in ${row.testFile}`).toMatch(test);
    }
  });
});

describe('README rules table with every component', () => {
  it.each(['sqlite', 'postgres'] as const)('shows every rule on %s', (db) => {
    const components = ['pipeline', 'http-client', 'http-server', 'db', 'worker', 'grpc'];
    const { missing } = readRulesTable(fileOf(plan({ components, db }), 'README.md'));
    expect(missing).toEqual([]);
  });

  it('marks the rules the base crate alone does not show', () => {
    const { missing } = readRulesTable(fileOf(plan({ components: [] }), 'README.md'));
    expect(missing).toContain(RULES.broadcast);
    expect(missing).not.toContain(RULES['env-config']);
  });
});
