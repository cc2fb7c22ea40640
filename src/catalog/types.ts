/** The catalog's vocabulary: what a component declares, as plain data. */

/** Database drivers the `db` component supports. */
export const DB_KINDS = ['sqlite', 'postgres'] as const;
export type DbKind = (typeof DB_KINDS)[number];

/** A condition on the answers; an item with `when` is used only where every key matches. */
export interface When {
  db?: DbKind;
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

/** Where a component plugs into the base crate; `add` applies the same points to an existing crate. */
export interface Wiring {
  /** The Rust module, declared as `pub mod <module>;` in `lib.rs`. */
  module: string;
  /** One line for the `# Layout` list in the crate docs. */
  layoutDoc: string;
  /** The component's config struct, held as `Config.<module>` and parsed with `from_env`. */
  configType?: string;
  /** The integration-test module `tests/service/<module>.rs`, if the component has one. */
  testModule?: boolean;
  /**
   * Code that starts the component inside `app::run`, from the partial `partials/app_start.rs.hbs`
   * of its first template folder. Partials see the whole template context (`has.*`, `db`, ...),
   * and run in catalog order, so a later component can use what an earlier one started.
   */
  appStart?: boolean;
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
export type Base = Omit<Component, 'id' | 'requires' | 'conflicts' | 'default' | 'wiring' | 'title' | 'description'>;
