import type { Base, Component } from '../catalog/types.js';
import type { Answers } from './answers.js';
import { libName } from './crate-name.js';
import { depLine, mergeDeps } from './dependencies.js';
import { holds } from './when.js';

/** The modules of the base crate, declared in `lib.rs` next to the components' modules. */
export const BASE_MODULES = ['app', 'config', 'error', 'shutdown', 'telemetry'];

function firstDir(component: Component): string {
  return component.templates[0]?.dir ?? component.id;
}

/** The snake_case key under `has` for a component id: `has.http_client`. */
export function hasKey(id: string): string {
  return id.replaceAll('-', '_');
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
 * Everything templates can read. `has` names every catalog component (true or false) so strict
 * mode catches a misspelt `{{#if has.pipline}}` instead of treating it as false.
 */
export function templateContext(
  answers: Answers,
  base: Base,
  catalog: readonly Component[],
  chosen: readonly Component[],
  toolVersion: string,
) {
  const parts = [base, ...chosen];
  const conditions = { ...answers, components: chosen.map((component) => component.id) };
  const deps = mergeDeps(parts.flatMap((part) => part.crates.filter((dep) => holds(dep.when, conditions))));
  const has = Object.fromEntries(
    catalog.map((component) => [hasKey(component.id), chosen.some((c) => c.id === component.id)]),
  );
  return {
    crate_name: answers.name,
    lib_name: libName(answers.name),
    tool_version: toolVersion,
    rust_version: rustVersion(parts),
    db: answers.db,
    sqlite: answers.db === 'sqlite',
    postgres: answers.db === 'postgres',
    ci: answers.ci,
    docker: answers.docker,
    has,
    // Every key present on every entry: strict mode rejects a lookup of a missing one.
    components: chosen.map((component) => ({
      id: component.id,
      title: component.title,
      description: component.description,
      module: component.wiring.module,
      layoutDoc: component.wiring.layoutDoc,
      configType: component.wiring.configType ?? null,
      testModule: component.wiring.testModule ?? false,
      // Partials of the component's first template folder, included by shared templates.
      readme: `${firstDir(component)}/readme`,
      appStart: component.wiring.appStart ? `${firstDir(component)}/app_start` : null,
    })),
    // Sorted as rustfmt sorts `mod` lines, so the output is rustfmt-clean as rendered.
    modules: [...BASE_MODULES, ...chosen.map((component) => component.wiring.module)].sort(),
    test_modules: ['app', ...chosen.filter((c) => c.wiring.testModule).map((c) => c.wiring.module)].sort(),
    env: parts.flatMap((part) => part.env.filter((v) => holds(v.when, conditions))),
    answers: answers.extra,
    dependencies: deps.dependencies.map(depLine),
    dev_dependencies: deps['dev-dependencies'].map(depLine),
    build_dependencies: deps['build-dependencies'].map(depLine),
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;
