import type { DbKind } from '../../src/catalog/types.js';

/** One generated crate the cargo suite builds and tests. */
export interface Variant {
  /** Directory name under the matrix folder, also used in test names. */
  id: string;
  components: string[];
  db?: DbKind;
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
  { id: 'base', components: [] },
  // A 64-character crate name: lines that mention the crate stay rustfmt-clean.
  { id: 'base-long-name', components: [], ci: true, docker: true, name: LONG_NAME },
  { id: 'http-client', components: ['http-client'] },
  { id: 'http-server', components: ['http-server'], docker: true },
  // Both HTTP components (the server's greeting route calls the client) under a 64-character name.
  { id: 'http-both', components: ['http-client', 'http-server'], ci: true, docker: true, name: LONG_NAME },
  // The server over PostgreSQL: /readyz checks the database, /notes uses the repository.
  { id: 'http-server-db-postgres', components: ['http-server', 'http-client', 'db'], db: 'postgres' },
  // The server with a pipeline endpoint (submit, await the oneshot reply) and the repository.
  { id: 'http-server-pipeline-db', components: ['http-server', 'pipeline', 'db'], db: 'sqlite' },
  // The defaults (`--yes`) plus the server: every route and wiring at once.
  { id: 'http-server-defaults', components: ['pipeline', 'http-client', 'db', 'worker', 'http-server'], db: 'sqlite' },
  { id: 'pipeline', components: ['pipeline'] },
  { id: 'worker', components: ['worker'] },
  // Built with the vendored protoc: this machine has no system protoc.
  { id: 'grpc', components: ['grpc'], docker: true },
  // gRPC and HTTP side by side on their own ports, under one shutdown.
  { id: 'grpc-http-server', components: ['grpc', 'http-server', 'pipeline'] },
  // What `--yes` generates.
  { id: 'defaults', components: ['pipeline', 'http-client', 'db', 'worker'], db: 'sqlite', ci: true, docker: true },
  // Every component, on PostgreSQL, under a 64-character name (every `use` line stays rustfmt-clean).
  { id: 'all-postgres', components: ['pipeline', 'http-client', 'http-server', 'db', 'worker'], db: 'postgres', ci: true, docker: true, name: LONG_NAME },
  { id: 'db-sqlite', components: ['db'], db: 'sqlite' },
  { id: 'db-postgres', components: ['db'], db: 'postgres', ci: true, docker: true },
  // A team pack (overrides, extra files, an extra component, a parent pack); its Rust is formatted by `new`.
  { id: 'pack-acme', components: ['audit-log'], ci: true, template: 'test/fixtures/packs/acme', answers: ['team=payments'] },
];

/** Variants from the built-in catalog alone (unit tests plan these without loading packs). */
export const BUILTIN_MATRIX = MATRIX.filter((variant) => variant.template === undefined);

/** The CLI flags that generate `variant`. */
export function variantArgs(variant: Variant): string[] {
  const args = ['--components', variant.components.length > 0 ? variant.components.join(',') : 'none'];
  if (variant.db) args.push('--db', variant.db);
  args.push(variant.ci ? '--ci' : '--no-ci', variant.docker ? '--docker' : '--no-docker', '--no-git');
  // `<id>-svc`: a crate named like one of its modules (`pipeline`, `db`) is refused.
  args.push('--name', variant.name ?? `${variant.id}-svc`);
  if (variant.template) args.push('--template', variant.template);
  for (const answer of variant.answers ?? []) args.push('--answer', answer);
  return args;
}

/** Components `add` puts into a generated, a `cargo new --lib` and a `cargo new` binary crate. */
export const ADD_MATRIX: { component: string; template?: string }[] = [
  { component: 'db' },
  { component: 'pipeline' },
  { component: 'worker' },
  { component: 'grpc' },
  { component: 'audit-log', template: 'test/fixtures/packs/acme' },
];
