import { describe, expect, it } from 'vitest';

import { mergeText, reconcileFile } from '../../src/add/reconcile.js';
import { hashContent } from '../../src/plan/manifest.js';

const base = 'fn run() {\n    start_a();\n}\n';
const next = 'fn run() {\n    start_a();\n    start_b();\n}\n';

describe('reconcile', () => {
  it('writes a new file, and replaces one still as generated', () => {
    expect(reconcileFile({ path: 'x', base: undefined, next, disk: undefined, recorded: undefined })).toMatchObject({ kind: 'write', tracked: true });
    expect(reconcileFile({ path: 'x', base, next, disk: base, recorded: undefined })).toMatchObject({ kind: 'write', change: { after: next } });
    // As recorded, though this version of the tool renders the base differently.
    const old = 'fn run() {}\n';
    expect(reconcileFile({ path: 'x', base, next, disk: old, recorded: hashContent(old) })).toMatchObject({ kind: 'write', change: { after: next } });
  });

  it('leaves a file alone that the new components do not change, edited or deleted', () => {
    expect(reconcileFile({ path: 'x', base, next: base, disk: `// mine\n${base}`, recorded: undefined })).toEqual({ kind: 'unchanged' });
    expect(reconcileFile({ path: 'x', base, next: base, disk: undefined, recorded: undefined })).toEqual({ kind: 'unchanged' });
  });

  it('merges the change into a file the user edited elsewhere, untracked', () => {
    const disk = `// The service's start-up.\n${base}`;
    const outcome = reconcileFile({ path: 'x', base, next, disk, recorded: hashContent(base) });
    expect(outcome).toEqual({ kind: 'write', tracked: false, change: { path: 'x', before: disk, after: `// The service's start-up.\n${next}` } });
  });

  it('is a conflict where the user edited what the change touches, or deleted the file', () => {
    const disk = 'fn run() {\n    start_a_differently();\n}\n';
    expect(reconcileFile({ path: 'x', base, next, disk, recorded: undefined })).toMatchObject({ kind: 'conflict', path: 'x' });
    expect(reconcileFile({ path: 'x', base, next, disk: undefined, recorded: undefined })).toMatchObject({ kind: 'conflict' });
    // A file of the user's where a new one would go.
    expect(reconcileFile({ path: 'x', base: undefined, next, disk: 'mine', recorded: undefined })).toMatchObject({ kind: 'conflict' });
  });

  it('replaces an edited file with --overwrite, and is idempotent', () => {
    expect(reconcileFile({ path: 'x', base, next, disk: 'mine', recorded: undefined }, mergeText, true)).toMatchObject({ kind: 'write', change: { after: next } });
    expect(reconcileFile({ path: 'x', base, next, disk: next, recorded: undefined })).toEqual({ kind: 'unchanged' });
  });
});
