import path from 'node:path';

import type { Base, Component, TemplateSource } from '../catalog/types.js';
import { createRenderer } from '../render/handlebars.js';
import { type TemplateFile, type TemplateStore, partialName } from '../render/template-tree.js';
import { compareText } from '../text-order.js';
import type { Answers } from './answers.js';
import { templateContext } from './context.js';
import { resolveComponents } from './resolve.js';
import { holds } from './when.js';

/** One file the writer will create, complete in memory. */
export interface PlannedFile {
  /** Path relative to the crate root, `/`-separated. */
  path: string;
  content: string;
  executable: boolean;
  /** Where the template came from: pack output is formatted after rendering, built-ins need not be. */
  origin: 'builtin' | 'pack';
}

export interface Plan {
  name: string;
  /** Chosen components plus the ones they require, in catalog order. */
  components: string[];
  /** Components added because another one requires them. */
  added: string[];
  files: PlannedFile[];
}

export interface PlanInput {
  answers: Answers;
  base: Base;
  catalog: readonly Component[];
  /** Template folders, already read (see `templateDirs`). */
  templates: TemplateStore;
  toolVersion: string;
}

function loaded(templates: TemplateStore, source: TemplateSource): TemplateFile[] {
  const files = templates.get(source.dir);
  if (!files) throw new Error(`template folder "${source.dir}" was not loaded`);
  return files;
}

/** The template folders a run can need, so they are read once before planning. */
export function templateDirs(base: Base, catalog: readonly Component[]): string[] {
  return [...new Set([base, ...catalog].flatMap((part) => part.templates.map((source) => source.dir)))];
}

/**
 * Answers in, every file of the new crate out: no disk access, no prompts, so `--dry-run` and
 * tests see exactly what would be written. Two sources writing the same path is a catalog bug.
 */
export function planNew(input: PlanInput): Plan {
  const { components, added, sources, render } = prepare(input);
  const files = new Map<string, PlannedFile & { from: string }>();
  for (const source of sources) {
    for (const file of source.files) {
      if (file.partial) continue;
      const from = path.posix.join(source.dir, file.source);
      const clash = files.get(file.target);
      if (clash) throw new Error(`templates ${clash.from} and ${from} both write ${file.target}`);
      const content = file.render ? render(from, file.content) : file.content;
      // A host template with nothing to host (build.rs without build steps, compose.yaml without
      // containers) renders empty and is not written.
      if (file.render && content.trim() === '') continue;
      files.set(file.target, { path: file.target, content, executable: file.executable, origin: file.origin, from });
    }
  }

  return {
    name: input.answers.name,
    components: components.map((component) => component.id),
    added,
    files: [...files.values()]
      .map(({ from: _from, ...file }) => file)
      .sort((a, b) => compareText(a.path, b.path)),
  };
}

/**
 * What planning needs before it renders files: the resolved components, the template folders
 * that apply, and a renderer with their partials. `add` uses it to render single snippets.
 */
export function prepare(input: PlanInput) {
  const { answers, base, catalog, templates } = input;
  const { components, added } = resolveComponents(answers.components, catalog);
  const ids = components.map((component) => component.id);
  const applies = (source: TemplateSource) => holds(source.when, { ...answers, components: ids });
  // A folder several parts list is rendered once.
  const dirs = new Set<string>();
  const sources = [base, ...components]
    .flatMap((part) => part.templates)
    .filter(applies)
    .filter((source) => !dirs.has(source.dir) && dirs.add(source.dir))
    .map((source) => ({ dir: source.dir, files: loaded(templates, source) }));

  // A component's wiring names partials by their file name; they live in one of its folders.
  const partialOf = (component: Component, name: string) => {
    for (const source of component.templates.filter(applies)) {
      const file = loaded(templates, source).find((f) => f.partial && partialName(source.dir, f.source) === `${source.dir}/${name}`);
      if (file) return partialName(source.dir, file.source);
    }
    return undefined;
  };
  const context = templateContext(answers, base, catalog, components, input.toolVersion, partialOf);
  const partials = Object.fromEntries(
    sources.flatMap(({ dir, files }) =>
      files.filter((file) => file.partial).map((file) => [partialName(dir, file.source), file.content]),
    ),
  );
  return { components, added, context, sources, render: createRenderer(context, partials) };
}
