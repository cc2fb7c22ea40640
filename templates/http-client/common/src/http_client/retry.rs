//! Retrying transient failures with exponential backoff and jitter.
//!
//! The wait before retry `n` (counting from 0) is `base * 2^n`, capped at
//! `backoff_max`, of which a random half is kept ("equal jitter"): clients that
//! failed together spread out instead of retrying in lockstep, and no wait
//! collapses to zero. A `Retry-After` from the server replaces the computed
//! wait. Retries stop at `max_retries`, or when the next wait would end past
//! the call's deadline (there is no point waiting for an attempt that cannot
//! happen). That check subtracts rather than adds: a server may send any
//! `Retry-After` (`18446744073709551615` included), and `now + wait` would
//! overflow the clock.
//!
//! # Why a loop and not a crate
//!
//! Crates such as `backon` provide the schedule, but the rules that matter here
//! are specific: which failures are transient, `Retry-After` overriding the
//! schedule, and a deadline shared with the attempts themselves. Written out,
//! that is the short [`retry`] function below, with no dependency, every step
//! visible, and a schedule that tests check exactly on tokio's paused clock.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// When and how often a failed call is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt, from `HTTP_CLIENT_MAX_RETRIES`
    /// (default 3; 0 turns retries off).
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each one after it, from
    /// `HTTP_CLIENT_BACKOFF_BASE_MS` (default 100 ms).
    pub backoff_base: Duration,
    /// The longest computed wait, from `HTTP_CLIENT_BACKOFF_MAX_MS` (default
    /// 2 s). A longer `Retry-After` is still honoured within the deadline.
    pub backoff_max: Duration,
    /// The deadline for a whole call, every attempt and wait included, from
    /// `HTTP_CLIENT_TOTAL_TIMEOUT_MS` (default 10 s).
    pub total_timeout: Duration,
}

impl RetryPolicy {
    /// The same policy with retries turned off, for requests that must not be
    /// repeated.
    #[must_use]
    pub fn without_retries(self) -> Self {
        Self {
            max_retries: 0,
            ..self
        }
    }

    /// The wait before retry number `retry` (0 for the first), given a random
    /// `jitter` in `[0, 1)`: between half and all of `base * 2^retry`, capped
    /// at [`RetryPolicy::backoff_max`].
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponential = self
            .backoff_base
            .saturating_mul(2_u32.saturating_pow(retry))
            .min(self.backoff_max);
        let half = exponential / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// A failure that may or may not be worth retrying.
pub trait Transient {
    /// Whether the same attempt might succeed later.
    fn is_transient(&self) -> bool;

    /// How long the other side asked us to wait before trying again.
    fn retry_after(&self) -> Option<Duration> {
        None
    }
}

/// Runs `attempt` until it succeeds, fails with an error that is not
/// transient, or `policy` runs out; the last error is returned then.
///
/// `deadline` bounds the waits (a wait that would end after it is not
/// started); the caller bounds the attempts themselves, e.g. with
/// [`tokio::time::timeout_at`] on the same deadline. `jitter` returns a random
/// fraction in `[0, 1)`; tests pass a constant to get an exact schedule.
///
/// # Errors
///
/// The error of the last attempt.
pub async fn retry<T, E, F, Fut>(
    policy: &RetryPolicy,
    deadline: Instant,
    mut jitter: impl FnMut() -> f64,
    mut attempt: F,
) -> Result<T, E>
where
    E: Transient + std::error::Error + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut retries = 0;
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if retries >= policy.max_retries || !error.is_transient() {
            return Err(error);
        }
        let wait = error
            .retry_after()
            .unwrap_or_else(|| policy.backoff(retries, jitter()));
        // Compared with the time left, never added to `now`: the wait comes
        // from the server and may be as long as `u64::MAX` seconds.
        if wait >= deadline.saturating_duration_since(Instant::now()) {
            return Err(error);
        }
        retries += 1;
        tracing::warn!(
            error = &error as &dyn std::error::Error,
            retry = retries,
            ?wait,
            "transient failure, retrying"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 4,
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_millis(500),
        total_timeout: Duration::from_secs(60),
    };

