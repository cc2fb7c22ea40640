import { describe, expect, it } from 'vitest';

import { fileOf, plan } from '../helpers/plan.js';

describe('the worker queue on NATS JetStream', () => {
  const nats = plan({ components: ['worker'], queue: 'nats' });
  const paths = nats.files.map((f) => f.path);

  it('writes the NATS backend, its tests and the shared suite, and no other backend', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['src/worker/durable/nats.rs', 'tests/service/durable_queue.rs', 'tests/service/nats_queue.rs']),
    );
    expect(paths).not.toContain('src/worker/durable/redis_streams.rs');
    expect(paths).not.toContain('src/worker/durable/postgres.rs');
    expect(fileOf(nats, 'tests/service/durable_queue/backend.rs')).toContain('NatsQueue');
    expect(fileOf(nats, 'src/app.rs')).toContain('NatsQueue::connect');
  });

  it('needs Rust 1.89 for async-nats, only where NATS is chosen', () => {
    const manifest = fileOf(nats, 'Cargo.toml');
    expect(manifest).toContain('rust-version = "1.89"');
    expect(manifest).toMatch(/^async-nats = \{ version = "0\.51", default-features = false, features = \["jetstream", "ring"\] \}$/m);
    expect(fileOf(plan({ components: ['worker'], queue: 'memory' }), 'Cargo.toml')).toContain('rust-version = "1.85"');
    // A component-wide version still wins when it is higher.
    expect(fileOf(plan({ components: ['db', 'worker'], db: 'postgres', queue: 'nats' }), 'Cargo.toml')).toContain('rust-version = "1.94"');
  });

  it('documents every NATS variable with its range in .env.example', () => {
    const env = fileOf(nats, '.env.example');
    for (const name of ['NATS_URL', 'NATS_STREAM', 'NATS_SUBJECT', 'NATS_CONSUMER', 'NATS_DEDUP_WINDOW_MS']) {
      expect(env).toMatch(new RegExp(`^${name}=`, 'm'));
    }
    expect(env).toContain('(1000 to 86400000)');
  });
});
