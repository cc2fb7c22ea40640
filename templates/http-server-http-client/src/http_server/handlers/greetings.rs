//! `/users/{id}/greeting`: the HTTP client's example API behind an endpoint.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use serde::Serialize;

use crate::http_client::example;
use crate::http_server::{ApiError, AppState};

/// The body of `GET /users/{id}/greeting`.
#[derive(Debug, Serialize)]
pub struct Greeting {
    /// The greeting.
    pub message: String,
}

/// `GET /users/{id}/greeting`: looks the user up in the upstream API (see
/// [`example::greeting`]); `404` for an unknown user, `502` or `504` when the
/// API fails.
pub async fn greeting(
    State(state): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Greeting>, ApiError> {
    let Path(id) = id?;
    let message = example::greeting(state.users.as_ref(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
    Ok(Json(Greeting { message }))
}
