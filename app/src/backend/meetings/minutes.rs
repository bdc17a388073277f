//! Minutes of a meeting: the coordinator writes them per agenda item once the meeting has
//! started; what the group said about a question open for input is recorded on that
//! question as group input. The draft is open for members' comments for a chosen number
//! of days; after that the coordinator publishes it.

use super::{store::load, store::minutes_of};
use crate::backend::participation::inputs;
use crate::backend::platform::db::{now, Db};
use crate::domain::lengths;
use crate::domain::{long_text, required_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::{CurrentUser, MinutesComment, MinutesState};

/// The minutes of one agenda item as typed, and what the group said for its question.
#[derive(Debug, Clone, Default)]
pub struct ItemMinutes {
    pub item_id: i64,
    pub minutes: String,
    pub group_input: String,
}

/// The coordinator saves the minutes as a draft, open for comments for `comment_days`
/// days (1 to 14). Group input is recorded on each linked question open for input, in
/// the same transaction as the minutes, once per agenda item (saving again changes it;
/// an empty field leaves it as it is). Editing published minutes is refused.
pub async fn save(
    db: &Db,
    user: &CurrentUser,
    meeting_id: i64,
    items: &[ItemMinutes],
    comment_days: &str,
) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let row = load(db, user, meeting_id).await?;
    let at = now();
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.starts_at > at {
        return Err(AppError::invalid("state", Problem::MeetingNotYet));
    }
    let (state, _) = minutes_of(db, meeting_id).await?;
    if state == MinutesState::Published {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    let known: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, question_id FROM agenda_items WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_all(db.read())
            .await?;
    let mut checks = Checks::default();
    let days = checks.check(
        "comment_days",
        comment_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=14).contains(d))
            .ok_or(Problem::OutOfRange { min: 1, max: 14 }),
    );
    // Each agenda item once, at most as many as the agenda has; checked before anything
    // is written.
    let mut seen = std::collections::HashSet::new();
    if items.len() > known.len() || !items.iter().all(|i| seen.insert(i.item_id)) {
        return Err(AppError::invalid(
            "minutes",
            Problem::TooMany { max: known.len() },
        ));
    }
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        let Some((_, question)) = known.iter().find(|(id, _)| *id == item.item_id) else {
            return Err(AppError::NotFound);
        };
        let field = format!("minutes-{}", item.item_id);
        let minutes = checks.check(&field, long_text(&item.minutes, lengths::MINUTES));
        let group = checks.check(
            &format!("group-{}", item.item_id),
            long_text(&item.group_input, lengths::INPUT),
        );
        if let (Some(minutes), Some(group)) = (minutes, group) {
            texts.push((item.item_id, minutes, *question, group));
        }
    }
    checks.finish()?;
    let days = days.unwrap_or(7);
    // Group input only for a question still open for input; otherwise nothing is saved
    // and the coordinator is told (what was typed stays in the form).
    let mut closed = Checks::default();
    for (item_id, _, question, group) in &texts {
        if let (Some(question), false) = (question, group.is_empty()) {
            let state: Option<(String,)> =
                sqlx::query_as("SELECT state FROM questions WHERE id = $1 AND panel_id = $2")
                    .bind(question)
                    .bind(user.panel.id)
                    .fetch_optional(db.read())
                    .await?;
            if state.is_none_or(|(s,)| s != "collecting_input") {
                closed.check::<()>(&format!("group-{item_id}"), Err(Problem::InputClosed));
            }
        }
    }
    closed.finish()?;
    // The group input and the minutes are saved together or not at all. Group input is
    // kept once per agenda item: saving again changes it rather than adding it again.
    let mut tx = db.begin().await?;
    for (item_id, _, question, group) in &texts {
        if let (Some(question), false) = (question, group.is_empty()) {
            inputs::group_input_in(&mut tx, user, *question, group, Some(*item_id)).await?;
        }
    }
    for (item_id, minutes, _, _) in &texts {
        sqlx::query("UPDATE agenda_items SET minutes = $1 WHERE id = $2 AND meeting_id = $3")
            .bind(minutes)
            .bind(item_id)
            .bind(meeting_id)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query(
        "UPDATE meetings SET minutes_state = 'draft', minutes_comments_until = $1, updated_at = $2
         WHERE id = $3 AND minutes_state <> 'published'",
    )
    .bind(at + days * 86_400)
    .bind(at)
    .bind(meeting_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    tx.commit().await?;
    Ok(())
}

/// A member (or coordinator) comments on draft minutes while the comment period runs.
pub async fn comment(
    db: &Db,
    user: &CurrentUser,
    meeting_id: i64,
    body: &str,
) -> Result<(), AppError> {
    if user.role == Role::PolicyMaker {
        return Err(AppError::Forbidden);
    }
    let body = required_text(body, lengths::MINUTES_COMMENT)
        .map_err(|p| AppError::invalid("comment", p))?;
    load(db, user, meeting_id).await?;
    let (state, until) = minutes_of(db, meeting_id).await?;
    let at = now();
    if state != MinutesState::Draft || until.is_none_or(|u| u <= at) {
        return Err(AppError::invalid("state", Problem::CommentsClosed));
    }
    sqlx::query(
        "INSERT INTO minutes_comments (meeting_id, user_id, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(meeting_id)
    .bind(user.id)
    .bind(&body)
    .bind(at)
    .execute(db.write())
    .await?;
    Ok(())
}

/// The coordinator publishes the draft once the comment period is over.
pub async fn publish(db: &Db, user: &CurrentUser, meeting_id: i64) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    load(db, user, meeting_id).await?;
    let at = now();
    let (state, until) = minutes_of(db, meeting_id).await?;
    match state {
        MinutesState::Draft => {}
        MinutesState::Published => return Err(AppError::invalid("state", Problem::AlreadyDone)),
        MinutesState::NotWritten => return Err(AppError::invalid("state", Problem::WrongState)),
    }
    if until.is_some_and(|u| u > at) {
        return Err(AppError::invalid("state", Problem::CommentsOpen));
    }
    let done = sqlx::query(
        "UPDATE meetings SET minutes_state = 'published', minutes_published_at = $1, updated_at = $1
         WHERE id = $2 AND minutes_state = 'draft'",
    )
    .bind(at)
    .bind(meeting_id)
    .execute(db.write())
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    Ok(())
}

/// Comments on the minutes, oldest first (inside the panel only).
pub async fn comments(db: &Db, meeting_id: i64) -> Result<Vec<MinutesComment>, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT u.display_name, c.body, c.created_at FROM minutes_comments c
         JOIN users u ON u.id = c.user_id WHERE c.meeting_id = $1 ORDER BY c.created_at, c.id",
    )
    .bind(meeting_id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, body, at)| MinutesComment { name, body, at })
        .collect())
}
