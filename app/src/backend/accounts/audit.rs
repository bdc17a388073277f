//! The audit log: who did what to whose account, written inside the same transaction as
//! the change, and read by coordinators a page at a time.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::limits;
use crate::backend::platform::paging;

use crate::domain::clock;
use crate::error::AppError;
use crate::model::{AuditEntry, AuditEvent, CurrentUser, OlderPages};
use sqlx::AnyConnection;

/// Writes one line of the audit log.
pub async fn audit(
    conn: &mut AnyConnection,
    panel_id: Option<i64>,
    actor_id: Option<i64>,
    subject_id: Option<i64>,
    event: AuditEvent,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (panel_id, actor_id, subject_id, event, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(panel_id)
    .bind(actor_id)
    .bind(subject_id)
    .bind(event.as_str())
    .bind(detail)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}
/// Entries of the audit log per page.
pub const AUDIT_PER_PAGE: i64 = 100;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    event: String,
    actor: Option<String>,
    subject: Option<String>,
    detail: String,
}

/// A page of the panel's audit log, newest first, starting after `cursor` (empty: the
/// newest entries).
pub async fn audit_log(
    db: &Db,
    actor: &CurrentUser,
    cursor: &str,
) -> Result<OlderPages<AuditEntry>, AppError> {
    let (at, id) = paging::older_bounds(cursor);
    let mut rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.id, a.at, a.event, actor.display_name AS actor,
                subject.display_name AS subject, a.detail
         FROM audit_log a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users subject ON subject.id = a.subject_id
         WHERE a.panel_id = $1 AND (a.at < $2 OR (a.at = $2 AND a.id < $3))
         ORDER BY a.at DESC, a.id DESC
         LIMIT $4",
    )
    .bind(actor.panel.id)
    .bind(at)
    .bind(id)
    .bind(AUDIT_PER_PAGE + 1)
    .fetch_all(db.read())
    .await?;
    let more = paging::cut_to_page(&mut rows, AUDIT_PER_PAGE);
    let older = rows
        .last()
        .filter(|_| more)
        .map(|r| paging::Cursor::older_than(r.at, r.id));
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let Some(event) = AuditEvent::from_db(&r.event) else {
                tracing::warn!(event = r.event, "unknown audit event left out");
                return None;
            };
            Some(AuditEntry {
                at: clock::date_time(r.at),
                event,
                actor: r.actor,
                subject: r.subject,
                detail: r.detail,
            })
        })
        .collect();
    Ok(OlderPages { items, older })
}

/// Used by login: writes a failed login into its panel's audit log when the address
/// belongs to an account (the rate limits counted the attempt before the check).
pub async fn audit_failed_login(db: &Db, email: &str) -> Result<(), AppError> {
    let email: String = email
        .trim()
        .to_lowercase()
        .chars()
        .take(limits::MAX_KEY_CHARS)
        .collect();
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT id, panel_id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db.read())
        .await?;
    if let Some((user_id, panel_id)) = row {
        let mut conn = db.write().acquire().await?;
        audit(
            &mut conn,
            Some(panel_id),
            None,
            Some(user_id),
            AuditEvent::LoginFailed,
            "",
        )
        .await?;
    }
    Ok(())
}

pub async fn clear_login_limit(db: &Db, email: &str) -> Result<(), AppError> {
    limits::clear(db, limits::LOGIN_ACCOUNT, email).await
}
