//! The gRPC client: a lazily connecting channel, a deadline on every call,
//! and retries on `UNAVAILABLE` only, with exponential backoff, jitter and a
//! cap, honouring the server's `grpc-retry-pushback-ms`.
//!
//! Every wait is compared with the time left before the deadline, never added
//! to the clock: a server may push back by any amount (`u64::MAX` ms
//! included), and `now + wait` would overflow.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use tokio::time::Instant;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Request, Status, Streaming};

use super::GrpcConfig;
use super::proto::greeter_client::GreeterClient;
use super::proto::{HelloReply, HelloRequest, StreamRequest};

/// A client of the greeter service. Cloning is cheap: clones share the
/// connection.
#[derive(Debug, Clone)]
pub struct GrpcClient {
    inner: GreeterClient<Channel>,
    deadline: Duration,
    retry: RetryPolicy,
}

/// The longest a call's deadline may be, whatever the configuration says, so
/// `now + deadline` always fits the clock.
const MAX_DEADLINE: Duration = Duration::from_secs(86_400);

/// When and how long to wait before retrying an `UNAVAILABLE` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (`GRPC_MAX_RETRIES`).
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each next one
    /// (`GRPC_BACKOFF_BASE_MS`).
    pub backoff_base: Duration,
    /// The longest computed wait (`GRPC_BACKOFF_MAX_MS`).
    pub backoff_max: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first), given a random
    /// `jitter` in `[0, 1)`: between half and all of `base * 2^retry`, capped
    /// at `backoff_max` ("equal jitter": clients that failed together spread
    /// out, and no wait collapses to zero).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponential = self
            .backoff_base
            .saturating_mul(2_u32.saturating_pow(retry))
            .min(self.backoff_max);
        let half = exponential / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

impl GrpcClient {
    /// A client for `config.endpoint`. The connection is made on the first
    /// call (with `connect_timeout`), so the server may start later.
    ///
    /// # Errors
    ///
    /// [`tonic::transport::Error`] when the endpoint is not a valid URI.
    pub fn new(config: &GrpcConfig) -> Result<Self, tonic::transport::Error> {
        let channel = Endpoint::from_shared(config.endpoint.clone())?
            .connect_timeout(config.connect_timeout)
            .connect_lazy();
        Ok(Self {
            inner: GreeterClient::new(channel),
            deadline: config.deadline.min(MAX_DEADLINE),
            retry: RetryPolicy {
                max_retries: config.max_retries,
                backoff_base: config.backoff_base,
                backoff_max: config.backoff_max,
            },
        })
    }

    /// Asks for one greeting.
    ///
    /// # Errors
    ///
    /// The server's status, or `DEADLINE_EXCEEDED` when no answer came in time.
    pub async fn say_hello(&self, name: &str) -> Result<String, Status> {
        let deadline = Instant::now() + self.deadline;
        let request = HelloRequest {
            name: name.to_owned(),
        };
        let reply = self
            .call(deadline, |mut client, timeout| {
                let request = with_timeout(request.clone(), timeout);
                async move { client.say_hello(request).await }
            })
            .await?;
        Ok(reply.into_inner().message)
    }

    /// Opens a stream of `count` greetings, `interval_ms` apart; the deadline
    /// covers opening it only.
    ///
    /// # Errors
    ///
    /// As [`GrpcClient::say_hello`].
    pub async fn open_stream(
        &self,
        name: &str,
        count: u32,
        interval_ms: u32,
    ) -> Result<Streaming<HelloReply>, Status> {
        let deadline = Instant::now() + self.deadline;
        let request = StreamRequest {
            name: name.to_owned(),
            count,
            interval_ms,
        };
        let response = self
            .call(deadline, |mut client, timeout| {
                let request = with_timeout(request.clone(), timeout);
                async move { client.stream_hellos(request).await }
            })
            .await?;
        Ok(response.into_inner())
    }

