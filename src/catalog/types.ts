/** The catalog's vocabulary: what a component declares, as plain data. */

import type { RuleId } from './rules.js';

/** Database drivers the `db` component supports. */
export const DB_KINDS = ['sqlite', 'postgres'] as const;
export type DbKind = (typeof DB_KINDS)[number];

/** Where the worker keeps its jobs: `memory` (in-process only) or a durable backend beside it. */
export const QUEUE_KINDS = ['memory', 'postgres', 'redis', 'nats'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];
/** The queues that keep jobs outside the process. */
export const DURABLE_QUEUES: readonly QueueKind[] = QUEUE_KINDS.filter((kind) => kind !== 'memory');

/** A condition on the answers; an item with `when` is used only where every key matches. */
export interface When {
  db?: DbKind;
  /** The worker's queue backend: one kind, or any of a list. */
  queue?: QueueKind | readonly QueueKind[];
  ci?: boolean;
  docker?: boolean;
  /** A component that must be chosen. */
  component?: string;
  /** Answers to a template pack's extra questions. */
  answers?: Record<string, string | boolean>;
}

/** A folder under `templates/` whose files are written when `when` holds (always, without it). */
export interface TemplateSource {
  dir: string;
  when?: When;
}

/** A Cargo dependency a component needs. Versions come from `versions.ts`. */
export interface CrateDep {
  name: string;
  /** Only for crates from a template pack; built-in crates take theirs from `versions.ts`. */
  version?: string;
  /** Features to enable; merged (union) when several components need the same crate. */
  features?: string[];
  /** `default-features = false` when the defaults pull in what the code does not use. */
  defaultFeatures?: boolean;
  /** `[dev-dependencies]` instead of `[dependencies]`. */
  dev?: boolean;
  /** `[build-dependencies]` instead of `[dependencies]`. */
  build?: boolean;
  /** Minimum Rust version this crate needs, where it applies (a component-wide one is `Component.rustVersion`). */
  rustVersion?: string;
  when?: When;
}

/** An environment variable the generated code reads; each becomes an `.env.example` entry. */
export interface EnvVar {
  name: string;
  /** The value written to `.env.example`: a working local default. */
  example: string;
  /** One line for the comment above it. */
  doc: string;
  when?: When;
}

/** A contribution that applies only where its condition holds (always, without one). */
export interface Conditional {
  when?: When;
}

/**
 * Code that starts part of a component inside `app::run`: the partial `partials/<partial>.rs.hbs`
 * of one of the component's template folders. Blocks run in an order where every Rust local a block
 * `uses` was defined by an earlier block that `provides` it (a topological sort; ties keep catalog
 * order). A cycle, a local provided twice or one nobody provides is a catalog error.
 */
export interface StartBlock extends Conditional {
  partial: string;
  /** Rust locals the block defines for later blocks (`db`, `pipeline`). */
  provides?: string[];
  /** Rust locals the block reads. */
  uses?: string[];
  /**
   * Wiring points this block builds from (the HTTP server builds its state from `http`): it also
   * uses every local their contributions use.
   */
  collects?: ('http' | 'grpc')[];
}

/** A component's HTTP surface: its own `Router`, merged by the HTTP server. */
export interface HttpRoutes extends Conditional {
  /** `src/http_server/routes/<module>.rs`, which has `pub fn router<S>() -> Router<S>`. */
  module: string;
  /** One line for the route list in the server's docs. */
  doc: string;
}

/**
 * A field of the HTTP server's `AppState`. Handlers take their part with `State<Type>` (axum's
 * `FromRef`), so the state is a flat list of fields and no handler sees the whole of it.
 */
export interface StateField extends Conditional {
  field: string;
  /** Its Rust type; one field per type (that is how `FromRef` finds it). */
  type: string;
  /** The expression `app::run` builds it from, over the locals in `uses`. */
  init: string;
  uses?: string[];
  doc: string;
}

/** A dependency `/readyz` (and gRPC health) waits for: `check(value)` must answer in time. */
export interface ReadinessCheck extends Conditional {
  /** Shown in the 503 answer and the logs. */
  name: string;
  /** The expression handed to `check` on every probe (cloned). */
  value: string;
  /** An async function taking the value and returning `Result<(), impl Error>`. */
  check: string;
  uses?: string[];
}

/** A gRPC service the server hosts. */
export interface GrpcService extends Conditional {
  /** An expression building the service (a tonic `...Server`), over the locals in `uses`. */
  init: string;
  uses?: string[];
}

/** A service container the component needs to run and test: compose and CI get it. */
export interface Container extends Conditional {
  /** The compose service and CI service name, also the host name the app uses in compose. */
  name: string;
  image: string;
  /** The container's own environment. */
  environment: Record<string, string>;
  /**
   * Arguments to the image's entrypoint (NATS needs `-js` for JetStream). GitHub Actions services
   * cannot pass any, so the workflow starts such a container with `docker run` in a step instead.
   */
  command?: string[];
  port: number;
  /** A shell command that succeeds once the service accepts connections. */
  healthcheck: string;
  /** Variables that point the app at it; `{host}` is `localhost` in CI, `name` in compose. */
  connect: Record<string, string>;
}

