import { createHash } from 'node:crypto';

import { contentBytes } from '../render/binary.js';
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
}

/** A hash over the bytes on disk (UTF-8 for text, the original bytes for a binary file). */
export function hashContent(content: string): string {
  return `sha256-${createHash('sha256').update(contentBytes(content)).digest('hex')}`;
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
