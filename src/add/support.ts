import type { PlannedFile } from '../plan/plan-new.js';

/**
 * In a hand-written crate the support code the generated modules share (config, errors,
 * telemetry, shutdown) goes into one module of this name, so a crate's own `src/config.rs` or
 * `src/shutdown.rs` never clashes with it and nothing of the user's needs renaming.
 */
export const SUPPORT_MODULE = 'service_support';

const SUPPORT_NAMES = ['config', 'error', 'shutdown', 'telemetry'];

/** Points paths to the support modules (`crate::config::Env`, `my_lib::shutdown::...`) into the namespace. */
export function relocateSupport(content: string, lib: string): string {
  const pattern = new RegExp(`\\b(crate|${lib})::(${SUPPORT_NAMES.join('|')})::`, 'g');
  return content.replace(pattern, `$1::${SUPPORT_MODULE}::$2::`);
}

/** The support modules under `src/service_support/`, and the module file that declares them. */
export function supportFiles(files: readonly PlannedFile[], lib: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const name of SUPPORT_NAMES) {
    const file = files.find((f) => f.path === `src/${name}.rs`);
    if (file) result.set(`src/${SUPPORT_MODULE}/${name}.rs`, relocateSupport(file.content, lib));
  }
  const mods = SUPPORT_NAMES.map((name) => `pub mod ${name};`).join('\n');
  result.set(
    `src/${SUPPORT_MODULE}.rs`,
    `//! What the generated modules share: typed configuration from the\n//! environment, the error type, telemetry, and the shutdown supervisor.\n//! One module, so it never clashes with a module of the crate's own.\n\n${mods}\n`,
  );
  return result;
}

/** The start-up lines of the components, from the generated `app.rs`, as a hand-written main needs them. */
export function startLines(files: readonly PlannedFile[], lib: string): string {
  const app = files.find((f) => f.path === 'src/app.rs')?.content ?? '';
  const from = app.indexOf('let shutdown = supervisor.shutdown_token();');
  const to = app.indexOf('// A signal, or a task that failed while later components started.');
  if (from === -1 || to === -1) return '';
  const body = app.slice(app.indexOf('\n', from) + 1, app.lastIndexOf('\n', to));
  return relocateSupport(body, 'crate').replaceAll('crate::', `${lib}::`).replace(/\n+$/, '');
}
