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
  // Where the base crate shows the rules (README table); component rows come from their wiring.
  rules: [
    { rule: 'idiomatic', file: 'src/telemetry.rs', test: 'LogCapture', doc: true },
    { rule: 'tokio-concurrency', file: 'src/shutdown.rs', test: 'drain_returns_once_tasks_stop_on_cancel' },
    { rule: 'modularity', file: 'src/shutdown.rs', test: 'a_task_that_ignores_cancellation_is_reported_after_the_grace_period' },
    { rule: 'naming', file: 'src/config.rs', test: 'defaults_apply_when_nothing_is_set' },
    { rule: 'no-duplication', file: 'src/config.rs', test: 'values_beyond_the_range_name_the_variable_and_the_range' },
    { rule: 'safety', file: 'src/shutdown.rs', test: 'a_panicking_task_stops_the_service_and_is_reported' },
    { rule: 'tokio-runtime', file: 'src/shutdown.rs', test: 'a_failing_task_stops_the_service_and_is_reported' },
    { rule: 'async-fn', file: 'src/shutdown.rs', test: 'drain_returns_once_tasks_stop_on_cancel' },
    { rule: 'spawn', file: 'src/shutdown.rs', test: 'a_failing_task_stops_the_service_and_is_reported' },
    { rule: 'select', file: 'src/shutdown.rs', test: 'a_task_that_ignores_cancellation_is_reported_after_the_grace_period' },
    { rule: 'structured', file: 'src/shutdown.rs', test: 'a_task_that_ignores_cancellation_is_reported_after_the_grace_period' },
    { rule: 'timeouts-retries', file: 'src/shutdown.rs', test: 'a_task_that_ignores_cancellation_is_reported_after_the_grace_period' },
    { rule: 'result-option', file: 'src/config.rs', test: 'malformed_value_names_the_variable_and_the_expected_form' },
    { rule: 'question-mark', file: 'src/config.rs', test: 'set_values_override_defaults' },
    { rule: 'error-types', file: 'src/error.rs', test: 'a_chain_shows_every_cause' },
    { rule: 'errors-early', file: 'src/config.rs', test: 'zero_durations_and_counts_are_rejected' },
    { rule: 'tokio-test', file: 'src/shutdown.rs', test: 'drain_returns_once_tasks_stop_on_cancel' },
    { rule: 'time-pause', file: 'src/shutdown.rs', test: 'a_task_that_ignores_cancellation_is_reported_after_the_grace_period' },
    { rule: 'async-overhead', file: 'src/config.rs', test: 'defaults_apply_when_nothing_is_set' },
    { rule: 'env-config', file: 'src/config.rs', test: 'a_dotenv_file_in_a_parent_directory_is_not_read' },
    { rule: 'documented', file: 'src/telemetry.rs', test: 'LogCapture', doc: true },
    { rule: 'tokio-tasks', file: 'src/shutdown.rs', test: 'drain_returns_once_tasks_stop_on_cancel' },
  ],
};
