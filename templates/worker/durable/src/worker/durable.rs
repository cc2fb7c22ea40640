//! A durable job queue in PostgreSQL, shared by any number of worker
//! processes: this is how the service scales past one machine.
//!
//! # Delivery: at least once
//!
//! A job runs **at least once**, and usually exactly once. A worker that dies
//! (or loses the database for longer than its lease) after starting a job but
//! before recording the outcome leaves the job to be run again by another
//! worker. No queue can avoid that without running inside your handler's
//! transaction, so **make handlers idempotent**: running a job twice must
//! have the effect of running it once. Key the side effect on something in
//! the payload, for example:
//!
//! ```ignore
//! impl Handler for ChargeOrder {
//!     type Job = String;
//!     type Output = ();
//!
//!     async fn handle(&self, payload: &String) -> Result<(), JobError> {
//!         let order: Order = serde_json::from_str(payload)
//!             .map_err(|error| JobError::Permanent(error.to_string()))?;
//!         // A second run finds the row and does nothing.
//!         sqlx::query(
//!             "INSERT INTO payments (order_id, amount) VALUES ($1, $2)
//!              ON CONFLICT (order_id) DO NOTHING",
//!         )
//!         .bind(order.id)
//!         .bind(order.amount)
//!         .execute(&self.pool)
//!         .await
//!         .map_err(|error| JobError::Retryable(error.to_string()))?;
//!         Ok(())
//!     }
//! }
//! ```
//!
//! # How it works
//!
//! - **Claiming** is one statement, `UPDATE ... WHERE id = (SELECT ... FOR
//!   UPDATE SKIP LOCKED LIMIT 1)`: concurrent claimers skip rows another
//!   transaction holds instead of waiting on them, so they never take the same
//!   job at once and never block each other.
//! - **A lease, renewed by a heartbeat**: a claimed job is `running` until
//!   `locked_until` ([`WorkerConfig::lease`](super::WorkerConfig::lease)).
//!   While the handler runs, its worker renews the lease every third of it; if
//!   the worker dies, renewals stop, the lease runs out and another worker
//!   claims the job again (a new attempt). The configuration requires the
//!   lease to exceed the job timeout, so an attempt ends before its lease even
//!   when no renewal gets through.
//! - **Fenced outcomes**: the attempt number is the fencing token. Recording
//!   an outcome (`complete`, `fail`) only touches the row if it is still
//!   `running` that same attempt; a worker that lost its lease gets
//!   [`Settled::LeaseLost`] and its late result is logged and dropped, never
//!   written over the new owner's.
//! - **Attempts are bounded, crashes included**: a failed attempt puts the job
//!   back as `queued` with `run_at` in the future (exponential backoff with
//!   jitter); out of attempts, it is `dead`, with its last error. A job whose
//!   lease ran out on its last attempt is not claimed again: maintenance
//!   buries it. So `attempts` never exceeds `max_attempts`.
//! - **Each job is isolated**: the handler runs in a task of its own, so a
//!   panic fails that attempt (and is retried like any failure) while the
//!   worker loop carries on.
//! - **Outages are waited out**: a database error in the loop is logged and
//!   retried with jittered backoff (`WORKER_BACKOFF_BASE_MS` up to
//!   `WORKER_BACKOFF_MAX_MS`); the loop never exits because the database is
//!   down. Every statement is bounded by a timeout.
//! - **Wake-ups by `LISTEN/NOTIFY`, polling as the fallback**: an insert into
//!   `jobs` notifies `jobs_queued` (a trigger, so jobs pushed by any client
//!   count); idle workers wake at once. Polling every
//!   [`WorkerConfig::poll_interval`](super::WorkerConfig::poll_interval)
//!   still finds retries that became due and covers notifications lost while
//!   the listener reconnects. The listener holds one connection of the pool
//!   for as long as the worker runs: size `DATABASE_MAX_CONNECTIONS` for it.
//! - **Retention**: finished (`done`, `dead`) rows older than
//!   [`WorkerConfig::retention`](super::WorkerConfig::retention) are deleted
//!   in bounded batches. The idempotency key of a job is remembered as long
//!   as its row.
//! - **Outbox**: [`push`] takes any executor, so a job can be pushed in the
//!   same transaction as the change that calls for it: both commit, or
//!   neither does.
//! - **Each attempt has a span**, `durable_job` with the job's `id` and
//!   `attempt`: everything the handler and the loop log about it carries both.
//! - **Jobs are text**: serialize yours (e.g. JSON) into the payload.

