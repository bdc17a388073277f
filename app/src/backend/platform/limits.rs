//! Rate limits kept in the database (so they hold across app instances): an attempt is
//! recorded in its bucket before the work it guards, and once a bucket holds `max`
//! attempts inside the window, the caller is told to try again when the oldest of them
//! leaves the window.

use super::db::{now, Backend, Db};
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

/// Longest key kept: an e-mail address is at most 254 characters, and whatever a caller
/// sends (a login's e-mail field, a proxy header) is cut to that before it is stored.
pub const MAX_KEY_CHARS: usize = 254;

fn bucket(limit: Limit, key: &str) -> String {
    let key: String = key
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_KEY_CHARS)
        .collect();
    format!("{}:{}", limit.name, key)
}

/// One attempt counted by [`hit`]; pass it to [`forget`] when the attempt turns out not to
/// count (a right password, a link that works).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Attempt(i64);

/// Counts an attempt before the work it guards: `Ok` when the bucket, this attempt
/// included, holds at most `max` attempts inside the window; otherwise nothing stays
/// recorded and the answer is `RateLimited` with whole minutes to wait.
///
/// On SQLite every write goes through one connection, so one `INSERT … SELECT … WHERE
/// count < max` records and decides at once: exactly the first `max` parallel attempts
/// pass. On PostgreSQL (several connections, several instances) the same statement runs
/// under a transaction-scoped advisory lock on the bucket, so there too exactly the first
/// `max` pass.
pub async fn hit(db: &Db, limit: Limit, key: &str) -> Result<Attempt, AppError> {
    let bucket = bucket(limit, key);
    let at = now();
    let since = at - limit.window_secs;
    let recorded = match db.backend() {
        Backend::Sqlite => {
            let row: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO attempts (bucket, at)
                 SELECT $1, $2 WHERE (SELECT COUNT(*) FROM attempts WHERE bucket = $1 AND at > $3) < $4
                 RETURNING id",
            )
            .bind(&bucket)
            .bind(at)
            .bind(since)
            .bind(limit.max)
            .fetch_optional(db.write())
            .await?;
            row.map(|(id,)| Attempt(id))
        }
        Backend::Postgres => {
            // Attempts on one bucket queue on a transaction-scoped advisory lock, so the
            // count and the insert are one decision, also across instances.
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(&bucket)
                .execute(&mut *tx)
                .await?;
            let row: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO attempts (bucket, at)
                 SELECT $1, $2 WHERE (SELECT COUNT(*) FROM attempts WHERE bucket = $1 AND at > $3) < $4
                 RETURNING id",
            )
            .bind(&bucket)
            .bind(at)
            .bind(since)
            .bind(limit.max)
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            row.map(|(id,)| Attempt(id))
        }
    };
    if let Some(attempt) = recorded {
        return Ok(attempt);
    }
    let (oldest,): (Option<i64>,) =
        sqlx::query_as("SELECT MIN(at) FROM attempts WHERE bucket = $1 AND at > $2")
            .bind(&bucket)
            .bind(since)
            .fetch_one(db.write())
            .await?;
    let free_at = oldest.unwrap_or(at) + limit.window_secs;
    let minutes = ((free_at - at).max(1) + 59) / 60;
    tracing::warn!(limit = limit.name, minutes, "rate limit reached");
    Err(AppError::RateLimited { minutes })
}

/// Takes back one attempt recorded by [`hit`].
pub async fn forget(db: &Db, attempt: Attempt) -> Result<(), AppError> {
    sqlx::query("DELETE FROM attempts WHERE id = $1")
        .bind(attempt.0)
        .execute(db.write())
        .await?;
    Ok(())
}

/// Forgets the bucket's attempts (after a successful login, say).
pub async fn clear(db: &Db, limit: Limit, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM attempts WHERE bucket = $1")
        .bind(bucket(limit, key))
        .execute(db.write())
        .await?;
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
