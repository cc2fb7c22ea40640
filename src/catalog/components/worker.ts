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
    flags: { durable: DURABLE },
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
      { rule: 'timeouts-retries', file: 'src/worker/durable.rs', test: 'a_database_outage_is_waited_out', testFile: 'tests/service/worker.rs', when: DURABLE },
      { rule: 'structured', file: 'src/worker/durable.rs', test: 'a_panicking_handler_fails_its_job_and_the_worker_carries_on', testFile: 'tests/service/worker.rs', when: DURABLE },
      { rule: 'select', file: 'src/worker/durable.rs', test: 'a_notification_wakes_an_idle_worker_before_the_next_poll', testFile: 'tests/service/worker.rs', when: DURABLE },
      { rule: 'errors-early', file: 'src/worker/durable.rs', test: 'a_lease_must_exceed_the_job_timeout', when: DURABLE },
      { rule: 'integration-tests', file: 'src/worker/durable.rs', test: 'two_workers_share_the_queue_and_run_each_job_once', testFile: 'tests/service/worker.rs', when: DURABLE },
      { rule: 'sql-crates', file: 'src/worker/durable.rs', test: 'a_worker_that_lost_its_lease_cannot_record_an_outcome', testFile: 'tests/service/worker.rs', when: DURABLE },
    ],
  },
};
