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
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable { .. } | Self::NotReady { .. } => StatusCode::SERVICE_UNAVAILABLE,
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
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "unprocessable",
            Self::Unavailable { .. } => "unavailable",
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
    /// A body that is not the expected JSON (a `Content-Type` other than
    /// `application/json` included).
    fn from(rejection: JsonRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // The causes go to the log, not to the client.
            tracing::error!(error = &self as &dyn std::error::Error, "request failed");
        }
        let body = ErrorBody {
            error: self.code(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
