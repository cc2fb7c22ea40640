import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { FileChange } from '../apply/write-changes.js';
import type { Component, DbKind } from '../catalog/types.js';
import { CliError } from '../errors.js';
import type { Setup } from '../pack/setup.js';
import type { Answers } from '../plan/answers.js';
import { libName } from '../plan/crate-name.js';
import { mergeDeps } from '../plan/dependencies.js';
import { MANIFEST_PATH, type Manifest, hashContent, renderManifest } from '../plan/manifest.js';
import { type PlannedFile, planNew, prepare } from '../plan/plan-new.js';
import { resolveComponents } from '../plan/resolve.js';
import { holds } from '../plan/when.js';
import { TOOL_VERSION } from '../version.js';
import { compareText } from '../text-order.js';
import { mergeCargoToml } from './cargo-merge.js';
import type { CrateInfo } from './locate.js';
import { addEnvVars, addLayoutDoc, addModDecl, addSection, insertAtBlockEnd, insertBefore } from './text-edits.js';

export interface AddPlan {
  changes: FileChange[];
  /** Requested components the crate already has. */
  present: string[];
  /** Components being added (requested plus what they require). */
  adding: string[];
  /** Added because a requested component requires them. */
  required: string[];
  /** Files the user changed that the new components would also change: left alone, with the diff. */
  skipped: { path: string; before: string; after: string }[];
  warnings: string[];
  /** What the user must do by hand: where an anchor was gone, or in a hand-written crate. */
  manualSteps: string[];
}

interface AddInput {
  crate: CrateInfo;
  requested: string[];
  setup: Setup;
  db: DbKind | undefined;
  /** Replace generated files the user changed (`--overwrite`), instead of skipping them. */
  overwrite: boolean;
}

/** The support modules every component module uses (`crate::config::Env`, the Supervisor, ...). */
const SUPPORT_MODULES = ['config', 'error', 'shutdown', 'telemetry'];

/** Files that get anchored edits when the user has changed them (never replaced). */
const MERGEABLE = new Set(['Cargo.toml', '.env.example', 'README.md', 'src/lib.rs', 'tests/service/main.rs', 'src/config.rs', 'src/app.rs']);

const TEST_MAIN_HEADER = `//! Integration tests: one test binary, a module per area.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a panic in a test is a failure with a clear location"
)]
`;

type Prepared = ReturnType<typeof prepare>;

function partialOf(component: Component, name: string): string {
  return `${component.templates[0]?.dir ?? component.id}/${name}`;
}

function scopeOf(prepared: Prepared, component: Component): object {
  return prepared.context.components.find((entry) => entry.id === component.id) ?? {};
}

