//! A channel pipeline: items flow through stages joined by bounded channels.
//!
//! ```text
//!  submit() / try_submit() / process()
//!        │
//!        ▼  mpsc (bounded: backpressure)
//!  ┌──────────┐   mpsc   ┌────────────────────┐   mpsc   ┌──────────────────┐   mpsc   ┌──────┐
//!  │ validate │────────▶ │ transform (N async │────────▶ │ digest (CPU, on  │────────▶ │ sink │
//!  │          │          │ at a time)         │          │ the blocking pool)│          │      │
//!  └──────────┘          └────────────────────┘          └──────────────────┘          └──┬───┘
//!        │ on shutdown: stop taking input, drain, close the next channel          replies│(oneshot)
//!        ▼                                                                               ▼
//!   broadcast: Event::{Accepted, Failed, Completed} to any number of subscribers
//! ```
//!
//! # Design
//!
//! - **Bounded channels everywhere** ([`PipelineConfig::channel_capacity`]):
//!   a slow stage makes the ones before it wait, and finally the producer.
//!   [`PipelineHandle::submit`] waits for room; [`PipelineHandle::try_submit`]
//!   never waits and rejects with [`SubmitError::Full`] — the caller decides
//!   (shed load, answer 503, retry later). Nothing is dropped silently.
//! - **Each stage is one supervised task**; the transform stage runs
//!   [`PipelineConfig::concurrency`] workers (in a `JoinSet` it owns) that
//!   share its input, so with more than one, items may finish out of order.
//! - **CPU-bound work goes to the blocking pool** ([`on_blocking_pool`]) so it
//!   never stalls the async workers.
//! - **Per-item errors are values** ([`ItemError`]): a bad item is reported
//!   (to its caller and as [`Event::Failed`]) and the rest flow on.
//! - **Each item has a span** (`pipeline_item`, with its `id`) that every
//!   stage enters while it works on the item, so a log line from your
//!   transform or digest says which item it is about.
//! - **Shutdown drains**: on cancellation the first stage stops taking input,
//!   passes on what is already queued, and drops its sender; each stage ends
//!   when its input is closed and empty, so channels close in order and no
//!   accepted item is lost unless the grace period runs out (then the
//!   supervisor reports the stages still running).
//!
//! Replace [`SampleTransform`] and [`digest`] with your own work; the plumbing
//! stays the same.

mod stages;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use thiserror::Error;
use tokio::sync::{RwLock, broadcast, mpsc, oneshot};

use crate::config::{ConfigError, Env};
use crate::shutdown::Supervisor;

pub use self::stages::{SampleTransform, Transform, digest, on_blocking_pool};

/// Pipeline settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineConfig {
    /// Capacity of each channel between stages (`PIPELINE_CHANNEL_CAPACITY`).
    pub channel_capacity: usize,
    /// Items the transform stage works on at once (`PIPELINE_CONCURRENCY`).
    pub concurrency: usize,
    /// Events kept for slow subscribers before they lag (`PIPELINE_EVENTS_CAPACITY`).
    pub events_capacity: usize,
}

impl PipelineConfig {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    ///
    /// [`ConfigError::OutOfRange`] naming the first variable that is not a
    /// whole number in its range.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            channel_capacity: env.count("PIPELINE_CHANNEL_CAPACITY", 64, 1..=65_536)?,
            concurrency: env.count("PIPELINE_CONCURRENCY", 4, 1..=1_024)?,
            events_capacity: env.count("PIPELINE_EVENTS_CAPACITY", 256, 1..=65_536)?,
        })
    }
}

/// Why one item failed; the pipeline carries on with the next.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ItemError {
    /// The input was rejected by validation.
    #[error("invalid item: {0}")]
    Invalid(String),
    /// A stage failed on this item.
    #[error("{stage} failed: {reason}")]
    Stage {
        /// The stage that failed.
        stage: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// Why an item was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubmitError {
    /// The input channel is full (only from [`PipelineHandle::try_submit`]).
    #[error("the pipeline is full; try again later")]
    Full,
    /// The pipeline has shut down.
    #[error("the pipeline is shut down")]
    Closed,
}

/// Why [`PipelineHandle::process`] has no result.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProcessError {
    /// The item was not accepted.
    #[error(transparent)]
    Submit(#[from] SubmitError),
    /// The item failed in a stage.
    #[error(transparent)]
    Item(#[from] ItemError),
    /// The pipeline stopped before the item finished.
    #[error("the pipeline stopped before the item finished")]
    Dropped,
}

/// A finished item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The id the pipeline gave the item.
    pub id: u64,
    /// The transformed text.
    pub text: String,
    /// The digest the CPU stage computed.
    pub digest: u64,
}

/// What happened to an item, broadcast to every subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The item entered the pipeline.
    Accepted {
        /// Item id.
        id: u64,
    },
    /// The item failed; the pipeline carries on.
    Failed {
        /// Item id.
        id: u64,
        /// Why.
        error: ItemError,
    },
    /// The item came out of the sink.
    Completed {
        /// Item id.
        id: u64,
        /// Its digest.
        digest: u64,
    },
}

/// Counters, readable at any time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Items accepted.
    pub accepted: u64,
    /// Items that failed in a stage.
    pub failed: u64,
    /// Items that completed.
    pub completed: u64,
}

/// Words the transform stage redacts; replaceable at runtime with
/// [`PipelineHandle::set_redactions`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Words replaced by `***`.
    pub redact: Vec<String>,
}

/// One item on its way through the stages.
#[derive(Debug)]
struct Item {
    id: u64,
    text: String,
    reply: Option<oneshot::Sender<Result<Output, ItemError>>>,
    /// The item's `pipeline_item` span, entered by each stage that works on
    /// it, so what the transform (or digest) logs names the item. Created on
    /// submit, so its parent is the submitter's span (an HTTP request's).
    span: tracing::Span,
}

