//! `/pipeline/items`: submit work to the channel pipeline and await its reply.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, State};
use axum::routing::post;
use serde::{Deserialize, Serialize};

use crate::http_server::ApiError;
use crate::pipeline::{ItemError, PipelineHandle, ProcessError};

/// The `/pipeline/items` route, over any state that holds a
/// [`PipelineHandle`].
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    PipelineHandle: FromRef<S>,
{
    Router::new().route("/pipeline/items", post(process_item))
}

/// The body of `POST /pipeline/items`.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    /// The text to process.
    pub text: String,
}

/// What the pipeline made of an item.
#[derive(Debug, Serialize)]
pub struct Processed {
    /// The id the pipeline gave the item.
    pub id: u64,
    /// The transformed text.
    pub text: String,
    /// The digest as 16 hex digits: a JSON number would lose precision above
    /// 2^53 in JavaScript clients.
    pub digest: String,
}

/// `POST /pipeline/items` with `{"text": "..."}`: submits the text and waits
/// for the pipeline's reply (a `oneshot` channel under
/// [`PipelineHandle::process`]). A full pipeline makes the
/// request wait (backpressure), bounded by the request timeout; invalid text
/// is a `422`, and a pipeline that is shutting down a `503`.
pub async fn process_item(
    State(pipeline): State<PipelineHandle>,
    item: Result<Json<NewItem>, JsonRejection>,
) -> Result<Json<Processed>, ApiError> {
    let Json(item) = item?;
    let output = pipeline.process(item.text).await?;
    Ok(Json(Processed {
        id: output.id,
        text: output.text,
        digest: format!("{:016x}", output.digest),
    }))
}

impl From<ProcessError> for ApiError {
    /// Invalid input is the client's to fix, a pipeline that is stopping is
    /// worth retrying elsewhere, and a failing stage is the server's failure.
    fn from(error: ProcessError) -> Self {
        match error {
            ProcessError::Item(ItemError::Invalid(reason)) => Self::Unprocessable(reason),
            ProcessError::Submit(_) | ProcessError::Dropped => {
                Self::unavailable("the pipeline is not taking work; try again later", error)
            }
            ProcessError::Item(_) => Self::internal(error),
        }
    }
}
