import type { Component } from '../types.js';

/** A tonic service and client from proto/, built with a vendored protoc. */
export const GRPC: Component = {
  id: 'grpc',
  title: 'gRPC',
  description: 'tonic service + client from proto/ (vendored protoc: no system protoc), health service, deadlines, retries on UNAVAILABLE, graceful shutdown',
  requires: [],
  conflicts: [],
  default: false,
  // tonic 0.14 needs Rust 1.88.
  rustVersion: '1.88',
  crates: [
    { name: 'tonic' },
    { name: 'tonic-prost' },
    { name: 'tonic-health' },
    { name: 'prost' },
    // The listener as a stream for tonic, and the streaming RPC's ticks.
    { name: 'tokio-stream', features: ['net', 'time'] },
    { name: 'tokio', features: ['net'] },
    { name: 'tonic-prost-build', build: true },
    { name: 'prost-build', build: true },
    { name: 'protoc-bin-vendored', build: true },
  ],
  env: [
    { name: 'GRPC_ADDR', example: '127.0.0.1:50051', doc: 'gRPC server: address to listen on (0.0.0.0:50051 to accept connections from other hosts).' },
    { name: 'GRPC_ENDPOINT', example: 'http://127.0.0.1:50051', doc: 'gRPC client: the server to call.' },
    { name: 'GRPC_CONNECT_TIMEOUT_MS', example: '2000', doc: 'gRPC client: how long to wait for a connection, in milliseconds (1 to 600000).' },
    { name: 'GRPC_DEADLINE_MS', example: '5000', doc: 'gRPC client: deadline of one call, retries included, in milliseconds (1 to 600000).' },
    { name: 'GRPC_MAX_RETRIES', example: '3', doc: 'gRPC client: retries of a call the server could not take (UNAVAILABLE), 0 to 10.' },
    { name: 'GRPC_BACKOFF_BASE_MS', example: '100', doc: 'gRPC client: wait before the first retry, doubled for each next one (with jitter), in milliseconds (1 to 60000).' },
    { name: 'GRPC_BACKOFF_MAX_MS', example: '2000', doc: 'gRPC client: longest computed wait between retries, in milliseconds (1 to 600000).' },
  ],
  templates: [{ dir: 'grpc/common' }],
  wiring: {
    module: 'grpc',
    layoutDoc: 'tonic service and client from `proto/`, with health, deadlines and retries',
    config: 'GrpcConfig',
    // Serves every component's gRPC service (this one's greeter among them).
    start: [{ partial: 'app_start', provides: ['grpc_addr'], collects: ['grpc'] }],
    addresses: [{ name: 'grpc_addr', doc: 'Where the gRPC server listens (with the real port when `GRPC_ADDR` asks for 0).' }],
    // An RPC over the real wiring.
    appTests: [{ partial: 'app_tests' }],
    grpc: [{ init: 'crate::grpc::server::greeter(supervisor.shutdown_token())' }],
    ports: [{ env: 'GRPC_ADDR', port: 50051 }],
    // Code generation from proto/ with the vendored protoc.
    build: [{ partial: 'build_protos' }],
    tests: [{ module: 'grpc' }],
    testEnv: [{ name: 'GRPC_ADDR', value: '"127.0.0.1:0".to_owned()', comment: 'Any free port for the gRPC server, so tests never collide with a service here.' }],
    rules: [
      { rule: 'tonic', file: 'src/grpc/server.rs', test: 'unary_round_trip', testFile: 'tests/service/grpc.rs' },
      { rule: 'integration-tests', file: 'src/grpc/server.rs', test: 'a_stream_delivers_every_item', testFile: 'tests/service/grpc.rs' },
      { rule: 'structured', file: 'src/grpc/server.rs', test: 'shutdown_cuts_an_open_stream_with_unavailable_at_once', testFile: 'tests/service/grpc.rs' },
      { rule: 'timeouts-retries', file: 'src/grpc/client.rs', test: 'unavailable_is_retried_on_the_capped_schedule' },
      { rule: 'errors-early', file: 'src/grpc/greetings.rs', test: 'an_over_long_name_is_invalid_argument', testFile: 'tests/service/grpc.rs' },
    ],
  },
};
