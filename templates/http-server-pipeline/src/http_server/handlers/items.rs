//! `/pipeline/items`: submit work to the channel pipeline and await its reply.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::{Deserialize, Serialize};

use crate::http_server::{ApiError, AppState};

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
/// [`crate::pipeline::PipelineHandle::process`]). A full pipeline makes the
/// request wait (backpressure), bounded by the request timeout; invalid text
/// is a `422`, and a pipeline that is shutting down a `503`.
pub async fn process_item(
    State(state): State<AppState>,
    item: Result<Json<NewItem>, JsonRejection>,
) -> Result<Json<Processed>, ApiError> {
    let Json(item) = item?;
    let output = state.pipeline.process(item.text).await?;
    Ok(Json(Processed {
        id: output.id,
        text: output.text,
        digest: format!("{:016x}", output.digest),
    }))
}
