import Runtime from 'handlebars/runtime';

import { CliError } from '../errors.js';
import { type Template, or } from './helpers.js';

/**
 * Rendering in strict mode with no HTML escaping (./helpers.ts). A literal `{{` in a template is
 * written `\{{`.
 *
 * Built-in templates are precompiled when the package is built (scripts/precompile-templates.mjs,
 * same options), so a run from built-ins needs only the small Handlebars runtime. Templates read
 * from disk — a team's pack, or the built-ins when running from source — need the full compiler,
 * which `loadCompiler` imports; `readTemplateDir` calls it, so every disk template can compile.
 */
const runtime = Runtime.create();
runtime.registerHelper('or', or);

let compile: ((content: string) => Template) | undefined;

/** Imports the full Handlebars compiler, once; only template packs and runs from source need it. */
export async function loadCompiler(): Promise<void> {
  if (compile) return;
  const { createCompiler } = await import('./compiler.js');
  compile = createCompiler();
}

/**
 * What `Handlebars.precompile` made of a template when the package was built (the built-ins, in
 * the bundle). The bundle ships only this form, not the template's text as well.
 */
export interface Precompiled {
  spec: object;
}

/** A template as renderers take it: its text, or its precompiled form. */
export type TemplateText = string | Precompiled;

/** Templates compiled from text, by their text: a template's compiled form depends on nothing else. */
const compiled = new Map<string, Template>();
// Specs become templates when first rendered: a run renders only its components' files.
const fromSpec = new WeakMap<object, Template>();

// `{{> name}}` alone (how `add` renders one component's snippet) needs no compiler: it is the partial.
const PARTIAL_CALL = /^\{\{>\s*([\w./-]+)\s*\}\}$/;

function templateOf(text: TemplateText): Template {
  if (typeof text !== 'string') {
    let template = fromSpec.get(text.spec);
    if (!template) {
      template = runtime.template(text.spec as never) as Template;
      fromSpec.set(text.spec, template);
    }
    return template;
  }
  const known = compiled.get(text);
  if (known) return known;
  const call = PARTIAL_CALL.exec(text);
  if (call) {
    const name = call[1] as string;
    return (context, options) => {
      const partial = options?.partials?.[name];
      if (!partial) throw new Error(`The partial ${name} could not be found`);
      return partial(context, options);
    };
  }
  if (!compile) throw new Error('a template that was not precompiled is rendered before loadCompiler() ran');
  const template = compile(text);
  compiled.set(text, template);
  return template;
}

/**
 * One line from a Handlebars error. A parse error spans lines (position, excerpt, caret, what was
 * expected): keep the position and what was expected.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = error.message.split('\n');
  const first = (lines[0] ?? '').replace(/:$/, '');
  return /^Parse error/.test(first) && lines.length > 1 ? `${first} (${lines.at(-1)?.trim()})` : first;
}

/** Renders a template with the plan's context, or with `scope` (e.g. one component's entry). */
export type Render = (source: string, template: TemplateText, scope?: object) => string;

/**
 * Strict mode does not check helper arguments, so `{{#if flags.durabel}}` would quietly be false.
 * Flags are the conditions component templates test by name, so their names are checked here.
 * A precompiled template is a built-in: the tests render every built-in from its text, which
 * checks it, and a pack can neither change one nor redefine a built-in component's flags.
 */
function checkFlagNames(source: string, text: TemplateText, context: object): void {
  const flags = (context as { flags?: Record<string, boolean> }).flags;
  if (!flags || typeof text !== 'string') return;
  for (const match of text.matchAll(/\bflags\.([A-Za-z0-9_-]+)/g)) {
    const key = match[1] as string;
    if (!(key in flags)) {
      throw new CliError(
        `template ${source}: "flags.${key}" is no flag of any component (known: ${Object.keys(flags).join(', ') || 'none'})`,
        'Fix the name, or declare the flag in the component’s wiring',
      );
    }
  }
}

/**
 * A renderer for one plan: `partials` (name → template) are fragments such as a component's README
 * section, which shared templates include with `{{> name}}`.
 */
export function createRenderer(context: object, partials: Record<string, TemplateText>): Render {
  // A precompiled partial becomes a template when first included (a run includes few of them); one
  // from text (a pack's) is compiled now, so a syntax error is reported by the partial's name.
  const templates: Record<string, Template> = {};
  for (const [name, text] of Object.entries(partials)) {
    if (typeof text !== 'string' || !compile) {
      templates[name] = (context, options) => templateOf(text)(context, options);
      continue;
    }
    try {
      templates[name] = templateOf(text);
    } catch (error) {
      throw new Error(`partial ${name}: ${describe(error)}`);
    }
  }
  for (const [name, text] of Object.entries(partials)) checkFlagNames(`partial ${name}`, text, context);
  return (source, template, scope) => {
    checkFlagNames(source, template, context);
    try {
      return templateOf(template)(scope ?? context, { partials: templates });
    } catch (error) {
      // Built-in templates are rendered for every variant by the tests, so this is a pack's template.
      throw new CliError(`template ${source}: ${describe(error)}`, 'Fix the template: templates render in strict mode, so every variable must exist');
    }
  };
}