use std::collections::hash_map::RandomState;
use std::convert::Infallible;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::{FromRow, PgExecutor, PgPool};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;
use tracing::{Instrument, Span};

use super::{Handler, JobError, WorkerConfig};
use crate::config::{ConfigError, Env};
use crate::db::DbError;
use crate::error::ErrorChain;
use crate::shutdown::Supervisor;

/// The channel the `jobs` insert trigger notifies (see the migration).
const CHANNEL: &str = "jobs_queued";
/// The longest any one statement may take. Every statement here is a
/// single-row update or a bounded, indexed delete: one that takes longer means
/// the database is not answering, and the loop treats it as an outage.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);
/// The shortest heartbeat or maintenance period, whatever the lease.
const MIN_TICK: Duration = Duration::from_millis(10);
/// Finished rows deleted per retention statement, so a large backlog is
/// removed in short transactions instead of one long lock-holding one.
const PURGE_BATCH: i64 = 1_000;

const CLAIM: &str = "UPDATE jobs
    SET state = 'running', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => $1)
    WHERE id = (
        SELECT id FROM jobs
        WHERE (state = 'queued' AND run_at <= now())
           OR (state = 'running' AND locked_until < now() AND attempts < max_attempts)
        ORDER BY run_at, id
        FOR UPDATE SKIP LOCKED
        LIMIT 1
    )
    RETURNING id, payload, attempts, max_attempts";
const PUSH: &str = "INSERT INTO jobs (payload, max_attempts, idempotency_key)
    VALUES ($1, $2, $3)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id";
// Every statement that acts on a claimed job is fenced by `attempts = $2`.
const HEARTBEAT: &str = "UPDATE jobs SET locked_until = now() + make_interval(secs => $3)
    WHERE id = $1 AND attempts = $2 AND state = 'running'";
const COMPLETE: &str = "UPDATE jobs
    SET state = 'done', locked_until = NULL, finished_at = now()
    WHERE id = $1 AND attempts = $2 AND state = 'running'";
const RETRY: &str = "UPDATE jobs
    SET state = 'queued', locked_until = NULL, last_error = $3,
        run_at = now() + make_interval(secs => $4)
    WHERE id = $1 AND attempts = $2 AND state = 'running'";
const BURY: &str = "UPDATE jobs
    SET state = 'dead', locked_until = NULL, last_error = $3, finished_at = now()
    WHERE id = $1 AND attempts = $2 AND state = 'running'";
const BURY_EXPIRED: &str = "UPDATE jobs
    SET state = 'dead', locked_until = NULL, finished_at = now(),
        last_error = format('lease expired on attempt %s of %s: its worker stopped or lost the database',
                            attempts, max_attempts)
    WHERE state = 'running' AND locked_until < now() AND attempts >= max_attempts";
const PURGE: &str = "DELETE FROM jobs WHERE id IN (
    SELECT id FROM jobs
    WHERE state IN ('done', 'dead') AND finished_at < now() - make_interval(secs => $1)
    LIMIT $2
)";

/// `WORKER_LEASE_MS` (1 s to 24 h, default 60 s). It must exceed the job
/// timeout, so an attempt ends before its lease even when no heartbeat gets
/// through (the database is briefly unreachable): then no other worker starts
/// the same job while this one still runs it.
pub(super) fn lease_from_env(
    env: &Env<'_>,
    job_timeout: Duration,
) -> Result<Duration, ConfigError> {
    let lease = env.millis_in("WORKER_LEASE_MS", 60_000, 1_000..=86_400_000)?;
    if lease <= job_timeout {
        return Err(ConfigError::Inconsistent {
            name: "WORKER_LEASE_MS",
            value: lease.as_millis().to_string(),
            rule: format!(
                "it must exceed WORKER_JOB_TIMEOUT_MS ({}), so a job ends before its lease",
                job_timeout.as_millis()
            ),
        });
    }
    Ok(lease)
}

/// A job a worker has claimed.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ClaimedJob {
    /// Row id.
    pub id: i64,
    /// What to do.
    pub payload: String,
    /// Attempts so far, this one included. Also the fencing token: only this
    /// attempt's outcome may be recorded while it holds the lease.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
}

/// A job to push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewJob<'a> {
    /// What to do.
    pub payload: &'a str,
    /// Attempts allowed (at least 1).
    pub max_attempts: u32,
    /// When set, pushing a second job with the same key does nothing while
    /// the first one's row exists (see the retention setting).
    pub idempotency_key: Option<&'a str>,
}

