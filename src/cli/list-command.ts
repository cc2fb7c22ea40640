import { COMPONENTS } from '../catalog/index.js';
import type { Component } from '../catalog/types.js';

/** The catalog, with a template pack's components added when `--template` names one. */
async function catalogFor(template: string | undefined): Promise<Component[]> {
  if (template === undefined) return [...COMPONENTS];
  const { builtinSetup, applyPacks } = await import('../pack/setup.js');
  const { loadPackChain } = await import('../pack/load.js');
  return (await applyPacks(await builtinSetup(), await loadPackChain(template, process.cwd()))).catalog;
}

/** `create-rust-async list [--template <pack>]`: the catalog, for people or (with `--json`) for scripts. */
export async function runList(options: { json?: boolean; template?: string }): Promise<void> {
  const catalog = await catalogFor(options.template);
  const builtin = new Set(COMPONENTS.map((component) => component.id));
  const source = (component: Component) => (builtin.has(component.id) ? 'built-in' : 'pack');
  if (options.json) {
    const components = catalog.map((component) => ({
      id: component.id,
      title: component.title,
      description: component.description,
      requires: component.requires,
      conflicts: component.conflicts,
      default: component.default,
      source: source(component),
    }));
    process.stdout.write(`${JSON.stringify({ components }, null, 2)}\n`);
    return;
  }
  if (catalog.length === 0) {
    process.stdout.write('No components are available yet; `new` generates the base crate.\n');
    return;
  }
  const width = Math.max(...catalog.map((component) => component.id.length));
  const lines = catalog.map((component) => {
    const extra = [
      component.requires.length > 0 ? `requires ${component.requires.join(', ')}` : '',
      source(component) === 'pack' ? 'from the template pack' : '',
    ].filter(Boolean);
    return `  ${component.id.padEnd(width)}  ${component.default ? '*' : ' '} ${component.description}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
  });
  process.stdout.write(`Components (* = picked by --yes):\n${lines.join('\n')}\n`);
}
