import { DURABLE_QUEUES, type When } from '../types.js';
import type { Component } from '../types.js';

/** A durable queue (any backend), beside the in-process one. */
const DURABLE: When = { queue: DURABLE_QUEUES };
/** The durable queue in PostgreSQL (`--queue postgres` needs the db component on it). */
const POSTGRES: When = { queue: 'postgres', db: 'postgres', component: 'db' };
/** The durable queue on Redis Streams. */
const REDIS: When = { queue: 'redis' };

/** Background jobs: bounded queue, concurrency limit, timeouts, retries with backoff, dead letters. */
export const WORKER: Component = {
  id: 'worker',
  title: 'background worker',
  description: 'background jobs: bounded queue, concurrency limit, per-job timeout, retries with backoff, dead letters, periodic jobs, draining shutdown',
  requires: [],
  conflicts: [],
  default: true,
  crates: [
    // Redis Streams: the async client over tokio, with its reconnecting connection manager;
    // no TLS, cluster or JSON features (the defaults add geo and bignum commands it does not use).
    // The semantics suite puts a TCP proxy between the worker and the server to cut it.
    { name: 'tokio', dev: true, features: ['net', 'io-util'], when: DURABLE },
    { name: 'redis', defaultFeatures: false, features: ['tokio-comp', 'connection-manager', 'streams', 'script'], when: REDIS },
  ],
  env: [
    { name: 'WORKER_QUEUE_CAPACITY', example: '256', doc: 'Worker: jobs waiting to run before enqueueing has to wait (1 to 65536).' },
    { name: 'WORKER_CONCURRENCY', example: '4', doc: 'Worker: jobs running at once (1 to 1024).' },
    {
      name: 'WORKER_JOB_TIMEOUT_MS',
      example: '10000',
      doc: 'Worker: longest one attempt of a job may run, in milliseconds (1 to 86400000; at most SHUTDOWN_GRACE_MS, so a running job can finish at shutdown).',
    },
    { name: 'WORKER_MAX_ATTEMPTS', example: '5', doc: 'Worker: attempts before a job goes to the dead letters (1 to 100).' },
    { name: 'WORKER_BACKOFF_BASE_MS', example: '500', doc: 'Worker: wait before the first retry, doubled for each next one, in milliseconds (1 to 3600000).' },
    { name: 'WORKER_BACKOFF_MAX_MS', example: '60000', doc: 'Worker: longest wait between retries, in milliseconds (1 to 86400000; at least WORKER_BACKOFF_BASE_MS).' },
    {
      name: 'WORKER_ENQUEUE_TIMEOUT_MS',
      example: '1000',
      doc: 'Worker: how long enqueueing waits for room in a full queue before failing, in milliseconds (1 to 600000).',
    },
    {
      name: 'WORKER_LEASE_MS',
      example: '60000',
      doc: 'Durable queue: how long a claimed job stays with its worker without a heartbeat before another may take it over, in milliseconds (1000 to 86400000; longer than WORKER_JOB_TIMEOUT_MS).',
      when: DURABLE,
    },
    {
      name: 'WORKER_POLL_INTERVAL_MS',
      example: '1000',
      doc: 'Durable queue: how often an idle worker looks for due jobs without a notification (retries, missed wake-ups), in milliseconds (10 to 3600000).',
      when: DURABLE,
    },
    {
      name: 'WORKER_RETENTION_MS',
      example: '604800000',
      doc: 'Durable queue: how long finished (done or dead) jobs, and their idempotency keys, are kept before deletion, in milliseconds (60000 to 31536000000).',
      when: DURABLE,
    },
    { name: 'REDIS_URL', example: 'redis://127.0.0.1:6379', doc: 'Redis that holds the durable jobs, e.g. redis://:password@host:6379/0.', when: REDIS },
    {
      name: 'WORKER_REDIS_PREFIX',
      example: 'jobs',
      doc: 'Durable queue: the prefix of its Redis keys, so several queues share one Redis (1 to 64 letters, digits, - _ . :).',
      when: REDIS,
    },
  ],
  templates: [
    { dir: 'worker/common' },
    { dir: 'worker/durable', when: DURABLE },
    { dir: 'worker/postgres', when: POSTGRES },
    { dir: 'worker/redis', when: REDIS },
    // NATS JetStream: { dir: 'worker/nats', when: NATS }.
  ],
  wiring: {
    module: 'worker',
    layoutDoc: 'background jobs with a bounded queue, retries, dead letters and periodic jobs',
    config: 'WorkerConfig',
    start: [
      { partial: 'app_start', provides: ['worker'] },
      // Each backend's block builds its queue as `durable_jobs` and starts the durable worker on it.
      { partial: 'postgres_start', uses: ['db'], provides: ['durable_jobs'], when: POSTGRES },
      { partial: 'redis_start', provides: ['durable_jobs'], when: REDIS },
    ],
    http: {
      // Not for PostgreSQL: the database's own check covers it.
      readiness: [{ name: 'job queue', value: 'durable_jobs.clone()', check: 'crate::worker::durable::health_check', uses: ['durable_jobs'], when: REDIS }],
    },
    containers: [
      {
        when: REDIS,
        name: 'redis',
        image: 'redis:7',
        environment: {},
        port: 6379,
        healthcheck: 'redis-cli ping',
        connect: { REDIS_URL: 'redis://{host}:6379' },
      },
    ],
    tests: [{ module: 'worker' }, { module: 'durable_queue', when: DURABLE }],
    testEnv: [
      {
        when: REDIS,
        name: 'REDIS_URL',
        value: 'std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())',
        comment: 'The server from REDIS_URL, as the durable queue tests use it.',
        realIo: true,
      },
      {
        when: REDIS,
        name: 'WORKER_REDIS_PREFIX',
        value: 'format!("app-test-{}", std::process::id())',
        comment: "Keys of this test's own, apart from any real queue on the same Redis.",
      },
    ],
    flags: { durable: DURABLE, queue_postgres: POSTGRES, queue_redis: REDIS },
  },
};