/**
 * Plans `add`: re-plans the crate with the new component set and reconciles each file with what is
 * on disk. Files still as generated (the manifest's hash matches) are replaced whole; files the
 * user changed get anchored edits (Cargo.toml, lib.rs, config.rs, app.rs, .env.example, README)
 * or are skipped with a diff; a file of a new component that already exists stops the run.
 * A hand-written crate gets the new modules, the support modules they use, merged dependencies,
 * and the lines that start them, printed rather than guessed.
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
    skipped: [],
    warnings: [],
    manualSteps: [],
  };
  if (adding.length === 0) return result;
  const clash = [...SUPPORT_MODULES, 'app', ...adding.map((c) => c.wiring.module)].find((m) => m === libName(crate.name));
  if (clash) {
    throw new CliError(
      `the crate is named like the module add would create (${clash}), which would make imports ambiguous`,
      'Rename the crate (package.name in Cargo.toml) or choose another component',
    );
  }

  const db = input.db ?? crate.manifest?.answers.db ?? 'sqlite';
  const answers: Answers = {
    dir: crate.root,
    name: crate.manifest?.answers.name ?? crate.name,
    components: all.map((c) => c.id),
    db,
    ci: crate.manifest?.answers.ci ?? false,
    docker: crate.manifest?.answers.docker ?? false,
    git: false,
    // Questions the crate was never asked (a pack newer than the crate) take their defaults.
    extra: {
      ...Object.fromEntries(setup.questions.map((q) => [q.name, setup.defaults.answers?.[q.name] ?? q.default])),
      ...crate.manifest?.answers.extra,
    },
  };
  const planInput = { answers, base: setup.base, catalog: setup.catalog, templates: setup.templates, toolVersion: TOOL_VERSION };
  const plan = planNew(planInput);
  const prepared = prepare(planInput);
  const conditions = { ...answers, components: answers.components };
  const owned = new Set(adding.flatMap((c) => componentFiles(plan.files, setup, c)));
  const modules = [...(generated ? [] : SUPPORT_MODULES), ...adding.map((c) => c.wiring.module)];

  /** The anchored edit for a file the user changed, or undefined when its anchor is gone. */
  const edit = (file: string, text: string): string | undefined => {
    switch (file) {
      case 'Cargo.toml': {
        const parts = [setup.base, ...adding];
        const merged = mergeCargoToml(text, mergeDeps(parts.flatMap((p) => p.crates.filter((d) => holds(d.when, conditions)))));
        result.warnings.push(...merged.warnings);
        return merged.text;
      }
      case '.env.example':
        return addEnvVars(text, [setup.base, ...adding].flatMap((p) => p.env.filter((v) => holds(v.when, conditions))));
      case 'README.md':
        return adding.reduce((t, c) => addSection(t, prepared.render(`${c.id} readme`, `{{> ${partialOf(c, 'readme')}}}`)), text);
      case 'src/lib.rs': {
        const withMods = modules.reduce((t, m) => addModDecl(t, m, 'pub '), text);
        return adding.reduce((t, c) => addLayoutDoc(t, c.wiring.module, c.wiring.layoutDoc) ?? t, withMods);
      }
      case 'tests/service/main.rs':
        return adding.filter((c) => c.wiring.testModule).reduce((t, c) => addModDecl(t, c.wiring.module, ''), text);
      case 'src/config.rs':
        return adding.reduce<string | undefined>((t, c) => {
          if (t === undefined || !c.wiring.configType) return t;
          const field = prepared.render('config field', '{{> base/config_field}}', scopeOf(prepared, c));
          const parse = prepared.render('config parse', '{{> base/config_parse}}', scopeOf(prepared, c));
          const withField = insertAtBlockEnd(t, /^pub struct Config \{/, field);
          return withField && insertAtBlockEnd(withField, /^\s*Ok\(Self \{/, parse);
        }, text);
      case 'src/app.rs':
        return adding.reduce<string | undefined>((t, c) => {
          if (t === undefined || !c.wiring.appStart) return t;
          const start = prepared.render(`${c.id} start`, `{{> ${partialOf(c, 'app_start')}}}`);
          return insertBefore(t, /tracing::info!\("service started"\)/, `\n${start}`);
        }, text);
      default:
        return undefined;
    }
  };

  const hashes = { ...(crate.manifest?.files ?? {}) };
  const needsTests = adding.some((c) => c.wiring.testModule);
  for (const file of relevantFiles(plan.files, generated, owned, crate, needsTests)) {
    const before = await readFile(path.join(crate.root, file.path), 'utf8').catch(() => undefined);
    let after: string | undefined;
    if (before === undefined) {
      after = generated ? file.content : foreignCreation(file, crate, edit);
      if (after === undefined) continue;
    } else if (before === file.content) {
      continue;
    } else if (hashes[file.path] === hashContent(before)) {
      after = file.content; // still exactly as generated: take the new version whole
    } else if (owned.has(file.path) || (!generated && SUPPORT_MODULES.some((m) => file.path === `src/${m}.rs`))) {
      throw new CliError(
        `${file.path} already exists and is not the one add would write`,
        'Rename or move it, then run add again (add never overwrites an existing file)',
      );
    } else if (MERGEABLE.has(file.path)) {
      after = edit(file.path, before);
      if (after === undefined) {
        result.manualSteps.push(...manualSteps(file.path, adding, prepared));
        continue;
      }
    } else if (input.overwrite) {
      after = file.content;
    } else {
      result.skipped.push({ path: file.path, before, after: file.content });
      continue;
    }
    if (after === before) continue;
    result.changes.push({ path: file.path, before, after });
    // Files written whole are tracked; edited files keep their old hash (or none), so a later
    // run still treats them as the user's and edits rather than replaces them.
    if (after === file.content) hashes[file.path] = hashContent(after);
  }

  if (!generated) result.manualSteps.push(...foreignSteps(crate, adding, prepared));

  const manifest: Manifest = {
    tool: 'create-rust-async',
    version: TOOL_VERSION,
    ...(generated ? {} : { kind: 'foreign' as const }),
    components: answers.components,
    answers: { name: answers.name, db, ci: answers.ci, docker: answers.docker, extra: answers.extra },
    ...(crate.manifest?.template ? { template: crate.manifest.template, packs: crate.manifest.packs ?? [] } : {}),
    files: Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => compareText(a, b))),
  };
  const manifestBefore = await readFile(path.join(crate.root, MANIFEST_PATH), 'utf8').catch(() => undefined);
  result.changes.push({ path: MANIFEST_PATH, before: manifestBefore, after: renderManifest(manifest) });
  return result;
}

