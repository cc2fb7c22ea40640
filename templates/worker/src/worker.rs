//! Background jobs: a bounded queue, a concurrency limit, a timeout per job,
//! retries with exponential backoff, dead letters, periodic jobs, and a
//! shutdown that lets running jobs finish.
//!
//! ```text
//!  enqueue() ──▶ [ bounded queue ] ──▶ worker loop ──▶ up to N jobs at once
//!  enqueue_and_wait() ◀── oneshot ──────────────────────┘   │ fail: backoff, retry
//!  every(period) ──▶ enqueue()                              └ out of attempts: dead letters
//! ```
//!
//! # Design
//!
//! - **[`Handler`] uses `async fn` in a trait** (with a `Send` future): static
//!   dispatch and no allocation per job. The trait is not object-safe, which
//!   costs nothing here: a worker runs one handler type, usually an enum of
//!   jobs (see [`SampleJob`]).
//! - **The queue is bounded** ([`WorkerConfig::queue_capacity`]). When it is
//!   full, [`WorkerHandle::enqueue`] waits up to
//!   [`WorkerConfig::enqueue_timeout`] and then fails with
//!   [`EnqueueError::QueueFull`], so a burst slows producers down briefly and
//!   a stuck worker turns into an error instead of unbounded memory.
//! - **A job runs at most [`WorkerConfig::job_timeout`] per attempt**; a
//!   failed or timed-out attempt is retried after an exponential backoff
//!   (doubling from `backoff_base`, capped at `backoff_max`) until
//!   `max_attempts`, then the job goes to the dead letters: logged, and kept
//!   for inspection ([`WorkerHandle::dead_letters`]). A job that fails with
//!   [`JobError::Permanent`] is not retried.
//! - **Shutdown**: the worker stops taking jobs, lets the running ones finish
//!   (the supervisor's grace period bounds the wait), and reports the queued
//!   ones it abandons; their callers get [`JobFailed::Abandoned`].
//! - **In memory**: queued jobs are lost if the process dies. Where a job must
//!   survive a crash, store it first (e.g. in the database) and enqueue its id.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use thiserror::Error;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::config::{ConfigError, Env};
use crate::shutdown::Supervisor;

/// Worker settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerConfig {
    /// Jobs waiting to run before enqueueing waits (`WORKER_QUEUE_CAPACITY`).
    pub queue_capacity: usize,
    /// Jobs running at once (`WORKER_CONCURRENCY`).
    pub concurrency: usize,
    /// Longest one attempt may run (`WORKER_JOB_TIMEOUT_MS`).
    pub job_timeout: Duration,
    /// Attempts before a job is dead (`WORKER_MAX_ATTEMPTS`).
    pub max_attempts: u32,
    /// Wait before the first retry, doubled for each next one (`WORKER_BACKOFF_BASE_MS`).
    pub backoff_base: Duration,
    /// Longest wait between retries (`WORKER_BACKOFF_MAX_MS`).
    pub backoff_max: Duration,
    /// How long enqueueing waits for room in a full queue (`WORKER_ENQUEUE_TIMEOUT_MS`).
    pub enqueue_timeout: Duration,
}

impl WorkerConfig {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the first malformed variable.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            queue_capacity: env.positive("WORKER_QUEUE_CAPACITY", 256)?,
            concurrency: env.positive("WORKER_CONCURRENCY", 4)?,
            job_timeout: env.millis("WORKER_JOB_TIMEOUT_MS", 30_000)?,
            max_attempts: env.parse("WORKER_MAX_ATTEMPTS", 5, "a whole number of attempts")?,
            backoff_base: env.millis("WORKER_BACKOFF_BASE_MS", 500)?,
            backoff_max: env.millis("WORKER_BACKOFF_MAX_MS", 60_000)?,
            enqueue_timeout: env.millis("WORKER_ENQUEUE_TIMEOUT_MS", 1_000)?,
        })
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2_u32.saturating_pow(attempt.saturating_sub(1));
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

/// What a handler says about a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JobError {
    /// Worth another attempt (a timeout, an unavailable dependency).
    #[error("{0}")]
    Retryable(String),
    /// Will fail the same way every time (bad input): no retry.
    #[error("{0}")]
    Permanent(String),
}

/// Why a job has no result.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JobFailed {
    /// Every attempt failed; the job is in the dead letters.
    #[error("failed after {attempts} attempt(s): {last_error}")]
    Dead {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        last_error: String,
    },
    /// The worker shut down before the job finished.
    #[error("abandoned at shutdown")]
    Abandoned,
}

/// Why a job was not queued.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EnqueueError {
    /// The queue stayed full for the whole enqueue timeout.
    #[error("the job queue is full")]
    QueueFull,
    /// The worker has shut down.
    #[error("the worker is shut down")]
    Closed,
}

