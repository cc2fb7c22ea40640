//! Structured logging with `tracing`.
//!
//! - The filter comes from `RUST_LOG` (see
//!   [`crate::config::Config::log_filter`]), e.g. `info` or
//!   `info,tower_http=debug`.
//! - The format comes from `LOG_FORMAT` ([`LogFormat`]): `text`, readable
//!   lines for people, coloured only when stdout is a terminal (escape codes
//!   in a log file or a collector are noise); or `json`, one object per line
//!   for log collectors.
//! - Records from dependencies that log through the `log` crate instead of
//!   `tracing` are forwarded (tracing-subscriber's `tracing-log` bridge), so
//!   they are filtered and formatted like the rest.
//! - Errors are logged with their causes, `error = %ErrorChain(&error)`
//!   ([`crate::error::ErrorChain`]), not with `%error`, which prints only the
//!   outermost message.

use std::io::IsTerminal;
use std::str::FromStr;

use thiserror::Error;
use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// How log lines are written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (`text`, the default).
    #[default]
    Text,
    /// One JSON object per line (`json`).
    Json,
}

impl FromStr for LogFormat {
    type Err = TelemetryError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => Err(TelemetryError::InvalidFormat {
                format: value.to_owned(),
            }),
        }
    }
}

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
    /// `LOG_FORMAT` is neither `text` nor `json`.
    #[error("LOG_FORMAT={format:?} is invalid: expected text or json")]
    InvalidFormat {
        /// The rejected format.
        format: String,
    },
    /// A global subscriber (or `log` logger) was already installed.
    #[error("a tracing subscriber is already installed")]
    AlreadyInitialized,
}

/// Installs the global `tracing` subscriber (and the `log` bridge), writing
/// to stdout in `format`, filtered by `filter`.
///
/// # Errors
///
/// [`TelemetryError`] when the filter is invalid or a subscriber is already
/// installed.
pub fn init(filter: &str, format: LogFormat) -> Result<(), TelemetryError> {
    let ansi = std::io::stdout().is_terminal();
    let subscriber = subscriber(filter, format, ansi, std::io::stdout)?;
    // With the `tracing-log` feature, this also installs the `log` bridge.
    tracing_subscriber::util::SubscriberInitExt::try_init(subscriber)
        .map_err(|_| TelemetryError::AlreadyInitialized)
}

/// The subscriber [`init`] installs, writing to `writer`; separate so tests
/// can capture what it prints.
///
/// # Errors
///
/// [`TelemetryError::InvalidFilter`] when the filter does not parse.
pub fn subscriber<W>(
    filter: &str,
    format: LogFormat,
    ansi: bool,
    writer: W,
) -> Result<Box<dyn Subscriber + Send + Sync>, TelemetryError>
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let env_filter = EnvFilter::try_new(filter).map_err(|_| TelemetryError::InvalidFilter {
        filter: filter.to_owned(),
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_writer(writer);
    Ok(match format {
        LogFormat::Text => Box::new(builder.with_ansi(ansi).finish()),
        LogFormat::Json => Box::new(builder.json().finish()),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::ErrorChain;

    /// Collects what a subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What logging `event` prints with `format` and `ansi`.
    fn printed(format: LogFormat, ansi: bool, event: impl FnOnce()) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = subscriber("info", format, ansi, move || writer.clone()).unwrap();
        tracing::subscriber::with_default(subscriber, event);
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn invalid_filter_names_the_variable() {
        let error = init("info,=[", LogFormat::Text).unwrap_err();
        assert!(error.to_string().starts_with("RUST_LOG="), "{error}");
    }

    #[test]
    fn formats_parse_and_unknown_ones_name_the_variable() {
        assert_eq!("JSON".parse::<LogFormat>().unwrap(), LogFormat::Json);
        assert_eq!("text".parse::<LogFormat>().unwrap(), LogFormat::Text);
        let error = "yaml".parse::<LogFormat>().unwrap_err();
        assert!(error.to_string().starts_with("LOG_FORMAT="), "{error}");
    }

    #[test]
    fn json_lines_are_objects() {
        let line = printed(LogFormat::Json, false, || {
            tracing::info!(job = 7, "started")
        });
        assert!(
            line.starts_with('{') && line.trim_end().ends_with('}'),
            "{line}"
        );
        assert!(line.contains(r#""message":"started""#), "{line}");
        assert!(line.contains(r#""job":7"#), "{line}");
    }

    #[test]
    fn text_without_a_terminal_has_no_colour_codes() {
        let plain = printed(LogFormat::Text, false, || {
            tracing::warn!("disk almost full")
        });
        assert!(plain.contains("disk almost full"), "{plain}");
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        // The same line on a terminal is coloured: the check above can fail.
        let coloured = printed(LogFormat::Text, true, || tracing::warn!("disk almost full"));
        assert!(coloured.contains('\u{1b}'), "{coloured:?}");
    }

    #[test]
    fn errors_are_printed_with_their_causes() {
        let error = crate::error::AppError::startup("db", "connection refused");
        for format in [LogFormat::Text, LogFormat::Json] {
            let line = printed(format, false, || {
                tracing::error!(error = %ErrorChain(&error), "startup failed");
            });
            assert!(
                line.contains("could not start db: connection refused"),
                "{line}"
            );
        }
    }
}
