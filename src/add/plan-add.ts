import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { readDisk } from '../apply/read-disk.js';
import type { Component, DbKind, QueueKind } from '../catalog/types.js';
import { CliError } from '../errors.js';
import type { Setup } from '../pack/setup.js';
import { type Answers, checkQueue, defaultQueue } from '../plan/answers.js';
import type { FileChange } from '../plan/changes.js';
import { formatPackFiles } from '../plan/build.js';
import { libName } from '../plan/crate-name.js';
import { mergeDeps } from '../plan/dependencies.js';
import { MANIFEST_PATH, type Manifest, blobId, hashContent, renderManifest, sortedRecord } from '../plan/manifest.js';
import { type PlannedFile, planNew } from '../plan/plan-new.js';
import { resolveComponents } from '../plan/resolve.js';
import { holds } from '../plan/when.js';
import { TOOL_VERSION } from '../version.js';
import { formatNewRust } from '../post/cargo.js';
import { mergeCargoToml } from './cargo-merge.js';
import type { CrateInfo } from './locate.js';
import { type FileVersions, reconcileFile } from './reconcile.js';
import { SUPPORT_MODULE, relocateSupport, startLines, supportFiles } from './support.js';
import { addEnvVars, addLayoutDoc, addModDecl, addSection } from './text-edits.js';

export interface AddPlan {
  changes: FileChange[];
  /** Requested components the crate already has. */
  present: string[];
  /** Components being added (requested plus what they require). */
  adding: string[];
  /** Added because a requested component requires them. */
  required: string[];
  /**
   * Files the change cannot be applied to safely (the user's edits overlap it, or the file is
   * gone): when there are any, nothing is written and the user gets `manualSteps`.
   */
  conflicts: { path: string; base: string | undefined; next: string }[];
  warnings: string[];
  /** What the user does by hand: wiring in a hand-written crate, or the conflicting changes. */
  manualSteps: string[];
  /** Template texts the crate will not hold as such (see `keepBlobs`), for a later `upgrade`. */
  bases: string[];
}

interface AddInput {
  crate: CrateInfo;
  requested: string[];
  setup: Setup;
  db: DbKind | undefined;
  /** `--queue`, when the worker is being added. */
  queue?: QueueKind;
  /** Replace generated files the user changed (`--overwrite`), instead of merging into them. */
  overwrite: boolean;
}

const TEST_MAIN_HEADER = `//! Integration tests: one test binary, a module per area.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with a clear location"
)]
`;

/** Files of a hand-written crate that stay the user's: `add` edits them at anchors, never replaces them. */
const USER_FILES = new Set(['Cargo.toml', '.env.example', 'README.md', 'src/lib.rs', 'tests/service/main.rs']);

/** The files a component's own template folders write. */
function componentFiles(setup: Setup, components: readonly Component[]): Set<string> {
  return new Set(
    components.flatMap((component) =>
      component.templates.flatMap((source) => (setup.templates.get(source.dir) ?? []).filter((f) => !f.partial).map((f) => f.target)),
    ),
  );
}

/**
 * Plans `add`: renders the crate with its current components (the base) and with the new set
 * (next), and reconciles every file against the disk (see `reconcileFile`). In a crate this tool
 * generated, every file takes part. In a hand-written crate only the components' own modules
 * and tests, the support code they share (in one namespaced module, so the crate's own
 * `config.rs` or `shutdown.rs` never clash), and anchored edits to the crate's Cargo.toml,
 * lib.rs, .env.example and README; starting the components is left to the user, with the lines.
 */
