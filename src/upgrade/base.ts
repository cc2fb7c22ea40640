import { type Manifest, blobId, hashContent } from '../plan/manifest.js';

/** What the recorded source renders today, or why it could not be rendered. */
export type Rerender = { files: Map<string, string> } | { error: string };

/** The merge base of every file the recorded version generated, or what is missing. */
export interface BaseTexts {
  files: Map<string, string>;
  /**
   * Generated files whose base text could not be found: not in git (or no blob id recorded), and
   * `why` the recorded source did not give it either.
   */
  missing: { path: string; why: string }[];
}

/**
 * The files the recorded version generated: those with a blob id or a hash (a manifest from before
 * blob ids has only hashes; `add` leaves a file it did not write with what it had).
 */
export function recordedPaths(manifest: Manifest): string[] {
  return [...new Set([...Object.keys(manifest.blobs ?? {}), ...Object.keys(manifest.files)])];
}

/**
 * Finds the base text of each generated file, never guessing (pure; unit-tested):
 * 1. the blob the manifest records, read from the crate's git history (`fromGit`, by blob id):
 *    exact by construction, offline, and independent of whether the template source still
 *    exists or has changed in place;
 * 2. otherwise the recorded source rendered again today (`rerender`), accepted per file only
 *    when its text has the recorded blob id (or, for a file with no blob id, the recorded
 *    sha256): a pack changed in place, or other built-in templates, no longer match and are
 *    refused rather than used.
 * Anything else is `missing`, and the caller stops with the list.
 */
export function pickBase(manifest: Manifest, fromGit: ReadonlyMap<string, string>, rerender: Rerender | undefined): BaseTexts {
  const files = new Map<string, string>();
  const missing: BaseTexts['missing'] = [];
  for (const file of recordedPaths(manifest)) {
    const blob = manifest.blobs?.[file];
    const stored = blob === undefined ? undefined : fromGit.get(blob);
    if (stored !== undefined) {
      files.set(file, stored);
      continue;
    }
    const rendered = rerender && 'files' in rerender ? rerender.files.get(file) : undefined;
    const matches = rendered !== undefined && (blob !== undefined ? blobId(rendered) === blob : hashContent(rendered) === manifest.files[file]);
    if (rendered !== undefined && matches) {
      files.set(file, rendered);
      continue;
    }
    const why =
      rerender === undefined
        ? 'it was not rendered again'
        : 'error' in rerender
          ? `the recorded templates cannot be rendered (${rerender.error})`
          : rendered === undefined
            ? 'the recorded templates no longer write it'
            : 'the recorded templates render it differently now (they changed since)';
    missing.push({ path: file, why });
  }
  return { files, missing };
}

/** The missing bases as one clause per reason, each naming up to three files. */
export function describeMissing(missing: BaseTexts['missing']): string {
  const byWhy = new Map<string, string[]>();
  for (const { path, why } of missing) byWhy.set(why, [...(byWhy.get(why) ?? []), path]);
  return [...byWhy]
    .map(([why, paths]) => `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}: ${why}`)
    .join('; ');
}

/** Whether every base text the manifest names was found in git (then nothing is rendered again). */
export function allInGit(manifest: Manifest, fromGit: ReadonlyMap<string, string>): boolean {
  return recordedPaths(manifest).every((file) => {
    const blob = manifest.blobs?.[file];
    return blob !== undefined && fromGit.has(blob);
  });
}
