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

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::error::{ApiError, Cause};

/// How long one check may take: less than the 1 s probes usually allow, so
/// a slow dependency reads as "not ready" rather than as a failed probe.
pub const CHECK_TIMEOUT: Duration = Duration::from_millis(500);

/// One check, type-erased so checks of different components fit one list.
type Probe = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), Cause>> + Send>> + Send + Sync>;

/// The checks `/readyz` runs; empty means "ready as soon as it serves".
#[derive(Clone, Default)]
pub struct Readiness {
    checks: Vec<(&'static str, Probe)>,
}

impl Readiness {
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
    /// [`ApiError::NotReady`] naming the check.
    pub async fn check(&self) -> Result<(), ApiError> {
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
        f.debug_struct("Readiness").field("checks", &names).finish()
    }
}