impl<'a> NewJob<'a> {
    /// A job without an idempotency key.
    pub fn new(payload: &'a str, max_attempts: u32) -> Self {
        Self {
            payload,
            max_attempts,
            idempotency_key: None,
        }
    }

    /// The same job, pushed at most once per `key`.
    #[must_use]
    pub fn idempotency_key(self, key: &'a str) -> Self {
        Self {
            idempotency_key: Some(key),
            ..self
        }
    }
}

/// Whether recording an outcome (or renewing a lease) took effect.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The row was still this attempt's and now says what happened.
    Recorded,
    /// The lease had run out and the job moved on (another worker claimed it,
    /// or it was buried): nothing was written.
    LeaseLost,
}

impl Settled {
    fn from_rows(rows_affected: u64) -> Self {
        if rows_affected == 0 {
            Self::LeaseLost
        } else {
            Self::Recorded
        }
    }
}

/// Stores a job through `executor`: a pool, or a connection or transaction of
/// the caller's, so the job commits (and wakes workers) together with the
/// caller's other writes, or not at all.
///
/// Returns the new job's id, or `None` when a job with the same idempotency
/// key already exists.
///
/// # Errors
///
/// Database errors, or [`DbError::Unresponsive`] after the statement timeout.
pub async fn push<'c>(
    executor: impl PgExecutor<'c>,
    job: &NewJob<'_>,
) -> Result<Option<i64>, DbError> {
    let max_attempts = i32::try_from(job.max_attempts.max(1)).unwrap_or(i32::MAX);
    let id: Option<(i64,)> = bounded(
        sqlx::query_as(PUSH)
            .bind(job.payload)
            .bind(max_attempts)
            .bind(job.idempotency_key)
            .fetch_optional(executor),
    )
    .await?;
    Ok(id.map(|(id,)| id))
}

/// The `jobs` table, as a queue.
#[derive(Debug, Clone)]
pub struct DurableQueue {
    pool: PgPool,
    lease: Duration,
}

impl DurableQueue {
    /// A queue over `pool`; claims are leased for `lease`.
    pub fn new(pool: PgPool, lease: Duration) -> Self {
        Self { pool, lease }
    }

    /// Stores a job on the queue's pool; see [`push`] to push inside a
    /// transaction.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn push(&self, job: &NewJob<'_>) -> Result<Option<i64>, DbError> {
        push(&self.pool, job).await
    }

    /// Claims the next due job, or one whose lease ran out with attempts
    /// left, if any.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn claim(&self) -> Result<Option<ClaimedJob>, DbError> {
        bounded(
            sqlx::query_as(CLAIM)
                .bind(self.lease.as_secs_f64())
                .fetch_optional(&self.pool),
        )
        .await
    }

    /// Extends a claimed job's lease by a full lease from now, if the job is
    /// still this attempt's.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn heartbeat(&self, job: &ClaimedJob) -> Result<Settled, DbError> {
        self.fenced(
            sqlx::query(HEARTBEAT)
                .bind(job.id)
                .bind(job.attempts)
                .bind(self.lease.as_secs_f64()),
        )
        .await
    }

    /// Marks a claimed job done, if it is still this attempt's.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn complete(&self, job: &ClaimedJob) -> Result<Settled, DbError> {
        self.fenced(sqlx::query(COMPLETE).bind(job.id).bind(job.attempts))
            .await
    }

    /// Records a failed attempt, if the job is still this attempt's: back to
    /// the queue after `retry_in`, or dead when the job is out of attempts
    /// (or the error is permanent).
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn fail(
        &self,
        job: &ClaimedJob,
        error: &JobError,
        retry_in: Duration,
    ) -> Result<Settled, DbError> {
        let permanent = matches!(error, JobError::Permanent(_));
        let message = error.to_string();
        if permanent || job.attempts >= job.max_attempts {
            let settled = self
                .fenced(
                    sqlx::query(BURY)
                        .bind(job.id)
                        .bind(job.attempts)
                        .bind(&message),
                )
                .await?;
            if settled == Settled::Recorded {
                tracing::error!(id = job.id, attempts = job.attempts, %message, "durable job is dead");
            }
            Ok(settled)
        } else {
            self.fenced(
                sqlx::query(RETRY)
                    .bind(job.id)
                    .bind(job.attempts)
                    .bind(&message)
                    .bind(retry_in.as_secs_f64()),
            )
            .await
        }
    }

    /// Buries the `running` jobs whose lease ran out on their last attempt
    /// (their worker died mid-job), so they end `dead` instead of staying
    /// `running` forever. Returns how many.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn bury_expired(&self) -> Result<u64, DbError> {
        let buried = bounded(sqlx::query(BURY_EXPIRED).execute(&self.pool)).await?;
        Ok(buried.rows_affected())
    }

    /// Deletes `done` and `dead` jobs that finished more than `older_than`
    /// ago, in batches. Returns how many.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn purge_finished(&self, older_than: Duration) -> Result<u64, DbError> {
        let mut purged = 0;
        loop {
            let batch = bounded(
                sqlx::query(PURGE)
                    .bind(older_than.as_secs_f64())
                    .bind(PURGE_BATCH)
                    .execute(&self.pool),
            )
            .await?
            .rows_affected();
            purged += batch;
            if batch < PURGE_BATCH.unsigned_abs() {
                return Ok(purged);
            }
        }
    }

    async fn fenced(
        &self,
        query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> Result<Settled, DbError> {
        let done = bounded(query.execute(&self.pool)).await?;
        Ok(Settled::from_rows(done.rows_affected()))
    }
}