/// Runs jobs of one type.
pub trait Handler: Send + Sync + 'static {
    /// The job description.
    type Job: fmt::Debug + Send + Sync + 'static;
    /// What a successful job returns to `enqueue_and_wait` callers.
    type Output: Send + 'static;

    /// Runs one attempt of `job`.
    fn handle(
        &self,
        job: &Self::Job,
    ) -> impl Future<Output = Result<Self::Output, JobError>> + Send;
}

/// A job that ran out of attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter<J> {
    /// The job.
    pub job: J,
    /// Attempts made.
    pub attempts: u32,
    /// The last error.
    pub last_error: String,
}

type Reply<O> = oneshot::Sender<Result<O, JobFailed>>;

struct Envelope<H: Handler> {
    job: H::Job,
    reply: Option<Reply<H::Output>>,
}

/// Dead letters, shared by the job tasks and the handle. A std mutex: only
/// locked to push or copy, never across an `.await`.
type DeadLetters<J> = Arc<Mutex<Vec<DeadLetter<J>>>>;

/// A cheap, cloneable handle for enqueueing jobs.
pub struct WorkerHandle<H: Handler> {
    queue: mpsc::Sender<Envelope<H>>,
    enqueue_timeout: Duration,
    dead: DeadLetters<H::Job>,
}

impl<H: Handler> Clone for WorkerHandle<H> {
    fn clone(&self) -> Self {
        Self {
            queue: self.queue.clone(),
            enqueue_timeout: self.enqueue_timeout,
            dead: Arc::clone(&self.dead),
        }
    }
}

impl<H: Handler> fmt::Debug for WorkerHandle<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkerHandle")
            .field(
                "queued",
                &(self.queue.max_capacity() - self.queue.capacity()),
            )
            .finish_non_exhaustive()
    }
}

impl<H: Handler> WorkerHandle<H> {
    /// Queues `job` (fire and forget), waiting up to the enqueue timeout for
    /// room.
    ///
    /// # Errors
    ///
    /// [`EnqueueError::QueueFull`] or [`EnqueueError::Closed`].
    pub async fn enqueue(&self, job: H::Job) -> Result<(), EnqueueError> {
        self.send(Envelope { job, reply: None }).await
    }

    /// Queues `job` and waits for its result.
    ///
    /// # Errors
    ///
    /// [`EnqueueError`] if it could not be queued; the inner [`JobFailed`]
    /// if it ran out of attempts or was abandoned.
    pub async fn enqueue_and_wait(
        &self,
        job: H::Job,
    ) -> Result<Result<H::Output, JobFailed>, EnqueueError> {
        let (reply, result) = oneshot::channel();
        self.send(Envelope {
            job,
            reply: Some(reply),
        })
        .await?;
        Ok(result.await.unwrap_or(Err(JobFailed::Abandoned)))
    }

    /// The jobs that ran out of attempts so far.
    pub fn dead_letters(&self) -> Vec<DeadLetter<H::Job>>
    where
        H::Job: Clone,
    {
        self.dead
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn send(&self, envelope: Envelope<H>) -> Result<(), EnqueueError> {
        match tokio::time::timeout(self.enqueue_timeout, self.queue.send(envelope)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(EnqueueError::Closed),
            Err(_) => Err(EnqueueError::QueueFull),
        }
    }
}

/// Starts the worker as a supervised task and returns the handle producers
/// use. It stops taking jobs when the supervisor's shutdown token is
/// cancelled, and finishes the running ones.
pub fn start<H: Handler>(
    config: &WorkerConfig,
    supervisor: &Supervisor,
    handler: H,
) -> WorkerHandle<H> {
    let (queue, jobs) = mpsc::channel(config.queue_capacity);
    let dead = DeadLetters::default();
    supervisor.spawn(
        "worker",
        run(
            jobs,
            Arc::new(handler),
            config.clone(),
            Arc::clone(&dead),
            supervisor.shutdown_token(),
        ),
    );
    WorkerHandle {
        queue,
        enqueue_timeout: config.enqueue_timeout,
        dead,
    }
}

/// Enqueues `make_job()` every `period` until shutdown. The first tick of an
/// interval fires at once; it is skipped, so the job first runs one period
/// after startup rather than in the middle of it. A tick missed because the
/// queue was full is not made up in a burst (`MissedTickBehavior::Delay`).
pub fn every<H, F>(period: Duration, supervisor: &Supervisor, worker: WorkerHandle<H>, make_job: F)
where
    H: Handler,
    F: Fn() -> H::Job + Send + 'static,
{
    let shutdown = supervisor.shutdown_token();
    supervisor.spawn("worker.periodic", async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return Ok::<(), EnqueueError>(()),
                _ = ticks.tick() => {}
            }
            match worker.enqueue(make_job()).await {
                Ok(()) | Err(EnqueueError::Closed) => {}
                Err(error) => tracing::warn!(%error, "periodic job skipped"),
            }
        }
    });
}

