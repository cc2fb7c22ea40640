import type { Component, When } from '../types.js';

/** The durable queue lives in PostgreSQL, beside the in-process one. */
const DURABLE: When = { db: 'postgres', component: 'db' };

/** Background jobs: bounded queue, concurrency limit, timeouts, retries with backoff, dead letters. */
export const WORKER: Component = {
  id: 'worker',
  title: 'background worker',
  description: 'background jobs: bounded queue, concurrency limit, per-job timeout, retries with backoff, dead letters, periodic jobs, draining shutdown',
  requires: [],
  conflicts: [],
  default: true,
  crates: [],
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
  ],
  templates: [{ dir: 'worker/common' }, { dir: 'worker/durable', when: DURABLE }],
  wiring: {
    module: 'worker',
    layoutDoc: 'background jobs with a bounded queue, retries, dead letters and periodic jobs',
    config: 'WorkerConfig',
    start: [
      { partial: 'app_start', provides: ['worker'] },
      { partial: 'durable_start', uses: ['db'], when: DURABLE },
    ],
    tests: [{ module: 'worker' }],
    flags: { durable: DURABLE, queue_postgres: DURABLE },
  },
};