export async function planAdd(input: AddInput): Promise<AddPlan> {
  const { crate, setup } = input;
  const generated = crate.manifest !== undefined && crate.manifest.kind !== 'foreign';
  const existing = crate.manifest?.components ?? [];
  resolveComponents(input.requested, setup.catalog); // unknown ids fail here, with the list
  const { components: all, added } = resolveComponents([...existing, ...input.requested], setup.catalog);
  const adding = all.filter((c) => !existing.includes(c.id));
  const result: AddPlan = {
    changes: [],
    present: input.requested.filter((id) => existing.includes(id)),
    adding: adding.map((c) => c.id),
    required: added.filter((id) => !existing.includes(id)),
    conflicts: [],
    warnings: [],
    manualSteps: [],
    bases: [],
  };
  if (adding.length === 0) return result;
  const taken = adding.find((c) => !generated && crate.modules.includes(c.wiring.module));
  if (taken) {
    throw new CliError(
      `the crate already has a module named ${taken.wiring.module}, which ${taken.id} would add`,
      `Rename your module (src/${taken.wiring.module}.rs) or add the component to another crate`,
    );
  }

  const db = input.db ?? crate.manifest?.answers.db ?? 'sqlite';
  // The worker keeps the queue it was made with; a crate from before the choice had the default.
  const ids = all.map((c) => c.id);
  const queue: QueueKind | undefined = ids.includes('worker')
    ? (input.queue ?? crate.manifest?.answers.queue ?? defaultQueue({ components: ids, db }))
    : undefined;
  if (queue !== undefined && (input.queue !== undefined || crate.manifest?.answers.queue !== undefined)) {
    checkQueue(queue, { components: ids, db });
  }
  const answersFor = (components: readonly string[]): Answers => ({
    dir: crate.root,
    name: crate.manifest?.answers.name ?? crate.name,
    components: [...components],
    db,
    ...(queue === undefined ? {} : { queue }),
    ci: crate.manifest?.answers.ci ?? false,
    docker: crate.manifest?.answers.docker ?? false,
    git: false,
    // Questions the crate was never asked (a pack newer than the crate) take their defaults.
    extra: {
      ...Object.fromEntries(setup.questions.map((q) => [q.name, setup.defaults.answers?.[q.name] ?? q.default])),
      ...crate.manifest?.answers.extra,
    },
  });
  const render = (components: readonly string[]) =>
    planNew({ answers: answersFor(components), base: setup.base, catalog: setup.catalog, templates: setup.templates, toolVersion: TOOL_VERSION });
  const next = render(all.map((c) => c.id));
  const base = render(existing);
  const lib = libName(crate.name);

  // The files `add` may write, by path, in the base and the next rendering.
  const select = (files: readonly PlannedFile[], components: readonly Component[]): Map<string, string> => {
    if (generated) return new Map(files.map((f) => [f.path, f.content]));
    const owned = componentFiles(setup, components);
    const picked = new Map<string, string>();
    for (const file of files) {
      if (owned.has(file.path)) picked.set(file.path, relocateSupport(file.content, lib));
    }
    for (const [target, content] of supportFiles(files, lib)) picked.set(target, content);
    return picked;
  };
  const existingComponents = setup.catalog.filter((c) => existing.includes(c.id));
  // A hand-written crate has only what earlier runs of add wrote (recorded in the manifest).
  const baseFiles = new Map([...select(base.files, existingComponents)].filter(([file]) => generated || file in (crate.manifest?.files ?? {})));
  const nextFiles = select(next.files, all);

  const conditions = { ...answersFor(all.map((c) => c.id)), components: all.map((c) => c.id) };
  const newDeps = mergeDeps([setup.base, ...adding].flatMap((p) => p.crates.filter((d) => holds(d.when, conditions))));
  const mergeToml = (_base: string, disk: string): string => {
    const merged = mergeCargoToml(disk, newDeps);
    result.warnings.push(...merged.warnings);
    return merged.text;
  };

  const hashes = { ...(crate.manifest?.files ?? {}) };
  const tracked = new Set<string>();
  // What the templates render, formatted as `new` writes it.
  const rendered = generated ? new Map((await formatPackFiles(next.files)).map((f) => [f.path, f.content])) : new Map<string, string>();
  const blobs: Record<string, string> = { ...crate.manifest?.blobs };
  for (const [file, content] of nextFiles) {
    const disk = await readDisk(crate.root, file);
    const versions: FileVersions = { path: file, base: baseFiles.get(file), next: content, disk, recorded: hashes[file] };
    const outcome = reconcileFile(versions, file === 'Cargo.toml' ? mergeToml : undefined, input.overwrite);
    if (outcome.kind === 'conflict') result.conflicts.push(outcome);
    const template = rendered.get(file);
    if (template !== undefined) {
      // The base a later upgrade merges from: the template text of each file add writes (kept in
      // git when the user's edits, not that text, will be on disk), or of one already exactly so.
      // A file add leaves as it was (or no longer renders) keeps the blob it had: it still holds
      // what that generated, maybe an older release's text that an upgrade has yet to update.
      const after = outcome.kind === 'write' ? outcome.change.after : disk;
      if (outcome.kind === 'write' || after === template) blobs[file] = blobId(template);
      if (outcome.kind === 'write' && after !== template) result.bases.push(template);
    }
    if (outcome.kind !== 'write') continue;
    result.changes.push(outcome.change);
    // Files written whole are tracked; merged files keep their old hash (or none), so a later
    // run still treats them as the user's.
    if (outcome.tracked) tracked.add(file);
  }

  if (!generated) {
    // Paths into the support module reorder `use` lines: format new files as the crate would.
    const edition = (/^edition\s*=\s*"(\d+)"/m.exec(await readFile(crate.cargoToml, 'utf8')) ?? [])[1] ?? '2015';
    result.changes = await formatNewRust(crate.root, edition, result.changes);
    // The crate's own Cargo.toml gains the dependencies, formatting and comments kept.
    const toml = await readFile(crate.cargoToml, 'utf8');
    const merged = mergeToml(toml, toml);
    if (merged !== toml) result.changes.push({ path: 'Cargo.toml', before: toml, after: merged });
    const edits = await userFileEdits(crate, adding, all, next.files, setup, lib, queue);
    result.changes.push(...edits.changes);
    result.warnings.push(...edits.warnings);
    result.manualSteps.push(foreignSteps(next.files, lib));
  }
  result.manualSteps.push(...result.conflicts.map(conflictStep));
  for (const change of result.changes) if (tracked.has(change.path) && change.after !== undefined) hashes[change.path] = hashContent(change.after);

  const manifest: Manifest = {
    tool: 'create-rust-async',
    version: TOOL_VERSION,
    ...(generated ? {} : { kind: 'foreign' as const }),
    components: all.map((c) => c.id),
    answers: { name: answersFor([]).name, db, ...(queue === undefined ? {} : { queue }), ci: answersFor([]).ci, docker: answersFor([]).docker, extra: answersFor([]).extra },
    ...(crate.manifest?.template ? { template: crate.manifest.template, packs: crate.manifest.packs ?? [] } : {}),
    files: sortedRecord(hashes),
    ...(generated ? { blobs: sortedRecord(blobs) } : {}),
  };
  const manifestBefore = await readFile(path.join(crate.root, MANIFEST_PATH), 'utf8').catch(() => undefined);
  result.changes.push({ path: MANIFEST_PATH, before: manifestBefore, after: renderManifest(manifest) });
  return result;
}

