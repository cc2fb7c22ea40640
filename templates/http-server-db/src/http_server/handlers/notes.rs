//! `/notes`: the database's sample repository over HTTP.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::db::notes::{NewNote, Note};
use crate::http_server::{ApiError, AppState};

/// `GET /notes/{id}`: one note, or `404`.
pub async fn get_note(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Note>, ApiError> {
    let Path(id) = id?;
    Ok(Json(state.notes.get(id).await?))
}

/// `POST /notes` with `{"title": "...", "body": "..."}`: stores a note and
/// answers `201 Created` with it, or `409 Conflict` when the title is taken.
pub async fn create_note(
    State(state): State<AppState>,
    note: Result<Json<NewNote>, JsonRejection>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let Json(note) = note?;
    let created = state.notes.create(&note).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
