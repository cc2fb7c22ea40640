import Handlebars from 'handlebars';

import { COMPILE_OPTIONS, type Template, or } from './helpers.js';

/**
 * The full Handlebars compiler, for templates that were not precompiled at build time (a team's
 * pack; the built-ins when running from source). Imported only by `loadCompiler`.
 */
export function createCompiler(): (content: string) => Template {
  const env = Handlebars.create();
  env.registerHelper('or', or);
  // A copy each time: Handlebars adds keys to the options object it is given.
  return (content) => env.compile(content, { ...COMPILE_OPTIONS }) as Template;
}
