import { COMPONENTS } from '../catalog/index.js';

/** `create-rust-async list`: the catalog, for people or (with `--json`) for scripts. */
export function runList(options: { json?: boolean }): void {
  if (options.json) {
    const components = COMPONENTS.map(({ id, title, description, requires, conflicts, default: isDefault }) => ({
      id,
      title,
      description,
      requires,
      conflicts,
      default: isDefault,
    }));
    process.stdout.write(`${JSON.stringify({ components }, null, 2)}\n`);
    return;
  }
  if (COMPONENTS.length === 0) {
    process.stdout.write('No components are available yet; `new` generates the base crate.\n');
    return;
  }
  const width = Math.max(...COMPONENTS.map((component) => component.id.length));
  const lines = COMPONENTS.map((component) => {
    const extra = component.requires.length > 0 ? ` (requires ${component.requires.join(', ')})` : '';
    return `  ${component.id.padEnd(width)}  ${component.default ? '*' : ' '} ${component.description}${extra}`;
  });
  process.stdout.write(`Components (* = picked by --yes):\n${lines.join('\n')}\n`);
}
