//! The owner's answer: every recommendation of the panel's advice gets comply or explain,
//! the answer is saved and submitted, the escalation settings, and the rule that a question
//! closes only once its infographic is published.

use super::progress;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::{
    store::event, store::refusal, store::title_of, store::transition, store::Head,
};
use crate::domain::lengths;
use crate::domain::{clock, future_date, long_text, required_text, Email, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{Action, Refusal, State};
use crate::model::{
    CurrentUser, FeedbackView, NoticeKind, QuestionEvent, RatingSummary, ResponseStatus,
    ResponseView,
};
use sqlx::AnyConnection;

/// Days overdue before the coordinators are told, within these bounds.
pub const ESCALATION_DAYS: (i64, i64) = (1, 90);

/// One recommendation's answer as typed.
#[derive(Debug, Clone, Default)]
pub struct ResponseForm {
    pub status: String,
    pub explanation: String,
    pub reason: String,
    pub changes: String,
    pub follow_up: String,
}

/// The recommendations of a question: (id, position, text).
async fn recommendations(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Vec<(i64, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, position, body FROM recommendations WHERE question_id = $1 ORDER BY position",
    )
    .bind(question_id)
    .fetch_all(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    position: i64,
    body: String,
    status: Option<String>,
    explanation: Option<String>,
    reason: Option<String>,
    changes: Option<String>,
    follow_up: Option<String>,
}

/// Every recommendation with its answer so far.
pub(crate) async fn responses(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Vec<ResponseView>, AppError> {
    let rows: Vec<ResponseRow> = sqlx::query_as(
        "SELECT r.position, r.body, s.status, s.explanation, s.reason, s.changes, s.follow_up
         FROM recommendations r LEFT JOIN responses s ON s.recommendation_id = r.id
         WHERE r.question_id = $1 ORDER BY r.position",
    )
    .bind(question_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut tracks = progress::tracks(conn, question_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let follow_up_iso = r.follow_up.unwrap_or_default();
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut tracks)
                .into_iter()
                .partition(|(position, _)| *position == r.position);
            tracks = rest;
            ResponseView {
                progress: mine.into_iter().map(|(_, u)| u).collect(),
                position: r.position,
                recommendation: r.body,
                status: r.status.as_deref().and_then(ResponseStatus::parse),
                explanation: r.explanation.unwrap_or_default(),
                reason: r.reason.unwrap_or_default(),
                changes: r.changes.unwrap_or_default(),
                follow_up: clock::iso_to_display(&follow_up_iso),
                follow_up_iso,
            }
        })
        .collect())
}

/// Whether the (Amsterdam) day `due` has passed at `at`.
pub(crate) fn days_overdue(due: &str, at: i64) -> Option<i64> {
    let due = clock::days(clock::parse_iso_date(due)?);
    let (y, m, d, _, _) = clock::local_parts(at);
    Some(clock::days((y, m, d)) - due)
}

/// When the owner last submitted their answers, if ever.
pub(crate) async fn submitted_at(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<i64>, AppError> {
    let (at,): (Option<i64>,) =
        sqlx::query_as("SELECT feedback_submitted_at FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(at)
}

/// When the question's infographic was (last) published, if ever.
async fn published_at(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT published_at FROM infographics WHERE question_id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(at,)| at))
}

/// A member's rating of a question's feedback: (score, comment).
pub(crate) async fn rating_of(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> Result<Option<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT score, comment FROM feedback_ratings WHERE question_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// The feedback part of a question page (advice sent or closed), as this viewer may see
/// it: the owner sees their draft; everyone sees the answers once submitted.
pub async fn view(
    db: &Db,
    viewer: &CurrentUser,
    id: i64,
    state: State,
    owner: Option<i64>,
) -> Result<Option<FeedbackView>, AppError> {
    if !matches!(state, State::AdviceSent | State::Closed) {
        return Ok(None);
    }
    let mut conn = db.read().acquire().await?;
    let (due, submitted, message, escalation, slug): (
        Option<String>,
        Option<i64>,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT q.feedback_due, q.feedback_submitted_at, q.feedback_message, q.escalation_email,
                p.slug
         FROM questions q JOIN panels p ON p.id = q.panel_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let is_owner = viewer.role == Role::PolicyMaker && owner == Some(viewer.id);
    let coordinator = viewer.role == Role::Coordinator;
    let visible = is_owner || submitted.is_some();
    let due_iso = due.unwrap_or_default();
    let overdue = if submitted.is_none() && state == State::AdviceSent {
        days_overdue(&due_iso, now())
            .filter(|d| *d > 0)
            .unwrap_or(0)
    } else {
        0
    };
    let published = published_at(&mut conn, id).await?;
    let ratings = if is_owner || coordinator {
        Some(rating_summary(&mut conn, id).await?)
    } else {
        None
    };
    let mine = if viewer.role == Role::Member {
        rating_of(&mut conn, id, viewer.id).await?
    } else {
        None
    };
    let responses = if visible {
        responses(&mut conn, id).await?
    } else {
        Vec::new()
    };
    Ok(Some(FeedbackView {
        due: clock::iso_to_display(&due_iso),
        days_overdue: overdue,
        submitted: submitted.map(clock::date_time),
        message: if visible { message } else { String::new() },
        responses,
        may_respond: is_owner && state == State::AdviceSent,
        may_edit_infographic: coordinator && state == State::AdviceSent && submitted.is_some(),
        may_close: coordinator && state == State::AdviceSent,
        published: published.map(clock::date),
        public_path: published.map(|_| format!("/p/{slug}/feedback/{id}")),
        ratings,
        may_rate: viewer.role == Role::Member && published.is_some(),
        my_rating: mine,
        escalation_email: coordinator.then_some(escalation),
        may_track: progress::may_track(viewer, owner, submitted.is_some()),
    }))
}

async fn rating_summary(conn: &mut AnyConnection, id: i64) -> Result<RatingSummary, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT score, comment FROM feedback_ratings WHERE question_id = $1 ORDER BY at",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let count = i64::try_from(rows.len()).unwrap_or(0);
    let total: i64 = rows.iter().map(|(s, _)| s).sum();
    Ok(RatingSummary {
        count,
        // Tenths: 4.3 is 43.
        average_tenths: if count > 0 {
            (total * 10 + count / 2) / count
        } else {
            0
        },
        comments: rows.into_iter().filter(|(_, c)| !c.is_empty()).collect(),
    })
}

/// The owner of a question, if `user` is it and the advice waits for an answer.
async fn owned_and_waiting(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i64,
) -> Result<(), AppError> {
    let Head { state, owner, .. } = Head::visible(conn, user, id).await?;
    if user.role != Role::PolicyMaker || owner != Some(user.id) {
        return Err(AppError::Forbidden);
    }
    if state != State::AdviceSent {
        return Err(refusal(Refusal::WrongState));
    }
    Ok(())
}

/// One recommendation's answer as checked: each part `None` when it has a problem.
struct Answer {
    rec_id: i64,
    status: Option<ResponseStatus>,
    explanation: Option<String>,
    reason: Option<String>,
    changes: Option<String>,
    follow_up: Option<Option<String>>,
}

/// Checks the answer to recommendation `n`. A draft may leave parts empty; a submission
/// needs a status and an explanation, a reason for partly and not adopted, and a future
/// follow-up date for a point still open.
fn check_answer(
    checks: &mut Checks,
    rec_id: i64,
    n: i64,
    form: &ResponseForm,
    submit: bool,
    today: &str,
) -> Answer {
    let status = match form.status.trim() {
        "" if submit => checks
            .check::<()>(&format!("status_{n}"), Err(Problem::Required))
            .map(|_| None),
        "" => Some(None),
        s => checks.check(
            &format!("status_{n}"),
            ResponseStatus::parse(s)
                .map(Some)
                .ok_or(Problem::InvalidChoice),
        ),
    }
    .flatten();
    let explanation = checks.check(
        &format!("explanation_{n}"),
        if submit {
            required_text(&form.explanation, lengths::FEEDBACK_TEXT)
        } else {
            long_text(&form.explanation, lengths::FEEDBACK_TEXT)
        },
    );
    let reason_needed = submit
        && matches!(
            status,
            Some(ResponseStatus::NotAdopted | ResponseStatus::Partly)
        );
    let reason = checks.check(
        &format!("reason_{n}"),
        if reason_needed {
            required_text(&form.reason, lengths::FEEDBACK_TEXT)
        } else {
            long_text(&form.reason, lengths::FEEDBACK_TEXT)
        },
    );
    let changes = checks.check(
        &format!("changes_{n}"),
        long_text(&form.changes, lengths::FEEDBACK_TEXT),
    );
    let follow_up = if status == Some(ResponseStatus::StillOpen) {
        if form.follow_up.trim().is_empty() && !submit {
            Some(None)
        } else {
            checks
                .check(
                    &format!("follow_up_{n}"),
                    future_date(&form.follow_up, today),
                )
                .map(Some)
        }
    } else {
        Some(None)
    };
    Answer {
        rec_id,
        status,
        explanation,
        reason,
        changes,
        follow_up,
    }
}

/// The owner saves their answers as a draft, or submits them (every recommendation
/// answered; explanation always, the reason for partly and not adopted, a follow-up date
/// for still open), which tells the coordinators. Submitting again after a change (a
/// still-open point decided, say) tells them again.
pub async fn save(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    message: &str,
    forms: &[ResponseForm],
    submit: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    owned_and_waiting(&mut tx, user, id).await?;
    if !submit {
        // Once the panel has the answers, a change goes to them as a new submission: a
        // draft must not replace what they read.
        let submitted = submitted_at(&mut tx, id).await?;
        if submitted.is_some() {
            return Err(AppError::invalid("feedback", Problem::AlreadySubmitted));
        }
    }
    let recs = recommendations(&mut tx, id).await?;
    let today = clock::iso_date(now());
    let mut checks = Checks::default();
    let message = checks.check(
        "message",
        if submit {
            required_text(message, lengths::FEEDBACK_MESSAGE)
        } else {
            long_text(message, lengths::FEEDBACK_MESSAGE)
        },
    );
    let empty = ResponseForm::default();
    let valid: Vec<Answer> = recs
        .iter()
        .enumerate()
        .map(|(i, (rec_id, position, _))| {
            let form = forms.get(i).unwrap_or(&empty);
            check_answer(&mut checks, *rec_id, *position, form, submit, &today)
        })
        .collect();
    checks.finish()?;
    let at = now();
    for Answer {
        rec_id,
        status,
        explanation,
        reason,
        changes,
        follow_up,
    } in valid
    {
        sqlx::query(
            "INSERT INTO responses (recommendation_id, status, explanation, reason, changes,
                                    follow_up, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (recommendation_id) DO UPDATE SET status = excluded.status,
                explanation = excluded.explanation, reason = excluded.reason,
                changes = excluded.changes, follow_up = excluded.follow_up,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(rec_id)
        .bind(status.map(ResponseStatus::as_str).unwrap_or(""))
        .bind(explanation.unwrap_or_default())
        .bind(reason.unwrap_or_default())
        .bind(changes.unwrap_or_default())
        .bind(follow_up.flatten())
        .bind(user.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE questions SET feedback_message = $1, updated_at = $2,
            feedback_submitted_at = CASE WHEN $3 = 1 THEN $2 ELSE feedback_submitted_at END
         WHERE id = $4",
    )
    .bind(message.unwrap_or_default())
    .bind(at)
    .bind(i64::from(submit))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if submit {
        event(&mut tx, id, user.id, QuestionEvent::FeedbackSubmitted, "").await?;
        let title = title_of(&mut tx, id).await?;
        notify::notify(
            &mut tx,
            public_url,
            &user.panel.name,
            To::Coordinators(user.panel.id),
            user.id,
            &Notice {
                kind: NoticeKind::FeedbackSubmitted,
                question_id: Some(id),
                subject: &title,
                due: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// The page where the owner answers: the question's title and the feedback as they see
/// it.
pub async fn form(
    db: &Db,
    user: &CurrentUser,
    id: i64,
) -> Result<(String, FeedbackView), AppError> {
    let mut conn = db.read().acquire().await?;
    let Head { state, owner, .. } = Head::visible(&mut conn, user, id).await?;
    let title = title_of(&mut conn, id).await?;
    drop(conn);
    let view = view(db, user, id, state, owner)
        .await?
        .ok_or(AppError::invalid("state", Problem::WrongState))?;
    Ok((title, view))
}

/// The coordinator sets an address that is told, with the coordinators, when the answer
/// is late by the panel's escalation days (e.g. the owner's manager). Empty removes it.
pub async fn set_escalation_email(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    email: &str,
) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let email = if email.trim().is_empty() {
        String::new()
    } else {
        Email::parse(email)
            .map_err(|p| AppError::invalid("escalation_email", p))?
            .as_str()
            .to_string()
    };
    let mut conn = db.write().acquire().await?;
    let Head { state, .. } = Head::visible(&mut conn, user, id).await?;
    if state != State::AdviceSent {
        return Err(refusal(Refusal::WrongState));
    }
    sqlx::query("UPDATE questions SET escalation_email = $1 WHERE id = $2")
        .bind(&email)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The coordinator sets after how many days overdue they are told (and the escalation
/// address).
pub async fn set_escalation_days(db: &Db, user: &CurrentUser, days: &str) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let (min, max) = ESCALATION_DAYS;
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (min..=max).contains(d))
        .ok_or(AppError::invalid(
            "escalation_days",
            Problem::OutOfRange { min, max },
        ))?;
    sqlx::query("UPDATE panels SET escalation_days = $1 WHERE id = $2")
        .bind(days)
        .bind(user.panel.id)
        .execute(db.write())
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reminders and escalation.
/// The coordinator closes a question: only once its infographic is published and no
/// recommendation is still open.
pub async fn close(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let head = Head::visible(&mut tx, user, id).await?;
    let to = head.next(user, Action::Close)?;
    let Some(published_at) = published_at(&mut tx, id).await? else {
        return Err(AppError::invalid("close", Problem::NotPublished));
    };
    // An answer changed after publishing (a still-open point decided): what young people
    // see must be published again first.
    let (changed,): (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(s.updated_at) FROM responses s
         JOIN recommendations r ON r.id = s.recommendation_id WHERE r.question_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if changed.is_some_and(|at| at > published_at) {
        return Err(AppError::invalid("close", Problem::RepublishNeeded));
    }
    if responses(&mut tx, id)
        .await?
        .iter()
        .any(|r| r.status == Some(ResponseStatus::StillOpen))
    {
        return Err(AppError::invalid("close", Problem::StillOpen));
    }
    transition(&mut tx, id, head.state, to).await?;
    event(&mut tx, id, Some(user.id), QuestionEvent::Closed, "").await?;
    Ok(tx.commit().await?)
}
