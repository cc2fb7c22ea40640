//! The gRPC server: the services the components contribute (this module's
//! greeter among them, see `app.rs`), and the standard health service
//! (`grpc.health.v1.Health`) that load balancers and `grpc-health-probe` ask.
//!
//! # Shutdown
//!
//! When the shutdown token is cancelled, the health service answers
//! `NOT_SERVING` at once, so load balancers stop sending calls, and the
//! server stops accepting connections and lets the calls in flight finish.
//! An open `StreamHellos` stream ends at once with `UNAVAILABLE`, never `OK`:
//! a client can tell a stream cut short from a complete one, and retry it
//! elsewhere.
//!
//! # Limits
//!
//! A request message is at most [`MAX_REQUEST_BYTES`] (tonic's default is
//! 4 MiB, far more than a greeter request needs): a larger one is refused
//! with `OUT_OF_RANGE` before it is buffered. Within it, a name is at most
//! [`greetings::MAX_NAME_BYTES`] (`INVALID_ARGUMENT` beyond).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::time::Interval;
use tokio_stream::Stream;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tonic::service::Routes;
use tonic::{Request, Response, Status};
use tonic_health::ServingStatus;

use super::greetings::{self, GreetingError};
use super::proto::greeter_server::{Greeter, GreeterServer};
use super::proto::{HelloReply, HelloRequest, StreamRequest};

/// Binds the listener; done at startup so a port in use stops the service
/// at once instead of failing later.
///
/// # Errors
///
/// The bind error (address in use, permission denied).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// The largest request message the greeter decodes: a name of at most
/// [`greetings::MAX_NAME_BYTES`] and two integers, with room for new fields.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

/// Serves until `shutdown` is cancelled, then reports `NOT_SERVING` on the
/// health service, stops accepting connections and lets open calls finish.
///
/// # Errors
///
/// A transport error from the server.
pub async fn serve(
    listener: TcpListener,
    services: Routes,
    shutdown: CancellationToken,
) -> Result<(), tonic::transport::Error> {
    // The server as a whole ("") reports SERVING while it serves...
    let (reporter, health_service) = tonic_health::server::health_reporter();
    let stopping = async move {
        shutdown.cancelled().await;
        // ...and NOT_SERVING from the moment shutdown starts, before the
        // calls in flight drain, so health checkers stop routing calls here.
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
    };
    tonic::transport::Server::builder()
        .add_routes(services.add_service(health_service))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), stopping)
        .await
}

/// The greeter service; its streams end with `UNAVAILABLE` as soon as
/// `shutdown` is cancelled.
pub fn greeter(shutdown: CancellationToken) -> GreeterServer<GreeterService> {
    GreeterServer::new(GreeterService { shutdown }).max_decoding_message_size(MAX_REQUEST_BYTES)
}

/// The greeter: turns requests into calls to [`greetings`] and its errors
/// into statuses.
#[derive(Debug, Clone)]
pub struct GreeterService {
    shutdown: CancellationToken,
}

impl From<GreetingError> for Status {
    fn from(error: GreetingError) -> Self {
        // All are the caller's mistake: INVALID_ARGUMENT, never retried.
        Status::invalid_argument(error.to_string())
    }
}

/// The stream of replies `StreamHellos` returns.
pub type HelloStream = Pin<Box<dyn Stream<Item = Result<HelloReply, Status>> + Send>>;

#[tonic::async_trait]
impl Greeter for GreeterService {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        let message = greetings::greet(&request.into_inner().name)?;
        Ok(Response::new(HelloReply {
            message,
            sequence: 0,
        }))
    }

    type StreamHellosStream = HelloStream;

    async fn stream_hellos(
        &self,
        request: Request<StreamRequest>,
    ) -> Result<Response<HelloStream>, Status> {
        let request = request.into_inner();
        let message = greetings::greet(&request.name)?;
        let (count, interval) = greetings::stream_plan(request.count, request.interval_ms)?;
        // No task produces the stream: it is driven by tonic while the client
        // reads, so a client that goes away drops it, and nothing is left
        // running.
        let replies = Hellos {
            message,
            count,
            sent: 0,
            ticks: tokio::time::interval(interval.max(Duration::from_millis(1))),
            shutdown: Box::pin(self.shutdown.clone().cancelled_owned()),
            done: false,
        };
        Ok(Response::new(Box::pin(replies)))
    }
}

/// The replies of one `StreamHellos` call: `count` of them, one per tick,
/// cut short by shutdown with a final `UNAVAILABLE`.
struct Hellos {
    /// The greeting every reply carries.
    message: String,
    /// How many replies the client asked for.
    count: u32,
    /// How many have been sent; the last one's `sequence`.
    sent: u32,
    /// When the next reply is due (the first at once).
    ticks: Interval,
    /// Completes when the server starts shutting down.
    shutdown: Pin<Box<WaitForCancellationFutureOwned>>,
    /// Set once the stream has ended, so it stays ended.
    done: bool,
}

impl Stream for Hellos {
    type Item = Result<HelloReply, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done || self.sent >= self.count {
            return Poll::Ready(None);
        }
        // Shutdown first, and polled on every wake-up: the stream ends as
        // soon as the token is cancelled, not at its next tick.
        if self.shutdown.as_mut().poll(cx).is_ready() {
            self.done = true;
            let status = Status::unavailable(format!(
                "the server is shutting down: the stream was cut after {} of {} replies",
                self.sent, self.count
            ));
            return Poll::Ready(Some(Err(status)));
        }
        if self.ticks.poll_tick(cx).is_pending() {
            return Poll::Pending;
        }
        self.sent += 1;
        let reply = HelloReply {
            message: self.message.clone(),
            sequence: self.sent,
        };
        Poll::Ready(Some(Ok(reply)))
    }
}
