import type { Component } from '../types.js';

/** An axum service: routes, shared state, JSON errors, health checks, graceful shutdown. */
export const HTTP_SERVER: Component = {
  id: 'http-server',
  title: 'HTTP server',
  description: 'axum service: routes in their own module, shared state, JSON errors, request ids, request timeout, body limit, panic guard, /healthz + /readyz, graceful shutdown',
  requires: [],
  conflicts: [],
  default: false,
  crates: [
    // `macros` for `#[derive(FromRef)]` on the state.
    { name: 'axum', defaultFeatures: false, features: ['http1', 'json', 'macros', 'tokio'] },
    { name: 'serde', features: ['derive'] },
    { name: 'tokio', features: ['net'] },
    // `request-id` brings `MakeRequestUuid` (and its `uuid` dependency).
    { name: 'tower-http', features: ['catch-panic', 'request-id', 'trace'] },
    { name: 'serde_json', dev: true },
    // `ServiceExt::oneshot`: router tests without a socket.
    { name: 'tower', dev: true, features: ['util'] },
    // The raw HTTP/1.1 request of the real-socket tests (without http-client's reqwest), and
    // the service's binary run by the SIGTERM test.
    { name: 'tokio', dev: true, features: ['io-util', 'process'] },
  ],
  env: [
    {
      name: 'HTTP_SERVER_ADDR',
      example: '127.0.0.1:8080',
      doc: 'HTTP server: address to listen on; loopback by default, 0.0.0.0:8080 to accept outside traffic (containers).',
    },
    {
      name: 'HTTP_SERVER_REQUEST_TIMEOUT_MS',
      example: '5000',
      doc: 'HTTP server: how long a request may take before it is answered with 503, in milliseconds (1 to 600000; at most SHUTDOWN_GRACE_MS, checked at startup).',
    },
    {
      name: 'HTTP_SERVER_DRAIN_DELAY_MS',
      example: '1000',
      doc: 'HTTP server: how long it keeps answering, with Connection: close, after shutdown starts, in milliseconds (0 to 60000; plus the request timeout at most SHUTDOWN_GRACE_MS, checked at startup).',
    },
    {
      name: 'HTTP_SERVER_MAX_BODY_BYTES',
      example: '2097152',
      doc: 'HTTP server: largest request body read, in bytes (1024 to 67108864); a larger JSON body is answered with 413.',
    },
  ],
  templates: [{ dir: 'http-server/common' }],
  wiring: {
    module: 'http_server',
    layoutDoc: 'the HTTP API (axum): router, handlers, state, JSON errors, graceful shutdown',
    config: 'HttpServerConfig',
    // Builds `AppState` from every component's state fields and readiness checks.
    start: [{ partial: 'app_start', provides: ['http_addr'], collects: ['http'] }],
    addresses: [{ name: 'http_addr', doc: 'Where the HTTP server listens (with the real port when `HTTP_SERVER_ADDR` asks for 0).' }],
    // The routes over the real wiring, and SIGTERM sent to the binary under load.
    appTests: [{ partial: 'app_tests' }, { partial: 'app_tests_after_grpc', when: { component: 'grpc' } }],
    http: {
      state: [
        {
          field: 'readiness',
          type: 'crate::http_server::Readiness',
          init: 'readiness',
          doc: 'What `/readyz` checks.',
        },
      ],
    },
    ports: [{ env: 'HTTP_SERVER_ADDR', port: 8080 }],
    tests: [{ module: 'http_server' }],
    testEnv: [
      { name: 'HTTP_SERVER_ADDR', value: '"127.0.0.1:0".to_owned()', comment: 'Any free port, so tests never collide with a service on this machine.' },
      { name: 'HTTP_SERVER_DRAIN_DELAY_MS', value: '"0".to_owned()', comment: 'No drain delay: no load balancer to warn; the SIGTERM test sets its own.' },
    ],
    rules: [
      { rule: 'http-crates', file: 'src/http_server.rs', test: 'serves_real_http_until_shutdown', testFile: 'tests/service/http_server.rs' },
      { rule: 'timeouts-retries', file: 'src/http_server/router.rs', test: 'a_slow_request_is_cut_off_at_the_timeout' },
      { rule: 'structured', file: 'src/http_server.rs', test: 'shutdown_lets_a_request_in_flight_finish_then_stops', testFile: 'tests/service/http_server.rs' },
      { rule: 'integration-tests', file: 'src/http_server.rs', test: 'shutdown_lets_a_request_in_flight_finish_then_stops', testFile: 'tests/service/http_server.rs' },
      { rule: 'error-types', file: 'src/http_server/error.rs', test: 'a_body_over_the_limit_is_a_json_413', testFile: 'tests/service/http_server.rs' },
      { rule: 'serde', file: 'src/http_server/error.rs', test: 'unknown_routes_and_methods_are_json_errors', testFile: 'tests/service/http_server.rs' },
      { rule: 'errors-early', file: 'src/http_server.rs', test: 'the_body_limit_is_bounded' },
      { rule: 'safety', file: 'src/http_server/router.rs', test: 'a_panicking_handler_is_a_json_500_and_the_server_keeps_serving', testFile: 'tests/service/http_server.rs' },
    ],
  },
};
