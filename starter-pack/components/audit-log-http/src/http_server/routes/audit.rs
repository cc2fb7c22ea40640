//! `/audit/events`: record an audit event over HTTP.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use serde::Deserialize;

use crate::audit_log::AuditLog;
use crate::http_server::ApiError;

/// The audit routes, over any state that holds an [`AuditLog`].
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuditLog: FromRef<S>,
{
    Router::new().route("/audit/events", post(record_event))
}

/// The body of `POST /audit/events`.
#[derive(Debug, Deserialize)]
pub struct NewEvent {
    /// Who acted.
    pub actor: String,
    /// What they did.
    pub action: String,
    /// What they did it to.
    pub subject: String,
}

/// `POST /audit/events`: records the event and answers `202 Accepted`.
pub async fn record_event(
    State(audit): State<AuditLog>,
    event: Result<Json<NewEvent>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(event) = event?;
    audit.record(&event.actor, &event.action, &event.subject);
    Ok(StatusCode::ACCEPTED)
}
