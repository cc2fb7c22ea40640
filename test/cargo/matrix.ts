import type { DbKind, QueueKind } from '../../src/catalog/types.js';

/** One generated crate the cargo suite builds and tests. */
export interface Variant {
  /** Directory name under the matrix folder, also used in test names. */
  id: string;
  components: string[];
  db?: DbKind;
  /** The worker's queue (default: as the CLI picks it). */
  queue?: QueueKind;
  ci?: boolean;
  docker?: boolean;
  /** Crate name, when the default (`id`) is not what is being tested. */
  name?: string;
  /** A template pack (path from the package root) and answers to its questions. */
  template?: string;
  answers?: string[];
}

/** The longest crate name crates.io allows (64 characters). */
const LONG_NAME = 'acme-payments-reconciliation-and-settlement-notifications-svc-64';

/**
 * The cargo matrix: every line is a crate that must pass fmt --check, clippy -D warnings, test and
 * doc. Adding a combination is adding a line.
 */
export const MATRIX: Variant[] = [
  // Every component alone.
  { id: 'base', components: [] },
  { id: 'http-client', components: ['http-client'] },
  { id: 'http-server', components: ['http-server'], docker: true },
  { id: 'pipeline', components: ['pipeline'] },
  { id: 'worker', components: ['worker'] },
  // Built with the vendored protoc: this machine has no system protoc.
  { id: 'grpc', components: ['grpc'], docker: true },
  { id: 'db-sqlite', components: ['db'], db: 'sqlite' },
  { id: 'db-postgres', components: ['db'], db: 'postgres', ci: true, docker: true },
  // Every component together, on each database; the PostgreSQL one under the longest name
  // crates.io allows (every `use` line stays rustfmt-clean).
  { id: 'all-sqlite', components: ['pipeline', 'http-client', 'http-server', 'db', 'worker', 'grpc'], db: 'sqlite', ci: true, docker: true },
  { id: 'all-postgres', components: ['pipeline', 'http-client', 'http-server', 'db', 'worker', 'grpc'], db: 'postgres', ci: true, docker: true, name: LONG_NAME },
  // What `--yes` generates.
  { id: 'defaults', components: ['pipeline', 'http-client', 'db', 'worker'], db: 'sqlite', ci: true, docker: true },
  // Every pair of components, covered by these triples (each line lists the pairs it adds).
  // Crate names cargo accepts but that equal a module name, or are not snake case, ride along.
  // http-server+db, http-server+http-client, db+http-client
  { id: 'pair-server-db-client', components: ['http-server', 'db', 'http-client'], db: 'postgres', name: 'db' },
  // http-server+pipeline, http-server+worker, pipeline+worker
  { id: 'pair-server-pipeline-worker', components: ['http-server', 'pipeline', 'worker'], name: 'config' },
  // grpc+http-server, grpc+pipeline
  { id: 'pair-grpc-server-pipeline', components: ['grpc', 'http-server', 'pipeline'] },
  // grpc+db, grpc+worker, db+worker
  { id: 'pair-grpc-db-worker', components: ['grpc', 'db', 'worker'], db: 'sqlite', name: 'worker' },
  // http-client+pipeline, http-client+worker
  { id: 'pair-client-pipeline-worker', components: ['http-client', 'pipeline', 'worker'], name: 'MySvc' },
  // grpc+http-client
  { id: 'pair-grpc-client', components: ['grpc', 'http-client'], name: 'app' },
  // db+pipeline, db+worker on PostgreSQL (the durable queue)
  { id: 'pair-db-pipeline-worker', components: ['db', 'pipeline', 'worker'], db: 'postgres', name: 'pipeline' },
  // The durable queue on Redis Streams: the worker alone, and beside an HTTP server (readiness
  // asks Redis) and a PostgreSQL database, with CI and compose services for both.
  { id: 'worker-redis', components: ['worker'], queue: 'redis' },
  { id: 'redis-server-db', components: ['http-server', 'db', 'worker'], db: 'postgres', queue: 'redis', ci: true, docker: true },
  // The same on NATS JetStream (readiness asks NATS; the CI starts NATS in a step, with `-js`).
  { id: 'worker-nats', components: ['worker'], queue: 'nats' },
  { id: 'nats-server-db', components: ['http-server', 'db', 'worker'], db: 'postgres', queue: 'nats', ci: true, docker: true },
  // A 64-character crate name on the base crate, with CI and Docker.
  { id: 'base-long-name', components: [], ci: true, docker: true, name: LONG_NAME },
  // A team pack (overrides, extra files, a parent pack) whose component contributes config, a
  // start block, routes and state to the HTTP server; its Rust is formatted by `new`.
  { id: 'pack-acme', components: ['audit-log', 'http-server'], ci: true, template: 'test/fixtures/packs/acme', answers: ['team=payments'] },
];

