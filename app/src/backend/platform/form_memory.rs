//! Form memory: pages are plain HTML forms, so a refused form comes back as a new page
//! view. What was typed (never a password or code) or, after success, the server
//! function's answer is kept here for that one next view of the same page, found by the
//! SHA-256 of a token in a short-lived cookie (`server/src/forms.rs` sets and reads it).
//! Kept in the database so any instance can show it; at most [`KEEP_SECS`].

use super::auth::{random_token, token_hash};
use super::db::{now, Db};
use crate::components::form::FormMemory;

/// How long a memory waits for its page view.
pub const KEEP_SECS: i64 = 15 * 60;

/// Keeps a memory and returns the token for its cookie. Memories older than
/// [`KEEP_SECS`] are dropped on the way.
pub async fn keep(db: &Db, memory: &FormMemory) -> Result<String, sqlx::Error> {
    let token = random_token();
    let fields = serde_json::to_string(&memory.fields).unwrap_or_else(|_| "[]".into());
    sqlx::query("DELETE FROM form_memories WHERE created_at < $1")
        .bind(now() - KEEP_SECS)
        .execute(db.write())
        .await?;
    sqlx::query(
        "INSERT INTO form_memories (token_hash, page, action, form, fields, output, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash(&token))
    .bind(&memory.page)
    .bind(&memory.action)
    .bind(&memory.form)
    .bind(fields)
    .bind(memory.output.as_deref())
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(token)
}

/// Takes the memory a token names (it is gone afterwards), unless it is too old.
pub async fn take(db: &Db, token: &str) -> Result<Option<FormMemory>, sqlx::Error> {
    type Row = (String, String, String, String, Option<String>, i64);
    let row: Option<Row> = sqlx::query_as(
        "DELETE FROM form_memories WHERE token_hash = $1
         RETURNING page, action, form, fields, output, created_at",
    )
    .bind(token_hash(token))
    .fetch_optional(db.write())
    .await?;
    Ok(
        row.and_then(|(page, action, form, fields, output, created_at)| {
            let fields = serde_json::from_str(&fields).unwrap_or_default();
            (created_at >= now() - KEEP_SECS).then_some(FormMemory {
                page,
                action,
                form,
                fields,
                output,
            })
        }),
    )
}
