//! A gRPC service and client (tonic) for the API in `proto/greeter.proto`.
//!
//! - [`server`]: binds [`GrpcConfig::addr`], serves the greeter and the
//!   standard gRPC health service, and shuts down gracefully on the
//!   shutdown token: health turns `NOT_SERVING` and open streams end at once
//!   with `UNAVAILABLE`.
//! - [`client`]: connects with a timeout, gives every call a deadline, and
//!   retries with backoff only on `UNAVAILABLE` (the server is not reachable
//!   yet): any other status is an answer, and repeating it would not help.
//! - [`greetings`]: the business logic, independent of gRPC; the service
//!   maps its errors to `tonic::Status` codes.
//!
//! Try it with `grpcurl -plaintext -import-path proto -proto greeter.proto
//! -d '{"name":"Ada"}' 127.0.0.1:50051 greeter.v1.Greeter/SayHello`.

pub mod client;
pub mod greetings;
pub mod server;

use std::net::SocketAddr;
use std::time::Duration;

use crate::config::{ConfigError, Env};

/// The code generated from `proto/greeter.proto` by `build.rs`.
pub mod proto {
    #![allow(
        missing_docs,
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "generated code"
    )]
    tonic::include_proto!("greeter.v1");
}

/// gRPC settings, for the server and the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcConfig {
    /// Where the server listens (`GRPC_ADDR`); loopback by default, so a
    /// service run on a laptop is not reachable from the network by accident.
    pub addr: SocketAddr,
    /// Where the client connects (`GRPC_ENDPOINT`).
    pub endpoint: String,
    /// How long the client waits for a connection (`GRPC_CONNECT_TIMEOUT_MS`).
    pub connect_timeout: Duration,
    /// Deadline of one call, every retry included (`GRPC_DEADLINE_MS`).
    pub deadline: Duration,
    /// Retries of an `UNAVAILABLE` call (`GRPC_MAX_RETRIES`).
    pub max_retries: u32,
    /// Wait before the first retry, doubled for each next one, with jitter
    /// (`GRPC_BACKOFF_BASE_MS`).
    pub backoff_base: Duration,
    /// Longest computed wait between retries (`GRPC_BACKOFF_MAX_MS`).
    pub backoff_max: Duration,
}

impl GrpcConfig {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the first malformed variable.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        let config = Self {
            addr: env.parse(
                "GRPC_ADDR",
                SocketAddr::from(([127, 0, 0, 1], 50051)),
                "an address such as 127.0.0.1:50051",
            )?,
            endpoint: env.string("GRPC_ENDPOINT", "http://127.0.0.1:50051"),
            connect_timeout: env.millis_in("GRPC_CONNECT_TIMEOUT_MS", 2_000, 1..=600_000)?,
            deadline: env.millis_in("GRPC_DEADLINE_MS", 5_000, 1..=600_000)?,
            max_retries: env.count("GRPC_MAX_RETRIES", 3, 0..=10)?,
            backoff_base: env.millis_in("GRPC_BACKOFF_BASE_MS", 100, 1..=60_000)?,
            backoff_max: env.millis_in("GRPC_BACKOFF_MAX_MS", 2_000, 1..=600_000)?,
        };
        if config.backoff_max < config.backoff_base {
            return Err(ConfigError::Inconsistent {
                name: "GRPC_BACKOFF_MAX_MS",
                value: config.backoff_max.as_millis().to_string(),
                rule: format!(
                    "it must be at least GRPC_BACKOFF_BASE_MS ({})",
                    config.backoff_base.as_millis()
                ),
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backoff_cap_below_its_base_is_rejected() {
        let lookup = |name: &str| match name {
            "GRPC_BACKOFF_BASE_MS" => Some("500".to_owned()),
            "GRPC_BACKOFF_MAX_MS" => Some("100".to_owned()),
            _ => None,
        };
        let error = GrpcConfig::from_env(&Env::new(&lookup)).unwrap_err();
        assert_eq!(error.variable(), Some("GRPC_BACKOFF_MAX_MS"));
        let unset = |_: &str| None;
        GrpcConfig::from_env(&Env::new(&unset)).unwrap();
    }
}
