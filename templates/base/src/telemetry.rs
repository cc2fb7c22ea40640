//! Structured logging with `tracing`.
//!
//! The filter comes from `RUST_LOG` (see [`crate::config::Config::log_filter`]),
//! e.g. `info` or `info,tower_http=debug`.

use thiserror::Error;
use tracing_subscriber::EnvFilter;

/// Logging could not be set up.
#[derive(Debug, Error)]
pub enum TelemetryError {
    /// `RUST_LOG` does not parse as a filter.
    #[error(
        "RUST_LOG={filter:?} is invalid: expected filter directives such as `info` or `info,tower_http=debug`"
    )]
    InvalidFilter {
        /// The rejected filter.
        filter: String,
    },
    /// A global subscriber was already installed.
    #[error("a tracing subscriber is already installed")]
    AlreadyInitialized,
}

/// Installs the global `tracing` subscriber, writing human-readable lines to
/// stdout filtered by `filter`.
///
/// # Errors
///
/// [`TelemetryError`] when the filter is invalid or a subscriber is already
/// installed.
pub fn init(filter: &str) -> Result<(), TelemetryError> {
    let env_filter = EnvFilter::try_new(filter).map_err(|_| TelemetryError::InvalidFilter {
        filter: filter.to_owned(),
    })?;
    tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .try_init()
        .map_err(|_| TelemetryError::AlreadyInitialized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_filter_names_the_variable() {
        let error = init("info,=[").unwrap_err();
        assert!(error.to_string().starts_with("RUST_LOG="), "{error}");
    }
}