    /// Reads a whole stream of greetings within the deadline.
    ///
    /// # Errors
    ///
    /// As [`GrpcClient::say_hello`]; `DEADLINE_EXCEEDED` if the stream does
    /// not finish in time.
    pub async fn stream_hellos(
        &self,
        name: &str,
        count: u32,
        interval_ms: u32,
    ) -> Result<Vec<HelloReply>, Status> {
        let deadline = Instant::now() + self.deadline;
        let mut stream = self.open_stream(name, count, interval_ms).await?;
        let mut replies = Vec::new();
        loop {
            match tokio::time::timeout_at(deadline, stream.message()).await {
                Err(_) => return Err(self.deadline_exceeded()),
                Ok(Ok(Some(reply))) => replies.push(reply),
                Ok(Ok(None)) => return Ok(replies),
                Ok(Err(status)) => return Err(status),
            }
        }
    }

    /// Runs `call` on a clone of the client, with [`retry_unavailable`].
    async fn call<T, F, Fut>(&self, deadline: Instant, mut call: F) -> Result<T, Status>
    where
        F: FnMut(GreeterClient<Channel>, Duration) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        retry_unavailable(&self.retry, deadline, random_fraction, |left| {
            call(self.inner.clone(), left)
        })
        .await
        .map_err(|status| {
            if status.code() == Code::DeadlineExceeded {
                self.deadline_exceeded()
            } else {
                status
            }
        })
    }

    fn deadline_exceeded(&self) -> Status {
        Status::deadline_exceeded(format!("no answer within {:?}", self.deadline))
    }
}

/// Runs `call` until it answers, retrying `UNAVAILABLE` (the server could not
/// take the call: nothing was done) per `policy`, all within `deadline`. Each
/// attempt gets the time left, to send as its `grpc-timeout`. A server's
/// `grpc-retry-pushback-ms` replaces the computed wait (negative: do not
/// retry). A wait that would end past the deadline is not started: the last
/// status is returned instead. `jitter` returns a random fraction in
/// `[0, 1)`; tests pass a constant.
///
/// # Errors
///
/// The last attempt's status, or `DEADLINE_EXCEEDED` when an attempt runs
/// past the deadline.
pub async fn retry_unavailable<T, F, Fut>(
    policy: &RetryPolicy,
    deadline: Instant,
    mut jitter: impl FnMut() -> f64,
    mut call: F,
) -> Result<T, Status>
where
    F: FnMut(Duration) -> Fut,
    Fut: Future<Output = Result<T, Status>>,
{
    let mut retries = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let status = match tokio::time::timeout_at(deadline, call(left)).await {
            Err(_) => return Err(Status::deadline_exceeded("no answer before the deadline")),
            Ok(Ok(answer)) => return Ok(answer),
            Ok(Err(status)) => status,
        };
        if status.code() != Code::Unavailable || retries >= policy.max_retries {
            return Err(status);
        }
        let wait = match pushback(&status) {
            Pushback::Wait(wait) => wait,
            Pushback::Stop => return Err(status),
            Pushback::None => policy.backoff(retries, jitter()),
        };
        if wait >= deadline.saturating_duration_since(Instant::now()) {
            return Err(status);
        }
        retries += 1;
        tracing::debug!(retries, ?wait, "gRPC server unavailable; retrying");
        tokio::time::sleep(wait).await;
    }
}

/// What a status's `grpc-retry-pushback-ms` asks for.
enum Pushback {
    /// No (readable) pushback: use the backoff schedule.
    None,
    /// Wait this long before retrying.
    Wait(Duration),
    /// A negative pushback: the server asks not to retry.
    Stop,
}

fn pushback(status: &Status) -> Pushback {
    let Some(value) = status.metadata().get("grpc-retry-pushback-ms") else {
        return Pushback::None;
    };
    let Some(millis) = value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse::<i128>().ok())
    else {
        return Pushback::None;
    };
    match u64::try_from(millis) {
        Ok(millis) => Pushback::Wait(Duration::from_millis(millis)),
        // Negative means "do not retry"; beyond u64, "longer than any deadline".
        Err(_) if millis < 0 => Pushback::Stop,
        Err(_) => Pushback::Wait(Duration::MAX),
    }
}

