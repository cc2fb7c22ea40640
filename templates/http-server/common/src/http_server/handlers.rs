//! The server's own handlers: health checks and the JSON fallbacks.
//!
//! A handler is a thin adapter between HTTP and the service's logic: it
//! extracts its input, calls the logic that lives in the module that owns it,
//! and maps the outcome to a response. Each component's handlers live with
//! its routes (`routes/`); these are the ones every service has.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use serde::Serialize;

use super::{ApiError, Readiness};

/// The body of `/healthz` and `/readyz`.
#[derive(Debug, Serialize)]
pub struct Status {
    /// `ok` or `ready`.
    pub status: &'static str,
}

/// `GET /healthz`, liveness: answers as long as the process serves HTTP. It
/// checks no dependency, so an outage elsewhere does not get the process
/// restarted (restarting would not fix it).
pub async fn healthz() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// `GET /readyz`, readiness: whether to send this instance traffic; `503`
/// while a dependency does not answer (see [`Readiness`]).
pub async fn readyz(State(readiness): State<Readiness>) -> Result<Json<Status>, ApiError> {
    readiness.check().await?;
    Ok(Json(Status { status: "ready" }))
}

/// Any path without a route: a JSON `404` like every other error.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no route for {}", uri.path()))
}

/// A known path with a method it does not support: a JSON `405`.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
