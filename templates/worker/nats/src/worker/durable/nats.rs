//! The durable job queue on NATS JetStream: a work-queue stream that any
//! number of worker processes share through one durable pull consumer.
//!
//! # Delivery: at least once
//!
//! A job runs **at least once**, and usually exactly once: a worker that dies
//! (or loses the server for longer than its lease) after starting a job but
//! before recording the outcome leaves the job to be run again. Make handlers
//! idempotent (see the worker module docs for an example).
//!
//! # How it maps onto JetStream
//!
//! - **The jobs stream** (`NATS_STREAM`, subject `NATS_SUBJECT`) has
//!   work-queue retention: a job is stored until a worker acknowledges it,
//!   then deleted. Every worker pulls from the same durable consumer
//!   (`NATS_CONSUMER`), so the server hands each job to one worker at a time.
//! - **Claiming** asks the consumer for one message and waits up to the
//!   claim's `wait` for it (a pull request with `expires`): idle workers
//!   wait on the server, not in a polling loop.
//! - **The lease is the consumer's ack wait** (`WORKER_LEASE_MS`): a job not
//!   acknowledged within it is delivered again, to any worker. While a handler
//!   runs, its worker sends *in progress* acknowledgements (the heartbeat),
//!   each of which restarts the server's ack-wait clock.
//! - **Attempts are JetStream's delivery count**, and the job's maximum
//!   travels with it in the `Job-Max-Attempts` header. A failed attempt with
//!   attempts left is *nak*ed with a delay (the backoff): the server delivers
//!   it again once the delay is over. Out of attempts (or failed for good),
//!   the job is published to the dead-letter stream, then *terminated* so the
//!   server drops it. A job whose lease ran out on its last attempt (its
//!   worker died) is dead-lettered by the next worker that receives it,
//!   without running it again. The consumer itself allows unlimited
//!   deliveries: a server-side limit would leave such a job stuck in the
//!   stream, unreported, instead of reaching the dead letters.
//! - **Fencing is done by the worker**: JetStream accepts an acknowledgement
//!   from an earlier delivery of a message, even after it redelivered the
//!   message to someone else. So each claimed job keeps its own lease clock,
//!   started when the worker *asked* for the job (before the server started
//!   its own clock; a claim that waited long for its job sends a heartbeat
//!   at once instead) and pushed forward by every heartbeat the server
//!   confirmed. A worker whose clock says the lease may be gone (or will be
//!   before an acknowledgement gets there: a tenth of the lease is kept in
//!   hand) does not acknowledge, nak or dead-letter the job: it reports
//!   [`Settled::LeaseLost`] and leaves the job to its new owner.
//! - **One lease per consumer**: the ack wait belongs to the consumer, so
//!   every instance must run with the same `WORKER_LEASE_MS` (the last to
//!   start sets it).
//! - **Dead letters** go to a second stream, `<NATS_STREAM>_DEAD` (subject
//!   `<NATS_SUBJECT>.dead`), with the error and the attempts in headers; they
//!   are kept for `WORKER_RETENTION_MS`. Publishing a dead letter twice (a
//!   retried outcome) stores it once.
//! - **Idempotency keys** become the `Nats-Msg-Id` header: the server drops a
//!   second job with the same key published within the stream's duplicate
//!   window (`NATS_DEDUP_WINDOW_MS`, two minutes by default). Unlike the
//!   PostgreSQL queue, a key is remembered for that window only, not for as
//!   long as the job is kept.
//! - **Outages**: the client reconnects on its own, for ever, with the
//!   worker's jittered backoff between attempts; until then every call fails
//!   at once (requests in flight too) with an error the worker loop logs and
//!   retries, and [`JobQueue::ping`] (readiness) fails. The service starts
//!   even when the server is down (calls made before the first connection
//!   wait for it up to five seconds): the streams and the consumer are
//!   created (or updated to this configuration) on first use. A push whose acknowledgement times out
//!   may still have been stored; push again with the same idempotency key to
//!   be sure.

