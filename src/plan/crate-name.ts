/**
 * Crate-name rules: what `cargo new` rejects, plus what it only warns about but would break the
 * crate or stop it from publishing (DESIGN §2).
 */

// Strict and reserved keywords of Rust 2024: a crate named like this cannot be `use`d.
const KEYWORDS = new Set(
  (
    'as async await break const continue crate dyn else enum extern false fn for gen if impl in let loop ' +
    'match mod move mut pub ref return self Self static struct super trait true type unsafe use where ' +
    'while abstract become box do final macro override priv typeof unsized virtual yield try'
  ).split(' '),
);

// Names of the standard library crates: a crate named like this shadows them.
const STD_CRATES = new Set(['std', 'core', 'alloc', 'proc_macro', 'proc-macro', 'test']);

// Cargo's own directory names under target/: cargo refuses them.
const CARGO_ARTIFACT_DIRS = new Set(['deps', 'examples', 'build', 'incremental']);

// Reserved file names on Windows: a crate named like this cannot be checked out there.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

const MAX_LENGTH = 64; // the crates.io limit

/** Why `name` cannot be a crate name, or `undefined` when it can. */
export function crateNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_LENGTH) return `it is longer than ${MAX_LENGTH} characters`;
  if (!/^[\x00-\x7f]*$/.test(name)) return 'it contains non-ASCII characters';
  const bad = name.match(/[^A-Za-z0-9_-]/);
  if (bad) return `it contains ${JSON.stringify(bad[0])}; only letters, digits, "-" and "_" are allowed`;
  if (/^[0-9]/.test(name)) return 'it starts with a digit';
  if (name.startsWith('-')) return 'it starts with "-"';
  const asIdent = name.replaceAll('-', '_');
  if (KEYWORDS.has(name) || KEYWORDS.has(asIdent)) return 'it is a Rust keyword';
  if (STD_CRATES.has(name)) return 'it is the name of a standard library crate';
  if (CARGO_ARTIFACT_DIRS.has(name)) return "it clashes with one of cargo's build directories";
  if (WINDOWS_RESERVED.test(name)) return 'it is a reserved file name on Windows';
  return undefined;
}

/** A nearby valid name to suggest in the error, derived from the rejected one. */
export function suggestCrateName(name: string): string {
  let suggestion = name
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (suggestion === '' || /^[0-9]/.test(suggestion)) suggestion = `svc-${suggestion}`.replace(/-$/, '');
  if (crateNameProblem(suggestion) !== undefined) suggestion = `${suggestion}-svc`;
  return suggestion.slice(0, MAX_LENGTH);
}

/** The snake-case form of a crate name: `my-svc` is `my_svc`, `MySvc` is `my_svc`. */
function snakeCase(crateName: string): string {
  return crateName
    .replaceAll('-', '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The library name Rust code uses: `my-svc` is `my_svc` in `use my_svc::...`. A name that is not
 * snake case (`MySvc`) gets a snake-case `[lib] name`, as rustc's `non_snake_case` lint asks.
 */
export function libName(crateName: string): string {
  return snakeCase(crateName);
}

/** The binary's name: the package name, or its snake-case form where the package name is not. */
export function binName(crateName: string): string {
  return crateName === crateName.toLowerCase() ? crateName : snakeCase(crateName);
}