/** Variants from the built-in catalog alone (unit tests plan these without loading packs). */
export const BUILTIN_MATRIX = MATRIX.filter((variant) => variant.template === undefined);

/** The CLI flags that generate `variant`. */
export function variantArgs(variant: Variant): string[] {
  const args = ['--components', variant.components.length > 0 ? variant.components.join(',') : 'none'];
  if (variant.db) args.push('--db', variant.db);
  if (variant.queue) args.push('--queue', variant.queue);
  args.push(variant.ci ? '--ci' : '--no-ci', variant.docker ? '--docker' : '--no-docker', '--no-git');
  // `<id>-svc` unless the variant tests a name.
  args.push('--name', variant.name ?? `${variant.id}-svc`);
  if (variant.template) args.push('--template', variant.template);
  for (const answer of variant.answers ?? []) args.push('--answer', answer);
  return args;
}

/** The kinds of crate `add` runs in (see test/helpers/crates.ts). */
export type AddTarget =
  | { kind: 'generated'; components: string[]; db?: DbKind; /** A line the user added to src/app.rs before add. */ editApp?: boolean }
  | { kind: 'lib' | 'bin' | 'clashing' };

/** `add <component>` into a crate: every component into a generated crate that has two others, and into hand-written ones. */
export const ADD_MATRIX: { id: string; component: string; into: AddTarget; db?: DbKind; queue?: QueueKind; template?: string }[] = [
  { id: 'db-into-server-worker', component: 'db', db: 'postgres', into: { kind: 'generated', components: ['http-server', 'worker'], editApp: true } },
  { id: 'server-into-db-pipeline', component: 'http-server', into: { kind: 'generated', components: ['db', 'pipeline'] } },
  { id: 'client-into-server-pipeline', component: 'http-client', into: { kind: 'generated', components: ['http-server', 'pipeline'] } },
  { id: 'pipeline-into-server-client', component: 'pipeline', into: { kind: 'generated', components: ['http-server', 'http-client'] } },
  { id: 'worker-into-db-client', component: 'worker', into: { kind: 'generated', components: ['db', 'http-client'], db: 'postgres' } },
  { id: 'grpc-into-pipeline-server', component: 'grpc', into: { kind: 'generated', components: ['pipeline', 'http-server'] } },
  { id: 'audit-log-into-server-db', component: 'audit-log', template: 'test/fixtures/packs/acme', into: { kind: 'generated', components: ['http-server', 'db'] } },
  // A hand-written crate with its own config.rs, error.rs and shutdown.rs.
  { id: 'server-into-clashing', component: 'http-server', into: { kind: 'clashing' } },
  { id: 'worker-into-clashing', component: 'worker', into: { kind: 'clashing' } },
  { id: 'db-into-lib', component: 'db', into: { kind: 'lib' } },
  { id: 'pipeline-into-bin', component: 'pipeline', into: { kind: 'bin' } },
  // A backend whose tests live in a subfolder module (tests/service/durable_queue/backend.rs).
  { id: 'redis-worker-into-bin', component: 'worker', queue: 'redis', into: { kind: 'bin' } },
  { id: 'audit-log-into-bin', component: 'audit-log', template: 'test/fixtures/packs/acme', into: { kind: 'bin' } },
];
