import type { FileChange } from '../plan/changes.js';

export interface ChangeRow {
  path: string;
  action: 'create' | 'modify' | 'delete';
  added: number;
  removed: number;
}

/** Lines added and removed per file, for the table a dry run starts with (before its diff). */
export async function summarizeChanges(changes: readonly FileChange[]): Promise<ChangeRow[]> {
  const { diffLines } = await import('diff');
  return changes.map((change) => {
    let added = 0;
    let removed = 0;
    for (const part of diffLines(change.before ?? '', change.after ?? '')) {
      if (part.added) added += part.count ?? 0;
      if (part.removed) removed += part.count ?? 0;
    }
    const action = change.before === undefined ? 'create' : change.after === undefined ? 'delete' : 'modify';
    return { path: change.path, action, added, removed };
  });
}

/** The table: one row per file, then the totals. */
export function formatSummary(rows: readonly ChangeRow[]): string {
  const width = Math.max('file'.length, ...rows.map((row) => row.path.length));
  const line = (file: string, action: string, added: string, removed: string) =>
    `  ${file.padEnd(width)}  ${action.padEnd(6)}  ${added.padStart(6)}  ${removed.padStart(6)}`;
  const total = (key: 'added' | 'removed') => rows.reduce((sum, row) => sum + row[key], 0);
  return [
    line('file', 'action', '+lines', '-lines'),
    ...rows.map((row) => line(row.path, row.action, `+${row.added}`, `-${row.removed}`)),
    line(`${rows.length} files`, '', `+${total('added')}`, `-${total('removed')}`),
  ].join('\n');
}