/// The worker loop: takes jobs while there is a free slot, runs each in a
/// task of its own `JoinSet`, and on shutdown abandons the queued ones and
/// waits for the running ones.
async fn run<H: Handler>(
    mut jobs: mpsc::Receiver<Envelope<H>>,
    handler: Arc<H>,
    config: WorkerConfig,
    dead: DeadLetters<H::Job>,
    shutdown: CancellationToken,
) -> Result<(), EnqueueError> {
    let slots = Arc::new(Semaphore::new(config.concurrency));
    let mut running = JoinSet::new();
    loop {
        // Take a slot first, so a job leaves the queue only when it can start.
        let slot = tokio::select! {
            () = shutdown.cancelled() => break,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break };
        let envelope = tokio::select! {
            () = shutdown.cancelled() => break,
            envelope = jobs.recv() => envelope,
        };
        let Some(envelope) = envelope else { break };
        while let Some(finished) = running.try_join_next() {
            report_panic(finished);
        }
        let (handler, config, dead) = (Arc::clone(&handler), config.clone(), Arc::clone(&dead));
        let shutdown = shutdown.clone();
        running.spawn(async move {
            let _slot = slot;
            attempt_until_done(envelope, &*handler, &config, &dead, &shutdown).await;
        });
    }

    jobs.close();
    let mut abandoned = 0;
    while let Ok(envelope) = jobs.try_recv() {
        abandoned += 1;
        if let Some(reply) = envelope.reply {
            let _ = reply.send(Err(JobFailed::Abandoned));
        }
    }
    if abandoned > 0 {
        tracing::warn!(abandoned, "queued jobs abandoned at shutdown");
    }
    while let Some(finished) = running.join_next().await {
        report_panic(finished);
    }
    Ok(())
}

/// Runs a job's attempts with timeouts and backoff; delivers the result or
/// dead-letters it.
async fn attempt_until_done<H: Handler>(
    envelope: Envelope<H>,
    handler: &H,
    config: &WorkerConfig,
    dead: &DeadLetters<H::Job>,
    shutdown: &CancellationToken,
) {
    let Envelope { job, reply } = envelope;
    let mut attempts = 0;
    let last_error = loop {
        attempts += 1;
        let error = match tokio::time::timeout(config.job_timeout, handler.handle(&job)).await {
            Ok(Ok(output)) => {
                if let Some(reply) = reply {
                    let _ = reply.send(Ok(output));
                }
                return;
            }
            Ok(Err(JobError::Permanent(reason))) => break reason,
            Ok(Err(JobError::Retryable(reason))) => reason,
            Err(_) => format!("timed out after {:?}", config.job_timeout),
        };
        if attempts >= config.max_attempts.max(1) {
            break error;
        }
        let wait = config.backoff(attempts);
        tracing::debug!(?job, attempts, %error, ?wait, "job failed; retrying");
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => {
                // Shutting down: do not start another attempt.
                if let Some(reply) = reply {
                    let _ = reply.send(Err(JobFailed::Abandoned));
                }
                return;
            }
        }
    };
    tracing::error!(?job, attempts, %last_error, "job failed for good; moved to dead letters");
    if let Some(reply) = reply {
        let _ = reply.send(Err(JobFailed::Dead {
            attempts,
            last_error: last_error.clone(),
        }));
    }
    dead.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(DeadLetter {
            job,
            attempts,
            last_error,
        });
}

fn report_panic(finished: Result<(), tokio::task::JoinError>) {
    if let Err(error) = finished {
        tracing::error!(%error, "a job panicked");
    }
}

/// The sample jobs: replace with your own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleJob {
    /// Periodic housekeeping.
    Heartbeat,
    /// CPU-heavy work: checksums `data` on the blocking pool.
    Checksum {
        /// The bytes to checksum.
        data: Vec<u8>,
    },
}

/// Runs [`SampleJob`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct SampleHandler;

impl Handler for SampleHandler {
    type Job = SampleJob;
    type Output = u64;

    async fn handle(&self, job: &SampleJob) -> Result<u64, JobError> {
        match job {
            SampleJob::Heartbeat => {
                tracing::info!("heartbeat");
                Ok(0)
            }
            SampleJob::Checksum { data } => {
                // CPU-bound: on the blocking pool, so async workers keep running.
                let data = data.clone();
                tokio::task::spawn_blocking(move || checksum(&data))
                    .await
                    .map_err(|error| JobError::Permanent(error.to_string()))
            }
        }
    }
}

/// A 64-bit FNV-1a checksum: stands in for real CPU-heavy work.
pub fn checksum(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let config = WorkerConfig {
            queue_capacity: 1,
            concurrency: 1,
            job_timeout: Duration::from_secs(1),
            max_attempts: 10,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(3),
            enqueue_timeout: Duration::from_secs(1),
        };
        let waits: Vec<_> = (1..=5).map(|attempt| config.backoff(attempt)).collect();
        assert_eq!(
            waits,
            [500, 1_000, 2_000, 3_000, 3_000].map(Duration::from_millis)
        );
    }
}
