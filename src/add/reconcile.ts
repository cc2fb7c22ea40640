import { diff3Merge } from 'node-diff3';

import type { FileChange } from '../plan/changes.js';
import { hashContent } from '../plan/manifest.js';

/** One file as `add` sees it: what the crate's components render now and after, and what is on disk. */
export interface FileVersions {
  path: string;
  /** What the crate's current components render (the merge base); undefined if they write no such file. */
  base: string | undefined;
  /** What the components after `add` render. */
  next: string;
  /** The file on disk; undefined if there is none. */
  disk: string | undefined;
  /** The hash recorded when the tool last wrote it, if it did. */
  recorded: string | undefined;
}

/** What `add` does with one file. */
export type Outcome =
  | { kind: 'unchanged' }
  | { kind: 'write'; change: FileChange; tracked: boolean }
  | { kind: 'conflict'; path: string; base: string | undefined; next: string };

/** The labels of conflict markers: whose side is whose, as `git merge-file -L` takes them. */
export interface MarkerLabels {
  ours: string;
  theirs: string;
}

/**
 * Three-way merge of the user's text (`disk`, ours) with the change from `base` to `next`
 * (theirs). Overlapping hunks become standard conflict markers (`<<<<<<< ours`, `=======`,
 * `>>>>>>> theirs`, as git writes them); `conflicts` counts them.
 */
export function mergeWithMarkers(base: string, disk: string, next: string, labels: MarkerLabels): { text: string; conflicts: number } {
  const regions = diff3Merge(disk.split('\n'), base.split('\n'), next.split('\n'));
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      lines.push(...region.ok);
      continue;
    }
    conflicts += 1;
    const { a, b } = region.conflict ?? { a: [], b: [] };
    lines.push(`<<<<<<< ${labels.ours}`, ...a, '=======', ...b, `>>>>>>> ${labels.theirs}`);
  }
  return { text: lines.join('\n'), conflicts };
}

/**
 * Three-way merge of the user's text with the change the new components make to the generated
 * text: `undefined` when a hunk of that change overlaps an edit of the user's.
 */
export function mergeText(base: string, disk: string, next: string): string | undefined {
  const merged = mergeWithMarkers(base, disk, next, { ours: 'ours', theirs: 'theirs' });
  return merged.conflicts === 0 ? merged.text : undefined;
}

/**
 * Decides one file, purely: planned texts and the disk in, a change, nothing, or a conflict out.
 *
 * - A file the new components do not change (base = next) is left as it is, edited or not.
 * - A file as the tool wrote it (disk = base, or the recorded hash) takes the new text whole.
 * - A file the user edited gets the components' change merged into it (`merge`: three-way for
 *   text, format-preserving for Cargo.toml); where that change overlaps the user's edits, or the
 *   user deleted a file it must change, it is a conflict: nothing is written, and the user is
 *   shown what to change by hand.
 */
export function reconcileFile(
  file: FileVersions,
  merge: (base: string, disk: string, next: string) => string | undefined = mergeText,
  overwrite = false,
): Outcome {
  const { path, base, next, disk } = file;
  if (disk === next) return { kind: 'unchanged' };
  if (disk === undefined) {
    // Deleted by the user: fine while the new components would not change it.
    if (base !== undefined && base === next) return { kind: 'unchanged' };
    if (base !== undefined) return { kind: 'conflict', path, base, next };
    return { kind: 'write', change: { path, before: undefined, after: next }, tracked: true };
  }
  if (base === next) return { kind: 'unchanged' };
  const pristine = disk === base || (file.recorded !== undefined && file.recorded === hashContent(disk));
  if (pristine || overwrite) return { kind: 'write', change: { path, before: disk, after: next }, tracked: true };
  if (base === undefined) return { kind: 'conflict', path, base, next };
  const merged = merge(base, disk, next);
  if (merged === undefined) return { kind: 'conflict', path, base, next };
  return merged === disk ? { kind: 'unchanged' } : { kind: 'write', change: { path, before: disk, after: merged }, tracked: false };
}
