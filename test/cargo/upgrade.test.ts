import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { tempDir } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { AUDIT_LOG, USER_DOC_EDIT, V2_LINE, teamCrate, upgrade } from '../helpers/upgrade.js';
import { STEPS, checkCrate } from './cargo.js';

// One variant (a team pack v1 → v2 over a crate its team edited): the upgraded crate must pass
// fmt --check, clippy -D warnings, test and doc, keep the team's edits, and stay put on a second run.
describe('upgrade, then cargo', () => {
  it('team pack v1 → v2', async () => {
    // Outside this repository, so `new` makes the crate a repository of its own, as users get it.
    const crate = await teamCrate(await tempDir('cra-upgrade-cargo-'));
    const result = await upgrade(crate, '--yes');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const audit = await readFile(path.join(crate.dir, AUDIT_LOG), 'utf8');
    expect(audit).toContain(USER_DOC_EDIT);
    expect(audit).toContain(V2_LINE);
    expect(await readFile(path.join(crate.dir, 'Cargo.toml'), 'utf8')).toContain('hex = "0.4"');

    const started = Date.now();
    const { summary } = await checkCrate(crate.dir, STEPS);
    process.stdout.write(`\nupgrade team pack v1 → v2: ${((Date.now() - started) / 1000).toFixed(0)}s (${summary})\n`);

    await git(crate.dir, crate.env, 'add', '-A');
    await git(crate.dir, crate.env, 'commit', '-qm', 'upgrade to v2');
    const again = await upgrade(crate);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await git(crate.dir, crate.env, 'status', '--porcelain')).toBe('');
  });
});
