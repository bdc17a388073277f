//! The server's side of [`AppError`]: a failure the user cannot fix becomes
//! `AppError::Unexpected`, and the log names what failed and where.
//!
//! `?` on a database, JSON, CSV or join error converts here (a hashing error in `auth.rs`). The conversions are
//! `#[track_caller]`, so the log line carries the file and line of the `?` that failed;
//! the user sees only a message that reveals nothing.

use crate::error::AppError;
use std::fmt::Display;
use std::panic::Location;

#[track_caller]
fn logged(error: &dyn Display) -> AppError {
    let at = Location::caller();
    tracing::error!(%error, file = at.file(), line = at.line(), "unexpected failure");
    AppError::Unexpected
}

impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(error: sqlx::Error) -> Self {
        logged(&error)
    }
}

impl From<tokio::task::JoinError> for AppError {
    #[track_caller]
    fn from(error: tokio::task::JoinError) -> Self {
        logged(&error)
    }
}

impl From<serde_json::Error> for AppError {
    #[track_caller]
    fn from(error: serde_json::Error) -> Self {
        logged(&error)
    }
}

impl From<csv::Error> for AppError {
    #[track_caller]
    fn from(error: csv::Error) -> Self {
        logged(&error)
    }
}

/// A state the code itself rules out (a context value missing, a stored secret that no
/// longer decodes): logged with the caller's place, shown as `Unexpected`.
#[track_caller]
pub fn fault(what: &str) -> AppError {
    logged(&what)
}

/// A transaction on the write pool.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
