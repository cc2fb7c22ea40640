//! A durable job queue in PostgreSQL, shared by any number of worker
//! processes: this is how the service scales past one machine.
//!
//! - **Exactly one worker per job**: claiming is one statement, `UPDATE ...
//!   WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1)`. Concurrent
//!   claimers skip rows another transaction holds instead of waiting on them,
//!   so they never take the same job and never block each other.
//! - **A lease, not a lock**: a claimed job is `running` until `locked_until`
//!   ([`WorkerConfig::lease`](super::WorkerConfig::lease)). If its worker dies,
//!   the lease runs out and another worker claims it again (its attempt
//!   counts). Keep the lease longer than the job timeout.
//! - **Retries are rows, not sleeps**: a failed attempt puts the job back as
//!   `queued` with `run_at` in the future (exponential backoff); out of
//!   attempts, it is `dead`, with its last error, for inspection.
//! - **Jobs are text**: serialize yours (e.g. JSON) into the payload.

use std::sync::Arc;
use std::time::Duration;

use sqlx::{FromRow, PgPool};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{Handler, JobError, WorkerConfig};
use crate::db::DbError;
use crate::shutdown::Supervisor;

const CLAIM: &str = "UPDATE jobs
    SET state = 'running', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => $1)
    WHERE id = (
        SELECT id FROM jobs
        WHERE (state = 'queued' AND run_at <= now())
           OR (state = 'running' AND locked_until < now())
        ORDER BY run_at
        FOR UPDATE SKIP LOCKED
        LIMIT 1
    )
    RETURNING id, payload, attempts, max_attempts";
const PUSH: &str = "INSERT INTO jobs (payload, max_attempts) VALUES ($1, $2) RETURNING id";
const COMPLETE: &str = "UPDATE jobs SET state = 'done', locked_until = NULL WHERE id = $1";
const RETRY: &str = "UPDATE jobs
    SET state = 'queued', locked_until = NULL, last_error = $2,
        run_at = now() + make_interval(secs => $3)
    WHERE id = $1";
const BURY: &str =
    "UPDATE jobs SET state = 'dead', locked_until = NULL, last_error = $2 WHERE id = $1";

/// A job a worker has claimed.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ClaimedJob {
    /// Row id.
    pub id: i64,
    /// What to do.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
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

    /// Stores a job; any worker process may run it.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn push(&self, payload: &str, max_attempts: u32) -> Result<i64, DbError> {
        let attempts = i32::try_from(max_attempts).unwrap_or(i32::MAX);
        let (id,): (i64,) = sqlx::query_as(PUSH)
            .bind(payload)
            .bind(attempts)
            .fetch_one(&self.pool)
            .await?;
        Ok(id)
    }

    /// Claims the next due job, or one whose lease ran out, if any.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn claim(&self) -> Result<Option<ClaimedJob>, DbError> {
        let job = sqlx::query_as(CLAIM)
            .bind(self.lease.as_secs_f64())
            .fetch_optional(&self.pool)
            .await?;
        Ok(job)
    }

    /// Marks a claimed job done.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn complete(&self, job: &ClaimedJob) -> Result<(), DbError> {
        sqlx::query(COMPLETE)
            .bind(job.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: back to the queue after `retry_in`, or dead
    /// when the job is out of attempts (or the error is permanent).
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn fail(
        &self,
        job: &ClaimedJob,
        error: &JobError,
        retry_in: Duration,
    ) -> Result<(), DbError> {
        let permanent = matches!(error, JobError::Permanent(_));
        let message = error.to_string();
        if permanent || job.attempts >= job.max_attempts {
            tracing::error!(id = job.id, attempts = job.attempts, %message, "durable job is dead");
            sqlx::query(BURY)
                .bind(job.id)
                .bind(message)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(RETRY)
                .bind(job.id)
                .bind(message)
                .bind(retry_in.as_secs_f64())
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

/// Runs `handler` on durable jobs in `config.concurrency` loops (in a
/// `JoinSet` owned by one supervised task) until shutdown; each loop finishes
/// its current job first.
pub fn start<H>(config: &WorkerConfig, supervisor: &Supervisor, queue: DurableQueue, handler: H)
where
    H: Handler<Job = String>,
{
    let (config, shutdown) = (config.clone(), supervisor.shutdown_token());
    let handler = Arc::new(handler);
    supervisor.spawn("worker.durable", async move {
        let mut loops = JoinSet::new();
        for _ in 0..config.concurrency {
            let (queue, handler) = (queue.clone(), Arc::clone(&handler));
            let (config, shutdown) = (config.clone(), shutdown.clone());
            loops.spawn(async move { run(&queue, &*handler, &config, &shutdown).await });
        }
        while let Some(finished) = loops.join_next().await {
            match finished {
                Ok(result) => result?,
                Err(error) => tracing::error!(%error, "a durable worker loop panicked"),
            }
        }
        Ok::<(), DbError>(())
    });
}

/// One worker loop: claim, run with a timeout, record the outcome; sleep
/// `poll_interval` when nothing is due.
async fn run<H: Handler<Job = String>>(
    queue: &DurableQueue,
    handler: &H,
    config: &WorkerConfig,
    shutdown: &CancellationToken,
) -> Result<(), DbError> {
    while !shutdown.is_cancelled() {
        let Some(job) = queue.claim().await? else {
            tokio::select! {
                () = tokio::time::sleep(config.poll_interval) => {}
                () = shutdown.cancelled() => {}
            }
            continue;
        };
        let outcome = tokio::time::timeout(config.job_timeout, handler.handle(&job.payload)).await;
        match outcome {
            Ok(Ok(_)) => queue.complete(&job).await?,
            Ok(Err(error)) => {
                let attempt = u32::try_from(job.attempts).unwrap_or(u32::MAX);
                queue.fail(&job, &error, config.backoff(attempt)).await?;
            }
            Err(_) => {
                let error =
                    JobError::Retryable(format!("timed out after {:?}", config.job_timeout));
                let attempt = u32::try_from(job.attempts).unwrap_or(u32::MAX);
                queue.fail(&job, &error, config.backoff(attempt)).await?;
            }
        }
    }
    Ok(())
}

/// The sample durable handler: logs each payload. Replace it with your own.
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
