import { mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { npmReason } from '../../src/pack/load.js';
import { packReference, samePack } from '../../src/pack/reference.js';

describe('packReference', () => {
  it('is relative to the crate for a pack beside it, absolute elsewhere, a name for npm', () => {
    expect(packReference('./mypack', '/work/repo', '/work/repo/svc')).toBe('../mypack');
    expect(packReference('svc/templates/pack', '/work/repo', '/work/repo/svc')).toBe('./templates/pack');
    expect(packReference('/opt/packs/acme', '/work/repo', '/work/repo/svc')).toBe('/opt/packs/acme');
    expect(packReference('../../shared/pack.tgz', '/work/repo/a', '/work/repo/svc')).toBe('/work/shared/pack.tgz');
    expect(packReference('@acme/rust-async-template', '/work/repo', '/work/repo/svc')).toBe('@acme/rust-async-template');
  });
});

describe('samePack', () => {
  it('compares local packs by real path and npm packs by name', async () => {
    const root = path.join(tmpdir(), `cra-same-${process.pid}-${Date.now()}`);
    await mkdir(path.join(root, 'pack'), { recursive: true });
    await symlink(path.join(root, 'pack'), path.join(root, 'link'));
    const at = (spec: string, from = root) => ({ spec, from });
    expect(await samePack(at('./pack'), at('../pack', path.join(root, 'svc')))).toBe(true);
    expect(await samePack(at('./pack'), at('./link'))).toBe(true);
    expect(await samePack(at('./pack'), at('./other'))).toBe(false);
    expect(await samePack(at('@acme/t'), at('@acme/t'))).toBe(true);
    expect(await samePack(at('@acme/t'), at('./pack'))).toBe(false);
  });
});

describe('npmReason', () => {
  it("takes npm's first meaningful error line, old and new prefixes alike", () => {
    const npm11 = 'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/x - Not found\nnpm error 404\n';
    expect(npmReason(npm11)).toBe('404 Not Found - GET https://registry.npmjs.org/x - Not found');
    expect(npmReason('npm ERR! code ENOENT\nnpm ERR! enoent Could not read package.json')).toBe('enoent Could not read package.json');
    expect(npmReason('something else')).toBe('npm install failed');
  });
});
