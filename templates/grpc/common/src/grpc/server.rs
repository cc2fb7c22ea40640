//! The gRPC server: the services the components contribute (this module's
//! greeter among them, see `app.rs`), and the standard health service
//! (`grpc.health.v1.Health`) that load balancers and `grpc-health-probe` ask.

use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_stream::wrappers::{IntervalStream, TcpListenerStream};
use tokio_stream::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;
use tonic::{Request, Response, Status};

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

/// Serves until `shutdown` is cancelled, then stops accepting connections and
/// lets open calls finish; open streams end at their next message.
///
/// # Errors
///
/// A transport error from the server.
pub async fn serve(
    listener: TcpListener,
    services: Routes,
    shutdown: CancellationToken,
) -> Result<(), tonic::transport::Error> {
    // The server as a whole ("") reports SERVING while it serves.
    let (_reporter, health_service) = tonic_health::server::health_reporter();
    tonic::transport::Server::builder()
        .add_routes(services.add_service(health_service))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown.cancelled_owned())
        .await
}

/// The greeter service; its streams end when `shutdown` is cancelled.
pub fn greeter(shutdown: CancellationToken) -> GreeterServer<GreeterService> {
    GreeterServer::new(GreeterService { shutdown })
}

/// The greeter: turns requests into calls to [`greetings`] and its errors
/// into statuses.
#[derive(Debug, Clone)]
pub struct GreeterService {
    shutdown: CancellationToken,
}

impl From<GreetingError> for Status {
    fn from(error: GreetingError) -> Self {
        // Both are the caller's mistake: INVALID_ARGUMENT, never retried.
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
        // running. On shutdown it ends at the next tick.
        let ticks = IntervalStream::new(tokio::time::interval(
            interval.max(Duration::from_millis(1)),
        ));
        let shutdown = self.shutdown.clone();
        let mut sequence = 0;
        let replies = ticks
            .take(usize::try_from(count).unwrap_or(usize::MAX))
            .map_while(move |_| {
                if shutdown.is_cancelled() {
                    return None;
                }
                sequence += 1;
                Some(Ok(HelloReply {
                    message: message.clone(),
                    sequence,
                }))
            });
        Ok(Response::new(Box::pin(replies)))
    }
}
