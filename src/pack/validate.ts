import { Ajv } from 'ajv';

import { CliError } from '../errors.js';

// Made on first use: building an Ajv instance compiles its meta-schemas, which a run without packs never needs.
let ajv: Ajv | undefined;

/**
 * Checks `data` against `schema`; the error names the file and the field, e.g.
 * `team.json: components/0/id must match pattern "^[a-z][a-z0-9-]*$"`.
 */
export function validate<T>(schema: object, data: unknown, file: string): T {
  ajv ??= new Ajv({ allErrors: false, strict: false });
  const check = ajv.compile(schema);
  if (check(data)) return data as T;
  const error = check.errors?.[0];
  const field = error?.instancePath.replace(/^\//, '') || '(top level)';
  let message = error?.message ?? 'is invalid';
  if (error?.keyword === 'additionalProperties') {
    message = `has an unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  } else if (error?.keyword === 'enum') {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  throw new CliError(`${file}: ${field} ${message}`, 'Fix that field and run again');
}
