//! Meeting reminders, two days before, sent once per meeting and person.

use super::notices::{invitees, tell, Invitee, Tell};
use super::store::{Row, Stored, ROW_COLUMNS};
use crate::backend::platform::db::Db;
use crate::backend::platform::mail;
use crate::error::AppError;

/// The reminder goes this long before the start.
pub const REMINDER_SECS: i64 = 2 * 86_400;
/// Sends the reminder for meetings that start within two days: to everyone invited who
/// has not answered and to those coming (yes or maybe). Each meeting's reminder is
/// claimed by one conditional update, so it goes out once with several instances.
pub async fn send_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    let due: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT m.id, m.panel_id, p.name FROM meetings m JOIN panels p ON p.id = m.panel_id
         WHERE m.reminded_at IS NULL AND m.cancelled_at IS NULL
           AND m.starts_at > $1 AND m.starts_at <= $2
         ORDER BY m.starts_at LIMIT 100",
    )
    .bind(at)
    .bind(at + REMINDER_SECS)
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for (id, panel_id, panel_name) in due {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE meetings SET reminded_at = $1
             WHERE id = $2 AND reminded_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let row: Stored = sqlx::query_as(&format!(
            "SELECT {ROW_COLUMNS} FROM meetings m WHERE m.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let row = Row::from(row);
        let answers: Vec<(i64, String)> = sqlx::query_as(
            "SELECT user_id, COALESCE(answer, '') FROM meeting_rsvps WHERE meeting_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let people: Vec<Invitee> = invitees(&mut tx, panel_id, id)
            .await?
            .into_iter()
            .filter(|p| {
                !answers
                    .iter()
                    .any(|(who, answer)| *who == p.id && answer == "no")
            })
            .collect();
        tell(
            &mut tx,
            public_url,
            &panel_name,
            &row,
            &people,
            Tell::Reminder,
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    if sent > 0 {
        mail::wake();
    }
    Ok(sent)
}