use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_nats::connection::State;
use async_nats::jetstream::consumer::{AckPolicy, PullConsumer, pull};
use async_nats::jetstream::{self, AckKind, Message, stream};
use async_nats::{ConnectOptions, Event, HeaderMap, ServerAddr};
use tokio::sync::{Notify, OnceCell};
use tokio::time::Instant;
use tokio_stream::StreamExt;

use super::{ClaimedJob, JobQueue, NewJob, QueueError, Settled, outage_backoff};
use crate::config::{ConfigError, Env};
use crate::worker::WorkerConfig;

/// The header that carries a job's maximum attempts.
const MAX_ATTEMPTS_HEADER: &str = "Job-Max-Attempts";
/// Dead-letter headers: why the job died, after how many attempts, and its
/// sequence number in the jobs stream.
const ERROR_HEADER: &str = "Job-Error";
const ATTEMPTS_HEADER: &str = "Job-Attempts";
const JOB_ID_HEADER: &str = "Job-Id";
/// The longest any one request to the server may take; one that takes longer
/// means the server is not answering, and the worker loop treats it as an
/// outage.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How often an operation issued before the first connection looks again.
const FIRST_CONNECT_POLL: Duration = Duration::from_millis(10);
/// Longest error kept in a dead letter's header; handler errors can be long.
const MAX_ERROR_LEN: usize = 1_024;

const DEFAULT_URL: &str = "nats://127.0.0.1:4222";
const DEFAULT_STREAM: &str = "JOBS";
const DEFAULT_SUBJECT: &str = "jobs";
const DEFAULT_CONSUMER: &str = "workers";
/// JetStream's own default duplicate window.
const DEFAULT_DEDUP_WINDOW_MS: u64 = 120_000;

/// Where the queue lives and how it behaves (the `NATS_*` variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatsConfig {
    /// Server URL, e.g. `nats://127.0.0.1:4222`, or several separated by
    /// commas (`NATS_URL`).
    pub url: String,
    /// The jobs stream (`NATS_STREAM`); dead letters go to `<stream>_DEAD`.
    pub stream: String,
    /// The subject jobs are published on (`NATS_SUBJECT`); dead letters go
    /// to `<subject>.dead`.
    pub subject: String,
    /// The durable consumer every worker pulls from (`NATS_CONSUMER`).
    pub consumer: String,
    /// How long the server remembers an idempotency key
    /// (`NATS_DEDUP_WINDOW_MS`).
    pub dedup_window: Duration,
}

impl Default for NatsConfig {
    /// A local server, the `JOBS` stream on subject `jobs`, consumer
    /// `workers`, keys remembered for two minutes.
    fn default() -> Self {
        Self {
            url: DEFAULT_URL.to_owned(),
            stream: DEFAULT_STREAM.to_owned(),
            subject: DEFAULT_SUBJECT.to_owned(),
            consumer: DEFAULT_CONSUMER.to_owned(),
            dedup_window: Duration::from_millis(DEFAULT_DEDUP_WINDOW_MS),
        }
    }
}

impl NatsConfig {
    /// Reads the `NATS_*` variables.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the variable when a name is not a valid
    /// JetStream name or a duration is out of range.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            url: url(env)?,
            stream: name("NATS_STREAM", env.string("NATS_STREAM", DEFAULT_STREAM))?,
            subject: subject(env.string("NATS_SUBJECT", DEFAULT_SUBJECT))?,
            consumer: name(
                "NATS_CONSUMER",
                env.string("NATS_CONSUMER", DEFAULT_CONSUMER),
            )?,
            dedup_window: env.millis_in(
                "NATS_DEDUP_WINDOW_MS",
                DEFAULT_DEDUP_WINDOW_MS,
                1_000..=86_400_000,
            )?,
        })
    }

    fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.stream)
    }

    fn dead_subject(&self) -> String {
        format!("{}.dead", self.subject)
    }
}

