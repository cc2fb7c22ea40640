//! `/users/{id}/greeting`: the HTTP client's example API behind an endpoint.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRef, Path, State};
use axum::routing::get;
use serde::Serialize;

use crate::http_client::HttpClientError;
use crate::http_client::example::{self, UserDirectory};
use crate::http_server::ApiError;

/// The greeting route, over any state that holds a [`UserDirectory`].
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<dyn UserDirectory>: FromRef<S>,
{
    Router::new().route("/users/{id}/greeting", get(greeting))
}

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
    State(users): State<Arc<dyn UserDirectory>>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Greeting>, ApiError> {
    let Path(id) = id?;
    let message = example::greeting(users.as_ref(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
    Ok(Json(Greeting { message }))
}

impl From<HttpClientError> for ApiError {
    /// The upstream's failure is not the client's: `504` when it was too
    /// slow, `502` otherwise, with its details only in the log.
    fn from(error: HttpClientError) -> Self {
        match error {
            HttpClientError::Timeout { .. } => Self::GatewayTimeout(error.into()),
            other => Self::BadGateway(other.into()),
        }
    }
}
