import { type MarkerLabels, mergeText, mergeWithMarkers, reconcileFile } from '../add/reconcile.js';

/** One file as `upgrade` sees it: the base and next renderings, and what is on disk. */
export interface UpgradeFile {
  path: string;
  /** What the recorded version rendered (the merge base); undefined if it wrote no such file. */
  base: string | undefined;
  /** What the target version renders; undefined if it writes no such file. */
  next: string | undefined;
  /** The file on disk; undefined if there is none. */
  disk: string | undefined;
}

/**
 * What `upgrade` does with one file, named as the summary table names it:
 * - `updated`: the file was as generated and takes the new text whole;
 * - `merged`: the user's edits and the template's change combined cleanly;
 * - `conflicted`: they overlap, and the file gets conflict markers; or the template adds a file
 *   where the user has one of their own, which stays as it is;
 * - `added`: the template writes a new file;
 * - `removed`: the template no longer writes a file the user left as generated;
 * - `kept`: the user's choice stands although the template changed the file (they changed a file
 *   the template removes, or deleted one it changes);
 * - `unchanged`: nothing to do.
 */
export type UpgradeAction = 'updated' | 'merged' | 'conflicted' | 'added' | 'removed' | 'kept' | 'unchanged';

export interface UpgradeDecision {
  path: string;
  action: UpgradeAction;
  /** The text to write (`updated`, `merged`, `conflicted`, `added`); undefined to remove or leave. */
  after?: string;
  /** Why a `kept` or `conflicted` file needs the user, in one sentence. */
  reason?: string;
}

/**
 * Decides one file, purely (unit-tested). The cases the template leaves in place are `add`'s
 * (`reconcileFile`: replace an untouched file, three-way merge an edited one, `merge` being
 * format-preserving for Cargo.toml); what `upgrade` adds is removal, and that an overlap is
 * written with conflict markers for the user to resolve, instead of stopping the run.
 */
export function decideFile(
  file: UpgradeFile,
  labels: MarkerLabels,
  merge: (base: string, disk: string, next: string) => string | undefined = mergeText,
): UpgradeDecision {
  const { path, base, next, disk } = file;
  if (next === undefined) {
    if (base === undefined || disk === undefined) return { path, action: 'unchanged' };
    if (disk === base) return { path, action: 'removed' };
    return { path, action: 'kept', reason: 'the templates no longer write it, and you changed it: it stays yours' };
  }
  const outcome = reconcileFile({ path, base, next, disk, recorded: undefined }, merge);
  if (outcome.kind === 'unchanged') return { path, action: 'unchanged' };
  if (outcome.kind === 'write') {
    const action = outcome.change.before === undefined ? 'added' : outcome.tracked ? 'updated' : 'merged';
    return { path, action, after: outcome.change.after };
  }
  if (disk === undefined) {
    return { path, action: 'kept', reason: 'you deleted it and the templates changed it: it stays deleted; restore it from the new templates if you want the change' };
  }
  if (base === undefined) {
    return { path, action: 'conflicted', reason: 'the templates now write this file and you have your own there: yours is kept; compare it with the new template by hand' };
  }
  // Cargo.toml's format-preserving merge found a conflict; so will the line merge, with markers.
  const merged = mergeWithMarkers(base, disk, next, labels);
  return { path, action: 'conflicted', after: merged.text, reason: `${merged.conflicts} conflicting hunk${merged.conflicts === 1 ? '' : 's'}; resolve the markers` };
}