/// `NATS_URL`: one server, or several separated by commas (the client picks
/// another when one is down).
fn url(env: &Env<'_>) -> Result<String, ConfigError> {
    let value = env.string("NATS_URL", DEFAULT_URL);
    let valid = value
        .split(',')
        .all(|server| ServerAddr::from_str(server.trim()).is_ok());
    if valid {
        Ok(value)
    } else {
        Err(ConfigError::Invalid {
            name: "NATS_URL",
            value,
            expected: "a NATS URL such as nats://127.0.0.1:4222 (several: comma-separated)",
        })
    }
}

/// A stream or consumer name: letters, digits, `-` and `_` (JetStream also
/// forbids `.`, `*`, `>` and whitespace, and names become file names).
fn name(variable: &'static str, value: String) -> Result<String, ConfigError> {
    let valid = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(value)
    } else {
        Err(ConfigError::Invalid {
            name: variable,
            value,
            expected: "1 to 64 letters, digits, '-' or '_'",
        })
    }
}

/// A literal subject: dot-separated tokens of letters, digits, `-` and `_`
/// (no wildcards, so it names exactly one subject).
fn subject(value: String) -> Result<String, ConfigError> {
    let valid = value.split('.').all(|token| {
        !token.is_empty()
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if valid && value.len() <= 200 {
        Ok(value)
    } else {
        Err(ConfigError::Invalid {
            name: "NATS_SUBJECT",
            value,
            expected: "dot-separated tokens of letters, digits, '-' or '_', no wildcards",
        })
    }
}

/// The JetStream work queue.
#[derive(Debug, Clone)]
pub struct NatsQueue {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    config: NatsConfig,
    /// The consumer's ack wait: how long a claimed job stays with its worker
    /// without a heartbeat (`WORKER_LEASE_MS`).
    lease: Duration,
    /// How long dead letters are kept (`WORKER_RETENTION_MS`).
    retention: Duration,
    /// Attempts for a message published without the `Job-Max-Attempts`
    /// header, e.g. by another client (`WORKER_MAX_ATTEMPTS`).
    default_max_attempts: u32,
    /// Set once the streams exist on the server.
    streams: OnceCell<()>,
    /// The consumer, once it exists on the server.
    consumer: OnceCell<PullConsumer>,
    /// Woken when the connection drops: requests in flight fail at once
    /// instead of waiting out their timeout for a reply that is lost.
    disconnected: Arc<Notify>,
}

impl NatsQueue {
    /// Connects in the background and returns at once: the client keeps
    /// trying, with the worker's jittered backoff between attempts, for as
    /// long as the service runs, and calls fail until it is connected. The
    /// lease, retention and default attempts come from `worker`.
    ///
    /// # Errors
    ///
    /// [`QueueError::Nats`] when the URL is malformed.
    pub async fn connect(config: &NatsConfig, worker: &WorkerConfig) -> Result<Self, QueueError> {
        let backoff = worker.clone();
        let reconnect_delay = move |attempts: usize| {
            outage_backoff(&backoff, u32::try_from(attempts).unwrap_or(u32::MAX))
        };
        let disconnected = Arc::new(Notify::new());
        let on_event = Arc::clone(&disconnected);
        let client = ConnectOptions::new()
            .event_callback(move |event| {
                let disconnected = Arc::clone(&on_event);
                async move { connection_event(&event, &disconnected) }
            })
            .retry_on_initial_connect()
            .max_reconnects(None)
            .reconnect_delay_callback(reconnect_delay)
            .connection_timeout(REQUEST_TIMEOUT)
            .request_timeout(Some(REQUEST_TIMEOUT))
            .connect(config.url.split(',').map(str::trim).collect::<Vec<_>>())
            .await
            .map_err(nats)?;
        let jetstream = jetstream::new(client.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                jetstream,
                config: config.clone(),
                lease: worker.lease,
                retention: worker.retention,
                default_max_attempts: worker.max_attempts,
                streams: OnceCell::new(),
                consumer: OnceCell::new(),
                disconnected,
            }),
        })
    }

    /// The configuration this queue runs with.
    pub fn config(&self) -> &NatsConfig {
        &self.inner.config
    }

    /// Dead letters still kept, oldest first (at most `limit`).
    ///
    /// # Errors
    ///
    /// [`QueueError`] when the server cannot be reached.
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, QueueError> {
        self.connected().await?;
        // Read only: asking for the consumer would set its ack wait to this
        // queue's lease.
        let lookup = self
            .inner
            .jetstream
            .get_stream(self.inner.config.dead_stream());
        let dead_stream = match self.request(lookup).await {
            Ok(stream) => stream,
            Err(QueueError::Nats(error)) if is_not_found(&*error) => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let mut info = dead_stream.clone();
        let stored = self.request(info.info()).await?.state.messages;
        let wanted = usize::try_from(stored).unwrap_or(usize::MAX).min(limit);
        let mut letters = Vec::with_capacity(wanted);
        if wanted == 0 {
            return Ok(letters);
        }
        // A throwaway consumer that reads the stream once and leaves it as is.
        let reader = self
            .request(dead_stream.create_consumer(pull::OrderedConfig::default()))
            .await?;
        let mut messages = self.request(reader.messages()).await?;
        while letters.len() < wanted {
            let next = async { Ok::<_, QueueError>(messages.next().await) };
            match self.request(next).await? {
                Some(message) => {
                    let message = message.map_err(nats)?;
                    letters.push(DeadLetter::from_message(&message));
                }
                None => break,
            }
        }
        Ok(letters)
    }

    /// Creates the streams on first use (or updates them to this
    /// configuration). A failure is not remembered: the next call tries
    /// again. Pushing needs only this, so a producer never touches the
    /// consumer's settings.
    async fn streams(&self) -> Result<(), QueueError> {
        self.connected().await?;
        self.inner
            .streams
            .get_or_try_init(|| async {
                let config = &self.inner.config;
                self.ensure_stream(stream::Config {
                    name: config.stream.clone(),
                    subjects: vec![config.subject.clone()],
                    retention: stream::RetentionPolicy::WorkQueue,
                    storage: stream::StorageType::File,
                    duplicate_window: config.dedup_window,
                    ..stream::Config::default()
                })
                .await?;
                self.ensure_stream(stream::Config {
                    name: config.dead_stream(),
                    subjects: vec![config.dead_subject()],
                    retention: stream::RetentionPolicy::Limits,
                    storage: stream::StorageType::File,
                    max_age: self.inner.retention,
                    // Catches a dead letter published again by a retried
                    // outcome. Not derived from the lease: every instance
                    // must ask for the same streams.
                    duplicate_window: config.dedup_window,
                    ..stream::Config::default()
                })
                .await
            })
            .await
            .copied()
    }

    /// The consumer, creating it (and the streams) on first use, or updating
    /// it to this queue's lease.
    async fn consumer(&self) -> Result<&PullConsumer, QueueError> {
        self.streams().await?;
        self.inner
            .consumer
            .get_or_try_init(|| async {
                let config = &self.inner.config;
                let consumer = pull::Config {
                    durable_name: Some(config.consumer.clone()),
                    ack_policy: AckPolicy::Explicit,
                    ack_wait: self.inner.lease,
                    // Attempts are limited per job, on receipt: see the
                    // module docs.
                    max_deliver: -1,
                    ..pull::Config::default()
                };
                let create = self
                    .inner
                    .jetstream
                    .create_consumer_on_stream(consumer, config.stream.as_str());
                self.request(create).await
            })
            .await
    }

    /// Sends an acknowledgement of `kind` and waits for the server to
    /// confirm it, so a lost one is an error the worker retries, not a silent
    /// redelivery.
    async fn acknowledge(&self, message: &Message, kind: AckKind) -> Result<(), QueueError> {
        self.request(async { message.double_ack_with(kind).await.map_err(nats) })
            .await
    }

    /// The next message of a pull request, or `None` when it expired empty.
    async fn next_message(
        &self,
        mut batch: pull::Batch,
        within: Duration,
    ) -> Result<Option<Message>, QueueError> {
        let next = async { batch.next().await.transpose().map_err(nats) };
        self.within(within, next).await
    }

    /// Runs a request with the request timeout.
    async fn request<T, E: Into<async_nats::Error>>(
        &self,
        request: impl Future<Output = Result<T, E>>,
    ) -> Result<T, QueueError> {
        self.within(REQUEST_TIMEOUT, async { request.await.map_err(nats) })
            .await
    }

    /// Runs `request` for at most `limit`, and fails at once if the
    /// connection drops meanwhile: its reply would be lost with it.
    async fn within<T>(
        &self,
        limit: Duration,
        request: impl Future<Output = Result<T, QueueError>>,
    ) -> Result<T, QueueError> {
        tokio::select! {
            result = tokio::time::timeout(limit, request) => {
                result.unwrap_or(Err(QueueError::Unresponsive(limit)))
            }
            () = self.inner.disconnected.notified() => Err(not_connected()),
        }
    }

    /// Creates the stream, or updates it to `config`. Two instances starting
    /// together may both find it missing and race to create it: the loser
    /// tries once more, and updates the winner's.
    async fn ensure_stream(&self, config: stream::Config) -> Result<(), QueueError> {
        let jetstream = &self.inner.jetstream;
        if self
            .request(jetstream.create_or_update_stream(config.clone()))
            .await
            .is_ok()
        {
            return Ok(());
        }
        self.request(jetstream.create_or_update_stream(config))
            .await
            .map(drop)
    }

    /// Fails fast while the client is reconnecting (a request sent now
    /// would wait in the client's buffer until its timeout); before the first
    /// connection, waits for it up to the request timeout.
    async fn connected(&self) -> Result<(), QueueError> {
        let until = Instant::now() + REQUEST_TIMEOUT;
        loop {
            match self.inner.client.connection_state() {
                State::Connected => return Ok(()),
                State::Disconnected => return Err(not_connected()),
                State::Pending if Instant::now() >= until => {
                    return Err(QueueError::Unresponsive(REQUEST_TIMEOUT));
                }
                State::Pending => tokio::time::sleep(FIRST_CONNECT_POLL).await,
            }
        }
    }

    /// Publishes `job`'s dead letter, then terminates the message so the
    /// server stops delivering it.
    async fn bury(&self, job: &NatsJob, error: &str) -> Result<(), QueueError> {
        let mut headers = HeaderMap::new();
        headers.insert(JOB_ID_HEADER, job.sequence.to_string());
        headers.insert(ATTEMPTS_HEADER, job.attempt.to_string());
        headers.insert(MAX_ATTEMPTS_HEADER, job.max_attempts.to_string());
        headers.insert(ERROR_HEADER, header_text(error));
        // Publishing twice (an outcome retried after a lost reply) stores
        // one dead letter.
        headers.insert(
            async_nats::header::NATS_MESSAGE_ID,
            format!("dead-{}", job.sequence),
        );
        let publish = async {
            self.inner
                .jetstream
                .publish_with_headers(
                    self.inner.config.dead_subject(),
                    headers,
                    job.message.payload.clone(),
                )
                .await
                .map_err(nats)?
                .await
                .map_err(nats)
        };
        self.request(publish).await?;
        self.acknowledge(&job.message, AckKind::Term).await
    }
}

