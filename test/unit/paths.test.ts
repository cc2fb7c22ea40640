import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { assertSafeOutputPath, isInside } from '../../src/paths/inside.js';

const root = path.resolve('/srv/project');

describe('isInside', () => {
  it('counts the root itself and paths below it as inside', () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(path.join(root, 'src/main.rs'), root)).toBe(true);
    expect(isInside(`${root}${path.sep}`, root)).toBe(true);
  });

  it('treats folders whose names start with .. as ordinary folders', () => {
    expect(isInside(path.join(root, '..foo'), root)).toBe(true);
    expect(isInside(path.join(root, '..foo/bar'), root)).toBe(true);
    expect(isInside('..foo', '.')).toBe(true);
  });

  it('rejects climbing out, siblings that share a prefix, and absolute paths elsewhere', () => {
    expect(isInside(path.join(root, '../x'), root)).toBe(false);
    expect(isInside(path.join(root, 'src/../../x'), root)).toBe(false);
    expect(isInside('../x', '.')).toBe(false);
    expect(isInside('..', '.')).toBe(false);
    expect(isInside(`${root}-old/file`, root)).toBe(false);
    expect(isInside(path.resolve('/etc/passwd'), root)).toBe(false);
  });
});

describe('assertSafeOutputPath', () => {
  it('accepts plain relative paths, including ..-prefixed names', () => {
    expect(() => assertSafeOutputPath('src/main.rs', 'a template')).not.toThrow();
    expect(() => assertSafeOutputPath('..config/x.toml', 'a template')).not.toThrow();
  });

  it('rejects paths that leave the project or hide where they land', () => {
    for (const file of ['..', '../x', '/etc/passwd', 'src/../../x', 'src/..', 'src\\main.rs', './src/main.rs']) {
      expect(() => assertSafeOutputPath(file, 'the template pack'), file).toThrow(/the template pack would write .*outside the project/);
    }
  });
});
