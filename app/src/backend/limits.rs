//! Rate limits kept in the database (so they hold across app instances): attempts are
//! recorded per bucket, and once a bucket holds `max` attempts inside the window, the
//! caller is told to try again when the oldest of them leaves the window.

use super::db::{now, Db};
use super::services::unexpected;
use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Bucket prefix, e.g. `login`.
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Wrong passwords for one e-mail address.
pub const LOGIN_ACCOUNT: Limit = Limit {
    name: "login",
    max: 5,
    window_secs: 15 * 60,
};
/// Wrong passwords from one network address (many accounts tried).
pub const LOGIN_ADDRESS: Limit = Limit {
    name: "login-ip",
    max: 30,
    window_secs: 15 * 60,
};
/// Password reset requests for one e-mail address.
pub const RESET_ACCOUNT: Limit = Limit {
    name: "reset",
    max: 3,
    window_secs: 60 * 60,
};
/// Password reset requests from one network address.
pub const RESET_ADDRESS: Limit = Limit {
    name: "reset-ip",
    max: 20,
    window_secs: 60 * 60,
};
/// Unknown or used invitation, reset or confirmation links from one network address.
pub const LINK_ADDRESS: Limit = Limit {
    name: "link-ip",
    max: 20,
    window_secs: 15 * 60,
};
/// Wrong second-factor codes for one account.
pub const SECOND_FACTOR: Limit = Limit {
    name: "totp",
    max: 5,
    window_secs: 15 * 60,
};

fn bucket(limit: Limit, key: &str) -> String {
    format!("{}:{}", limit.name, key.trim().to_lowercase())
}

/// `Ok` while the bucket has room; otherwise `RateLimited` with whole minutes to wait.
pub async fn check(db: &Db, limit: Limit, key: &str) -> Result<(), AppError> {
    let at = now();
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM attempts WHERE bucket = $1 AND at > $2")
            .bind(bucket(limit, key))
            .bind(at - limit.window_secs)
            .fetch_one(db.read())
            .await
            .map_err(|e| unexpected("reading attempts", e))?;
    if count < limit.max {
        return Ok(());
    }
    let free_at = oldest.unwrap_or(at) + limit.window_secs;
    let minutes = ((free_at - at).max(1) + 59) / 60;
    tracing::warn!(limit = limit.name, minutes, "rate limit reached");
    Err(AppError::RateLimited { minutes })
}

/// Counts one attempt against the bucket.
pub async fn record(db: &Db, limit: Limit, key: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO attempts (bucket, at) VALUES ($1, $2)")
        .bind(bucket(limit, key))
        .bind(now())
        .execute(db.write())
        .await
        .map_err(|e| unexpected("recording attempt", e))?;
    Ok(())
}

/// Forgets the bucket's attempts (after a successful login, say).
pub async fn clear(db: &Db, limit: Limit, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM attempts WHERE bucket = $1")
        .bind(bucket(limit, key))
        .execute(db.write())
        .await
        .map_err(|e| unexpected("clearing attempts", e))?;
    Ok(())
}

/// Drops attempts older than a day (every window is shorter).
pub async fn purge(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM attempts WHERE at < $1")
        .bind(now() - 24 * 3600)
        .execute(db.write())
        .await?;
    Ok(done.rows_affected())
}
