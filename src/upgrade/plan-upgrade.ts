import path from 'node:path';

import type { MarkerLabels } from '../add/reconcile.js';
import { readDisk } from '../apply/read-disk.js';
import type { FileChange } from '../plan/changes.js';
import { MANIFEST_PATH, type Manifest, blobId, hashContent, renderManifest, sortedRecord } from '../plan/manifest.js';
import type { PlannedFile } from '../plan/plan-new.js';
import { compareText } from '../text-order.js';
import { mergeCargoUpgrade } from './cargo-toml.js';
import { type UpgradeDecision, decideFile } from './decide.js';

export interface UpgradeInput {
  root: string;
  /** The manifest as recorded; the one written afterwards keeps what the run does not change. */
  manifest: Manifest;
  /** The merge base of every generated file (see `pickBase`). */
  base: ReadonlyMap<string, string>;
  /** What the target version renders. */
  next: readonly PlannedFile[];
  /** The manifest fields the target version sets (version, components, answers, pack). */
  record: Pick<Manifest, 'version' | 'components' | 'answers' | 'template' | 'packs'>;
  labels: MarkerLabels;
}

export interface UpgradePlan {
  /** Every file the run touches or leaves for the user, in path order (nothing for `unchanged`). */
  decisions: UpgradeDecision[];
  /** What the writer applies: file writes and removals, and the manifest. */
  changes: FileChange[];
  /** Template texts the crate will not hold as such (see `keepBlobs`), for the next upgrade. */
  bases: string[];
}

/**
 * Plans `upgrade` in memory: each file the base or the next version writes is decided against the
 * disk (`decideFile`; Cargo.toml with the format-preserving dependency merge), and the manifest is
 * rewritten to describe the target: its version, answers and pack, the blob id of every file as
 * the target's templates render it (the base of the next upgrade), and the sha256 of each file
 * that is now exactly that text (merged and conflicted files are the user's, and get none).
 */
export async function planUpgrade(input: UpgradeInput): Promise<UpgradePlan> {
  const next = new Map(input.next.map((file) => [file.path, file.content]));
  const paths = [...new Set([...input.base.keys(), ...next.keys()])].filter((file) => file !== MANIFEST_PATH).sort(compareText);
  const decisions: UpgradeDecision[] = [];
  const changes: FileChange[] = [];
  const files: Record<string, string> = {};
  const bases: string[] = [];
  for (const file of paths) {
    const disk = await readDisk(input.root, file);
    const versions = { path: file, base: input.base.get(file), next: next.get(file), disk };
    const decision = decideFile(versions, input.labels, file === 'Cargo.toml' ? mergeCargoUpgrade : undefined);
    const text = next.get(file);
    const after = decision.after ?? (decision.action === 'removed' ? undefined : disk);
    if (text !== undefined && after === text) files[file] = hashContent(text);
    if (text !== undefined && after !== text) bases.push(text);
    if (decision.action === 'unchanged') continue;
    decisions.push(decision);
    if (decision.after !== undefined || decision.action === 'removed') changes.push({ path: file, before: disk, after: decision.after });
  }

  const manifest: Manifest = {
    tool: 'create-rust-async',
    version: input.record.version,
    components: input.record.components,
    answers: input.record.answers,
    ...(input.record.template ? { template: input.record.template, packs: input.record.packs ?? [] } : {}),
    files: sortedRecord(files),
    blobs: sortedRecord(Object.fromEntries([...next].filter(([file]) => file !== MANIFEST_PATH).map(([file, content]) => [file, blobId(content)]))),
  };
  const before = await readDisk(input.root, MANIFEST_PATH);
  const after = renderManifest(manifest);
  if (after !== before) changes.push({ path: MANIFEST_PATH, before, after });
  return { decisions, changes, bases };
}
