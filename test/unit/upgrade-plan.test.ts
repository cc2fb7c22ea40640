import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { mergeWithMarkers } from '../../src/add/reconcile.js';
import { type Manifest, blobId, hashContent } from '../../src/plan/manifest.js';
import { allInGit, describeMissing, pickBase } from '../../src/upgrade/base.js';
import { mergeCargoUpgrade } from '../../src/upgrade/cargo-toml.js';
import { decideFile } from '../../src/upgrade/decide.js';

const labels = { ours: 'ours (your edits)', theirs: 'theirs (v2)' };
const base = 'a\nb\nc\nd\ne\n';
const next = 'a\nB\nc\nd\ne\n';

describe('decideFile', () => {
  it('replaces a file as generated, adds a new one, leaves one the templates did not change', () => {
    expect(decideFile({ path: 'x', base, next, disk: base }, labels)).toEqual({ path: 'x', action: 'updated', after: next });
    expect(decideFile({ path: 'x', base: undefined, next, disk: undefined }, labels)).toEqual({ path: 'x', action: 'added', after: next });
    expect(decideFile({ path: 'x', base, next: base, disk: 'mine\n' }, labels)).toEqual({ path: 'x', action: 'unchanged' });
    expect(decideFile({ path: 'x', base, next, disk: next }, labels)).toEqual({ path: 'x', action: 'unchanged' });
  });

  it('merges an edit elsewhere, and marks an overlapping one', () => {
    expect(decideFile({ path: 'x', base, next, disk: 'a\nb\nc\nd\nE\n' }, labels)).toEqual({ path: 'x', action: 'merged', after: 'a\nB\nc\nd\nE\n' });
    const conflicted = decideFile({ path: 'x', base, next, disk: 'a\nbee\nc\nd\ne\n' }, labels);
    expect(conflicted.action).toBe('conflicted');
    expect(conflicted.after).toBe('a\n<<<<<<< ours (your edits)\nbee\n=======\nB\n>>>>>>> theirs (v2)\nc\nd\ne\n');
  });

  it('removes a file the templates dropped only while it is as generated', () => {
    expect(decideFile({ path: 'x', base, next: undefined, disk: base }, labels)).toEqual({ path: 'x', action: 'removed' });
    expect(decideFile({ path: 'x', base, next: undefined, disk: `${base}mine\n` }, labels)).toMatchObject({ action: 'kept' });
    expect(decideFile({ path: 'x', base, next: undefined, disk: undefined }, labels)).toEqual({ path: 'x', action: 'unchanged' });
  });

  it("keeps the user's own file where the templates add one (a conflict), and a deletion of a changed file", () => {
    const own = decideFile({ path: 'x', base: undefined, next, disk: 'mine\n' }, labels);
    expect(own).toMatchObject({ action: 'conflicted' });
    expect(own.after).toBeUndefined();
    expect(decideFile({ path: 'x', base, next, disk: undefined }, labels)).toMatchObject({ action: 'kept' });
  });
});

describe('mergeWithMarkers', () => {
  it('counts the conflicting hunks and keeps the rest merged', () => {
    const merged = mergeWithMarkers('1\n2\n3\n4\n5\n6\n', '1\nX\n3\n4\n5\nY\n', '1\nx\n3\n4\n5\ny\n', labels);
    expect(merged.conflicts).toBe(2);
    expect(merged.text.match(/^<<<<<<< ours \(your edits\)$/gm)).toHaveLength(2);
  });
});

describe('mergeCargoUpgrade', () => {
  const baseToml = '[package]\nname = "svc"\n\n[dependencies]\nitoa = "1.0"\ntokio = "1"\n';
  const nextToml = '[package]\nname = "svc"\n\n[dependencies]\nitoa = "1.0.19"\ntokio = "1"\nuuid = "1"\n';

  it('bumps a dependency the user left as generated, next to one of theirs, comments kept', () => {
    // The user's line sits right above the bumped one: the line merge overlaps, the dependency merge does not.
    const disk = '[package]\nname = "svc"\n\n[dependencies]\nhex = "0.4" # ours\nitoa = "1.0"\ntokio = "1"\n';
    const merged = mergeCargoUpgrade(baseToml, disk, nextToml) ?? '';
    expect(merged).toContain('hex = "0.4" # ours');
    expect(merged).toMatch(/^itoa = "1\.0\.19"$/m);
    expect(merged).toMatch(/^uuid = "1"$/m);
  });

  it('is a conflict when the user changed the same dependency differently', () => {
    const disk = '[package]\nname = "svc"\n\n[dependencies]\nitoa = "=1.0.3"\ntokio = "1"\n';
    expect(mergeCargoUpgrade(baseToml, disk, nextToml)).toBeUndefined();
  });
});

describe('pickBase', () => {
  const text = 'fn main() {}\n';
  const manifest = (over: Partial<Manifest>): Manifest => ({
    tool: 'create-rust-async',
    version: '0.1.0',
    components: [],
    answers: { name: 'x', db: 'sqlite', ci: false, docker: false, extra: {} },
    files: { 'src/main.rs': hashContent(text) },
    ...over,
  });

  it('computes the blob id git does', () => {
    const git = execFileSync('git', ['hash-object', '--stdin'], { input: text }).toString().trim();
    expect(blobId(text)).toBe(git);
  });

  it('takes the text git has for the recorded blob, else a re-render only when it has the recorded id', () => {
    const recorded = manifest({ blobs: { 'src/main.rs': blobId(text) } });
    const fromGit = new Map([[blobId(text), text]]);
    expect(allInGit(recorded, fromGit)).toBe(true);
    expect(pickBase(recorded, fromGit, undefined).files.get('src/main.rs')).toBe(text);
    expect(pickBase(recorded, new Map(), { files: new Map([['src/main.rs', text]]) }).missing).toEqual([]);
    const changed = pickBase(recorded, new Map(), { files: new Map([['src/main.rs', 'fn main() { run() }\n']]) });
    expect(changed.files.size).toBe(0);
    expect(changed.missing[0]?.why).toContain('render it differently now');
    expect(describeMissing([...changed.missing, ...changed.missing.map((m) => ({ ...m, path: 'b' }))])).toBe('src/main.rs, b: the recorded templates render it differently now (they changed since)');
    expect(pickBase(recorded, new Map(), { error: 'pack gone' }).missing[0]?.why).toContain('pack gone');
  });

  it('falls back to the recorded sha256 for a manifest without blob ids', () => {
    const old = manifest({});
    expect(pickBase(old, new Map(), { files: new Map([['src/main.rs', text]]) }).files.get('src/main.rs')).toBe(text);
    expect(pickBase(old, new Map(), { files: new Map([['src/main.rs', 'other\n']]) }).missing).toHaveLength(1);
  });
});
