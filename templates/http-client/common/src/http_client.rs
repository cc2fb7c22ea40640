//! A typed JSON client for one remote HTTP API, with timeouts and retries.
//!
//! [`HttpClient`] wraps one [`reqwest::Client`]: a connection pool with TLS
//! (rustls), built once and cloned cheaply, so every call reuses connections.
//! Each call gets:
//!
//! - **Timeouts**: a connect timeout and a per-attempt request timeout (from
//!   [`HttpClientConfig`]), and a total deadline over every attempt and wait.
//! - **Retries** of what is safe to repeat: connect errors, connections
//!   dropped before an answer, timeouts, `429 Too Many Requests` and `5xx`,
//!   and only for idempotent methods (`GET`, `PUT`, `DELETE`, ...). A `POST`
//!   is sent once: repeating it could do its work twice. Waits grow exponentially with jitter and honour `Retry-After`; see
//!   [`retry`] for the schedule and why it is a short loop rather than a crate.
//! - **Cancellation**: with [`HttpClient::with_shutdown`], a call in flight
//!   (or waiting to retry) ends with [`HttpClientError::Cancelled`] as soon as
//!   the shutdown token is cancelled, so it never holds up shutdown.
//! - **Bounded bodies**: a response body larger than
//!   [`HttpClientConfig::max_body_bytes`] is an error
//!   ([`HttpClientError::BodyTooLarge`]), found from `Content-Length` before
//!   reading, or while reading when there is none; a misbehaving API cannot
//!   make the service allocate without limit.
//! - **Typed errors** ([`HttpClientError`]) that say what failed: a timeout, a
//!   status (with its code), an undecodable body, or the transport.
//!
//! The rest of the service does not call [`HttpClient`] directly but an API
//! trait such as [`example::UserDirectory`], which tests replace with a fake.

pub mod example;
pub mod retry;

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{ConfigError, Env};

use self::retry::{RetryPolicy, Transient};

/// The longest a call's deadline may be, whatever its policy says: a
/// hand-built [`RetryPolicy`] cannot push the deadline past the clock's range.
const MAX_TOTAL_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Sent with every request, so the API's operators can tell who is calling.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Settings for [`HttpClient`], from `HTTP_CLIENT_*` variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpClientConfig {
    /// Where the API lives, from `HTTP_CLIENT_BASE_URL`. Always ends in `/`,
    /// so request paths are appended to it rather than replacing its last
    /// segment.
    pub base_url: Url,
    /// How long to wait for a TCP (and TLS) connection, from
    /// `HTTP_CLIENT_CONNECT_TIMEOUT_MS` (default 2 s).
    pub connect_timeout: Duration,
    /// How long one attempt may take, body included, from
    /// `HTTP_CLIENT_REQUEST_TIMEOUT_MS` (default 5 s).
    pub request_timeout: Duration,
    /// When and how often failed calls are retried.
    pub retry: RetryPolicy,
    /// The largest response body read, in bytes, from
    /// `HTTP_CLIENT_MAX_BODY_BYTES` (default 1 MiB, at most 64 MiB).
    pub max_body_bytes: usize,
}

impl HttpClientConfig {
    /// Reads the `HTTP_CLIENT_*` variables.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the first malformed variable.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        let backoff_base = env.millis_in("HTTP_CLIENT_BACKOFF_BASE_MS", 100, 1..=60_000)?;
        let backoff_max = env.millis_in("HTTP_CLIENT_BACKOFF_MAX_MS", 2_000, 1..=600_000)?;
        if backoff_max < backoff_base {
            return Err(ConfigError::Inconsistent {
                name: "HTTP_CLIENT_BACKOFF_MAX_MS",
                value: backoff_max.as_millis().to_string(),
                rule: format!(
                    "it must be at least HTTP_CLIENT_BACKOFF_BASE_MS ({})",
                    backoff_base.as_millis()
                ),
            });
        }
        let base_url = env.string(
            "HTTP_CLIENT_BASE_URL",
            "https://jsonplaceholder.typicode.com/",
        );
        Ok(Self {
            base_url: parse_base_url("HTTP_CLIENT_BASE_URL", &base_url)?,
            connect_timeout: env.millis_in("HTTP_CLIENT_CONNECT_TIMEOUT_MS", 2_000, 1..=600_000)?,
            request_timeout: env.millis_in("HTTP_CLIENT_REQUEST_TIMEOUT_MS", 5_000, 1..=600_000)?,
            retry: RetryPolicy {
                max_retries: env.count("HTTP_CLIENT_MAX_RETRIES", 3, 0..=10)?,
                backoff_base,
                backoff_max,
                total_timeout: env.millis_in(
                    "HTTP_CLIENT_TOTAL_TIMEOUT_MS",
                    10_000,
                    1..=600_000,
                )?,
            },
            max_body_bytes: env.count("HTTP_CLIENT_MAX_BODY_BYTES", 1 << 20, 1..=64 << 20)?,
        })
    }
}