/// Runs `statement` with the statement timeout.
async fn bounded<T>(statement: impl Future<Output = Result<T, sqlx::Error>>) -> Result<T, DbError> {
    match tokio::time::timeout(STATEMENT_TIMEOUT, statement).await {
        Ok(result) => result.map_err(DbError::from),
        Err(_) => Err(DbError::Unresponsive(STATEMENT_TIMEOUT)),
    }
}

/// Runs `handler` on durable jobs in `config.concurrency` loops until
/// shutdown; each loop finishes its current job first. Also starts the
/// `LISTEN` task that wakes idle loops, and maintenance (burying expired
/// last attempts, deleting old finished rows).
///
/// The loops survive database outages and handler panics; only a bug in the
/// loop itself (a panic outside the handler) ends the task, and that stops
/// the service rather than leaving the queue silently unserved.
pub fn start<H>(config: &WorkerConfig, supervisor: &Supervisor, queue: DurableQueue, handler: H)
where
    H: Handler<Job = String>,
{
    let (config, shutdown) = (Arc::new(config.clone()), supervisor.shutdown_token());
    let handler = Arc::new(handler);
    let wake = Arc::new(Notify::new());
    supervisor.spawn("worker.durable", async move {
        let mut tasks = JoinSet::new();
        for _ in 0..config.concurrency {
            let (queue, handler, wake) = (queue.clone(), Arc::clone(&handler), Arc::clone(&wake));
            let (config, shutdown) = (Arc::clone(&config), shutdown.clone());
            tasks.spawn(async move { run(&queue, &handler, &config, &wake, &shutdown).await });
        }
        let (pool, listen_wake) = (queue.pool.clone(), Arc::clone(&wake));
        let (listen_config, listen_shutdown) = (Arc::clone(&config), shutdown.clone());
        tasks.spawn(
            async move { listen(&pool, &listen_wake, &listen_config, &listen_shutdown).await },
        );
        tasks.spawn(async move { maintain(&queue, &config, &shutdown).await });
        while let Some(finished) = tasks.join_next().await {
            finished.map_err(|error| DurableError::LoopPanicked(error.to_string()))?;
        }
        Ok::<(), DurableError>(())
    });
}

/// Why the durable worker stopped before shutdown.
#[derive(Debug, thiserror::Error)]
pub enum DurableError {
    /// A bug in the worker loop itself (handler panics are caught per job).
    #[error("a durable worker loop panicked: {0}")]
    LoopPanicked(String),
}

/// One worker loop: claim, run, record; wait for a wake-up or the poll
/// interval when nothing is due; back off while the database is down.
async fn run<H: Handler<Job = String>>(
    queue: &DurableQueue,
    handler: &Arc<H>,
    config: &WorkerConfig,
    wake: &Notify,
    shutdown: &CancellationToken,
) {
    let mut failures = 0_u32;
    while !shutdown.is_cancelled() {
        // Registered before claiming, so a notification that arrives between
        // an empty claim and the wait below is not missed.
        let mut woken = pin!(wake.notified());
        woken.as_mut().enable();
        match queue.claim().await {
            Ok(Some(job)) => {
                failures = 0;
                let span = tracing::info_span!("durable_job", id = job.id, attempt = job.attempts);
                run_job(queue, handler, config, job).instrument(span).await;
            }
            Ok(None) => {
                failures = 0;
                tokio::select! {
                    () = woken => {}
                    () = tokio::time::sleep(config.poll_interval) => {}
                    () = shutdown.cancelled() => {}
                }
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                let wait = outage_backoff(config, failures);
                tracing::warn!(
                    error = %ErrorChain(&error),
                    failures,
                    ?wait,
                    "durable queue: cannot claim jobs; retrying"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = shutdown.cancelled() => {}
                }
            }
        }
    }
}

