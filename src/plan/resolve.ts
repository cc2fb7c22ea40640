import type { Component } from '../catalog/types.js';
import { CliError } from '../errors.js';

export interface Resolved {
  /** The components to generate, in catalog order. */
  components: Component[];
  /** Ids added because a chosen component requires them (reported to the user). */
  added: string[];
}

/**
 * Validates chosen ids against the catalog and closes them over `requires`.
 * Unknown ids and conflicting pairs are errors that name the fix.
 */
export function resolveComponents(ids: readonly string[], catalog: readonly Component[]): Resolved {
  const byId = new Map(catalog.map((component) => [component.id, component]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const available = catalog.map((component) => component.id).join(', ') || '(none)';
    // A preset listing thousands of bad ids must still give a readable error: the first ten.
    const shown = unknown.slice(0, 10).map((id) => JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id));
    const more = unknown.length > 10 ? ` … and ${unknown.length - 10} more` : '';
    throw new CliError(
      `unknown component${unknown.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`,
      `Choose from: ${available} (see \`create-rust-async list\`)`,
    );
  }

  const chosen = new Set(ids);
  const added: string[] = [];
  const queue = [...chosen];
  while (queue.length > 0) {
    const component = byId.get(queue.shift() as string) as Component;
    for (const required of component.requires) {
      if (!chosen.has(required)) {
        chosen.add(required);
        added.push(required);
        queue.push(required);
      }
    }
  }

  for (const id of chosen) {
    for (const other of (byId.get(id) as Component).conflicts) {
      if (chosen.has(other)) {
        throw new CliError(
          `components "${id}" and "${other}" cannot be used together`,
          `Drop one of them from --components`,
        );
      }
    }
  }

  return { components: catalog.filter((component) => chosen.has(component.id)), added };
}
