import { existsSync } from 'node:fs';
import path from 'node:path';

import { BASE, COMPONENTS } from '../catalog/index.js';
import { CRATE_VERSIONS } from '../catalog/versions.js';
import type { Base, Component } from '../catalog/types.js';
import { CliError } from '../errors.js';
import { templateDirs } from '../plan/plan-new.js';
import { BUILTIN_TEMPLATES, type TemplateStore, loadTemplateDirs, readTemplateDir } from '../render/template-tree.js';
import { PACK_MANIFEST_FILE } from './schema.js';
import { packPath } from './paths.js';
import type { AnswerValues, Pack, PackQuestion } from './types.js';

/**
 * The pack roots, and each override by the name planning gives it (`base/README.md.hbs`) with the
 * pack file it came from.
 */
export interface PackOrigins {
  roots: string[];
  overrides: Map<string, string>;
}

/** Everything a run generates from: the built-ins, with any template packs laid over them. */
export interface Setup {
  base: Base;
  catalog: Component[];
  templates: TemplateStore;
  /** Pack defaults (built-in defaults apply beneath them). */
  defaults: AnswerValues;
  /** Answers a pack fixes; flags that contradict them are errors. */
  locks: AnswerValues;
  questions: PackQuestion[];
  /** Names of the packs applied, base-most first. */
  packs: string[];
  /** Where each pack's files came from, so a mistake in one is reported with the pack's file. */
  origins: PackOrigins;
  /** The pack that ships a plopfile, if any (the last one in the chain wins). */
  plopfile?: string;
}

/** The built-in catalog and templates, with no pack. */
export async function builtinSetup(): Promise<Setup> {
  return {
    base: BASE,
    catalog: [...COMPONENTS],
    templates: await loadTemplateDirs(BUILTIN_TEMPLATES, templateDirs(BASE, COMPONENTS)),
    defaults: {},
    locks: {},
    questions: [],
    packs: [],
    origins: { roots: [], overrides: new Map() },
  };
}

/**
 * Lays each pack over the setup, base-most first: `overrides/<folder>/<file>` replaces the built-in
 * template with the same output path, `files` adds template folders (with conditions), and
 * `components` extend the catalog. Later packs win for defaults and locks.
 */
export async function applyPacks(setup: Setup, chain: readonly Pack[]): Promise<Setup> {
  let result = setup;
  for (const pack of chain) result = await applyPack(result, pack);
  return result;
}

async function applyPack(setup: Setup, pack: Pack): Promise<Setup> {
  const { root, manifest } = pack;
  const where = (field: string) => `${path.join(root, PACK_MANIFEST_FILE)}: ${field}`;
  const templates: TemplateStore = new Map(setup.templates);
  const overrides = new Map(setup.origins.overrides);
  const read = async (relative: string, field: string) => {
    const dir = await packPath(root, relative, where(field));
    if (!existsSync(dir)) throw new CliError(`${where(field)}: folder "${relative}" does not exist`, 'Create it or fix the path');
    templates.set(dir, await readTemplateDir(dir, 'pack', root));
    return dir;
  };

  // Overrides: a file of the same output path in the same built-in folder is replaced.
  const overridesDir = await packPath(root, manifest.overrides ?? 'overrides', where('overrides'));
  if (existsSync(overridesDir)) {
    for (const file of await readTemplateDir(overridesDir, 'pack', root)) {
      const [folder, ...rest] = file.source.split('/');
      const builtin = folder === undefined ? undefined : templates.get(folder);
      const relative = { ...file, source: rest.join('/'), target: file.target.split('/').slice(1).join('/') };
      const index = builtin?.findIndex((candidate) => candidate.target === relative.target) ?? -1;
      if (!builtin || index === -1) {
        throw new CliError(
          `${path.join(overridesDir, file.source)} overrides no built-in template`,
          `Mirror a path under templates/ (folders: ${[...setup.templates.keys()].filter((k) => !path.isAbsolute(k)).join(', ')})`,
        );
      }
      const replaced = [...builtin];
      replaced[index] = relative;
      overrides.set(`${folder}/${relative.source}`, path.join(overridesDir, file.source));
      templates.set(folder as string, replaced);
    }
  }

  const files = [];
  for (const [i, source] of (manifest.files ?? []).entries()) {
    files.push({ ...source, dir: await read(source.dir, `files/${i}/dir`) });
  }

  const catalog = [...setup.catalog];
  for (const [i, entry] of (manifest.components ?? []).entries()) {
    if (catalog.some((component) => component.id === entry.id)) {
      throw new CliError(`${where(`components/${i}/id`)} "${entry.id}" is already a component`, 'Choose another id');
    }
    for (const [j, dep] of (entry.crates ?? []).entries()) {
      if (dep.version === undefined && !(dep.name in CRATE_VERSIONS)) {
        throw new CliError(`${where(`components/${i}/crates/${j}`)} "${dep.name}" needs a "version"`, 'Add "version": "x.y" to the crate entry');
      }
    }
    const sources = [];
    for (const [j, source] of entry.templates.entries()) {
      sources.push({ ...source, dir: await read(source.dir, `components/${i}/templates/${j}/dir`) });
    }
    catalog.push({
      requires: [],
      conflicts: [],
      default: false,
      crates: [],
      env: [],
      ...entry,
      templates: sources,
    });
  }

  const questions = [...setup.questions];
  for (const question of manifest.questions ?? []) {
    if (questions.some((q) => q.name === question.name)) {
      throw new CliError(`${where('questions')}: "${question.name}" is asked twice`, 'Rename one of the questions');
    }
    questions.push(question);
  }

  return {
    base: { ...setup.base, templates: [...setup.base.templates, ...files] },
    catalog,
    templates,
    defaults: mergeValues(setup.defaults, manifest.defaults),
    locks: mergeValues(setup.locks, manifest.lock),
    questions,
    packs: [...setup.packs, manifest.name],
    origins: { roots: [...setup.origins.roots, root], overrides },
    plopfile: manifest.plopfile ? await packPath(root, manifest.plopfile, where('plopfile')) : setup.plopfile,
  };
}

function mergeValues(under: AnswerValues, over: AnswerValues | undefined): AnswerValues {
  return { ...under, ...over, answers: { ...under.answers, ...over?.answers } };
}