/// Parses an absolute `http(s)` URL that paths can be appended to, adding the
/// trailing `/` that makes `https://host/api` mean `https://host/api/...`.
fn parse_base_url(name: &'static str, value: &str) -> Result<Url, ConfigError> {
    let invalid = || ConfigError::Invalid {
        name,
        value: value.to_owned(),
        expected: "an absolute http(s) URL such as https://api.example.com/v1/",
    };
    let mut url = Url::parse(value).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(invalid());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Why a call failed.
#[derive(Debug, Error)]
pub enum HttpClientError {
    /// An attempt, or the whole call with its retries, ran out of time.
    #[error("request to {url} timed out")]
    Timeout {
        /// The request's URL.
        url: String,
    },
    /// The API answered with a status other than 2xx.
    #[error("{url} answered {status}")]
    Status {
        /// The request's URL.
        url: String,
        /// The status code, e.g. 404 or 503.
        status: StatusCode,
        /// How long the API asked us to wait (`Retry-After` in seconds).
        retry_after: Option<Duration>,
    },
    /// The body is not the JSON the caller expected.
    #[error("unexpected response body from {url}")]
    Decode {
        /// The request's URL.
        url: String,
        /// What did not match.
        #[source]
        source: serde_json::Error,
    },
    /// The request could not be sent or the response not read (DNS, refused
    /// or reset connections, TLS, ...).
    #[error("request to {url} failed")]
    Transport {
        /// The request's URL.
        url: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The response body is larger than
    /// [`HttpClientConfig::max_body_bytes`]; it was not read further.
    #[error("the response from {url} is larger than {limit} bytes")]
    BodyTooLarge {
        /// The request's URL.
        url: String,
        /// The limit it exceeded.
        limit: usize,
    },
    /// The service is shutting down; the call was abandoned.
    #[error("request to {url} cancelled by shutdown")]
    Cancelled {
        /// The request's URL.
        url: String,
    },
    /// The client could not be built (e.g. no TLS root certificates).
    #[error("could not build the HTTP client")]
    Build(#[source] reqwest::Error),
}

impl HttpClientError {
    /// The status code, when the API answered with a non-2xx status.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Sorts a `reqwest` error into a timeout or a transport failure.
    fn from_reqwest(url: &Url, error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout {
                url: url.to_string(),
            }
        } else {
            Self::Transport {
                url: url.to_string(),
                // The URL is already in our message.
                source: error.without_url(),
            }
        }
    }
}

impl Transient for HttpClientError {
    /// Failures that may pass: connect errors, connections dropped before an
    /// answer, timeouts, `429` and `5xx`. Only idempotent requests are ever
    /// retried, so repeating one the server may have seen is safe. Everything
    /// else would fail the same way again.
    fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Status { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            Self::Transport { source, .. } => source.is_connect() || source.is_request(),
            Self::Decode { .. }
            | Self::BodyTooLarge { .. }
            | Self::Cancelled { .. }
            | Self::Build(_) => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A JSON client for the API at [`HttpClientConfig::base_url`].
///
/// Cloning is cheap and clones share the connection pool: build one per API
/// at startup and hand out clones.
#[derive(Debug, Clone)]
pub struct HttpClient {
    http: reqwest::Client,
    base_url: Url,
    retry: RetryPolicy,
    max_body_bytes: usize,
    /// Never cancelled unless [`HttpClient::with_shutdown`] sets one.
    shutdown: CancellationToken,
}

impl HttpClient {
    /// Builds the client and its connection pool.
    ///
    /// # Errors
    ///
    /// [`HttpClientError::Build`] when the TLS backend cannot be set up.
    pub fn new(config: &HttpClientConfig) -> Result<Self, HttpClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(USER_AGENT)
            .build()
            .map_err(HttpClientError::Build)?;
        Ok(Self {
            http,
            base_url: config.base_url.clone(),
            retry: config.retry,
            max_body_bytes: config.max_body_bytes,
            shutdown: CancellationToken::new(),
        })
    }

    /// Makes calls end with [`HttpClientError::Cancelled`] once `shutdown` is
    /// cancelled. Use it for background work; a client serving requests in
    /// flight can leave it out and let them finish within the grace period.
    #[must_use]
    pub fn with_shutdown(mut self, shutdown: CancellationToken) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// The URL of `segments` under the base URL. Each segment is
    /// percent-encoded, so an id such as `../admin` stays one segment.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base_url.clone();
        // `path_segments_mut` fails only for URLs that cannot be a base, which
        // `HttpClientConfig::from_env` rejects.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// `GET`s `segments` and decodes the JSON body as `T`.
    ///
    /// # Errors
    ///
    /// See [`HttpClientError`]; transient failures are retried first.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        segments: &[&str],
    ) -> Result<T, HttpClientError> {
        self.send_json(Method::GET, segments, None::<&()>).await
    }

    /// Sends `body` (if any) as JSON with `method` and decodes the JSON answer
    /// as `T`. Retries only when `method` is idempotent.
    ///
    /// # Errors
    ///
    /// See [`HttpClientError`].
    pub async fn send_json<B, T>(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&B>,
    ) -> Result<T, HttpClientError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let url = self.url(segments);
        let policy = if method.is_idempotent() {
            self.retry
        } else {
            self.retry.without_retries()
        };
        // Clamped, so a hand-built policy cannot overflow the clock.
        let deadline = Instant::now() + policy.total_timeout.min(MAX_TOTAL_TIMEOUT);
        let attempts = retry::retry(&policy, deadline, random_fraction, || {
            self.attempt(method.clone(), &url, body)
        });
        tokio::select! {
            // Checked first, so a call started after shutdown never begins.
            biased;
            () = self.shutdown.cancelled() => Err(HttpClientError::Cancelled {
                url: url.to_string(),
            }),
            result = tokio::time::timeout_at(deadline, attempts) => {
                result.unwrap_or_else(|_| Err(HttpClientError::Timeout { url: url.to_string() }))
            }
        }
    }

    /// One request: send, check the status, read and decode the body.
    async fn attempt<B, T>(
        &self,
        method: Method,
        url: &Url,
        body: Option<&B>,
    ) -> Result<T, HttpClientError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let mut request = self
            .http
            .request(method, url.clone())
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|error| HttpClientError::from_reqwest(url, error))?;
        let status = response.status();
        if !status.is_success() {
            return Err(HttpClientError::Status {
                url: url.to_string(),
                status,
                retry_after: retry_after(response.headers()),
            });
        }
        let bytes = self.read_body(response, url).await?;
        serde_json::from_slice(&bytes).map_err(|source| HttpClientError::Decode {
            url: url.to_string(),
            source,
        })
    }

    /// Reads the body chunk by chunk up to `max_body_bytes`: a declared
    /// length over the limit fails before reading, an undeclared one as soon
    /// as the limit is passed.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        url: &Url,
    ) -> Result<Vec<u8>, HttpClientError> {
        let limit = self.max_body_bytes;
        let too_large = || HttpClientError::BodyTooLarge {
            url: url.to_string(),
            limit,
        };
        let declared = response.content_length().unwrap_or(0);
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(usize::try_from(declared).unwrap_or(limit).min(limit));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| HttpClientError::from_reqwest(url, error))?
        {
            if chunk.len() > limit - body.len() {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// `Retry-After` in its seconds form (`Retry-After: 120`), which is what
/// `429` and `503` responses send in practice. The HTTP-date form is ignored
/// (the computed backoff applies instead) rather than adding a date parser.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

/// A random fraction in `[0, 1)` for jitter. Each `RandomState` gets fresh
/// keys (seeded from the OS once per thread, then varied per instance) and
/// SipHash spreads them over 64 bits. Not cryptographic, and it need not be:
/// jitter only has to keep clients that failed together from retrying
/// together, and this needs no dependency.
fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(());
    // The top 53 bits fill an f64's mantissa exactly.
    (bits >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use reqwest::header::HeaderValue;

    use super::*;

    fn config_from(pairs: &[(&str, &str)]) -> Result<HttpClientConfig, ConfigError> {
        let vars: HashMap<&str, &str> = pairs.iter().copied().collect();
        let lookup = |name: &str| vars.get(name).map(|value| (*value).to_owned());
        HttpClientConfig::from_env(&Env::new(&lookup))
    }

    #[test]
    fn defaults_are_valid() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.retry.max_retries, 3);
        assert_eq!(config.request_timeout, Duration::from_secs(5));
        assert!(config.base_url.path().ends_with('/'));
    }

    #[test]
    fn base_url_gets_a_trailing_slash_so_paths_append() {
        let config = config_from(&[("HTTP_CLIENT_BASE_URL", "http://localhost:9000/api/v1")]);
        let client = HttpClient::new(&config.unwrap()).unwrap();
        assert_eq!(
            client.url(&["users", "7"]).as_str(),
            "http://localhost:9000/api/v1/users/7"
        );
        // A segment is encoded, never interpreted as a path.
        assert_eq!(
            client.url(&["users", "../admin"]).as_str(),
            "http://localhost:9000/api/v1/users/..%2Fadmin"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("HTTP_CLIENT_BASE_URL", "not a url"),
            ("HTTP_CLIENT_BASE_URL", "ftp://example.com/"),
            ("HTTP_CLIENT_MAX_RETRIES", "-1"),
            ("HTTP_CLIENT_MAX_RETRIES", "1000"),
            ("HTTP_CLIENT_TOTAL_TIMEOUT_MS", "0"),
            ("HTTP_CLIENT_BACKOFF_MAX_MS", "50"),
        ] {
            let error = config_from(&[(name, value)]).unwrap_err();
            assert_eq!(error.variable(), Some(name), "{name}={value}: {error}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_ignores_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("18446744073709551615"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(u64::MAX)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn random_fractions_are_in_range_and_vary() {
        let samples: Vec<f64> = (0..100).map(|_| random_fraction()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(samples.windows(2).any(|pair| pair[0] != pair[1]));
    }
}
