import type { Base, Component } from '../catalog/types.js';
import { CliError } from '../errors.js';
import { assertSafeOutputPath } from '../paths/inside.js';
import type { TemplateStore } from '../render/template-tree.js';
import { TOOL_VERSION } from '../version.js';
import type { Answers } from './answers.js';
import { MANIFEST_PATH, blobId, hashContent, renderManifest } from './manifest.js';
import { type Plan, type PlannedFile, planNew } from './plan-new.js';
import { ensurePackage } from '../tools/ensure-package.js';
import { compareText } from '../text-order.js';

/**
 * What `new` plans from: the part of a run's setup (built-ins with any packs laid over them) that
 * planning reads. Declared here so the plan does not depend on the pack layer, which builds it.
 */
export interface PlanSources {
  base: Base;
  catalog: readonly Component[];
  templates: TemplateStore;
  /** Names of the packs applied, recorded in the manifest. */
  packs: string[];
}

const PRETTIER_PARSERS: Record<string, string> = { md: 'markdown', yml: 'yaml', yaml: 'yaml', json: 'json' };

/**
 * Formats Markdown, YAML and JSON that came from a template pack with prettier (loaded, and
 * installed on first use, only then). Built-in templates render formatted already (the tests
 * check it), so they skip this cost.
 */
export async function formatPackFiles(files: PlannedFile[]): Promise<PlannedFile[]> {
  const parserOf = (file: PlannedFile) => (file.origin === 'pack' ? PRETTIER_PARSERS[file.path.split('.').pop() ?? ''] : undefined);
  if (!files.some(parserOf)) return files;
  const prettier = await ensurePackage<typeof import('prettier')>('prettier', "formatting the template pack's Markdown, YAML and JSON");
  return Promise.all(
    files.map(async (file) => {
      const parser = parserOf(file);
      if (!parser) return file;
      try {
        return { ...file, content: await prettier.format(file.content, { parser }) };
      } catch (error) {
        // prettier's first line ends with the position, e.g. "Unexpected token (3:5)".
        throw new CliError(
          `the template pack renders ${file.path}, which does not parse as ${parser}: ${(error as Error).message.split('\n')[0]}`,
          'Fix the template that writes it so its output is valid',
        );
      }
    }),
  );
}

/**
 * Every file a crate's answers render to, as `new` writes them: planned in memory, pack output
 * formatted, every path checked to stay inside the crate. `upgrade` renders its base and its next
 * version through the same function, so both compare like for like with what `new` wrote.
 */
export async function renderCrate(answers: Answers, setup: PlanSources, toolVersion: string): Promise<Plan> {
  const plan = planNew({ answers, base: setup.base, catalog: setup.catalog, templates: setup.templates, toolVersion });
  for (const file of plan.files) assertSafeOutputPath(file.path, file.origin === 'pack' ? 'the template pack' : 'a template');
  return { ...plan, files: await formatPackFiles(plan.files) };
}

/**
 * The complete plan for `new`: plan in memory, format pack output, check every path stays inside
 * the project, and add the manifest that records a hash of every file as written.
 */
export async function buildNewPlan(answers: Answers, setup: PlanSources, template?: string): Promise<Plan> {
  const plan = await renderCrate(answers, setup, TOOL_VERSION);
  const { files } = plan;
  const manifest = renderManifest({
    tool: 'create-rust-async',
    version: TOOL_VERSION,
    components: plan.components,
    answers: { name: answers.name, db: answers.db, ...(answers.queue === undefined ? {} : { queue: answers.queue }), ci: answers.ci, docker: answers.docker, extra: answers.extra },
    ...(template ? { template, packs: setup.packs } : {}),
    files: Object.fromEntries(files.map((file) => [file.path, hashContent(file.content)])),
    blobs: Object.fromEntries(files.map((file) => [file.path, blobId(file.content)])),
  });
  return {
    ...plan,
    files: [...files, { path: MANIFEST_PATH, content: manifest, executable: false, origin: 'builtin' as const }].sort((a, b) =>
      compareText(a.path, b.path),
    ),
  };
}
