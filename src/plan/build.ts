import { BASE, COMPONENTS } from '../catalog/index.js';
import { BUILTIN_TEMPLATES, loadTemplateDirs } from '../render/template-tree.js';
import { TOOL_VERSION } from '../version.js';
import type { Answers } from './answers.js';
import { MANIFEST_PATH, hashContent, renderManifest } from './manifest.js';
import { type Plan, planNew, templateDirs } from './plan-new.js';

/**
 * The complete plan for `new`: read the templates, plan in memory, and add the manifest that
 * records a hash of every file as written. Built-in templates render already formatted (rustfmt
 * and prettier clean, checked by the tests), so no formatter runs here.
 */
export async function buildNewPlan(answers: Answers): Promise<Plan> {
  const templates = await loadTemplateDirs(BUILTIN_TEMPLATES, templateDirs(BASE, COMPONENTS));
  const plan = planNew({ answers, base: BASE, catalog: COMPONENTS, templates, toolVersion: TOOL_VERSION });
  const files = plan.files;
  const manifest = renderManifest({
    tool: 'create-rust-async',
    version: TOOL_VERSION,
    components: plan.components,
    answers: { name: answers.name, db: answers.db, ci: answers.ci, docker: answers.docker },
    files: Object.fromEntries(files.map((file) => [file.path, hashContent(file.content)])),
  });
  return {
    ...plan,
    files: [...files, { path: MANIFEST_PATH, content: manifest, executable: false }].sort((a, b) =>
      a.path.localeCompare(b.path),
    ),
  };
}
