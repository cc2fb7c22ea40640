import Handlebars from 'handlebars';

import { CliError } from '../errors.js';

/**
 * One Handlebars environment for all rendering. Strict mode turns a misspelt or missing variable
 * into an error instead of an empty string, and `noEscape` keeps `<`, `&` and quotes verbatim
 * (the output is Rust, TOML and YAML, not HTML). A literal `{{` in a template is written `\{{`.
 */
const handlebars = Handlebars.create();
const OPTIONS = { strict: true, noEscape: true } as const;

// `{{#if (or a b)}}`: any of the arguments is truthy (the last one is Handlebars' options).
handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
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
      throw new CliError(`template ${source}: "flags.${key}" is no flag of any component (known: ${Object.keys(flags).join(', ') || 'none'})`, 'Fix the name, or declare the flag in the component’s wiring');
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
      compiled[name] = handlebars.compile(source, OPTIONS);
    } catch (error) {
      throw new Error(`partial ${name}: ${describe(error)}`);
    }
  }
  for (const [name, source] of Object.entries(partials)) checkFlagNames(`partial ${name}`, source, context);
  return (source, content, scope) => {
    checkFlagNames(source, content, context);
    try {
      return handlebars.compile(content, OPTIONS)(scope ?? context, { partials: compiled });
    } catch (error) {
      // Built-in templates are rendered for every variant by the tests, so this is a pack's template.
      throw new CliError(`template ${source}: ${describe(error)}`, 'Fix the template: templates render in strict mode, so every variable must exist');
    }
  };
}
