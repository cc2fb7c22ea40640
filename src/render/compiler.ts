import Handlebars from 'handlebars';

import { COMPILE_OPTIONS, type Template, or } from './helpers.js';

/**
 * The full Handlebars compiler, for templates that were not precompiled at build time (a team's
 * pack; the built-ins when running from source). Imported only by `loadCompiler`.
 */
export function createCompiler(): (content: string) => Template {
  const env = Handlebars.create();
  env.registerHelper('or', or);
  // Parsed now, not at the first render (compile is lazy), so a syntax error is reported by the
  // file that has it, not by the template that happens to include it. A copy of the options each
  // time: Handlebars adds keys to the object it is given.
  return (content) => {
    env.parse(content);
    return env.compile(content, { ...COMPILE_OPTIONS }) as Template;
  };
}
