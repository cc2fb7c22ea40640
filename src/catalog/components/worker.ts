import { DURABLE_QUEUES, type When } from '../types.js';
import type { Component } from '../types.js';

/** A durable queue (any backend), beside the in-process one. */
const DURABLE: When = { queue: DURABLE_QUEUES };
/** The durable queue in PostgreSQL (`--queue postgres` needs the db component on it). */
const POSTGRES: When = { queue: 'postgres', db: 'postgres', component: 'db' };
/** The durable queue on Redis Streams. */
const REDIS: When = { queue: 'redis' };
/** The durable queue on NATS JetStream. */
const NATS: When = { queue: 'nats' };

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
    // NATS JetStream: no key-value or object store, websockets or nkeys; `ring` is the TLS
    // provider (a `tls://` server works without more features). 0.51 needs Rust 1.89.
    { name: 'async-nats', defaultFeatures: false, features: ['jetstream', 'ring'], rustVersion: '1.89', when: NATS },
    // `StreamExt::next` over a pull request's messages.
    { name: 'tokio-stream', when: NATS },
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
    { name: 'NATS_URL', example: 'nats://127.0.0.1:4222', doc: 'NATS server (JetStream on) that holds the durable jobs; several: comma-separated.', when: NATS },
    {
      name: 'NATS_STREAM',
      example: 'JOBS',
      doc: 'Durable queue: the JetStream stream of the jobs; dead letters go to <NATS_STREAM>_DEAD (1 to 64 letters, digits, - _).',
      when: NATS,
    },
    {
      name: 'NATS_SUBJECT',
      example: 'jobs',
      doc: 'Durable queue: the subject jobs are published on; dead letters go to <NATS_SUBJECT>.dead (dot-separated tokens of letters, digits, - _; no wildcards).',
      when: NATS,
    },
    {
      name: 'NATS_CONSUMER',
      example: 'workers',
      doc: 'Durable queue: the durable consumer every instance pulls from; its ack wait is WORKER_LEASE_MS, so give every instance the same lease (1 to 64 letters, digits, - _).',
      when: NATS,
    },
    {
      name: 'NATS_DEDUP_WINDOW_MS',
      example: '120000',
      doc: 'Durable queue: how long the server remembers an idempotency key, in milliseconds (1000 to 86400000).',
      when: NATS,
    },
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
    { dir: 'worker/nats', when: NATS },
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
      { partial: 'nats_start', provides: ['durable_jobs'], when: NATS },
    ],
    http: {
      // Not for PostgreSQL: the database's own check covers it.
      readiness: [{ name: 'job queue', value: 'durable_jobs.clone()', check: 'crate::worker::durable::health_check', uses: ['durable_jobs'], when: { queue: ['redis', 'nats'] } }],
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
      {
        when: NATS,
        name: 'nats',
        // The Alpine variant: the healthcheck needs a shell and wget.
        image: 'nats:2-alpine',
        environment: {},
        // JetStream on, and the monitoring port for the healthcheck (`/healthz` includes JetStream).
        command: ['-js', '-m', '8222'],
        port: 4222,
        healthcheck: 'wget -q -O /dev/null localhost:8222/healthz',
        connect: { NATS_URL: 'nats://{host}:4222' },
      },
    ],
    tests: [{ module: 'worker' }, { module: 'durable_queue', when: DURABLE }, { module: 'nats_queue', when: NATS }],
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
        comment: "Keys of its own, apart from any real queue; the queue tests sweep them after an hour.",
      },
      {
        when: NATS,
        name: 'NATS_URL',
        value: 'std::env::var("NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())',
        comment: 'The server from NATS_URL, as the durable queue tests use it.',
        realIo: true,
      },
      {
        when: NATS,
        name: 'NATS_STREAM',
        value: 'format!("DQTEST_APP{}", std::process::id())',
        comment: "A stream of this test's own, apart from any real queue (the queue tests sweep it after an hour).",
      },
      {
        when: NATS,
        name: 'NATS_SUBJECT',
        value: 'format!("dqtest.a{}", std::process::id())',
        comment: 'The subject of that stream.',
      },
    ],
    flags: { durable: DURABLE, queue_postgres: POSTGRES, queue_redis: REDIS, queue_nats: NATS },
    rules: [
      { rule: 'async-fn', file: 'src/worker.rs', test: 'the_result_comes_back_over_a_oneshot', testFile: 'tests/service/worker.rs' },
      { rule: 'spawn', file: 'src/worker.rs', test: 'never_more_than_the_concurrency_limit_at_once', testFile: 'tests/service/worker.rs' },
      { rule: 'select', file: 'src/worker.rs', test: 'shutdown_lets_running_jobs_finish', testFile: 'tests/service/worker.rs' },
      { rule: 'structured', file: 'src/worker.rs', test: 'shutdown_lets_running_jobs_finish', testFile: 'tests/service/worker.rs' },
      { rule: 'timeouts-retries', file: 'src/worker.rs', test: 'failures_are_retried_with_backoff_then_dead_lettered', testFile: 'tests/service/worker.rs' },
      { rule: 'timeouts-retries', file: 'src/worker.rs', test: 'an_attempt_that_runs_too_long_times_out', testFile: 'tests/service/worker.rs' },
      { rule: 'mpsc', file: 'src/worker.rs', test: 'a_full_queue_makes_enqueue_wait_then_fail', testFile: 'tests/service/worker.rs' },
      { rule: 'oneshot', file: 'src/worker.rs', test: 'the_result_comes_back_over_a_oneshot', testFile: 'tests/service/worker.rs' },
      { rule: 'bounded', file: 'src/worker.rs', test: 'a_full_queue_makes_enqueue_wait_then_fail', testFile: 'tests/service/worker.rs' },
      { rule: 'errors-early', file: 'src/worker.rs', test: 'a_job_timeout_longer_than_the_shutdown_grace_is_rejected' },
      { rule: 'await-points', file: 'src/worker.rs', test: 'failures_are_retried_with_backoff_then_dead_lettered', testFile: 'tests/service/worker.rs' },
      { rule: 'time-pause', file: 'src/worker.rs', test: 'failures_are_retried_with_backoff_then_dead_lettered', testFile: 'tests/service/worker.rs' },
      { rule: 'integration-tests', file: 'src/worker.rs', test: 'never_more_than_the_concurrency_limit_at_once', testFile: 'tests/service/worker.rs' },
      { rule: 'fakes', file: 'src/worker.rs', test: 'an_attempt_that_runs_too_long_times_out', testFile: 'tests/service/worker.rs' },
      { rule: 'async-overhead', file: 'src/worker.rs', test: 'backoff_doubles_up_to_the_cap' },
      { rule: 'contention', file: 'src/worker.rs', test: 'never_more_than_the_concurrency_limit_at_once', testFile: 'tests/service/worker.rs' },
      { rule: 'sleep-interval', file: 'src/worker.rs', test: 'a_periodic_job_fires_once_per_period', testFile: 'tests/service/worker.rs' },
      { rule: 'timeouts-retries', file: 'src/worker/durable.rs', test: 'an_outage_is_waited_out_and_loses_no_job', testFile: 'tests/service/durable_queue.rs', when: DURABLE },
      { rule: 'structured', file: 'src/worker/durable.rs', test: 'shutdown_lets_running_jobs_finish_and_records_them', testFile: 'tests/service/durable_queue.rs', when: DURABLE },
      { rule: 'errors-early', file: 'src/worker/durable.rs', test: 'a_lease_must_exceed_the_job_timeout', when: DURABLE },
      { rule: 'integration-tests', file: 'src/worker/durable.rs', test: 'two_consumers_share_the_load_and_finish_each_job_once', testFile: 'tests/service/durable_queue.rs', when: DURABLE },
      { rule: 'structured', file: 'src/worker/durable.rs', test: 'a_panicking_handler_fails_its_job_and_the_worker_carries_on', testFile: 'tests/service/worker.rs', when: POSTGRES },
      { rule: 'select', file: 'src/worker/durable/postgres.rs', test: 'a_notification_wakes_an_idle_worker_before_the_next_poll', testFile: 'tests/service/worker.rs', when: POSTGRES },
      { rule: 'sql-crates', file: 'src/worker/durable/postgres.rs', test: 'a_worker_that_lost_its_lease_cannot_record_an_outcome', testFile: 'tests/service/worker.rs', when: POSTGRES },
    ],
  },
};