impl JobQueue for NatsQueue {
    type Claimed = NatsJob;

    async fn push(&self, job: &NewJob<'_>) -> Result<bool, QueueError> {
        let mut headers = HeaderMap::new();
        headers.insert(MAX_ATTEMPTS_HEADER, job.max_attempts.max(1).to_string());
        if let Some(key) = job.idempotency_key {
            headers.insert(async_nats::header::NATS_MESSAGE_ID, message_id(key));
        }
        self.streams().await?;
        let publish = async {
            self.inner
                .jetstream
                .publish_with_headers(
                    self.inner.config.subject.clone(),
                    headers,
                    job.payload.to_owned().into(),
                )
                .await
                .map_err(nats)?
                .await
                .map_err(nats)
        };
        let stored = self.request(publish).await?;
        Ok(!stored.duplicate)
    }

    async fn claim(&self, wait: Duration) -> Result<Option<NatsJob>, QueueError> {
        let consumer = self.consumer().await?;
        let until = Instant::now() + wait;
        loop {
            let asked = Instant::now();
            let left = until.saturating_duration_since(asked);
            let message = if left.is_zero() {
                let batch = self
                    .request(consumer.fetch().max_messages(1).messages())
                    .await?;
                self.next_message(batch, REQUEST_TIMEOUT).await?
            } else {
                let batch = consumer.batch().max_messages(1).expires(left).messages();
                let batch = self.request(batch).await?;
                self.next_message(batch, left + REQUEST_TIMEOUT).await?
            };
            let Some(message) = message else {
                return Ok(None);
            };
            let job = NatsJob::received(
                message,
                asked,
                self.inner.lease,
                self.inner.default_max_attempts,
            )?;
            match job.unrunnable() {
                None => {
                    // The server started its ack-wait clock when it delivered
                    // the message, some time after `asked` if the claim
                    // waited: one confirmed heartbeat brings this worker's
                    // clock up to date instead of cutting the lease short.
                    if asked.elapsed() > lease_margin(self.inner.lease) {
                        let sent = Instant::now();
                        self.acknowledge(&job.message, AckKind::Progress).await?;
                        job.renew(sent + self.inner.lease);
                    }
                    return Ok(Some(job));
                }
                // Dead-lettered without running it; look for the next one.
                Some(reason) => {
                    self.bury(&job, &reason).await?;
                    tracing::error!(id = job.sequence, %reason, "durable job is dead");
                }
            }
            if Instant::now() >= until {
                return Ok(None);
            }
        }
    }

