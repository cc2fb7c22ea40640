/**
 * Every crate version the generated projects use, in one place (checked with `cargo info`).
 * Components name crates; this map says which version, so an upgrade is one line.
 */
export const CRATE_VERSIONS: Record<string, string> = {
  anyhow: '1',
  'async-nats': '0.51',
  axum: '0.8',
  dotenvy: '0.15',
  prost: '0.14',
  'prost-build': '0.14',
  'protoc-bin-vendored': '3',
  // 1.8: the release the Redis Streams queue is tested against (Rust 1.88 or later).
  redis: '1.8',
  reqwest: '0.13',
  serde: '1',
  serde_json: '1',
  sqlx: '0.9',
  thiserror: '2',
  tokio: '1.54',
  'tokio-stream': '0.1',
  'tokio-util': '0.7',
  tonic: '0.14',
  'tonic-health': '0.14',
  'tonic-prost': '0.14',
  'tonic-prost-build': '0.14',
  tower: '0.5',
  // 0.6.7: the release the templates are tested against.
  'tower-http': '0.6.7',
  tracing: '0.1',
  'tracing-subscriber': '0.3',
  wiremock: '0.6',
};

export function crateVersion(name: string): string {
  const version = CRATE_VERSIONS[name];
  if (version === undefined) throw new Error(`no version pinned for crate "${name}" in src/catalog/versions.ts`);
  return version;
}
