import type { Component, When } from '../types.js';

const WITH_SERVER: When = { component: 'http-server' };

/** A typed JSON client for one remote API: timeouts, safe retries with backoff, typed errors. */
export const HTTP_CLIENT: Component = {
  id: 'http-client',
  title: 'HTTP client',
  description: 'reqwest client (rustls): timeouts, retries with backoff + jitter honouring Retry-After, typed errors, a trait for fakes',
  requires: [],
  conflicts: [],
  default: true,
  crates: [
    // rustls with aws-lc-rs (reqwest's `rustls` feature): the one crypto provider for the crate.
    { name: 'reqwest', defaultFeatures: false, features: ['json', 'rustls'] },
    { name: 'serde', features: ['derive'] },
    { name: 'serde_json' },
    { name: 'wiremock', dev: true },
  ],
  env: [
    {
      name: 'HTTP_CLIENT_BASE_URL',
      example: 'https://jsonplaceholder.typicode.com/',
      doc: 'Base URL of the API the HTTP client calls (request paths are appended to it).',
    },
    {
      name: 'HTTP_CLIENT_CONNECT_TIMEOUT_MS',
      example: '2000',
      doc: 'HTTP client: how long to wait for a connection (TCP and TLS), in milliseconds (1 to 600000).',
    },
    {
      name: 'HTTP_CLIENT_REQUEST_TIMEOUT_MS',
      example: '5000',
      doc: 'HTTP client: how long one attempt may take, body included, in milliseconds (1 to 600000).',
    },
    {
      name: 'HTTP_CLIENT_MAX_RETRIES',
      example: '3',
      doc: 'HTTP client: retries of a transient failure (idempotent methods only); 0 turns retries off (0 to 10).',
    },
    {
      name: 'HTTP_CLIENT_BACKOFF_BASE_MS',
      example: '100',
      doc: 'HTTP client: wait before the first retry, doubled for each next one (with jitter), in milliseconds (1 to 60000).',
    },
    {
      name: 'HTTP_CLIENT_BACKOFF_MAX_MS',
      example: '2000',
      doc: 'HTTP client: the longest computed wait between retries, in milliseconds (1 to 600000; at least HTTP_CLIENT_BACKOFF_BASE_MS; a longer Retry-After is still honoured within the deadline).',
    },
    {
      name: 'HTTP_CLIENT_TOTAL_TIMEOUT_MS',
      example: '10000',
      doc: 'HTTP client: deadline for a whole call, every attempt and wait included, in milliseconds (1 to 600000).',
    },
    {
      name: 'HTTP_CLIENT_MAX_BODY_BYTES',
      example: '1048576',
      doc: 'HTTP client: the largest response body read, in bytes (1 to 67108864); a larger one is an error.',
    },
  ],
  templates: [{ dir: 'http-client/common' }, { dir: 'http-client/http', when: WITH_SERVER }],
  wiring: {
    module: 'http_client',
    layoutDoc: 'typed JSON client: timeouts, retries with backoff and jitter, typed errors',
    config: 'HttpClientConfig',
    // Alone, the client is a library the service's code calls; with a server, an endpoint uses it.
    start: [{ partial: 'app_start', provides: ['users'], when: WITH_SERVER }],
    http: {
      routes: [{ module: 'greetings', doc: '`/users/{id}/greeting`: the HTTP client example behind an endpoint' }],
      state: [
        {
          field: 'users',
          type: 'std::sync::Arc<dyn crate::http_client::example::UserDirectory>',
          init: 'std::sync::Arc::new(users)',
          uses: ['users'],
          doc: 'The example upstream API: the real client in the service, a fake in tests.',
        },
      ],
    },
    tests: [{ module: 'http_client' }, { module: 'greetings_routes', when: WITH_SERVER }],
    rules: [
      { rule: 'expressive-names', file: 'src/http_client/retry.rs', test: 'permanent_failures_are_not_retried' },
      { rule: 'http-crates', file: 'src/http_client.rs', test: 'a_success_is_decoded', testFile: 'tests/service/http_client.rs' },
      { rule: 'serde', file: 'src/http_client.rs', test: 'an_unexpected_body_is_a_decode_error', testFile: 'tests/service/http_client.rs' },
      { rule: 'timeouts-retries', file: 'src/http_client/retry.rs', test: 'retries_follow_the_backoff_schedule' },
      { rule: 'time-pause', file: 'src/http_client/retry.rs', test: 'retries_follow_the_backoff_schedule' },
      { rule: 'select', file: 'src/http_client.rs', test: 'shutdown_cancels_a_call_in_flight', testFile: 'tests/service/http_client.rs' },
      { rule: 'fakes', file: 'src/http_client.rs', test: 'a_500_is_retried', testFile: 'tests/service/http_client.rs' },
      { rule: 'error-types', file: 'src/http_client.rs', test: 'a_refused_connection_is_a_transport_error', testFile: 'tests/service/http_client.rs' },
      { rule: 'errors-early', file: 'src/http_client.rs', test: 'bad_values_name_the_variable' },
    ],
  },
};