/** The files a component's own template folders write. */
function componentFiles(files: readonly PlannedFile[], setup: Setup, component: Component): string[] {
  const targets = new Set(
    component.templates.flatMap((source) => (setup.templates.get(source.dir) ?? []).filter((f) => !f.partial).map((f) => f.target)),
  );
  return files.filter((f) => targets.has(f.path)).map((f) => f.path);
}

/**
 * In a generated crate every planned file is reconciled; in a hand-written one only what the new
 * modules need: their own files, the support modules, and the files that declare or configure them.
 */
function relevantFiles(files: readonly PlannedFile[], generated: boolean, owned: Set<string>, crate: CrateInfo, needsTests: boolean): PlannedFile[] {
  if (generated) return [...files];
  const support = new Set(SUPPORT_MODULES.map((m) => `src/${m}.rs`));
  const picked = files.filter((f) => owned.has(f.path) || support.has(f.path) || MERGEABLE.has(f.path));
  // The generated app.rs is this tool's wiring; a hand-written crate has its own main. A README
  // is extended only if there is one, and the test binary only if a component has tests for it.
  return picked.filter(
    (f) =>
      f.path !== 'src/app.rs' &&
      !(f.path === 'README.md' && !crate.hasReadme) &&
      !(f.path === 'tests/service/main.rs' && !needsTests),
  );
}

/** What a hand-written crate gets for a file it does not have yet. */
function foreignCreation(file: PlannedFile, crate: CrateInfo, edit: (file: string, text: string) => string | undefined): string | undefined {
  switch (file.path) {
    case 'src/lib.rs':
      // A binary-only crate gets a library beside main.rs, so the new modules are public API (no
      // dead-code warnings) that main.rs uses as `<crate>::module`.
      return edit('src/lib.rs', `//! The library half of \`${crate.name}\`.\n`);
    case 'tests/service/main.rs':
      return edit(file.path, TEST_MAIN_HEADER);
    default:
      return file.content;
  }
}

function manualSteps(file: string, adding: readonly Component[], prepared: Prepared): string[] {
  if (file === 'src/config.rs') {
    return adding
      .filter((c) => c.wiring.configType)
      .map(
        (c) =>
          `src/config.rs: add to \`struct Config\`:\n${prepared.render('field', '{{> base/config_field}}', scopeOf(prepared, c))}` +
          `and to the \`Self { ... }\` in \`Config::from_lookup\`:\n${prepared.render('parse', '{{> base/config_parse}}', scopeOf(prepared, c))}`,
      );
  }
  if (file === 'src/app.rs') {
    return adding
      .filter((c) => c.wiring.appStart)
      .map((c) => `src/app.rs: in \`run\`, before the service waits for shutdown, start ${c.id}:\n${prepared.render('start', `{{> ${partialOf(c, 'app_start')}}}`)}`);
  }
  return [`${file}: its layout changed, so add could not place the ${adding.map((c) => c.id).join(', ')} lines; see the README sections`];
}

/** In a hand-written crate, starting the components is the user's call: the exact lines, and where. */
function foreignSteps(crate: CrateInfo, adding: readonly Component[], prepared: Prepared): string[] {
  const lib = libName(crate.name);
  const starts = adding
    .filter((c) => c.wiring.appStart)
    .map((c) => prepared.render(`${c.id} start`, `{{> ${partialOf(c, 'app_start')}}}`).replaceAll('crate::', `${lib}::`).trimEnd());
  const lines = [
    `In your async main (src/main.rs), read the configuration once; it reads the variables in .env.example:`,
    `    let config = ${lib}::config::Config::from_env()?;`,
  ];
  if (starts.length > 0) {
    lines.push(
      `then start the components under one shutdown token, and drain them when it is cancelled:`,
      `    let shutdown = tokio_util::sync::CancellationToken::new();`,
      `    let supervisor = ${lib}::shutdown::Supervisor::new(shutdown.clone());`,
      ...starts,
      `    ${lib}::shutdown::cancel_on_signal(shutdown.clone()).await;`,
      `    supervisor.drain(config.shutdown_grace).await?;`,
    );
  }
  return [lines.join('\n')];
}
