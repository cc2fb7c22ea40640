//! The durable queue in PostgreSQL: the `jobs` table (see the migration),
//! shared by every instance of the service. Pick it when the service already
//! has PostgreSQL: no other server to run, and jobs can be pushed in the same
//! transaction as the change that calls for them.
//!
//! # How it works
//!
//! - **Claiming** is one statement, `UPDATE ... WHERE id = (SELECT ... FOR
//!   UPDATE SKIP LOCKED LIMIT 1)`: concurrent claimers skip rows another
//!   transaction holds instead of waiting on them, so they never take the same
//!   job at once and never block each other.
//! - **A lease**: a claimed job is `running` until `locked_until`; the
//!   heartbeat moves it forward. If the worker dies, the lease runs out and
//!   another worker claims the job again (a new attempt).
//! - **Fenced outcomes**: the attempt number is the fencing token. Recording
//!   an outcome (`complete`, `fail`) only touches the row if it is still
//!   `running` that same attempt; a worker that lost its lease gets
//!   [`Settled::LeaseLost`] and its late result is dropped, never written
//!   over the new owner's.
//! - **Attempts are bounded, crashes included**: a failed attempt puts the job
//!   back as `queued` with `run_at` in the future; out of attempts, it is
//!   `dead`, with its last error. A job whose lease ran out on its last
//!   attempt is not claimed again: maintenance buries it. So `attempts` never
//!   exceeds `max_attempts`.
//! - **Wake-ups by `LISTEN/NOTIFY`, polling as the fallback**: an insert into
//!   `jobs` notifies `jobs_queued` (a trigger, so jobs pushed by any client
//!   count); an idle claimer wakes at once. Polling every
//!   [`WorkerConfig::poll_interval`](crate::worker::WorkerConfig::poll_interval)
//!   still finds retries that became due and covers notifications lost while
//!   the listener reconnects. The listener holds one connection of the pool
//!   for as long as the worker runs: size `DATABASE_MAX_CONNECTIONS` for it.
//! - **Retention**: finished (`done`, `dead`) rows older than
//!   [`WorkerConfig::retention`](crate::worker::WorkerConfig::retention) are
//!   deleted in bounded batches. The idempotency key of a job is remembered
//!   as long as its row.
//! - **Outbox**: [`push`] takes any executor, so a job can be pushed in the
//!   same transaction as the change that calls for it: both commit, or
//!   neither does.
//! - Every statement is bounded by a timeout: one that takes longer is an
//!   outage ([`DbError::Unresponsive`]), waited out by the worker loop.

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::{FromRow, PgExecutor, PgPool};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{ClaimedJob, JobQueue, NewJob, QueueError, Settled, with_jitter};
use crate::db::DbError;
use crate::error::ErrorChain;

/// The channel the `jobs` insert trigger notifies (see the migration).
const CHANNEL: &str = "jobs_queued";
/// The longest any one statement may take. Every statement here is a
/// single-row update or a bounded, indexed delete: one that takes longer means
/// the database is not answering, and the loop treats it as an outage.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);
/// Finished rows deleted per retention statement, so a large backlog is
/// removed in short transactions instead of one long lock-holding one.
const PURGE_BATCH: i64 = 1_000;
/// The listener's reconnect backoff: doubling from the first wait up to the
/// last, jittered. Claims keep polling meanwhile.
const LISTEN_BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(5));

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

/// A job a worker has claimed: its row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PgClaimed {
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

impl ClaimedJob for PgClaimed {
    fn id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> &str {
        &self.payload
    }

    fn attempt(&self) -> u32 {
        u32::try_from(self.attempts).unwrap_or(0)
    }