    async fn heartbeat(&self, job: &NatsJob) -> Result<Settled, QueueError> {
        if !job.holds_lease(self.inner.lease) {
            return Ok(Settled::LeaseLost);
        }
        self.connected().await?;
        let sent = Instant::now();
        self.acknowledge(&job.message, AckKind::Progress).await?;
        job.renew(sent + self.inner.lease);
        Ok(Settled::Recorded)
    }

    async fn complete(&self, job: &NatsJob) -> Result<Settled, QueueError> {
        if !job.holds_lease(self.inner.lease) {
            return Ok(Settled::LeaseLost);
        }
        self.connected().await?;
        self.acknowledge(&job.message, AckKind::Ack).await?;
        Ok(Settled::Recorded)
    }

    async fn fail(
        &self,
        job: &NatsJob,
        error: &str,
        retry_in: Option<Duration>,
    ) -> Result<Settled, QueueError> {
        if !job.holds_lease(self.inner.lease) {
            return Ok(Settled::LeaseLost);
        }
        self.connected().await?;
        match retry_in {
            Some(delay) if job.attempt < job.max_attempts => {
                self.acknowledge(&job.message, AckKind::Nak(Some(delay)))
                    .await?;
            }
            _ => self.bury(job, error).await?,
        }
        Ok(Settled::Recorded)
    }

