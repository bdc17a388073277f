//! The agenda: questions of the panel and policy makers as guests.

use super::notices::{agenda_titles, event, place_text, when_text};
use super::store::coordinator;
use super::store::{load, minutes_of};
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::ical;
use crate::backend::platform::mail::{self, Mail};
use crate::domain::lengths;
use crate::domain::{required_text, Language, Problem};
use crate::error::{AppError, Checks};
use crate::lifecycle::State;
use crate::model::{CurrentUser, MinutesState};

/// An agenda item as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    pub title: String,
    pub duration_minutes: String,
    /// A question of the panel (its id), or empty.
    pub question_id: String,
    /// A policy maker of the panel to invite as guest (their id), or empty.
    pub guest_id: String,
}

/// The question an agenda item is about, if one is chosen: only a question the panel has
/// taken on (a draft or a question still waiting to be accepted is its policy maker's,
/// not the panel's). (id, title)
async fn item_question(
    db: &Db,
    user: &CurrentUser,
    chosen: &str,
    checks: &mut Checks,
) -> Result<Option<(i64, String)>, AppError> {
    let text = chosen.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let id: i64 = text.parse().unwrap_or(0);
    let found: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, title, state FROM questions WHERE id = $1 AND panel_id = $2")
            .bind(id)
            .bind(user.panel.id)
            .fetch_optional(db.read())
            .await?;
    let found = found
        .filter(|(_, _, state)| State::from_db(state).is_some_and(State::accepted_or_later))
        .map(|(id, title, _)| (id, title));
    if found.is_none() {
        checks.check::<()>("question_id", Err(Problem::InvalidChoice));
    }
    Ok(found)
}

/// The policy maker invited as guest for an agenda item, if one is chosen: an active
/// policy maker of the panel. (id, e-mail, language)
async fn item_guest(
    db: &Db,
    user: &CurrentUser,
    chosen: &str,
    checks: &mut Checks,
) -> Result<Option<(i64, String, String)>, AppError> {
    let text = chosen.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let id: i64 = text.parse().unwrap_or(0);
    let found: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, email, language FROM users
         WHERE id = $1 AND panel_id = $2 AND role = 'policy_maker' AND active = 1",
    )
    .bind(id)
    .bind(user.panel.id)
    .fetch_optional(db.read())
    .await?;
    if found.is_none() {
        checks.check::<()>("guest_id", Err(Problem::InvalidChoice));
    }
    Ok(found)
}

/// The coordinator adds an item to the agenda, optionally about a question and with a
/// policy maker as guest; the guest gets an invitation with the meeting as .ics.
pub async fn add_item(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    meeting_id: i64,
    form: &ItemForm,
) -> Result<i64, AppError> {
    coordinator(user)?;
    let row = load(db, user, meeting_id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    // After the evening the coordinator may still add what was discussed (for the
    // minutes), until they are published; guests are invited only beforehand.
    let (minutes_state, _) = minutes_of(db, meeting_id).await?;
    if minutes_state == MinutesState::Published {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    let past = row.ends_at <= now();
    let mut checks = Checks::default();
    if past && !form.guest_id.trim().is_empty() {
        checks.check::<()>("guest_id", Err(Problem::MeetingPast));
    }
    let duration = checks.check(
        "duration_minutes",
        form.duration_minutes
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (5..=240).contains(n))
            .ok_or(Problem::OutOfRange { min: 5, max: 240 }),
    );
    let question = item_question(db, user, &form.question_id, &mut checks).await?;
    // Without a title of its own, an item about a question is called after it.
    let title_input = if form.title.trim().is_empty() {
        question.as_ref().map(|q| q.1.clone()).unwrap_or_default()
    } else {
        form.title.clone()
    };
    let title = checks.check("title", required_text(&title_input, lengths::AGENDA_TITLE));
    let guest = if past {
        None
    } else {
        item_guest(db, user, &form.guest_id, &mut checks).await?
    };
    checks.finish()?;
    let (Some(title), Some(duration)) = (title, duration) else {
        return Err(AppError::Unexpected);
    };
    let at = now();
    let mut tx = db.begin().await?;
    let (item_id,): (i64,) = sqlx::query_as(
        "INSERT INTO agenda_items (meeting_id, position, title, duration_minutes, question_id, created_at)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1),
                 $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(meeting_id)
    .bind(&title)
    .bind(duration)
    .bind(question.as_ref().map(|q| q.0))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    if let Some((guest_id, email, language)) = guest {
        let new = sqlx::query(
            "INSERT INTO meeting_guests (meeting_id, user_id, agenda_item_id, invited_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, user_id) DO NOTHING",
        )
        .bind(meeting_id)
        .bind(guest_id)
        .bind(item_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if new.rows_affected() == 1 && !email.is_empty() {
            let language = Language::from_db(&language);
            let agenda = agenda_titles(&mut tx, meeting_id).await?;
            let when = when_text(&row, language);
            let place = place_text(&row);
            let link = format!("{public_url}/meetings/{meeting_id}");
            let mut message = mail::render(
                &Mail::MeetingInvitation {
                    panel: &user.panel.name,
                    when: &when,
                    place: &place,
                    item: &title,
                    link: &link,
                },
                language,
            )?;
            message.calendar = Some(ical::calendar(
                &user.panel.name,
                &[event(public_url, &user.panel.name, &row, &agenda, language)],
            ));
            mail::enqueue(&mut tx, &email, &message, at).await?;
        }
    }
    sqlx::query("UPDATE meetings SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(meeting_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    mail::wake();
    Ok(item_id)
}

/// The coordinator removes an agenda item (a guest invited for it stays invited), until
/// the minutes are published.
pub async fn remove_item(db: &Db, user: &CurrentUser, item_id: i64) -> Result<(), AppError> {
    coordinator(user)?;
    let done = sqlx::query(
        "DELETE FROM agenda_items WHERE id = $1
           AND meeting_id IN (SELECT id FROM meetings
                              WHERE panel_id = $2 AND minutes_state <> 'published')",
    )
    .bind(item_id)
    .bind(user.panel.id)
    .execute(db.write())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
