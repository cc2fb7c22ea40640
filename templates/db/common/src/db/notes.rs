//! The sample repository: notes with a unique title. Copy it for your own
//! tables; every query is plain SQL through `sqlx::query_as`, run against a
//! real database by the tests.

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Pool};

use super::{Db, DbError};

// Every statement the repository runs, in one place to review. `$n`
// placeholders work on both SQLite and PostgreSQL.
const INSERT: &str = "INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING id, title, body";
const SELECT_ONE: &str = "SELECT id, title, body FROM notes WHERE id = $1";
const SELECT_PAGE: &str = "SELECT id, title, body FROM notes ORDER BY id LIMIT $1 OFFSET $2";
const UPDATE: &str =
    "UPDATE notes SET title = $1, body = $2 WHERE id = $3 RETURNING id, title, body";
const DELETE: &str = "DELETE FROM notes WHERE id = $1";

/// The most rows one page may hold, whatever the caller asks for.
pub const MAX_PAGE_SIZE: i64 = 100;

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct Note {
    /// Database id.
    pub id: i64,
    /// Unique title.
    pub title: String,
    /// Free text.
    pub body: String,
}

/// The fields a caller sets when creating or updating a note.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewNote {
    /// Unique title.
    pub title: String,
    /// Free text.
    pub body: String,
}

/// Which slice of a listing to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows to skip.
    pub offset: i64,
    /// Rows to return, at most [`MAX_PAGE_SIZE`].
    pub limit: i64,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 20,
        }
    }
}

/// Reads and writes notes. Cloning is cheap: it shares the pool.
#[derive(Debug, Clone)]
pub struct NoteRepository {
    pool: Pool<Db>,
}

impl NoteRepository {
    /// A repository over `pool`.
    pub fn new(pool: Pool<Db>) -> Self {
        Self { pool }
    }

    /// Stores a new note.
    ///
    /// # Errors
    ///
    /// [`DbError::Conflict`] when the title is taken.
    pub async fn create(&self, note: &NewNote) -> Result<Note, DbError> {
        let created = sqlx::query_as(INSERT)
            .bind(&note.title)
            .bind(&note.body)
            .fetch_one(&self.pool)
            .await?;
        Ok(created)
    }

    /// Stores all `notes`, or none of them: one transaction, rolled back on
    /// the first error (it is dropped without a commit).
    ///
    /// # Errors
    ///
    /// The first failing insert's error, e.g. [`DbError::Conflict`].
    pub async fn create_all(&self, notes: &[NewNote]) -> Result<Vec<Note>, DbError> {
        let mut tx = self.pool.begin().await?;
        let mut created = Vec::with_capacity(notes.len());
        for note in notes {
            let row = sqlx::query_as(INSERT)
                .bind(&note.title)
                .bind(&note.body)
                .fetch_one(&mut *tx)
                .await?;
            created.push(row);
        }
        tx.commit().await?;
        Ok(created)
    }

    /// The note with `id`.
    ///
    /// # Errors
    ///
    /// [`DbError::NotFound`] when there is none.
    pub async fn get(&self, id: i64) -> Result<Note, DbError> {
        let note = sqlx::query_as(SELECT_ONE)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(note)
    }

    /// One page of notes, oldest first.
    ///
    /// # Errors
    ///
    /// Database errors only; an empty page is `Ok`.
    pub async fn list(&self, page: Page) -> Result<Vec<Note>, DbError> {
        let notes = sqlx::query_as(SELECT_PAGE)
            .bind(page.limit.clamp(0, MAX_PAGE_SIZE))
            .bind(page.offset.max(0))
            .fetch_all(&self.pool)
            .await?;
        Ok(notes)
    }

    /// Replaces the title and body of the note with `id`.
    ///
    /// # Errors
    ///
    /// [`DbError::NotFound`] when there is none, [`DbError::Conflict`] when
    /// the new title is taken.
    pub async fn update(&self, id: i64, note: &NewNote) -> Result<Note, DbError> {
        let updated = sqlx::query_as(UPDATE)
            .bind(&note.title)
            .bind(&note.body)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(updated)
    }

    /// Deletes the note with `id`.
    ///
    /// # Errors
    ///
    /// [`DbError::NotFound`] when there is none.
    pub async fn delete(&self, id: i64) -> Result<(), DbError> {
        let result = sqlx::query(DELETE).bind(id).execute(&self.pool).await?;
        if result.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
