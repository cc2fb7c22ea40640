import type { FileChange } from '../plan/changes.js';
import type { UpgradeAction, UpgradeDecision } from '../upgrade/decide.js';
import { summarizeChanges } from './change-summary.js';

/** The actions the summary counts, in the order it lists them. */
export const SUMMARY_ACTIONS = ['updated', 'merged', 'conflicted', 'added', 'removed', 'kept'] as const satisfies readonly UpgradeAction[];

export interface UpgradeRow {
  path: string;
  action: UpgradeAction;
  added: number;
  removed: number;
  reason?: string;
}

/** One row per file the upgrade touches or leaves to the user, with the lines it changes. */
export async function upgradeRows(decisions: readonly UpgradeDecision[], changes: readonly FileChange[]): Promise<UpgradeRow[]> {
  const counts = new Map((await summarizeChanges(changes)).map((row) => [row.path, row]));
  return decisions.map((decision) => ({
    path: decision.path,
    action: decision.action,
    added: counts.get(decision.path)?.added ?? 0,
    removed: counts.get(decision.path)?.removed ?? 0,
    ...(decision.reason ? { reason: decision.reason } : {}),
  }));
}

/** How many files each action applies to, every action listed (zeros too), for text and JSON. */
export function countActions(rows: readonly UpgradeRow[]): Record<(typeof SUMMARY_ACTIONS)[number], number> {
  return Object.fromEntries(SUMMARY_ACTIONS.map((action) => [action, rows.filter((row) => row.action === action).length])) as Record<
    (typeof SUMMARY_ACTIONS)[number],
    number
  >;
}

/** The table: the counts, then one line per file with its action and line counts. */
export function formatUpgradeTable(rows: readonly UpgradeRow[]): string {
  const counts = countActions(rows);
  const width = Math.max('file'.length, ...rows.map((row) => row.path.length));
  const line = (file: string, action: string, added: string, removed: string) =>
    `  ${file.padEnd(width)}  ${action.padEnd(10)}  ${added.padStart(6)}  ${removed.padStart(6)}`;
  return [
    SUMMARY_ACTIONS.map((action) => `${action} ${counts[action]}`).join(', '),
    '',
    line('file', 'action', '+lines', '-lines'),
    ...rows.map((row) => line(row.path, row.action, `+${row.added}`, `-${row.removed}`)),
  ].join('\n');
}

/** The files left for the user, each with what to do. */
export function formatAttention(rows: readonly UpgradeRow[]): string[] {
  return rows.filter((row) => row.reason !== undefined).map((row) => `  ${row.action === 'conflicted' ? '!' : '='} ${row.path}: ${row.reason}`);
}
