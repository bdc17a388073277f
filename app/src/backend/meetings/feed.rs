//! Calendar downloads: one meeting's `.ics`, and a personal feed behind a secret link that
//! can be renewed or revoked.

use super::notices::{agenda_titles, event};
use super::store::{load, Row, Stored, ROW_COLUMNS};
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::ical;
use crate::backend::platform::store;
use crate::domain::Language;
use crate::error::AppError;
use crate::model::CurrentUser;

/// One meeting as an .ics file, for whoever may see it.
pub async fn meeting_ics(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
) -> Result<String, AppError> {
    let row = load(db, user, id).await?;
    let mut conn = db.read().acquire().await?;
    let language = store::language_of(&mut *conn, user.id).await?;
    let agenda = agenda_titles(&mut conn, id).await?;
    Ok(ical::calendar(
        &user.panel.name,
        &[event(public_url, &user.panel.name, &row, &agenda, language)],
    ))
}

/// A new calendar feed address for the person; an earlier one stops working. Only the
/// SHA-256 of the secret is stored, so the address is shown once, when made.
pub async fn new_calendar_link(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
) -> Result<String, AppError> {
    let token = auth::random_token();
    sqlx::query(
        "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3",
    )
    .bind(user.id)
    .bind(auth::token_hash(&token))
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(format!("{public_url}/calendar/{token}.ics"))
}

/// Whether the person has a calendar feed address.
pub async fn has_calendar_link(db: &Db, user: &CurrentUser) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM calendar_tokens WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(db.read())
        .await?;
    Ok(n > 0)
}

/// Stops the person's calendar feed: the address no longer works.
pub async fn revoke_calendar_link(db: &Db, user: &CurrentUser) -> Result<(), AppError> {
    sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1")
        .bind(user.id)
        .execute(db.write())
        .await?;
    Ok(())
}

/// The calendar feed of the token's owner: their meetings from 90 days ago on (cancelled
/// ones included, so calendar programs remove them). `NotFound` for an unknown token or
/// an account that is no longer active.
pub async fn feed(db: &Db, public_url: &str, token: &str) -> Result<String, AppError> {
    let owner: Option<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.panel_id, u.role, u.language, p.name
         FROM calendar_tokens t JOIN users u ON u.id = t.user_id JOIN panels p ON p.id = u.panel_id
         WHERE t.token_hash = $1 AND u.active = 1",
    )
    .bind(auth::token_hash(token))
    .fetch_optional(db.read())
    .await?;
    let Some((user_id, panel_id, role, language, panel_name)) = owner else {
        return Err(AppError::NotFound);
    };
    let language = Language::from_db(&language);
    let rows: Vec<Stored> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM meetings m
         WHERE m.panel_id = $1 AND m.starts_at >= $2
           AND ($3 <> 'policy_maker'
                OR EXISTS (SELECT 1 FROM meeting_guests g WHERE g.meeting_id = m.id AND g.user_id = $4))
         ORDER BY m.starts_at LIMIT 500"
    ))
    .bind(panel_id)
    .bind(now() - 90 * 86_400)
    .bind(&role)
    .bind(user_id)
    .fetch_all(db.read())
    .await?;
    let mut conn = db.read().acquire().await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows.into_iter().map(Row::from) {
        let agenda = agenda_titles(&mut conn, row.id).await?;
        events.push(event(public_url, &panel_name, &row, &agenda, language));
    }
    Ok(ical::calendar(&panel_name, &events))
}
