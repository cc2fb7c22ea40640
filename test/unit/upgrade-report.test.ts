import { describe, expect, it } from 'vitest';

import { countActions, formatAttention, formatUpgradeTable, upgradeRows } from '../../src/cli/upgrade-report.js';

describe('upgrade summary', () => {
  it('counts every action (zeros too), lists each file with its line counts, and what needs the user', async () => {
    const rows = await upgradeRows(
      [
        { path: 'a.rs', action: 'updated', after: 'x\ny\n' },
        { path: 'b.rs', action: 'conflicted', after: '<<<<<<< ours\n', reason: '1 conflicting hunk; resolve the markers' },
        { path: 'c.toml', action: 'removed' },
      ],
      [
        { path: 'a.rs', before: 'x\n', after: 'x\ny\n' },
        { path: 'b.rs', before: 'b\n', after: '<<<<<<< ours\n' },
        { path: 'c.toml', before: 'c\nd\n', after: undefined },
      ],
    );
    expect(countActions(rows)).toEqual({ updated: 1, merged: 0, conflicted: 1, added: 0, removed: 1, kept: 0 });
    const table = formatUpgradeTable(rows).split('\n');
    expect(table[0]).toBe('updated 1, merged 0, conflicted 1, added 0, removed 1, kept 0');
    expect(table).toContain('  a.rs    updated         +1      -0');
    expect(table).toContain('  c.toml  removed         +0      -2');
    expect(formatAttention(rows)).toEqual(['  ! b.rs: 1 conflicting hunk; resolve the markers']);
  });
});