/** A port the service listens on: the container binds it on every interface and publishes it. */
export interface ListenPort extends Conditional {
  /** The address variable (`HTTP_SERVER_ADDR`). */
  env: string;
  port: number;
}

/** A step of `build.rs`: the partial `partials/<partial>.rs.hbs` (code) and `<partial>_doc` (docs). */
export interface BuildStep extends Conditional {
  partial: string;
}

/** A module of the integration-test binary, `tests/service/<module>.rs`. */
export interface TestModule extends Conditional {
  module: string;
}

/**
 * An address the service listens on, exposed on the built `App` (`app.http_addr()`), so tests and
 * embedding programs reach a server bound to port 0. A start block of the same component provides
 * the Rust local of that name (a `std::net::SocketAddr`).
 */
export interface BoundAddress extends Conditional {
  /** The accessor on `App`, and the local the start block defines: `http_addr`. */
  name: string;
  /** One line of rustdoc for the accessor. */
  doc: string;
}

/**
 * Tests of the whole service through `App` (real wiring, real listeners): the partial
 * `partials/<partial>.rs.hbs`, a `mod` rendered into `tests/service/app.rs`. That file exists
 * only in crates this tool generates, never in a hand-written crate `add` writes into, so these
 * tests may use `app` and the binary.
 */
export interface AppTest extends Conditional {
  partial: string;
}

/** A variable the app-level test sets, so the service starts without touching shared state. */
export interface TestEnv extends Conditional {
  name: string;
  /** A Rust expression of type `String`. */
  value: string;
  /** Why the test sets it. */
  comment: string;
  /** The value leads to real I/O (a database), so the test runs on real time, not paused. */
  realIo?: boolean;
}

/**
 * Where the crate shows one of the rules (`rules.ts`): a file, and the test that shows it. A row of
 * the generated README's rules table; the e2e and cargo suites check that both exist.
 */
export interface RuleRow extends Conditional {
  rule: RuleId;
  /** The file that embodies the rule, from the crate root (`src/worker.rs`). */
  file: string;
  /** A test function's name; with `doc`, the item whose rustdoc example is the test. */
  test: string;
  /** The file holding the test, when it is not `file` (an integration test). */
  testFile?: string;
  /** The test is the rustdoc example of the item `test` in `file`. */
  doc?: boolean;
}

/**
 * Where a component plugs into the crate: typed contributions to named wiring points. The host
 * templates (app.rs, config.rs, the HTTP server, build.rs, compose, CI, ...) iterate these and
 * never name a component, so a component added later, or from a template pack, wires in alike.
 */
export interface Wiring {
  /** The Rust module, declared as `pub mod <module>;` in `lib.rs`. */
  module: string;
  /** One line for the `# Layout` list in the crate docs. */
  layoutDoc: string;
  /** The component's config struct in its module, held as `Config.<module>` and parsed with `from_env`. */
  config?: string;
  start?: StartBlock[];
  http?: { routes?: HttpRoutes[]; state?: StateField[]; readiness?: ReadinessCheck[] };
  grpc?: GrpcService[];
  containers?: Container[];
  ports?: ListenPort[];
  build?: BuildStep[];
  tests?: TestModule[];
  testEnv?: TestEnv[];
  addresses?: BoundAddress[];
  appTests?: AppTest[];
  /**
   * Named conditions the component's own templates test as `flags.<name>` (the worker's durable
   * queue is `durable: { db: 'postgres', component: 'db' }`), so no template names another
   * component. Names are unique across the catalog.
   */
  flags?: Record<string, When>;
  /** Where the component shows the rules, for the README's rules table. */
  rules?: RuleRow[];
}

/**
 * A component: a folder of templates plus this entry. Its first template folder also holds
 * `partials/readme.md.hbs`, the component's section of the generated README.
 */
export interface Component {
  /** Stable id used on the command line and in presets (DESIGN §2). */
  id: string;
  title: string;
  /** One sentence for `list` and the prompt. */
  description: string;
  /** Other component ids that are added with this one. */
  requires: string[];
  /** Component ids that cannot be chosen together with this one. */
  conflicts: string[];
  /** Picked by `--yes`. */
  default: boolean;
  crates: CrateDep[];
  env: EnvVar[];
  /** Minimum Rust version the component's crates need; the generated `rust-version` is the highest. */
  rustVersion?: string;
  /** Folders under `templates/` holding the component's files, merged in order. */
  templates: TemplateSource[];
  wiring: Wiring;
}

/** The crate every project starts from; shaped like a component so both are handled alike. */
export type Base = Omit<Component, 'id' | 'requires' | 'conflicts' | 'default' | 'wiring' | 'title' | 'description'> & {
  /** Where the base crate shows the rules, for the README's rules table. */
  rules: RuleRow[];
};
