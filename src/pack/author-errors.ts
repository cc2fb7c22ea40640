import { CliError } from '../errors.js';
import type { PackOrigins } from './setup.js';

/**
 * Planning reports a clash of two templates, a partial that does not compile or an unknown `has.`
 * name as an internal error, because in the built-in templates (which the tests render in every
 * variant) it would be one. When the error names a template pack's file, the pack's author made
 * the mistake: it becomes a user error naming that file, with how to fix it.
 */
export function asPackAuthorError(error: unknown, origins: PackOrigins): unknown {
  if (!(error instanceof Error) || origins.roots.length === 0) return error;
  let message = error.message.split('\n')[0] ?? '';
  // An override is planned under the built-in name it replaces; name the pack file instead.
  if (!origins.roots.some((root) => message.includes(root))) {
    for (const [planned, file] of origins.overrides) {
      message = message.replace(new RegExp(`(^|[\\s"'])${escape(planned)}(?=$|[\\s:"',])`), `$1${file}`);
    }
  }
  if (!origins.roots.some((root) => message.includes(root))) return error;
  const fix = error instanceof CliError ? error.fix : 'Fix that file in the template pack';
  return new CliError(`template pack error: ${message.replace(/[.\s]+$/, '')}`, fix);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
