import { BASE, COMPONENTS } from '../../src/catalog/index.js';
import { type Answers, DEFAULT_ANSWERS } from '../../src/plan/answers.js';
import { type Plan, planNew, templateDirs } from '../../src/plan/plan-new.js';
import { BUILTIN_TEMPLATES, loadTemplateDirs } from '../../src/render/template-tree.js';

const templates = await loadTemplateDirs(BUILTIN_TEMPLATES, templateDirs(BASE, COMPONENTS));

/** Plans a crate in memory from the built-in catalog and templates. */
export function plan(answers: Partial<Answers> = {}): Plan {
  return planNew({
    answers: { dir: 'my-svc', name: 'my-svc', components: [], extra: {}, ...DEFAULT_ANSWERS, ...answers },
    base: BASE,
    catalog: COMPONENTS,
    templates,
    toolVersion: '0.0.0-test',
  });
}

export function fileOf(result: Plan, path: string): string {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not in the plan (${result.files.map((f) => f.path).join(', ')})`);
  return file.content;
}
