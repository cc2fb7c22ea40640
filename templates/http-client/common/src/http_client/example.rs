//! An example API call behind a trait; replace it with the API you call.
//!
//! The default base URL is the public demo API
//! <https://jsonplaceholder.typicode.com/>, whose `GET /users/{id}` answers
//! `{"id": 1, "name": "Leanne Graham", ...}`.
//!
//! The service depends on the [`UserDirectory`] trait, not on [`HttpClient`]:
//! tests hand it a fake (an in-memory map), so logic such as [`greeting`] is
//! tested without a network, and the HTTP side is tested once, against a mock
//! server.

use std::future::Future;
use std::pin::Pin;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use super::{HttpClient, HttpClientError};

/// A boxed future that can move between threads, as [`UserDirectory`]
/// returns it. Boxing keeps the trait usable as `dyn UserDirectory` (async
/// trait methods are not, yet), so an `Arc<dyn UserDirectory>` can be shared.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A user, as the API returns it. Fields the API adds are ignored, so it can
/// grow without breaking this service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: u64,
    /// The user's display name.
    pub name: String,
}

/// Where users are looked up: the remote API in the service, a fake in tests.
pub trait UserDirectory: Send + Sync {
    /// The user with this `id`, or `None` when there is no such user.
    fn user(&self, id: u64) -> BoxFuture<'_, Result<Option<User>, HttpClientError>>;
}

impl UserDirectory for HttpClient {
    /// `GET users/{id}`; a `404` means "no such user" rather than an error.
    fn user(&self, id: u64) -> BoxFuture<'_, Result<Option<User>, HttpClientError>> {
        Box::pin(async move {
            match self.get_json(&["users", &id.to_string()]).await {
                Ok(user) => Ok(Some(user)),
                Err(error) if error.status() == Some(StatusCode::NOT_FOUND) => Ok(None),
                Err(error) => Err(error),
            }
        })
    }
}

/// The business logic of the example: a greeting for user `id`, or `None`
/// when the user does not exist.
///
/// # Errors
///
/// The directory's error when the lookup fails.
pub async fn greeting(
    directory: &dyn UserDirectory,
    id: u64,
) -> Result<Option<String>, HttpClientError> {
    let user = directory.user(id).await?;
    Ok(user.map(|user| format!("Hello, {}!", user.name)))
}