/// What became of one attempt.
enum Attempt {
    Succeeded,
    Failed(JobError),
    LeaseLost,
}

/// Runs one claimed job: the handler in a task of its own (so a panic fails
/// only this attempt), bounded by the job timeout, with the lease renewed
/// while it runs; then records the outcome. It runs in the job's
/// `durable_job` span, which names the job in every log line below.
async fn run_job<H: Handler<Job = String>>(
    queue: &DurableQueue,
    handler: &Arc<H>,
    config: &WorkerConfig,
    job: ClaimedJob,
) {
    let task = {
        let (handler, payload) = (Arc::clone(handler), job.payload.clone());
        // A spawned task starts outside any span: it enters the job's own.
        let attempt = async move { handler.handle(&payload).await }.instrument(Span::current());
        // Aborted when dropped: a timed-out or fenced-out attempt stops.
        AbortOnDropHandle::new(tokio::spawn(attempt))
    };
    let attempt = tokio::select! {
        outcome = tokio::time::timeout(config.job_timeout, task) => match outcome {
            Ok(Ok(Ok(_))) => Attempt::Succeeded,
            Ok(Ok(Err(error))) => Attempt::Failed(error),
            Ok(Err(join)) => Attempt::Failed(JobError::Retryable(format!("the handler panicked: {join}"))),
            Err(_) => Attempt::Failed(JobError::Retryable(format!(
                "timed out after {:?}",
                config.job_timeout
            ))),
        },
        () = keep_leased(queue, &job, config.lease) => Attempt::LeaseLost,
    };
    let attempts = u32::try_from(job.attempts).unwrap_or(u32::MAX);
    let settled = match attempt {
        Attempt::LeaseLost => Ok(Settled::LeaseLost),
        Attempt::Succeeded => {
            let job = &job;
            settle(config, move || queue.complete(job)).await
        }
        Attempt::Failed(error) => {
            tracing::warn!(%error, "durable job attempt failed");
            let retry_in = with_jitter(config.backoff(attempts));
            let (job, error) = (&job, &error);
            settle(config, move || queue.fail(job, error, retry_in)).await
        }
    };
    match settled {
        Ok(Settled::Recorded) => {}
        Ok(Settled::LeaseLost) => tracing::warn!(
            "durable job lease lost: another worker owns it now, this attempt's outcome is dropped"
        ),
        Err(error) => tracing::warn!(
            error = %ErrorChain(&error),
            "durable job outcome not recorded; it will run again when its lease expires"
        ),
    }
}

/// Renews `job`'s lease every third of it; returns only once the lease is
/// lost (the job was taken over or buried). A failed renewal is logged and
/// tried again at the next beat: the lease has two more beats of slack.
async fn keep_leased(queue: &DurableQueue, job: &ClaimedJob, lease: Duration) {
    // Never zero: a hand-built config with a tiny lease must not spin.
    let beat = (lease / 3).max(MIN_TICK);
    loop {
        tokio::time::sleep(beat).await;
        match queue.heartbeat(job).await {
            Ok(Settled::Recorded) => {}
            Ok(Settled::LeaseLost) => return,
            Err(error) => tracing::warn!(
                error = %ErrorChain(&error),
                "durable job lease not renewed; retrying"
            ),
        }
    }
}

/// Records an outcome, retrying with backoff through a database outage for
/// as long as the lease could still be ours; after that the job is someone
/// else's to run again.
async fn settle<F, Fut>(config: &WorkerConfig, mut record: F) -> Result<Settled, DbError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Settled, DbError>>,
{
    let give_up = Instant::now() + config.lease;
    let mut failures = 0_u32;
    loop {
        let error = match record().await {
            Ok(settled) => return Ok(settled),
            Err(error) => error,
        };
        failures = failures.saturating_add(1);
        let wait = outage_backoff(config, failures);
        if Instant::now() + wait >= give_up {
            return Err(error);
        }
        tracing::warn!(
            error = %ErrorChain(&error),
            ?wait,
            "durable job outcome not recorded yet; retrying"
        );
        tokio::time::sleep(wait).await;
    }
}