    /// Nothing to do: the server redelivers expired jobs and expires old
    /// dead letters, and expired last attempts are dead-lettered on receipt.
    async fn maintain(&self) -> Result<(), QueueError> {
        Ok(())
    }

    async fn ping(&self) -> Result<(), QueueError> {
        self.consumer().await?;
        // A JetStream round trip: the server answers and the stream exists.
        self.request(
            self.inner
                .jetstream
                .get_stream(self.inner.config.stream.as_str()),
        )
        .await?;
        Ok(())
    }
}

/// A job this worker received from the consumer.
#[derive(Debug)]
pub struct NatsJob {
    message: Message,
    payload: Option<String>,
    sequence: u64,
    attempt: u32,
    max_attempts: u32,
    /// When the server's ack wait may run out, by this worker's clock (see
    /// the module docs on fencing).
    lease_ends: Mutex<Instant>,
}

impl NatsJob {
    /// Reads a delivered message; `asked` is when the pull request was sent,
    /// the earliest the server can have started the ack-wait clock.
    fn received(
        message: Message,
        asked: Instant,
        lease: Duration,
        default_max_attempts: u32,
    ) -> Result<Self, QueueError> {
        let info = message.info().map_err(nats)?;
        let (sequence, delivered) = (info.stream_sequence, info.delivered);
        let max_attempts = message
            .headers
            .as_ref()
            .and_then(|headers| headers.get(MAX_ATTEMPTS_HEADER))
            .and_then(|value| value.as_str().parse().ok())
            .unwrap_or(default_max_attempts)
            .max(1);
        let payload = String::from_utf8(message.payload.to_vec()).ok();
        Ok(Self {
            message,
            payload,
            sequence,
            attempt: u32::try_from(delivered).unwrap_or(u32::MAX),
            max_attempts,
            lease_ends: Mutex::new(asked + lease),
        })
    }