/// A random fraction in `[0, 1)` for jitter. Each `RandomState` gets fresh
/// keys from the standard library; not cryptographic, and it need not be:
/// jitter only has to keep clients that failed together apart.
fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(());
    // The top 53 bits fill an f64's mantissa exactly.
    (bits >> 11) as f64 / (1_u64 << 53) as f64
}

fn with_timeout<T>(message: T, timeout: Duration) -> Request<T> {
    let mut request = Request::new(message);
    request.set_timeout(timeout);
    request
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use tonic::metadata::MetadataValue;

    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 4,
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_millis(300),
    };

    fn pushed_back(millis: &'static str) -> Status {
        let mut status = Status::unavailable("busy");
        status
            .metadata_mut()
            .insert("grpc-retry-pushback-ms", MetadataValue::from_static(millis));
        status
    }

    /// Runs `retry_unavailable` over `outcomes` (one per attempt; the attempt
    /// after the last one answers) and returns the result and when each
    /// attempt started, relative to the start.
    async fn run(outcomes: Vec<Status>) -> (Result<u32, Code>, Vec<Duration>) {
        let start = Instant::now();
        let calls = RefCell::new(Vec::new());
        let outcomes = RefCell::new(outcomes.into_iter());
        let deadline = start + Duration::from_secs(10);
        let result = retry_unavailable(
            &POLICY,
            deadline,
            || 1.0,
            |_| {
                calls.borrow_mut().push(start.elapsed());
                let outcome = outcomes.borrow_mut().next();
                async move { outcome.map_or(Ok(7), Err) }
            },
        )
        .await;
        (result.map_err(|status| status.code()), calls.into_inner())
    }

    fn millis(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_taking_up_to_half() {
        let full: Vec<Duration> = (0..4).map(|n| POLICY.backoff(n, 1.0)).collect();
        assert_eq!(full, millis(&[100, 200, 300, 300]));
        assert_eq!(POLICY.backoff(0, 0.0), Duration::from_millis(50));
        assert_eq!(POLICY.backoff(u32::MAX, 1.0), POLICY.backoff_max);
    }

    #[tokio::test(start_paused = true)]
    async fn unavailable_is_retried_on_the_capped_schedule() {
        let busy = || Status::unavailable("restarting");
        let (result, calls) = run(vec![busy(), busy(), busy(), busy()]).await;
        assert_eq!(result, Ok(7));
        assert_eq!(calls, millis(&[0, 100, 300, 600, 900]));
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_at_the_limit_with_the_last_status() {
        let (result, calls) = run((0..10).map(|_| Status::unavailable("down")).collect()).await;
        assert_eq!(result, Err(Code::Unavailable));
        assert_eq!(calls.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn other_codes_are_not_retried() {
        let (result, calls) = run(vec![Status::internal("bug")]).await;
        assert_eq!(result, Err(Code::Internal));
        assert_eq!(calls.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn pushback_replaces_the_backoff() {
        let (result, calls) = run(vec![pushed_back("2500")]).await;
        assert_eq!(result, Ok(7));
        assert_eq!(calls, millis(&[0, 2_500]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pushback_beyond_any_clock_gives_up_at_once() {
        for huge in ["18446744073709551615", "99999999999999999999999"] {
            let (result, calls) = run(vec![pushed_back(huge)]).await;
            assert_eq!(result, Err(Code::Unavailable), "{huge}");
            assert_eq!(calls, millis(&[0]), "{huge}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_negative_pushback_is_not_retried() {
        let (result, calls) = run(vec![pushed_back("-1")]).await;
        assert_eq!(result, Err(Code::Unavailable));
        assert_eq!(calls.len(), 1);
    }
}
