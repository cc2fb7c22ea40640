import type { Base, Component, Conditional } from '../catalog/types.js';
import type { Answers } from './answers.js';
import { binName, libName } from './crate-name.js';
import { depLine, mergeDeps } from './dependencies.js';
import { rulesTable } from './rules-table.js';
import { holds } from './when.js';
import { type PartialOf, flags, wiringPoints } from './wiring.js';

/** The modules of the base crate, declared in `lib.rs` next to the components' modules. */
const BASE_MODULES = ['app', 'config', 'error', 'shutdown', 'telemetry'];

function firstDir(component: Component): string {
  return component.templates[0]?.dir ?? component.id;
}

/** The highest of the `rust-version`s the base and the components need. */
export function rustVersion(parts: readonly { rustVersion?: string }[]): string {
  const versions = parts.flatMap((part) => (part.rustVersion ? [part.rustVersion] : []));
  const key = (v: string) => v.split('.').map(Number);
  return versions.reduce((max, v) => {
    const [a, b] = [key(v), key(max)];
    return (a[0] ?? 0) > (b[0] ?? 0) || ((a[0] ?? 0) === (b[0] ?? 0) && (a[1] ?? 0) > (b[1] ?? 0)) ? v : max;
  }, '1.85');
}

/**
 * Everything templates can read. Host templates (app.rs, config.rs, the HTTP server, build.rs,
 * CI, compose) iterate the wiring points; no template asks which other components exist.
 */
export function templateContext(
  answers: Answers,
  base: Base,
  catalog: readonly Component[],
  chosen: readonly Component[],
  toolVersion: string,
  partialOf: PartialOf,
) {
  const parts = [base, ...chosen];
  const conditions = { ...answers, components: chosen.map((component) => component.id) };
  const applies = (item: Conditional) => holds(item.when, conditions);
  const deps = mergeDeps(parts.flatMap((part) => part.crates.filter(applies)));
  return {
    crate_name: answers.name,
    lib_name: libName(answers.name),
    bin_name: binName(answers.name),
    // A package name that is not snake case gets snake-case target names (`[lib]`, `[[bin]]`).
    renamed_targets: binName(answers.name) !== answers.name,
    tool_version: toolVersion,
    rust_version: rustVersion([...parts, ...parts.flatMap((part) => part.crates.filter(applies))]),
    db: answers.db,
    sqlite: answers.db === 'sqlite',
    postgres: answers.db === 'postgres',
    ci: answers.ci,
    docker: answers.docker,
    flags: flags(catalog, chosen, applies),
    // Every key present on every entry: strict mode rejects a lookup of a missing one.
    components: chosen.map((component) => ({
      id: component.id,
      title: component.title,
      description: component.description,
      module: component.wiring.module,
      layoutDoc: component.wiring.layoutDoc,
      // The component's README section, a partial of its first template folder.
      readme: `${firstDir(component)}/readme`,
    })),
    // Sorted as rustfmt sorts `mod` lines, so the output is rustfmt-clean as rendered.
    modules: [...BASE_MODULES, ...chosen.map((component) => component.wiring.module)].sort(),
    ...wiringPoints(chosen, applies, partialOf),
    env: parts.flatMap((part) => part.env.filter(applies)),
    // The README's rules table: the base's rows, then each chosen component's.
    rules_table: rulesTable([...base.rules, ...chosen.flatMap((component) => component.wiring.rules ?? [])].filter(applies)),
    answers: answers.extra,
    dependencies: deps.dependencies.map(depLine),
    dev_dependencies: deps['dev-dependencies'].map(depLine),
    build_dependencies: deps['build-dependencies'].map(depLine),
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;
