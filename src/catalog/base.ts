import type { Base } from './types.js';

/** The base crate: config, telemetry, shutdown, app wiring. Every project has it. */
export const BASE: Base = {
  templates: [
    { dir: 'base' },
    { dir: 'ci', when: { ci: true } },
    { dir: 'docker', when: { docker: true } },
  ],
  rustVersion: '1.85',
  crates: [
    { name: 'anyhow' },
    { name: 'dotenvy' },
    { name: 'thiserror' },
    { name: 'tokio', features: ['macros', 'rt-multi-thread', 'signal', 'sync', 'time'] },
    { name: 'tokio-util', features: ['rt'] },
    { name: 'tracing' },
    // `json` for LOG_FORMAT=json; `tracing-log` forwards records of crates that use `log`.
    { name: 'tracing-subscriber', defaultFeatures: false, features: ['ansi', 'env-filter', 'fmt', 'json', 'tracing-log'] },
    { name: 'tokio', dev: true, features: ['test-util'] },
  ],
  env: [
    {
      name: 'RUST_LOG',
      example: 'info',
      doc: 'Log filter, e.g. `info` or `info,tower_http=debug` (tracing-subscriber EnvFilter syntax).',
    },
    {
      name: 'LOG_FORMAT',
      example: 'text',
      doc: 'Log format: text (readable lines, coloured only on a terminal) or json (one object per line, for log collectors).',
    },
    {
      name: 'SHUTDOWN_GRACE_MS',
      example: '10000',
      doc: 'How long shutdown waits for running tasks to finish, in milliseconds (1 to 600000); job and request timeouts must fit in it.',
    },
  ],
};