/// Keeps a `LISTEN jobs_queued` connection that wakes every idle loop on each
/// notification. Errors are logged and retried with backoff; the loops poll
/// meanwhile.
async fn listen(pool: &PgPool, wake: &Notify, config: &WorkerConfig, shutdown: &CancellationToken) {
    let mut failures = 0_u32;
    loop {
        let error = tokio::select! {
            result = listen_until_error(pool, wake) => match result {
                Ok(never) => match never {},
                Err(error) => error,
            },
            () = shutdown.cancelled() => return,
        };
        failures = failures.saturating_add(1);
        let wait = outage_backoff(config, failures);
        tracing::warn!(
            error = %ErrorChain(&error),
            ?wait,
            "durable queue listener failed; polling until it reconnects"
        );
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

/// Listens on [`CHANNEL`] and wakes the loops on every notification, and
/// after every (re)connect, since whatever was notified while nobody listened
/// is lost.
async fn listen_until_error(pool: &PgPool, wake: &Notify) -> Result<Infallible, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    wake.notify_waiters();
    loop {
        if listener.try_recv().await?.is_none() {
            tracing::debug!("durable queue listener reconnected");
        }
        wake.notify_waiters();
    }
}

/// Every half lease: buries expired last attempts (so they are reported
/// within about a lease and a half of their worker's death) and deletes
/// finished rows past retention. Errors are logged; the next tick tries again.
async fn maintain(queue: &DurableQueue, config: &WorkerConfig, shutdown: &CancellationToken) {
    let mut ticks = tokio::time::interval((config.lease / 2).max(MIN_TICK));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = shutdown.cancelled() => return,
        }
        match queue.bury_expired().await {
            Ok(0) => {}
            Ok(buried) => tracing::error!(
                buried,
                "durable jobs died with their worker on their last attempt"
            ),
            Err(error) => tracing::warn!(
                error = %ErrorChain(&error),
                "durable queue maintenance: cannot bury expired jobs"
            ),
        }
        match queue.purge_finished(config.retention).await {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "durable queue: finished jobs deleted"),
            Err(error) => tracing::warn!(
                error = %ErrorChain(&error),
                "durable queue maintenance: cannot delete finished jobs"
            ),
        }
    }
}

/// The wait after `failures` consecutive database errors: the worker's
/// backoff schedule, jittered so many workers that lost the database together
/// do not return in lockstep.
fn outage_backoff(config: &WorkerConfig, failures: u32) -> Duration {
    with_jitter(config.backoff(failures))
}

/// Between half and all of `wait` ("equal jitter"): spread out, never zero.
fn with_jitter(wait: Duration) -> Duration {
    let half = wait / 2;
    half + half.mul_f64(random_fraction())
}

/// A random fraction in `[0, 1)`. Each `RandomState` gets fresh keys from the
/// standard library; not cryptographic, and it need not be: jitter only has to
/// keep workers that failed together from retrying together.
fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(());
    // The top 53 bits fill an f64's mantissa exactly.
    (bits >> 11) as f64 / (1_u64 << 53) as f64
}

/// The sample durable handler: logs each payload. Replace it with your own,
/// and make it idempotent (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogPayload;

impl Handler for LogPayload {
    type Job = String;
    type Output = ();

    async fn handle(&self, payload: &String) -> Result<(), JobError> {
        tracing::info!(%payload, "durable job");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_must_exceed_the_job_timeout() {
        let lookup = |name: &str| (name == "WORKER_LEASE_MS").then(|| "5000".to_owned());
        let env = Env::new(&lookup);
        let error = lease_from_env(&env, Duration::from_secs(5)).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::Inconsistent {
                name: "WORKER_LEASE_MS",
                ..
            }
        ));
        let lease = lease_from_env(&env, Duration::from_millis(4_999)).unwrap();
        assert_eq!(lease, Duration::from_secs(5));
    }

    #[test]
    fn jitter_keeps_between_half_and_all_of_the_wait() {
        let wait = Duration::from_secs(8);
        let waits: Vec<Duration> = (0..100).map(|_| with_jitter(wait)).collect();
        assert!(
            waits.iter().all(|w| *w >= wait / 2 && *w <= wait),
            "{waits:?}"
        );
        assert!(waits.iter().any(|w| *w != waits[0]), "jitter varies");
    }
}
