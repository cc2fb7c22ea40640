//! The business logic behind the gRPC API, with no gRPC types in it, so it
//! can be tested and reused on its own.

use std::time::Duration;

use thiserror::Error;

/// Longest name, in bytes (UTF-8): a name is a few dozen bytes, and a longer
/// one would only make the server copy it into every reply.
pub const MAX_NAME_BYTES: usize = 256;
/// Most greetings one stream may ask for. With [`MAX_NAME_BYTES`] this
/// bounds what one call can make the server send to about 270 KB.
pub const MAX_COUNT: u32 = 1_000;
/// Longest pause between streamed greetings.
pub const MAX_INTERVAL: Duration = Duration::from_secs(10);

/// Why a greeting cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GreetingError {
    /// The name is empty.
    #[error("name must not be empty")]
    EmptyName,
    /// The name is longer than [`MAX_NAME_BYTES`].
    #[error("name must be at most {MAX_NAME_BYTES} bytes")]
    NameTooLong,
    /// The stream asks for too much.
    #[error("count must be 1 to {MAX_COUNT} and interval_ms at most {}", MAX_INTERVAL.as_millis())]
    OutOfRange,
}

/// The greeting for `name`.
///
/// # Errors
///
/// [`GreetingError::EmptyName`], [`GreetingError::NameTooLong`].
pub fn greet(name: &str) -> Result<String, GreetingError> {
    if name.len() > MAX_NAME_BYTES {
        return Err(GreetingError::NameTooLong);
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(GreetingError::EmptyName);
    }
    Ok(format!("Hello, {name}!"))
}

/// Checks a stream request: how many greetings, how far apart.
///
/// # Errors
///
/// [`GreetingError::OutOfRange`].
pub fn stream_plan(count: u32, interval_ms: u32) -> Result<(u32, Duration), GreetingError> {
    let interval = Duration::from_millis(u64::from(interval_ms));
    if count == 0 || count > MAX_COUNT || interval > MAX_INTERVAL {
        return Err(GreetingError::OutOfRange);
    }
    Ok((count, interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_and_validates() {
        assert_eq!(greet(" Ada ").unwrap(), "Hello, Ada!");
        assert_eq!(greet(""), Err(GreetingError::EmptyName));
        let longest = "a".repeat(MAX_NAME_BYTES);
        assert!(greet(&longest).is_ok());
        assert_eq!(
            greet(&format!("{longest}a")),
            Err(GreetingError::NameTooLong)
        );
        assert_eq!(stream_plan(0, 10), Err(GreetingError::OutOfRange));
        assert_eq!(stream_plan(3, 10), Ok((3, Duration::from_millis(10))));
    }
}
