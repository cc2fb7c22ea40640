/**
 * What the precompiled and the run-time compiled templates share: the options (strict: a missing
 * variable is an error, not an empty string; noEscape: the output is Rust, TOML and YAML, not HTML)
 * and the helpers. scripts/precompile-templates.mjs uses the same options.
 */
export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

export type Template = (context: unknown, options?: { partials?: Record<string, Template> }) => string;

/** `{{#if (or has.db has.worker)}}`: any of the arguments is truthy (the last one is Handlebars' options). */
export const or = (...args: unknown[]) => args.slice(0, -1).some(Boolean);