    /// Why this delivery must not run, if so: its attempts are used up (the
    /// last one's worker died), or its payload is not text.
    fn unrunnable(&self) -> Option<String> {
        if self.attempt > self.max_attempts {
            Some(format!(
                "lease expired on attempt {} of {}: its worker stopped or lost the server",
                self.attempt - 1,
                self.max_attempts
            ))
        } else if self.payload.is_none() {
            Some("the payload is not UTF-8 text".to_owned())
        } else {
            None
        }
    }

    /// Whether this worker may still settle the job: its lease clock leaves
    /// a tenth of the lease (at most the request timeout) for the
    /// acknowledgement to reach the server.
    fn holds_lease(&self, lease: Duration) -> bool {
        Instant::now() + lease_margin(lease)
            < *self
                .lease_ends
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
    }

    fn renew(&self, until: Instant) {
        let mut lease_ends = self
            .lease_ends
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *lease_ends = (*lease_ends).max(until);
    }
}

impl ClaimedJob for NatsJob {
    fn id(&self) -> String {
        self.sequence.to_string()
    }

    fn payload(&self) -> &str {
        self.payload.as_deref().unwrap_or_default()
    }

    fn attempt(&self) -> u32 {
        self.attempt
    }

    fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
}

/// A job that ran out of attempts (or failed for good), as kept in the
/// dead-letter stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// The job's sequence number in the jobs stream ([`ClaimedJob::id`]).
    pub id: String,
    /// What the job was to do.
    pub payload: String,
    /// Attempts it had.
    pub attempts: u32,
    /// Why it died.
    pub error: String,
}

impl DeadLetter {
    fn from_message(message: &async_nats::Message) -> Self {
        let header = |name: &str| {
            message
                .headers
                .as_ref()
                .and_then(|headers| headers.get(name))
                .map(|value| value.as_str().to_owned())
                .unwrap_or_default()
        };
        Self {
            id: header(JOB_ID_HEADER),
            payload: String::from_utf8_lossy(&message.payload).into_owned(),
            attempts: header(ATTEMPTS_HEADER).parse().unwrap_or_default(),
            error: header(ERROR_HEADER),
        }
    }
}

/// An idempotency key as a header value: control characters (a line break
/// would end the header) and `%` itself are percent-encoded, so distinct keys
/// stay distinct and ordinary keys are sent as they are.
fn message_id(key: &str) -> String {
    let mut id = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_control() || c == '%' {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                id.push_str(&format!("%{byte:02X}"));
            }
        } else {
            id.push(c);
        }
    }
    id
}

