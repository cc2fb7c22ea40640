//! `/notes`: the database's sample repository over HTTP.

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::db::DbError;
use crate::db::notes::{NewNote, Note, NoteRepository};
use crate::http_server::ApiError;

/// The `/notes` routes, over any state that holds a [`NoteRepository`].
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    NoteRepository: FromRef<S>,
{
    Router::new()
        .route("/notes", post(create_note))
        .route("/notes/{id}", get(get_note))
}

/// `GET /notes/{id}`: one note, or `404`.
pub async fn get_note(
    State(notes): State<NoteRepository>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Note>, ApiError> {
    let Path(id) = id?;
    Ok(Json(notes.get(id).await?))
}

/// `POST /notes` with `{"title": "...", "body": "..."}`: stores a note and
/// answers `201 Created` with it, or `409 Conflict` when the title is taken.
pub async fn create_note(
    State(notes): State<NoteRepository>,
    note: Result<Json<NewNote>, JsonRejection>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let Json(note) = note?;
    let created = notes.create(&note).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

impl From<DbError> for ApiError {
    /// A missing row and a rejected write are the client's to fix; a pool
    /// with no free connection is worth retrying; anything else is the
    /// server's failure.
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => Self::NotFound("not found".to_owned()),
            // Not the database's own message: it names tables and constraints.
            DbError::Conflict(_) => Self::Conflict("it conflicts with a stored record".to_owned()),
            DbError::PoolTimeout | DbError::Unresponsive(_) => {
                Self::unavailable("the database is busy; try again later", error)
            }
            other => Self::internal(other),
        }
    }
}
