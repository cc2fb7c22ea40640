import type { Component, Conditional, StartBlock, Wiring } from '../catalog/types.js';
import { CliError } from '../errors.js';
import { compareText } from '../text-order.js';

/** A component's contributions that hold for one set of answers. */
type Holds = (item: Conditional) => boolean;

/** Finds the partial `name` among a component's template folders that apply (`db/common/app_start`). */
export type PartialOf = (component: Component, name: string) => string | undefined;

/** A start block ready for `app.rs`: the full partial name and what it needs. */
export interface PlannedStart {
  component: string;
  partial: string;
  provides: string[];
  uses: string[];
}

function partialOrThrow(partialOf: PartialOf, component: Component, name: string): string {
  const partial = partialOf(component, name);
  if (partial === undefined) {
    throw new CliError(
      `component "${component.id}" wires in the partial "${name}", but none of its template folders has partials/${name}.*`,
      'Add the partial to the component’s template folder, or fix the name in its wiring',
    );
  }
  return partial;
}

/** Every local the contributions of `point` use (the HTTP state and readiness, the gRPC services). */
function collected(point: 'http' | 'grpc', wirings: readonly Wiring[], holds: Holds): string[] {
  const items = wirings.flatMap((w): (Conditional & { uses?: string[] })[] =>
    point === 'http' ? [...(w.http?.state ?? []), ...(w.http?.readiness ?? [])] : [...(w.grpc ?? [])],
  );
  return items.filter(holds).flatMap((item) => item.uses ?? []);
}

/**
 * Orders start blocks so each comes after the blocks providing what it uses (Kahn's algorithm;
 * among blocks that are ready, catalog order). A local provided twice, used but never provided,
 * or a cycle is an error naming the components involved.
 */
export function orderStarts(blocks: readonly PlannedStart[]): PlannedStart[] {
  const provider = new Map<string, PlannedStart>();
  for (const block of blocks) {
    for (const local of block.provides) {
      const other = provider.get(local);
      if (other) {
        throw new CliError(
          `components "${other.component}" and "${block.component}" both provide the start-up local "${local}"`,
          'Rename one of them in its start block (provides) and its partial',
        );
      }
      provider.set(local, block);
    }
  }
  for (const block of blocks) {
    for (const local of block.uses) {
      if (!provider.has(local)) {
        throw new CliError(
          `component "${block.component}" starts with "${local}", which no chosen component provides`,
          `Add the component that provides "${local}", or put the start block under a "when"`,
        );
      }
    }
  }
  const ordered: PlannedStart[] = [];
  const done = new Set<PlannedStart>();
  while (ordered.length < blocks.length) {
    const ready = blocks.find(
      (block) => !done.has(block) && block.uses.every((local) => done.has(provider.get(local) as PlannedStart)),
    );
    if (!ready) {
      const stuck = blocks.filter((block) => !done.has(block)).map((block) => block.component);
      throw new CliError(
        `the start blocks of ${[...new Set(stuck)].map((id) => `"${id}"`).join(', ')} wait for each other (a cycle)`,
        'Break the cycle: a block may only use what blocks before it provide',
      );
    }
    ordered.push(ready);
    done.add(ready);
  }
  return ordered;
}

/**
 * The addresses `App` exposes. Each is a local a start block of the same component provides, so
 * one the blocks never define is a catalog error rather than a Rust compile error.
 */
function boundAddresses(chosen: readonly Component[], holds: Holds, starts: readonly PlannedStart[]) {
  return chosen.flatMap((component) =>
    (component.wiring.addresses ?? []).filter(holds).map((address) => {
      const own = starts.some((block) => block.component === component.id && block.provides.includes(address.name));
      if (!own) {
        throw new CliError(
          `component "${component.id}" exposes the address "${address.name}", but none of its start blocks provides it`,
          `Add "${address.name}" to the provides of the start block that binds it`,
        );
      }
      return { name: address.name, doc: address.doc };
    }),
  );
}

/** Replaces `{host}` in a container's connection variables. */
function connectEnv(connect: Record<string, string>, host: string): { name: string; value: string }[] {
  return Object.entries(connect).map(([name, value]) => ({ name, value: value.replaceAll('{host}', host) }));
}

type Collect = <T extends Conditional>(pick: (wiring: Wiring) => readonly T[] | undefined) => T[];

