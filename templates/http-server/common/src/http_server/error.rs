//! Failures as JSON responses.
//!
//! Handlers return `Result<_, ApiError>`; [`ApiError`]'s [`IntoResponse`]
//! picks the status code and writes `{"error": "<code>", "message": "..."}`.
//! Every message is safe to show a client; server-side failures keep their
//! causes as the error's `source`, which is logged and never sent.
//!
//! The variants are HTTP's, not any module's: each route module turns its
//! own errors into these (`impl From<ItsError> for ApiError` beside its
//! handlers), so this file does not change when a module is added.

use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thiserror::Error;

/// The cause of a server-side failure: logged, never sent to the client.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// A request that could not be served.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The request is malformed (a bad path parameter, an invalid body).
    #[error("{0}")]
    BadRequest(String),
    /// What the request names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The body is larger than the server accepts (`HTTP_SERVER_MAX_BODY_BYTES`).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is not in a format the route reads (e.g. JSON without
    /// `Content-Type: application/json`).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The route exists, but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The write conflicts with what is stored (e.g. a duplicate key).
    #[error("{0}")]
    Conflict(String),
    /// The request is well-formed, but its content is not acceptable.
    #[error("{0}")]
    Unprocessable(String),
    /// Something the request needs is shutting down or overloaded; retrying
    /// later (or elsewhere) may succeed.
    #[error("{message}")]
    Unavailable {
        /// What the client is told.
        message: &'static str,
        /// Why, for the log.
        #[source]
        source: Cause,
    },
    /// The request did not finish within the server's request timeout; it
    /// was abandoned mid-way, so retrying may succeed.
    #[error("the request did not finish within {} ms", .0.as_millis())]
    TimedOut(Duration),
    /// A dependency readiness checks does not answer.
    #[error("{check} is not ready")]
    NotReady {
        /// The check's name, e.g. `database`.
        check: &'static str,
        /// Why, for the log.
        #[source]
        source: Cause,
    },
    /// An upstream service failed or answered garbage.
    #[error("the upstream service failed")]
    BadGateway(#[source] Cause),
    /// An upstream service did not answer in time.
    #[error("the upstream service timed out")]
    GatewayTimeout(#[source] Cause),
    /// Anything else that went wrong on the server's side.
    #[error("internal error")]
    Internal(#[source] Cause),
}

/// The JSON body of an error response.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `not_found`.
    pub error: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// A server-side failure caused by `error`.
    pub fn internal(error: impl Into<Cause>) -> Self {
        Self::Internal(error.into())
    }

    /// A temporary failure caused by `error`; the client is told `message`.
    pub fn unavailable(message: &'static str, error: impl Into<Cause>) -> Self {
        Self::Unavailable {
            message,
            source: error.into(),
        }
    }

    /// The response's status code.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable { .. } | Self::TimedOut(_) | Self::NotReady { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Self::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code for [`ErrorBody::error`].
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::NotFound(_) => "not_found",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "unprocessable",
            Self::Unavailable { .. } => "unavailable",
            Self::TimedOut(_) => "timeout",
            Self::NotReady { .. } => "not_ready",
            Self::BadGateway(_) => "upstream_failed",
            Self::GatewayTimeout(_) => "upstream_timeout",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<PathRejection> for ApiError {
    /// A path parameter that does not parse, e.g. `/notes/abc`.
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    /// A body that cannot be read as the expected JSON, by the rejection's
    /// status: too large is `413`, not `application/json` is `415`; the rest
    /// (malformed JSON, or JSON of the wrong shape) is `400`, so a client has
    /// one code to handle for "fix the body".
    fn from(rejection: JsonRejection) -> Self {
        let message = rejection.body_text();
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge(message),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType(message),
            _ => Self::BadRequest(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // The one place a failed request is logged (the trace layer does
            // not log 5xx again): here the cause is known. The causes go to
            // the log, not to the client; the request's span adds its id.
            tracing::error!(
                status = status.as_u16(),
                error = &self as &dyn std::error::Error,
                "request failed"
            );
        }
        let body = ErrorBody {
            error: self.code(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