    /// A failure the test controls.
    #[derive(Debug, PartialEq)]
    enum Failure {
        Busy(Option<Duration>),
        Permanent,
    }

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{self:?}")
        }
    }

    impl std::error::Error for Failure {}

    impl Transient for Failure {
        fn is_transient(&self) -> bool {
            matches!(self, Self::Busy(_))
        }

        fn retry_after(&self) -> Option<Duration> {
            match self {
                Self::Busy(after) => *after,
                Self::Permanent => None,
            }
        }
    }

    /// Runs `retry` over `outcomes` (one per attempt; the attempt after the
    /// last one succeeds) and returns the result and the time of each attempt,
    /// relative to the start.
    async fn run(
        policy: RetryPolicy,
        outcomes: Vec<Failure>,
    ) -> (Result<u32, Failure>, Vec<Duration>) {
        let start = Instant::now();
        let calls = RefCell::new(Vec::new());
        let outcomes = RefCell::new(outcomes.into_iter());
        let attempt = || {
            calls.borrow_mut().push(start.elapsed());
            let outcome = outcomes.borrow_mut().next();
            async move { outcome.map_or(Ok(42), Err) }
        };
        let result = retry(&policy, start + policy.total_timeout, || 1.0, attempt).await;
        (result, calls.into_inner())
    }

    fn millis(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_taking_up_to_half() {
        let full: Vec<Duration> = (0..5).map(|n| POLICY.backoff(n, 1.0)).collect();
        assert_eq!(full, millis(&[100, 200, 400, 500, 500]));
        assert_eq!(POLICY.backoff(1, 0.0), Duration::from_millis(100));
        assert_eq!(POLICY.backoff(1, 0.5), Duration::from_millis(150));
        // No overflow however many retries are configured.
        assert_eq!(POLICY.backoff(u32::MAX, 1.0), POLICY.backoff_max);
    }

    #[tokio::test(start_paused = true)]
    async fn retries_follow_the_backoff_schedule() {
        let busy = || Failure::Busy(None);
        let (result, calls) = run(POLICY, vec![busy(), busy(), busy(), busy()]).await;
        assert_eq!(result, Ok(42));
        // Waits of 100, 200, 400 and 500 (capped) ms between attempts.
        assert_eq!(calls, millis(&[0, 100, 300, 700, 1200]));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_retries_with_the_last_error() {
        let outcomes = (0..10).map(|_| Failure::Busy(None)).collect();
        let (result, calls) = run(POLICY, outcomes).await;
        assert_eq!(result, Err(Failure::Busy(None)));
        assert_eq!(calls.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn permanent_failures_are_not_retried() {
        let (result, calls) = run(POLICY, vec![Failure::Permanent]).await;
        assert_eq!(result, Err(Failure::Permanent));
        assert_eq!(calls.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_replaces_the_computed_wait() {
        let (result, calls) = run(POLICY, vec![Failure::Busy(Some(Duration::from_secs(3)))]).await;
        assert_eq!(result, Ok(42));
        assert_eq!(calls, millis(&[0, 3000]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_is_not_started() {
        let policy = RetryPolicy {
            total_timeout: Duration::from_secs(2),
            ..POLICY
        };
        let long_wait = Failure::Busy(Some(Duration::from_secs(5)));
        let (result, calls) = run(policy, vec![long_wait]).await;
        assert_eq!(result, Err(Failure::Busy(Some(Duration::from_secs(5)))));
        assert_eq!(calls, millis(&[0]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_beyond_any_clock_gives_up_at_once() {
        let forever = Failure::Busy(Some(Duration::from_secs(u64::MAX)));
        let (result, calls) = run(POLICY, vec![forever]).await;
        assert_eq!(
            result,
            Err(Failure::Busy(Some(Duration::from_secs(u64::MAX))))
        );
        assert_eq!(calls, millis(&[0]));
    }

    #[tokio::test(start_paused = true)]
    async fn without_retries_makes_one_attempt() {
        let (result, calls) = run(POLICY.without_retries(), vec![Failure::Busy(None)]).await;
        assert!(result.is_err());
        assert_eq!(calls.len(), 1);
    }
}