/**
 * The HTTP server's wiring point. The state's struct literal is laid out as rustfmt lays it out:
 * on one line while its fields take at most 18 characters (`struct_lit_width`), else one per line;
 * a field built from a local of its own name is written in shorthand (clippy asks for it).
 */
function httpPoint(all: Collect) {
  const state = all((w) => w.http?.state).map((field) => ({ ...field, shorthand: field.init === field.field }));
  const body = state.map((field) => (field.shorthand ? field.field : `${field.field}: ${field.init}`)).join(', ');
  return {
    routes: all((w) => w.http?.routes).sort((a, b) => compareText(a.module, b.module)),
    state,
    state_body: body,
    state_one_line: body.length <= 18,
    // rustfmt keeps a call on one line while its arguments take at most 60 characters.
    readiness: all((w) => w.http?.readiness).map((check) => ({
      ...check,
      one_line: `"${check.name}", ${check.value}, ${check.check}`.length <= 60,
    })),
  };
}

/**
 * The wiring points of a crate, as the host templates iterate them: every chosen component's
 * contributions whose conditions hold, in catalog order (start blocks in dependency order).
 */
export function wiringPoints(chosen: readonly Component[], holds: Holds, partialOf: PartialOf) {
  const wirings = chosen.map((component) => component.wiring);
  const all: Collect = (pick) => wirings.flatMap((wiring) => (pick(wiring) ?? []).filter(holds));

  const starts = chosen.flatMap((component) =>
    (component.wiring.start ?? []).filter(holds).map(
      (block: StartBlock): PlannedStart => ({
        component: component.id,
        partial: partialOrThrow(partialOf, component, block.partial),
        provides: block.provides ?? [],
        uses: [...new Set([...(block.uses ?? []), ...(block.collects ?? []).flatMap((point) => collected(point, wirings, holds))])],
      }),
    ),
  );

  const containers = all((w) => w.containers);
  const services = containers.map((c) => ({
    ...c,
    // A server that needs no settings (Redis) gets no empty `environment:` key.
    has_environment: Object.keys(c.environment).length > 0,
    ci_env: connectEnv(c.connect, 'localhost'),
    compose_env: connectEnv(c.connect, c.name),
  }));
  const build = chosen.flatMap((component) =>
    (component.wiring.build ?? []).filter(holds).map((step) => ({
      code: partialOrThrow(partialOf, component, step.partial),
      doc: partialOrThrow(partialOf, component, `${step.partial}_doc`),
    })),
  );
  const testEnv = all((w) => w.testEnv);
  const startBlocks = orderStarts(starts);
  return {
    config_sections: chosen.filter((c) => c.wiring.config).map((c) => ({ module: c.wiring.module, type: c.wiring.config as string })),
    start_blocks: startBlocks,
    addresses: boundAddresses(chosen, holds, startBlocks),
    app_tests: chosen.flatMap((component) =>
      (component.wiring.appTests ?? []).filter(holds).map((test) => ({ partial: partialOrThrow(partialOf, component, test.partial) })),
    ),
    http: httpPoint(all),
    grpc_services: all((w) => w.grpc),
    containers: services,
    // GitHub Actions services take no arguments: containers that need some are started by a step.
    ci_services: services.filter((c) => c.command === undefined),
    ci_started: services
      .filter((c) => c.command !== undefined)
      .map((c) => ({ ...c, run_args: [...Object.entries(c.environment).map(([k, v]) => `-e ${k}=${v}`), c.image, ...(c.command ?? [])].join(' ') })),
    ports: all((w) => w.ports),
    build_steps: build,
    test_modules: ['app', ...all((w) => w.tests).map((t) => t.module)].sort(),
    // rustfmt puts a tuple on one line up to 60 characters (its `fn_call_width`), else one per element.
    test_env: testEnv.map((item) => ({ ...item, one_line: `("${item.name}", ${item.value})`.length <= 60 })),
    // Real I/O never finishes on a paused clock's terms: the app test then runs on real time.
    test_real_time: testEnv.some((item) => item.realIo),
  };
}

/** `flags.<name>` for every flag in the catalog: true where its condition holds and its component is chosen. */
export function flags(catalog: readonly Component[], chosen: readonly Component[], holds: Holds): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (const component of catalog) {
    for (const [name, when] of Object.entries(component.wiring.flags ?? {})) {
      if (name in result) {
        throw new CliError(`the flag "${name}" is declared by two components`, `Rename the flag of "${component.id}"`);
      }
      result[name] = chosen.includes(component) && holds({ when });
    }
  }
  return result;
}