    fn max_attempts(&self) -> u32 {
        u32::try_from(self.max_attempts).unwrap_or(0)
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

/// The `jobs` table, as a queue. Clones share the pool and the wake-ups.
#[derive(Debug, Clone)]
pub struct PgQueue {
    pool: PgPool,
    lease: Duration,
    retention: Duration,
    /// Notified by the `LISTEN` task ([`JobQueue::background`]).
    wake: Arc<Notify>,
}

impl PgQueue {
    /// A queue over `pool`: claims are leased for `lease`, finished jobs kept
    /// for `retention`.
    pub fn new(pool: PgPool, lease: Duration, retention: Duration) -> Self {
        Self {
            pool,
            lease,
            retention,
            wake: Arc::new(Notify::new()),
        }
    }

    /// The pool the queue is on, e.g. to begin a transaction and [`push`] a
    /// job inside it.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Claims the next due job, or one whose lease ran out with attempts
    /// left, if any, without waiting.
    ///
    /// # Errors
    ///
    /// Database errors, or [`DbError::Unresponsive`] after the statement
    /// timeout.
    pub async fn claim_now(&self) -> Result<Option<PgClaimed>, DbError> {
        bounded(
            sqlx::query_as(CLAIM)
                .bind(self.lease.as_secs_f64())
                .fetch_optional(&self.pool),
        )
        .await
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
    ) -> Result<Settled, QueueError> {
        let done = bounded(query.execute(&self.pool)).await?;
        Ok(if done.rows_affected() == 0 {
            Settled::LeaseLost
        } else {
            Settled::Recorded
        })
    }
}

impl JobQueue for PgQueue {
    type Claimed = PgClaimed;

    async fn push(&self, job: &NewJob<'_>) -> Result<bool, QueueError> {
        Ok(push(&self.pool, job).await?.is_some())
    }

    /// Claims at once if a job is due; otherwise waits for a notification
    /// (or `wait`, the poll interval) and returns `None`, so the next claim
    /// runs right after the wake-up. Only the claim statement itself may be
    /// interrupted at shutdown, never the wait.
    async fn claim(&self, wait: Duration) -> Result<Option<PgClaimed>, QueueError> {
        // Registered before claiming, so a notification that arrives between
        // an empty claim and the wait below is not missed.
        let mut woken = pin!(self.wake.notified());
        woken.as_mut().enable();
        if let Some(job) = self.claim_now().await? {
            return Ok(Some(job));
        }
        tokio::select! {
            () = woken => {}
            () = tokio::time::sleep(wait) => {}
        }
        Ok(None)
    }

    async fn heartbeat(&self, job: &PgClaimed) -> Result<Settled, QueueError> {
        self.fenced(
            sqlx::query(HEARTBEAT)
                .bind(job.id)
                .bind(job.attempts)
                .bind(self.lease.as_secs_f64()),
        )
        .await
    }

    async fn complete(&self, job: &PgClaimed) -> Result<Settled, QueueError> {
        self.fenced(sqlx::query(COMPLETE).bind(job.id).bind(job.attempts))
            .await
    }

    async fn fail(
        &self,
        job: &PgClaimed,
        error: &str,
        retry_in: Option<Duration>,
    ) -> Result<Settled, QueueError> {
        let query = match retry_in {
            Some(wait) => sqlx::query(RETRY)
                .bind(job.id)
                .bind(job.attempts)
                .bind(error)
                .bind(wait.as_secs_f64()),
            None => sqlx::query(BURY)
                .bind(job.id)
                .bind(job.attempts)
                .bind(error),
        };
        self.fenced(query).await
    }

    async fn maintain(&self) -> Result<(), QueueError> {
        let buried = self.bury_expired().await?;
        if buried > 0 {
            tracing::error!(
                buried,
                "durable jobs died with their worker on their last attempt"
            );
        }
        let purged = self.purge_finished(self.retention).await?;
        if purged > 0 {
            tracing::debug!(purged, "durable queue: finished jobs deleted");
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), QueueError> {
        bounded(sqlx::query("SELECT 1").execute(&self.pool)).await?;
        Ok(())
    }

    /// Keeps a `LISTEN jobs_queued` connection that wakes idle claims on each
    /// notification. Errors are logged and retried with backoff; claims poll
    /// meanwhile.
    async fn background(&self, stop: CancellationToken) {
        let (first, most) = LISTEN_BACKOFF;
        let mut wait = first;
        loop {
            let error = tokio::select! {
                result = listen_until_error(&self.pool, &self.wake) => match result {
                    Ok(never) => match never {},
                    Err(error) => error,
                },
                () = stop.cancelled() => return,
            };
            let jittered = with_jitter(wait);
            tracing::warn!(
                error = %ErrorChain(&error),
                wait = ?jittered,
                "durable queue listener failed; polling until it reconnects"
            );
            tokio::select! {
                () = tokio::time::sleep(jittered) => {}
                () = stop.cancelled() => return,
            }
            wait = (wait * 2).min(most);
        }
    }
}

/// Runs `statement` with the statement timeout.
async fn bounded<T>(statement: impl Future<Output = Result<T, sqlx::Error>>) -> Result<T, DbError> {
    match tokio::time::timeout(STATEMENT_TIMEOUT, statement).await {
        Ok(result) => result.map_err(DbError::from),
        Err(_) => Err(DbError::Unresponsive(STATEMENT_TIMEOUT)),
    }
}

/// Listens on [`CHANNEL`] and wakes the claimers on every notification, and
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
