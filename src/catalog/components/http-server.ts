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
  },
};