/// Text safe for a header value: one line, bounded.
fn header_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_ERROR_LEN)
        .collect()
}

fn nats(error: impl Into<async_nats::Error>) -> QueueError {
    QueueError::Nats(error.into())
}

/// Whether a JetStream request failed because the stream does not exist.
fn is_not_found(error: &(dyn std::error::Error + 'static)) -> bool {
    error
        .downcast_ref::<jetstream::context::GetStreamError>()
        .is_some_and(|error| {
            matches!(
                error.kind(),
                jetstream::context::GetStreamErrorKind::JetStream(js)
                    if js.error_code() == jetstream::ErrorCode::STREAM_NOT_FOUND
            )
        })
}

/// The part of a lease kept for an acknowledgement to reach the server: a
/// tenth of it, at most the request timeout.
fn lease_margin(lease: Duration) -> Duration {
    (lease / 10).min(REQUEST_TIMEOUT)
}

fn not_connected() -> QueueError {
    QueueError::Nats("not connected to the NATS server; reconnecting".into())
}

/// Logs the connection's ups and downs, and wakes the requests in flight
/// when it drops.
fn connection_event(event: &Event, disconnected: &Notify) {
    match event {
        Event::Connected => tracing::info!("connected to the NATS server"),
        Event::Disconnected => {
            tracing::warn!("lost the NATS server; reconnecting");
            disconnected.notify_waiters();
        }
        other => tracing::warn!(event = %other, "NATS connection"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<NatsConfig, ConfigError> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        NatsConfig::from_env(&Env::new(&lookup))
    }

    #[test]
    fn the_defaults_name_a_local_server_and_the_jobs_stream() {
        let config = config(&[]).unwrap();
        assert_eq!(config.url, "nats://127.0.0.1:4222");
        assert_eq!(
            (config.stream.as_str(), config.subject.as_str()),
            ("JOBS", "jobs")
        );
        assert_eq!(
            (config.dead_stream(), config.dead_subject()),
            ("JOBS_DEAD".to_owned(), "jobs.dead".to_owned())
        );
        assert_eq!(config.dedup_window, Duration::from_secs(120));
    }

    #[test]
    fn names_and_subjects_that_jetstream_would_refuse_are_config_errors() {
        for (variable, value) in [
            ("NATS_STREAM", "jobs.main"),
            ("NATS_STREAM", "my jobs"),
            ("NATS_CONSUMER", "*"),
            ("NATS_SUBJECT", "jobs.>"),
            ("NATS_SUBJECT", "jobs..high"),
            ("NATS_SUBJECT", "jobs.*"),
        ] {
            let error = config(&[(variable, value)]).unwrap_err();
            assert_eq!(error.variable(), Some(variable), "{value}");
        }
        let url = config(&[("NATS_URL", "nats://host:port")]).unwrap_err();
        assert_eq!(url.variable(), Some("NATS_URL"));
        let window = config(&[("NATS_DEDUP_WINDOW_MS", "10")]).unwrap_err();
        assert_eq!(window.variable(), Some("NATS_DEDUP_WINDOW_MS"));
        let ok = config(&[
            ("NATS_SUBJECT", "orders.jobs-v2"),
            ("NATS_STREAM", "ORDERS_JOBS"),
        ])
        .unwrap();
        assert_eq!(ok.dead_subject(), "orders.jobs-v2.dead");
    }

    #[test]
    fn idempotency_keys_fit_a_header_and_stay_distinct() {
        assert_eq!(message_id("order-42"), "order-42");
        assert_eq!(message_id("a\r\nb"), "a%0D%0Ab");
        assert_eq!(message_id("100%"), "100%25");
        assert_ne!(message_id("a%0A"), message_id("a\n"));
    }

    #[test]
    fn dead_letter_errors_are_one_bounded_line() {
        assert_eq!(header_text("bad\nthing"), "bad thing");
        assert_eq!(header_text(&"x".repeat(5_000)).len(), MAX_ERROR_LEN);
    }
}
