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
 * Compiled templates by their text: a template's compiled form depends on nothing else, so the
 * renderer finds a precompiled built-in from the same `content` its callers pass today.
 */
const compiled = new Map<string, Template>();
// Specs are turned into templates when first rendered: a run renders only its components' files.
const precompiled = new Map<string, object>();

/** Makes a template compiled at build time (a `Handlebars.precompile` spec) available to renderers. */
export function registerPrecompiled(content: string, spec: object): void {
  precompiled.set(content, spec);
}

// `{{> name}}` alone (how `add` renders one component's snippet) needs no compiler: it is the partial.
const PARTIAL_CALL = /^\{\{>\s*([\w./-]+)\s*\}\}$/;

function templateOf(content: string): Template {
  const known = compiled.get(content);
  if (known) return known;
  const spec = precompiled.get(content);
  if (spec) {
    const template = runtime.template(spec as never) as Template;
    compiled.set(content, template);
    return template;
  }
  const call = PARTIAL_CALL.exec(content);
  if (call) {
    const name = call[1] as string;
    return (context, options) => {
      const partial = options?.partials?.[name];
      if (!partial) throw new Error(`The partial ${name} could not be found`);
      return partial(context, options);
    };
  }
  if (!compile) throw new Error('a template that was not precompiled is rendered before loadCompiler() ran');
  const template = compile(content);
  compiled.set(content, template);
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

/** Renders `content` with the plan's context, or with `scope` (e.g. one component's entry). */
export type Render = (source: string, content: string, scope?: object) => string;

/**
 * Strict mode does not check helper arguments, so `{{#if flags.durabel}}` would quietly be false.
 * Flags are the conditions component templates test by name, so their names are checked here.
 */
function checkFlagNames(source: string, content: string, context: object): void {
  const flags = (context as { flags?: Record<string, boolean> }).flags;
  if (!flags) return;
  for (const match of content.matchAll(/\bflags\.([A-Za-z0-9_-]+)/g)) {
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
 * A renderer for one plan: `partials` (name → source) are fragments such as a component's README
 * section, which shared templates include with `{{> name}}`.
 */
export function createRenderer(context: object, partials: Record<string, string>): Render {
  // A precompiled partial becomes a template when first included (a run includes few of them); one
  // that is not (a pack's) is compiled now, so a syntax error is reported by the partial's name.
  const templates: Record<string, Template> = {};
  for (const [name, source] of Object.entries(partials)) {
    if (precompiled.has(source) || !compile) {
      templates[name] = (context, options) => templateOf(source)(context, options);
      continue;
    }
    try {
      templates[name] = templateOf(source);
    } catch (error) {
      throw new Error(`partial ${name}: ${describe(error)}`);
    }
  }
  for (const [name, source] of Object.entries(partials)) checkFlagNames(`partial ${name}`, source, context);
  return (source, content, scope) => {
    checkFlagNames(source, content, context);
    try {
      return templateOf(content)(scope ?? context, { partials: templates });
    } catch (error) {
      // Built-in templates are rendered for every variant by the tests, so this is a pack's template.
      throw new CliError(`template ${source}: ${describe(error)}`, 'Fix the template: templates render in strict mode, so every variable must exist');
    }
  };
}