/** The manual step for a file whose change could not be applied: the change, as a diff. */
function conflictStep(conflict: AddPlan['conflicts'][number]): string {
  if (conflict.base === undefined) {
    return `${conflict.path}: a file of yours is where add would write this one; move it, or merge by hand:\n${conflict.next}`;
  }
  const changed = lineDiff(conflict.base, conflict.next);
  return `${conflict.path}: your edits overlap what add changes here; make this change by hand:\n${changed}`;
}

/** A compact `-`/`+` list of the lines that differ (enough to apply the change by hand). */
function lineDiff(before: string, after: string): string {
  const old = new Set(before.split('\n'));
  const now = new Set(after.split('\n'));
  const removed = [...old].filter((line) => !now.has(line)).map((line) => `  - ${line}`);
  const addedLines = [...now].filter((line) => !old.has(line)).map((line) => `  + ${line}`);
  return [...removed, ...addedLines].join('\n');
}

/** Anchored edits to the files a hand-written crate keeps as its own. */
async function userFileEdits(
  crate: CrateInfo,
  adding: readonly Component[],
  all: readonly Component[],
  files: readonly PlannedFile[],
  setup: Setup,
  lib: string,
  queue: QueueKind | undefined,
): Promise<{ changes: FileChange[]; warnings: string[] }> {
  const changes: FileChange[] = [];
  const warnings: string[] = [];
  const read = (file: string) => readFile(path.join(crate.root, file), 'utf8').catch(() => undefined);
  const conditions = { db: 'sqlite' as const, queue, ci: false, docker: false, extra: {}, components: all.map((c) => c.id) };
  const change = (file: string, before: string | undefined, after: string) => {
    if (after !== before) changes.push({ path: file, before, after });
  };

  const env = await read('.env.example');
  const vars = [setup.base, ...adding].flatMap((p) => p.env.filter((v) => holds(v.when, { ...conditions, db: crate.manifest?.answers.db ?? 'sqlite' })));
  change('.env.example', env, addEnvVars(env ?? '', vars));

  const readme = await read('README.md');
  if (readme !== undefined) {
    const section = files.find((f) => f.path === 'README.md')?.content ?? '';
    const sections = section.split(/\n(?=## )/).filter((s) => adding.some((c) => s.startsWith(`## ${c.title}`) || s.toLowerCase().startsWith(`## ${c.title.toLowerCase()}`)));
    change('README.md', readme, sections.reduce((text, s) => addSection(text, s), readme));
  }

  const libRs = await read('src/lib.rs');
  const libBase = libRs ?? `//! The library half of \`${crate.name}\`.\n`;
  const modules = [SUPPORT_MODULE, ...adding.map((c) => c.wiring.module)];
  const withMods = modules.reduce((text, module) => addModDecl(text, module, 'pub '), libBase);
  change('src/lib.rs', libRs, adding.reduce((text, c) => addLayoutDoc(text, c.wiring.module, c.wiring.layoutDoc) ?? text, withMods));

  // Modules of the test binary are the files directly in tests/service/; files in subfolders
  // (tests/service/durable_queue/backend.rs) are declared by their parent module.
  const testModules = files
    .filter((f) => path.posix.dirname(f.path) === 'tests/service' && f.path.endsWith('.rs'))
    .filter((f) => f.path !== 'tests/service/main.rs' && f.path !== 'tests/service/app.rs')
    .map((f) => path.posix.basename(f.path, '.rs'));
  if (testModules.length > 0) {
    const main = await read('tests/service/main.rs');
    change('tests/service/main.rs', main, testModules.reduce((text, m) => addModDecl(text, m, ''), main ?? TEST_MAIN_HEADER));
  }
  return { changes, warnings };
}

/** In a hand-written crate, starting the components is the user's call: the lines, and where. */
function foreignSteps(files: readonly PlannedFile[], lib: string): string {
  const support = `${lib}::${SUPPORT_MODULE}`;
  const starts = startLines(files, lib);
  return [
    'In your async main, read the configuration once (it reads the variables in .env.example):',
    `    let config = ${support}::config::Config::from_env()?;`,
    ...(starts
      ? [
          'then start the components under one shutdown token, and drain them when it is cancelled:',
          `    let shutdown = tokio_util::sync::CancellationToken::new();`,
          `    let supervisor = ${support}::shutdown::Supervisor::new(shutdown.clone());`,
          starts,
          `    ${support}::shutdown::cancel_on_signal(shutdown.clone()).await;`,
          `    supervisor.drain(config.shutdown_grace).await?;`,
        ]
      : []),
  ].join('\n');
}
