//! Readiness: whether this instance should get traffic.
//!
//! Liveness (`/healthz`) only says the process serves HTTP. Readiness
//! (`/readyz`) also asks the dependencies the service cannot work without,
//! such as its database: while one does not answer, the load balancer sends
//! the traffic elsewhere instead of to an instance that can only fail.
//!
//! Components add their checks at startup (`app.rs`), so this module knows
//! none of them: a check is a name, a cheap handle and an async function
//! over it, each bounded by [`CHECK_TIMEOUT`].
//!
//! Readiness also follows the shutdown token: from the moment shutdown
//! starts, `/readyz` answers `503` without asking anything, so the load
//! balancer stops sending new requests while those in flight drain.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::error::{ApiError, Cause};

/// How long one check may take: less than the 1 s probes usually allow, so
/// a slow dependency reads as "not ready" rather than as a failed probe.
pub const CHECK_TIMEOUT: Duration = Duration::from_millis(500);

/// One check, type-erased so checks of different components fit one list.
type Probe = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), Cause>> + Send>> + Send + Sync>;

/// The checks `/readyz` runs; empty means "ready as soon as it serves, until
/// shutdown starts". [`Readiness::default`] follows no shutdown token (for
/// tests); the service uses [`Readiness::new`].
#[derive(Clone, Default)]
pub struct Readiness {
    checks: Vec<(&'static str, Probe)>,
    shutdown: CancellationToken,
}

impl Readiness {
    /// No checks yet; not ready once `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Self {
            checks: Vec::new(),
            shutdown,
        }
    }

    /// Adds the check `name`: `check(value.clone())` must succeed within
    /// [`CHECK_TIMEOUT`]. `value` is a cheap handle such as a pool.
    pub fn add<T, C, F, E>(&mut self, name: &'static str, value: T, check: C)
    where
        T: Clone + Send + Sync + 'static,
        C: Fn(T) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<Cause>,
    {
        let probe: Probe = Arc::new(move || {
            let attempt = check(value.clone());
            Box::pin(async move { attempt.await.map_err(Into::into) })
        });
        self.checks.push((name, probe));
    }

    /// Runs the checks in order and stops at the first that fails or is
    /// late.
    ///
    /// # Errors
    ///
    /// [`ApiError::Unavailable`] once shutdown has started;
    /// [`ApiError::NotReady`] naming the check that failed.
    pub async fn check(&self) -> Result<(), ApiError> {
        if self.shutdown.is_cancelled() {
            return Err(ApiError::unavailable(
                "the service is shutting down",
                "shutdown has started: draining the requests in flight",
            ));
        }
        for (name, probe) in &self.checks {
            let outcome = match tokio::time::timeout(CHECK_TIMEOUT, probe()).await {
                Ok(result) => result,
                Err(elapsed) => Err(elapsed.into()),
            };
            outcome.map_err(|source| ApiError::NotReady {
                check: name,
                source,
            })?;
        }
        Ok(())
    }
}

impl fmt::Debug for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.checks.iter().map(|(name, _)| name).collect();
        f.debug_struct("Readiness")
            .field("checks", &names)
            .field("shutting_down", &self.shutdown.is_cancelled())
            .finish()
    }
}
