import { BASE } from './base.js';
import type { Component } from './types.js';

export { BASE };
export type { Component };

/**
 * The built-in components, in the order they are offered and wired.
 * Adding one is a folder under `templates/` plus an entry here.
 */
export const COMPONENTS: readonly Component[] = [];

export function findComponent(id: string, catalog: readonly Component[] = COMPONENTS): Component | undefined {
  return catalog.find((component) => component.id === id);
}
