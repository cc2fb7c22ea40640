import { createHash } from 'node:crypto';

import { contentBytes } from '../render/binary.js';
import { compareText } from '../text-order.js';
import type { Answers } from './answers.js';

/**
 * The file at the generated crate's root that records what generated it, so `add` (and a later
 * `upgrade`) can tell a file the user changed (hash differs) from one still as generated.
 */
export const MANIFEST_PATH = '.create-rust-async.json';

export interface Manifest {
  tool: 'create-rust-async';
  version: string;
  /**
   * `foreign`: a hand-written crate that `add` extended; only the files `add` wrote are tracked,
   * and the crate's own main/app wiring stays the user's.
   */
  kind?: 'foreign';
  components: string[];
  answers: Pick<Answers, 'name' | 'db' | 'queue' | 'ci' | 'docker' | 'extra'>;
  /** The `--template` the crate was made with, and the packs it resolved to. */
  template?: string;
  packs?: string[];
  /** sha256 of each generated file, by path. */
  files: Record<string, string>;
  /**
   * The git blob id of each file as the templates rendered it, by path, so `upgrade` can read
   * that text back from the crate's repository (`git cat-file -p <id>`) as the merge base.
   * Absent in manifests written before `upgrade` existed.
   */
  blobs?: Record<string, string>;
}

/** A hash over the bytes on disk (UTF-8 for text, the original bytes for a binary file). */
export function hashContent(content: string): string {
  return `sha256-${createHash('sha256').update(contentBytes(content)).digest('hex')}`;
}

/** The id git gives `content` as a blob (`git hash-object`): sha1 over a `blob <length>\0` header and the bytes. */
export function blobId(content: string): string {
  const bytes = contentBytes(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A record by path in a stable order, so the manifest's diff shows only what changed. */
export function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
