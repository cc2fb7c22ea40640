import Handlebars from 'handlebars';

import { CliError } from '../errors.js';

/**
 * One Handlebars environment for all rendering. Strict mode turns a misspelt or missing variable
 * into an error instead of an empty string, and `noEscape` keeps `<`, `&` and quotes verbatim
 * (the output is Rust, TOML and YAML, not HTML). A literal `{{` in a template is written `\{{`.
 */
const handlebars = Handlebars.create();
const OPTIONS = { strict: true, noEscape: true } as const;

// `{{#if (or has.db has.worker)}}`: any of the arguments is truthy (the last one is Handlebars' options).
handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));

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
 * Strict mode does not check helper arguments, so `{{#if has.pipline}}` would quietly be false.
 * Component checks are the conditions templates use most, so their names are checked here.
 */
function checkComponentNames(source: string, content: string, context: object): void {
  const has = (context as { has?: Record<string, boolean> }).has;
  if (!has) return;
  for (const match of content.matchAll(/\bhas\.([A-Za-z0-9_-]+)/g)) {
    const key = match[1] as string;
    if (!(key in has)) {
      throw new Error(`template ${source}: "has.${key}" names no component (known: ${Object.keys(has).join(', ')})`);
    }
  }
}

/**
 * A renderer for one plan: `partials` (name → source) are fragments such as a component's README
 * section, which shared templates include with `{{> name}}`.
 */
export function createRenderer(context: object, partials: Record<string, string>): Render {
  const compiled: Record<string, Handlebars.TemplateDelegate> = {};
  for (const [name, source] of Object.entries(partials)) {
    try {
      // compile() is lazy; parsing now reports a broken partial by its own name, not by the
      // template that happens to include it first.
      handlebars.parse(source);
      compiled[name] = handlebars.compile(source, OPTIONS);
    } catch (error) {
      throw new Error(`partial ${name}: ${describe(error)}`);
    }
  }
  for (const [name, source] of Object.entries(partials)) checkComponentNames(`partial ${name}`, source, context);
  return (source, content, scope) => {
    checkComponentNames(source, content, context);
    try {
      return handlebars.compile(content, OPTIONS)(scope ?? context, { partials: compiled });
    } catch (error) {
      // Built-in templates are rendered for every variant by the tests, so this is a pack's template.
      throw new CliError(`template ${source}: ${describe(error)}`, 'Fix the template: templates render in strict mode, so every variable must exist');
    }
  };
}
