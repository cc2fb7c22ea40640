//! The stages. Each is a loop over its input channel that ends when the
//! input is closed and empty, then drops its sender so the next stage ends in
//! turn.

use std::convert::Infallible;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::{Event, Item, ItemError, Output, Rules, Shared};

/// Items the first and last stages take from their channel at once.
const BATCH: usize = 64;

/// Items a transform worker takes at once: enough to amortise taking the
/// shared receiver, few enough that busy workers share the load.
const WORKER_BATCH: usize = 16;

/// Texts shorter than this are digested inline: moving a few microseconds of
/// work to the blocking pool would cost more than the work itself.
const INLINE_DIGEST_LIMIT: usize = 4 * 1024;

/// The async stage's work: what you replace with your own (call a service,
/// look something up, enrich the item).
pub trait Transform: Send + Sync + 'static {
    /// Transforms one item's text. `rules` stay the same for the whole call.
    fn transform(
        &self,
        text: &str,
        rules: &Rules,
    ) -> impl Future<Output = Result<String, ItemError>> + Send;
}

/// The sample transform: trims the text, collapses whitespace and redacts the
/// words in [`Rules::redact`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SampleTransform;

impl Transform for SampleTransform {
    async fn transform(&self, text: &str, rules: &Rules) -> Result<String, ItemError> {
        let words = text.split_whitespace().map(|word| {
            if rules.redact.iter().any(|banned| banned == word) {
                "***"
            } else {
                word
            }
        });
        Ok(words.collect::<Vec<_>>().join(" "))
    }
}

/// The sample CPU-bound work: a 64-bit FNV-1a hash of the text. It stands for
/// real CPU work such as parsing, compressing or hashing large payloads.
pub fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Runs CPU-bound `work` on tokio's blocking thread pool, so it never stalls
/// the async worker threads. A panic in `work` becomes an [`ItemError`].
///
/// # Errors
///
/// [`ItemError::Stage`] when `work` panics.
pub async fn on_blocking_pool<F, T>(work: F) -> Result<T, ItemError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ItemError::Stage {
            stage: "digest",
            reason: error.to_string(),
        })
}

/// Rejects empty items; on shutdown, stops taking input first and then passes
/// on what is already queued.
pub(super) async fn validate(
    mut input: mpsc::Receiver<Item>,
    next: mpsc::Sender<Item>,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
) -> Result<(), Infallible> {
    let mut batch = Vec::with_capacity(BATCH);
    let mut closed = false;
    loop {
        tokio::select! {
            () = shutdown.cancelled(), if !closed => {
                // New submissions now fail with `Closed`; queued items still
                // come out of `recv_many` below until the channel is empty.
                input.close();
                closed = true;
                continue;
            }
            received = input.recv_many(&mut batch, BATCH) => {
                if received == 0 {
                    return Ok(());
                }
            }
        }
        for item in batch.drain(..) {
            shared.count(|stats| stats.accepted += 1);
            shared.emit(Event::Accepted { id: item.id });
            if item.text.trim().is_empty() {
                shared.fail(item, ItemError::Invalid("empty text".to_owned()));
            } else if let Err(mpsc::error::SendError(item)) = next.send(item).await {
                shared.fail(item, stopped("validate"));
            }
        }
    }
}

/// Runs [`Transform`] in `concurrency` worker tasks that share the input.
/// The workers live in a `JoinSet` owned by this stage, which waits for them
/// before it ends (and so before the next channel closes).
pub(super) async fn transform<T: Transform>(
    input: mpsc::Receiver<Item>,
    next: mpsc::Sender<Item>,
    shared: Arc<Shared>,
    transform: Arc<T>,
    concurrency: usize,
) -> Result<(), Infallible> {
    // A tokio mutex: a worker holds it across `recv_many(..).await` while it
    // waits for work, and only then.
    let input = Arc::new(Mutex::new(input));
    let mut workers = JoinSet::new();
    for _ in 0..concurrency {
        let (input, next) = (Arc::clone(&input), next.clone());
        let (shared, transform) = (Arc::clone(&shared), Arc::clone(&transform));
        workers.spawn(async move {
            let mut batch = Vec::with_capacity(WORKER_BATCH);
            while input.lock().await.recv_many(&mut batch, WORKER_BATCH).await > 0 {
                let rules = shared.rules.read().await;
                for item in batch.drain(..) {
                    let span = item.span.clone();
                    match transform
                        .transform(&item.text, &rules)
                        .instrument(span)
                        .await
                    {
                        Ok(text) => {
                            if let Err(mpsc::error::SendError(item)) =
                                next.send(Item { text, ..item }).await
                            {
                                shared.fail(item, stopped("transform"));
                            }
                        }
                        Err(error) => shared.fail(item, error),
                    }
                }
            }
        });
    }
    drop(next);
    while let Some(finished) = workers.join_next().await {
        if let Err(error) = finished {
            tracing::error!(%error, "a transform worker panicked; its items are lost");
        }
    }
    Ok(())
}

/// Digests each item: inline when it is small, on the blocking pool when not.
pub(super) async fn digest_stage(
    mut input: mpsc::Receiver<Item>,
    next: mpsc::Sender<(Item, u64)>,
    shared: Arc<Shared>,
) -> Result<(), Infallible> {
    while let Some(item) = input.recv().await {
        let result = if item.text.len() < INLINE_DIGEST_LIMIT {
            Ok(item.span.in_scope(|| digest(&item.text)))
        } else {
            let (text, span) = (item.text.clone(), item.span.clone());
            on_blocking_pool(move || span.in_scope(|| digest(&text))).await
        };
        match result {
            Ok(value) => {
                if let Err(mpsc::error::SendError((item, _))) = next.send((item, value)).await {
                    shared.fail(item, stopped("digest"));
                }
            }
            Err(error) => shared.fail(item, error),
        }
    }
    Ok(())
}

/// Delivers finished items: counters, an event, and the reply if one waits.
pub(super) async fn sink(
    mut input: mpsc::Receiver<(Item, u64)>,
    shared: Arc<Shared>,
) -> Result<(), Infallible> {
    let mut batch = Vec::with_capacity(BATCH);
    while input.recv_many(&mut batch, BATCH).await > 0 {
        for (item, digest) in batch.drain(..) {
            shared.count(|stats| stats.completed += 1);
            shared.emit(Event::Completed {
                id: item.id,
                digest,
            });
            if let Some(reply) = item.reply {
                // The caller may have stopped waiting; that is fine.
                let _ = reply.send(Ok(Output {
                    id: item.id,
                    text: item.text,
                    digest,
                }));
            }
        }
        // Delivering never awaits, so a long burst would keep this worker
        // thread from other tasks: yield once per batch.
        tokio::task::yield_now().await;
    }
    Ok(())
}

fn stopped(stage: &'static str) -> ItemError {
    ItemError::Stage {
        stage,
        reason: "the next stage stopped".to_owned(),
    }
}
