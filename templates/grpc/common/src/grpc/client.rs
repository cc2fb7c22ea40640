//! The gRPC client: a lazily connecting channel, a deadline on every call,
//! and retries with backoff on `UNAVAILABLE` only.

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
    max_retries: u32,
    backoff_base: Duration,
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
            deadline: config.deadline,
            max_retries: config.max_retries,
            backoff_base: config.backoff_base,
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

    /// Runs `call` until it answers, retrying `UNAVAILABLE` with exponential
    /// backoff, all within `deadline`. Each attempt tells the server how much
    /// time is left (the `grpc-timeout` header).
    async fn call<T, F, Fut>(&self, deadline: Instant, mut call: F) -> Result<T, Status>
    where
        F: FnMut(GreeterClient<Channel>, Duration) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        let mut wait = self.backoff_base;
        let mut retries = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout_at(deadline, call(self.inner.clone(), left)).await {
                Err(_) => return Err(self.deadline_exceeded()),
                Ok(Err(status))
                    if status.code() == Code::Unavailable && retries < self.max_retries =>
                {
                    retries += 1;
                    tracing::debug!(retries, ?wait, "gRPC server unavailable; retrying");
                    if Instant::now() + wait >= deadline {
                        return Err(self.deadline_exceeded());
                    }
                    tokio::time::sleep(wait).await;
                    wait = wait.saturating_mul(2);
                }
                Ok(result) => return result,
            }
        }
    }

    fn deadline_exceeded(&self) -> Status {
        Status::deadline_exceeded(format!("no answer within {:?}", self.deadline))
    }
}

fn with_timeout<T>(message: T, timeout: Duration) -> Request<T> {
    let mut request = Request::new(message);
    request.set_timeout(timeout);
    request
}