/// What every stage shares.
#[derive(Debug)]
struct Shared {
    events: broadcast::Sender<Event>,
    /// A std mutex: held only to bump counters, never across an `.await`.
    stats: Mutex<Stats>,
    /// A tokio lock: a transform worker holds the read guard across its
    /// `.await`s, so each batch of items sees one version of the rules, and
    /// an update waits for the batches in flight.
    rules: RwLock<Rules>,
    next_id: AtomicU64,
}

impl Shared {
    fn count(&self, update: impl FnOnce(&mut Stats)) {
        update(&mut self.stats.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Sends an event; having no subscribers is normal, not an error.
    fn emit(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Reports a failed item to its caller and to subscribers.
    fn fail(&self, item: Item, error: ItemError) {
        item.span
            .in_scope(|| tracing::debug!(%error, "pipeline item failed"));
        self.count(|stats| stats.failed += 1);
        self.emit(Event::Failed {
            id: item.id,
            error: error.clone(),
        });
        if let Some(reply) = item.reply {
            // The caller may have given up waiting; that is fine.
            let _ = reply.send(Err(error));
        }
    }
}

/// A cheap, cloneable handle for submitting work to a running pipeline.
#[derive(Debug, Clone)]
pub struct PipelineHandle {
    input: mpsc::Sender<Item>,
    shared: Arc<Shared>,
}

impl PipelineHandle {
    /// Submits `text`, waiting while the pipeline is full (backpressure).
    ///
    /// # Errors
    ///
    /// [`SubmitError::Closed`] once the pipeline is shutting down.
    pub async fn submit(&self, text: impl Into<String>) -> Result<u64, SubmitError> {
        let item = self.item(text.into(), None);
        let id = item.id;
        self.input
            .send(item)
            .await
            .map_err(|_| SubmitError::Closed)?;
        Ok(id)
    }

    /// Submits `text` without waiting: when the pipeline is full the item is
    /// rejected with [`SubmitError::Full`], so the caller can shed load.
    ///
    /// # Errors
    ///
    /// [`SubmitError::Full`] or [`SubmitError::Closed`].
    pub fn try_submit(&self, text: impl Into<String>) -> Result<u64, SubmitError> {
        let item = self.item(text.into(), None);
        let id = item.id;
        self.input.try_send(item).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => SubmitError::Full,
            mpsc::error::TrySendError::Closed(_) => SubmitError::Closed,
        })?;
        Ok(id)
    }

    /// Submits `text` and waits for its result (request/response over a
    /// `oneshot` channel).
    ///
    /// # Errors
    ///
    /// [`ProcessError`] when it is not accepted, fails, or the pipeline stops.
    pub async fn process(&self, text: impl Into<String>) -> Result<Output, ProcessError> {
        let (reply, result) = oneshot::channel();
        let item = self.item(text.into(), Some(reply));
        self.input
            .send(item)
            .await
            .map_err(|_| SubmitError::Closed)?;
        Ok(result.await.map_err(|_| ProcessError::Dropped)??)
    }

    /// Subscribes to [`Event`]s from now on. A subscriber that falls more than
    /// `events_capacity` events behind gets `RecvError::Lagged(n)` and then
    /// continues with the oldest event still kept.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.shared.events.subscribe()
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        *self
            .shared
            .stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the redaction rules; waits until no item is being transformed
    /// under the old ones.
    pub async fn set_redactions(&self, words: Vec<String>) {
        self.shared.rules.write().await.redact = words;
    }

    fn item(
        &self,
        text: String,
        reply: Option<oneshot::Sender<Result<Output, ItemError>>>,
    ) -> Item {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        Item {
            id,
            text,
            reply,
            span: tracing::info_span!("pipeline_item", id),
        }
    }
}

/// Starts the pipeline with the sample transform; see [`start_with`].
pub fn start(config: &PipelineConfig, supervisor: &Supervisor) -> PipelineHandle {
    start_with(config, supervisor, SampleTransform)
}

/// Starts the stages as supervised tasks, with `transform` as the async
/// stage's work, and returns the handle producers use. The stages stop when
/// the supervisor's background token is cancelled, after draining: once the
/// servers have answered their requests in flight, which may still submit
/// items.
pub fn start_with<T: Transform>(
    config: &PipelineConfig,
    supervisor: &Supervisor,
    transform: T,
) -> PipelineHandle {
    let (events, _) = broadcast::channel(config.events_capacity);
    let shared = Arc::new(Shared {
        events,
        stats: Mutex::new(Stats::default()),
        rules: RwLock::new(Rules::default()),
        next_id: AtomicU64::new(1),
    });
    let capacity = config.channel_capacity;
    let (input, input_rx) = mpsc::channel(capacity);
    let (valid_tx, valid_rx) = mpsc::channel(capacity);
    let (transformed_tx, transformed_rx) = mpsc::channel(capacity);
    let (digested_tx, digested_rx) = mpsc::channel(capacity);

    supervisor.spawn(
        "pipeline.validate",
        stages::validate(
            input_rx,
            valid_tx,
            Arc::clone(&shared),
            supervisor.background_token(),
        ),
    );
    supervisor.spawn(
        "pipeline.transform",
        stages::transform(
            valid_rx,
            transformed_tx,
            Arc::clone(&shared),
            Arc::new(transform),
            config.concurrency,
        ),
    );
    supervisor.spawn(
        "pipeline.digest",
        stages::digest_stage(transformed_rx, digested_tx, Arc::clone(&shared)),
    );
    supervisor.spawn(
        "pipeline.sink",
        stages::sink(digested_rx, Arc::clone(&shared)),
    );

    PipelineHandle { input, shared }
}
