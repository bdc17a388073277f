//! Answers to a meeting invitation (yes / no / maybe) and recorded attendance.

use super::notices::invitees;
use super::store::coordinator;
use super::store::load;
use crate::backend::platform::db::{now, Db};
use crate::domain::Problem;
use crate::error::AppError;
use crate::model::CurrentUser;

/// A member, coordinator or guest answers whether they come: "yes", "no" or "maybe".
pub async fn answer(db: &Db, user: &CurrentUser, id: i64, answer: &str) -> Result<(), AppError> {
    if !matches!(answer, "yes" | "no" | "maybe") {
        return Err(AppError::invalid("answer", Problem::InvalidChoice));
    }
    let row = load(db, user, id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.ends_at <= now() {
        return Err(AppError::invalid("state", Problem::MeetingPast));
    }
    sqlx::query(
        "INSERT INTO meeting_rsvps (meeting_id, user_id, answer, answered_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (meeting_id, user_id) DO UPDATE SET answer = $3, answered_at = $4",
    )
    .bind(id)
    .bind(user.id)
    .bind(answer)
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(())
}

/// After the start, the coordinator records who came: `present` are the ids of those
/// who attended; everyone else invited is recorded as absent.
pub async fn record_attendance(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    present: &[i64],
) -> Result<(), AppError> {
    coordinator(user)?;
    let row = load(db, user, id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.starts_at > now() {
        return Err(AppError::invalid("state", Problem::MeetingNotYet));
    }
    // Checked before the write transaction: each person once, every one invited.
    let present: std::collections::HashSet<i64> = present.iter().copied().collect();
    {
        let mut conn = db.read().acquire().await?;
        let people = invitees(&mut conn, user.panel.id, id).await?;
        let invited: std::collections::HashSet<i64> = people.iter().map(|p| p.id).collect();
        if !present.is_subset(&invited) {
            return Err(AppError::invalid("present", Problem::InvalidChoice));
        }
    }
    let mut tx = db.begin().await?;
    let people = invitees(&mut tx, user.panel.id, id).await?;
    for person in people.iter().map(|p| p.id) {
        sqlx::query(
            "INSERT INTO meeting_rsvps (meeting_id, user_id, attended) VALUES ($1, $2, $3)
             ON CONFLICT (meeting_id, user_id) DO UPDATE SET attended = $3",
        )
        .bind(id)
        .bind(person)
        .bind(i64::from(present.contains(&person)))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
