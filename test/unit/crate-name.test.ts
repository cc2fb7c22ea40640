import { describe, expect, it } from 'vitest';

import { crateNameProblem, libName, suggestCrateName } from '../../src/plan/crate-name.js';

describe('crate names', () => {
  it.each(['my-svc', 'svc', 'a', 'my_svc2', 'Payments-API', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(crateNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['1svc', 'digit'],
    ['my svc', 'contains " "'],
    ['..', 'contains "."'],
    ['café', 'non-ASCII'],
    ['fn', 'keyword'],
    ['async', 'keyword'],
    ['self', 'keyword'],
    ['std', 'standard library'],
    ['core', 'standard library'],
    ['alloc', 'standard library'],
    ['proc_macro', 'standard library'],
    ['test', 'standard library'],
    ['deps', "cargo's build directories"],
    ['nul', 'Windows'],
    ['-svc', 'starts with "-"'],
    ['x'.repeat(65), 'longer than 64'],
  ])('rejects %j (%s)', (name, reason) => {
    expect(crateNameProblem(name)).toContain(reason);
  });

  it('suggests a valid name for each rejected one', () => {
    for (const name of ['1svc', 'my svc', 'café', 'fn', 'std', '..', '']) {
      const suggestion = suggestCrateName(name);
      expect(crateNameProblem(suggestion), `${name} -> ${suggestion}`).toBeUndefined();
    }
    expect(suggestCrateName('My Service')).toBe('my-service');
  });

  it('maps the crate name to the library name Rust code uses', () => {
    expect(libName('my-svc')).toBe('my_svc');
  });
});
