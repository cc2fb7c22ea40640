//! The service's top-level error type.
//!
//! Each module has its own error enum for the failures it knows about; this
//! one collects what can stop the whole service. `anyhow` is used only in
//! `main.rs`, at the edge where errors become a message and an exit code.

use std::fmt;
use std::time::Duration;

use thiserror::Error;

use crate::config::ConfigError;
use crate::telemetry::TelemetryError;

/// Any error a task may fail with; boxed at the supervisor, where tasks with
/// different error types meet.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why the service stopped with an error.
#[derive(Debug, Error)]
pub enum AppError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Logging could not be set up.
    #[error(transparent)]
    Telemetry(#[from] TelemetryError),
    /// A component could not start (bind an address, connect to a database, ...).
    #[error("could not start {component}")]
    Startup {
        /// The component that failed.
        component: &'static str,
        /// Why it failed.
        #[source]
        source: BoxError,
    },
    /// Shutdown was requested before every component had started.
    #[error("stopped before the service had started")]
    Interrupted,
    /// A supervised task failed, which shuts the whole service down.
    #[error("task `{task}` failed")]
    Task {
        /// The name the task was spawned with.
        task: &'static str,
        /// What went wrong inside it.
        #[source]
        source: BoxError,
    },
    /// Some tasks did not stop within the shutdown grace period.
    #[error("{still_running} task(s) still running after the {grace:?} shutdown grace period")]
    ShutdownTimedOut {
        /// How many tasks were abandoned.
        still_running: usize,
        /// The grace period that ran out.
        grace: Duration,
    },
}

impl AppError {
    /// Wraps a component's startup error, naming the component.
    pub fn startup(component: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Startup {
            component,
            source: source.into(),
        }
    }
}

/// Displays an error with its chain of causes, `outer: cause: root cause`,
/// for logs: `tracing::error!(error = %ErrorChain(&error), "...")`. The
/// outermost message alone ("task `worker` failed") rarely says what to fix;
/// and unlike recording the error as a `dyn Error` field, this shows the
/// causes in every log format, JSON included.
#[derive(Debug, Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_shows_every_cause() {
        let root: BoxError = "connection refused".into();
        let error = AppError::startup("db", root);
        assert_eq!(
            ErrorChain(&error).to_string(),
            "could not start db: connection refused"
        );
    }
}
