//! The feedback loop: the owner answers every recommendation of the panel's advice
//! (comply or explain), reminders and escalation when the answer is late, the
//! infographic that tells young people what was done with their advice, their rating of
//! it, and the rule that a question closes only once its infographic is published.

// Query rows are tuples whose shape is the SELECT list written right beside them.
#![allow(clippy::type_complexity)]

use super::db::{now, Db};
use super::mail::{self, Mail};
use super::notify::{self, Notice, To};
use super::questions::{event, question_state, refusal, title_of};
use crate::domain::lengths;
use crate::domain::{clock, future_date, long_text, required_text, Email, Language, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{self, Action, Refusal, State};
use crate::model::{
    ColourTheme, CurrentUser, FeedbackView, GalleryItem, Infographic, InfographicEditor,
    InfographicItem, NoticeKind, PublicInfographic, QuestionEvent, QuotableInput, RatingSummary,
    ResponseStatus, ResponseView,
};
use sqlx::AnyConnection;

/// The most-endorsed inputs the infographic shows, and how much of each.
const TOP_INPUTS: usize = 3;
const EXCERPT_MAX: usize = 280;
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

type ResponseRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Every recommendation with its answer so far.
async fn responses(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Vec<ResponseView>, AppError> {
    let rows: Vec<ResponseRow> = sqlx::query_as(
        "SELECT r.id, r.position, r.body, s.status, s.explanation, s.reason, s.changes, s.follow_up
         FROM recommendations r LEFT JOIN responses s ON s.recommendation_id = r.id
         WHERE r.question_id = $1 ORDER BY r.position",
    )
    .bind(question_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(_, position, recommendation, status, explanation, reason, changes, follow_up)| {
                let follow_up_iso = follow_up.unwrap_or_default();
                ResponseView {
                    position,
                    recommendation,
                    status: status.as_deref().and_then(ResponseStatus::parse),
                    explanation: explanation.unwrap_or_default(),
                    reason: reason.unwrap_or_default(),
                    changes: changes.unwrap_or_default(),
                    follow_up: clock::iso_to_display(&follow_up_iso),
                    follow_up_iso,
                }
            },
        )
        .collect())
}

/// Whether the (Amsterdam) day `due` has passed at `at`.
fn days_overdue(due: &str, at: i64) -> Option<i64> {
    let due = clock::days(clock::parse_iso_date(due)?);
    let (y, m, d, _, _) = clock::local_parts(at);
    Some(clock::days((y, m, d)) - due)
}

/// When the owner last submitted their answers, if ever.
async fn submitted_at(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, AppError> {
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
async fn rating_of(
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
    let (state, owner, _) = question_state(conn, user, id).await?;
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
    let (state, owner, _) = question_state(&mut conn, user, id).await?;
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
    let (state, ..) = question_state(&mut conn, user, id).await?;
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

/// Which reminder is due `overdue` days after the due date (negative: before it), as
/// the key it is claimed by, or none.
pub fn reminder_key(overdue: i64) -> Option<String> {
    match overdue {
        d if d < -7 => None,
        d if d < 0 => Some("before".into()),
        d if d < 7 => Some("due".into()),
        d => Some(format!("week{}", d / 7)),
    }
}

/// Sends what is due of the reminders to owners whose answer is not submitted (7 days
/// before, on the day, weekly after) and, once the answer is the panel's escalation days
/// late, tells the coordinators and the escalation address; and reminds owners of
/// still-open points on their follow-up date. Each is claimed by inserting
/// its key, so with several instances each goes out once. Nothing goes out before 08:00
/// Amsterdam time. Returns how many reminders and escalations were sent.
pub async fn send_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    if clock::local_parts(at).3 < 8 {
        return Ok(0);
    }
    let waiting: Vec<(i64, String, Option<i64>, String, i64, String, i64, String)> =
        sqlx::query_as(
            "SELECT q.id, q.feedback_due, q.owner_id, q.escalation_email, q.panel_id, p.name,
                    p.escalation_days, q.title
             FROM questions q JOIN panels p ON p.id = q.panel_id
             WHERE q.state = 'advice_sent' AND q.feedback_submitted_at IS NULL
               AND q.feedback_due IS NOT NULL",
        )
        .fetch_all(db.read())
        .await?;
    let mut sent = 0;
    for (id, due, owner, escalation, panel_id, panel, escalation_days, title) in waiting {
        let Some(overdue) = days_overdue(&due, at) else {
            continue;
        };
        let due_display = clock::iso_to_display(&due);
        if let (Some(key), Some(owner)) = (reminder_key(overdue), owner) {
            let kind = if overdue > 0 {
                NoticeKind::FeedbackOverdue
            } else {
                NoticeKind::FeedbackReminder
            };
            let notice = Notice {
                kind,
                question_id: Some(id),
                subject: &title,
                due: Some(&due_display),
            };
            if remind_once(db, public_url, &panel, id, &key, at, owner, &notice).await? {
                sent += 1;
            }
        }
        if overdue >= escalation_days.max(1) {
            let mut tx = db.begin().await?;
            if claim(&mut tx, id, "escalated", at).await? {
                let notice = Notice {
                    kind: NoticeKind::FeedbackEscalated,
                    question_id: Some(id),
                    subject: &title,
                    due: Some(&due_display),
                };
                notify::notify(
                    &mut tx,
                    public_url,
                    &panel,
                    To::Coordinators(panel_id),
                    0,
                    &notice,
                )
                .await?;
                if !escalation.is_empty() {
                    let link = format!("{public_url}{}", notify::path_of(notice.kind, Some(id)));
                    let message = mail::render(
                        &Mail::Escalation {
                            panel: &panel,
                            title: &title,
                            due: &due_display,
                            days: overdue,
                            link: &link,
                        },
                        Language::Nl,
                    );
                    mail::enqueue(&mut tx, &escalation, &message, at).await?;
                }
                event(
                    &mut tx,
                    id,
                    None,
                    QuestionEvent::FeedbackEscalated,
                    &due_display,
                )
                .await?;
                sent += 1;
            }
            tx.commit().await?;
        }
    }
    sent += follow_up_reminders(db, public_url, at).await?;
    if sent > 0 {
        mail::wake();
    }
    Ok(sent)
}

/// On the day a still-open point was to be decided (and after, if the server was down),
/// its owner is reminded once per point and date: a point stays open until it gets a
/// final answer, and the question cannot close before that.
async fn follow_up_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    let today = clock::iso_date(at);
    let due: Vec<(i64, i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT q.id, r.id, s.follow_up, q.owner_id, p.name, q.title
         FROM responses s JOIN recommendations r ON r.id = s.recommendation_id
         JOIN questions q ON q.id = r.question_id JOIN panels p ON p.id = q.panel_id
         WHERE s.status = 'still_open' AND s.follow_up <= $1 AND q.state = 'advice_sent'
           AND q.owner_id IS NOT NULL",
    )
    .bind(&today)
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for (id, recommendation, follow_up, owner, panel, title) in due {
        let key = format!("follow_up:{recommendation}:{follow_up}");
        let notice = Notice {
            kind: NoticeKind::FeedbackFollowUp,
            question_id: Some(id),
            subject: &title,
            due: Some(&clock::iso_to_display(&follow_up)),
        };
        if remind_once(db, public_url, &panel, id, &key, at, owner, &notice).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims one reminder of a question and, if this run got it, tells the owner in the same
/// transaction. Whether it was sent.
#[allow(clippy::too_many_arguments)]
async fn remind_once(
    db: &Db,
    public_url: &str,
    panel: &str,
    id: i64,
    key: &str,
    at: i64,
    owner: i64,
    notice: &Notice<'_>,
) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let claimed = claim(&mut tx, id, key, at).await?;
    if claimed {
        notify::notify(&mut tx, public_url, panel, To::User(owner), 0, notice).await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Claims one reminder of a question; false if another instance (or an earlier run) did.
async fn claim(conn: &mut AnyConnection, id: i64, key: &str, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO feedback_reminders (question_id, kind, sent_at) VALUES ($1, $2, $3)
         ON CONFLICT (question_id, kind) DO NOTHING",
    )
    .bind(id)
    .bind(key)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Answers not submitted by their due date, for a panel.
pub async fn overdue_count(db: &Db, panel_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM questions WHERE panel_id = $1 AND state = 'advice_sent'
           AND feedback_submitted_at IS NULL AND feedback_due < $2",
    )
    .bind(panel_id)
    .bind(clock::iso_date(now()))
    .fetch_one(db.read())
    .await?;
    Ok(n)
}

// ---------------------------------------------------------------------------------------
// The infographic.

type TextsRow = (
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<i64>,
);

/// What the coordinator edited, or what the structured data suggests: the question in
/// one sentence, the advice summary, and what changes for young people as the owner
/// wrote it.
async fn texts(conn: &mut AnyConnection, id: i64) -> Result<TextsRow, AppError> {
    let row: Option<TextsRow> = sqlx::query_as(
        "SELECT question_line, said, meaning, quote_input_id, theme, published_json, published_at
         FROM infographics WHERE question_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = row {
        return Ok(row);
    }
    let (title, question, summary): (String, String, String) =
        sqlx::query_as("SELECT title, question, advice_summary FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let line = question
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(title.as_str())
        .chars()
        .take(lengths::INFOGRAPHIC_LINE)
        .collect();
    let changes: Vec<(String,)> = sqlx::query_as(
        "SELECT s.changes FROM responses s JOIN recommendations r ON r.id = s.recommendation_id
         WHERE r.question_id = $1 AND s.changes <> '' ORDER BY r.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let meaning = changes
        .into_iter()
        .map(|(c,)| c)
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok((line, summary, meaning, None, "ocean".into(), None, None))
}

/// Inputs whose authors allowed quoting (still standing): (id, number, text). Only these
/// may appear word for word in an infographic: as the quote or among the most recognised.
async fn quotable(conn: &mut AnyConnection, id: i64) -> Result<Vec<QuotableInput>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, body, may_quote FROM inputs
         WHERE question_id = $1 AND withdrawn_at IS NULL AND hidden_reason IS NULL
         ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .filter(|(_, (_, _, may))| *may == 1)
        .map(|(i, (id, body, _))| QuotableInput {
            id,
            number: i64::try_from(i).unwrap_or(0) + 1,
            body,
        })
        .collect())
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_MAX).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

/// The infographic from the edited texts and the structured data as they are now.
async fn build(
    conn: &mut AnyConnection,
    id: i64,
    texts: &TextsRow,
) -> Result<Infographic, AppError> {
    let (line, said, meaning, quote_id, theme, _, _) = texts;
    let (title, panel_name, slug, sent, submitted, kind, created, municipality): (
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        i64,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT q.title, p.name, p.slug, q.advice_sent_at, q.feedback_submitted_at, q.kind,
                q.created_at, m.name
         FROM questions q JOIN panels p ON p.id = q.panel_id
         LEFT JOIN users u ON u.id = q.owner_id
         LEFT JOIN municipalities m ON m.id = u.municipality_id
         WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let top: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.body, COUNT(e.user_id) AS n FROM inputs i
         JOIN endorsements e ON e.input_id = i.id
         WHERE i.question_id = $1 AND i.withdrawn_at IS NULL AND i.hidden_reason IS NULL
           AND i.may_quote = 1
         GROUP BY i.id, i.body ORDER BY n DESC, i.id LIMIT 3",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let quote = match quote_id {
        Some(q) => quotable(conn, id)
            .await?
            .into_iter()
            .find(|i| i.id == *q)
            .map(|i| excerpt(&i.body)),
        None => None,
    };
    let items = responses(conn, id)
        .await?
        .into_iter()
        .map(|r| InfographicItem {
            position: r.position,
            recommendation: r.recommendation,
            status: r.status.unwrap_or(ResponseStatus::StillOpen),
            explanation: if r.reason.is_empty() {
                r.explanation
            } else {
                format!("{}\n\n{}", r.explanation, r.reason)
            },
            follow_up: (!r.follow_up_iso.is_empty()).then_some(r.follow_up),
        })
        .collect();
    // Who took part: gave or endorsed input, or came to a meeting where it was discussed.
    let (members,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE role = 'member' AND id IN (
            SELECT author_id FROM inputs
             WHERE question_id = $1 AND for_group = 0 AND withdrawn_at IS NULL
            UNION SELECT e.user_id FROM endorsements e JOIN inputs i ON i.id = e.input_id
             WHERE i.question_id = $1
            UNION SELECT r.user_id FROM meeting_rsvps r
             JOIN agenda_items a ON a.meeting_id = r.meeting_id
             WHERE a.question_id = $1 AND r.attended = 1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let (meetings,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT m.id) FROM meetings m JOIN agenda_items a ON a.meeting_id = m.id
         WHERE a.question_id = $1 AND m.cancelled_at IS NULL AND m.starts_at <= $2",
    )
    .bind(id)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let days = match (sent, submitted) {
        (Some(s), Some(f)) => Some(((f - s) / 86_400).max(0)),
        _ => None,
    };
    Ok(Infographic {
        question_id: id,
        panel_name,
        panel_slug: slug,
        title,
        question: line.clone(),
        unsolicited: kind == "unsolicited",
        asked_by: if kind == "unsolicited" {
            None
        } else {
            municipality
        },
        asked_on: clock::date(created),
        said: said.clone(),
        top_inputs: top
            .into_iter()
            .take(TOP_INPUTS)
            .map(|(b, _)| excerpt(&b))
            .collect(),
        quote,
        items,
        meaning: meaning.clone(),
        members,
        meetings,
        days,
        theme: ColourTheme::parse(theme).unwrap_or(ColourTheme::Ocean),
        published: None,
    })
}

/// The coordinator's editor: the texts, the quotable inputs, and a preview of the
/// infographic as it would be published now.
pub async fn editor(db: &Db, user: &CurrentUser, id: i64) -> Result<InfographicEditor, AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let mut conn = db.read().acquire().await?;
    let (state, ..) = question_state(&mut conn, user, id).await?;
    if !matches!(state, State::AdviceSent | State::Closed) {
        return Err(refusal(Refusal::WrongState));
    }
    let submitted = submitted_at(&mut conn, id).await?;
    let texts = texts(&mut conn, id).await?;
    let preview = build(&mut conn, id, &texts).await?;
    let (line, said, meaning, quote_id, theme, _, published_at) = texts;
    let slug = preview.panel_slug.clone();
    Ok(InfographicEditor {
        title: preview.title.clone(),
        question_line: line,
        said,
        meaning,
        quote_input_id: quote_id,
        theme: ColourTheme::parse(&theme).unwrap_or(ColourTheme::Ocean),
        quotable: quotable(&mut conn, id).await?,
        feedback_submitted: submitted.is_some(),
        published: published_at.map(clock::date),
        public_path: format!("/p/{slug}/feedback/{id}"),
        closed: state == State::Closed,
        preview,
    })
}

/// The texts the coordinator typed for the infographic.
#[derive(Debug, Clone, Default)]
pub struct InfographicForm {
    pub question_line: String,
    pub said: String,
    pub meaning: String,
    /// An input id, or empty for no quote.
    pub quote: String,
    pub theme: String,
}

/// Publishes the infographic as saved: a fixed copy that later edits do not change until
/// it is published again. The first time, everyone who took part is told.
async fn publish_infographic(
    tx: &mut AnyConnection,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    was_published: bool,
    at: i64,
) -> Result<(), AppError> {
    let texts = texts(&mut *tx, id).await?;
    let mut graphic = build(&mut *tx, id, &texts).await?;
    graphic.published = Some(clock::date(at));
    let json = serde_json::to_string(&graphic)?;
    sqlx::query(
        "UPDATE infographics SET published_json = $1, published_at = $2 WHERE question_id = $3",
    )
    .bind(&json)
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    event(
        &mut *tx,
        id,
        Some(user.id),
        if was_published {
            QuestionEvent::InfographicRepublished
        } else {
            QuestionEvent::InfographicPublished
        },
        "",
    )
    .await?;
    if !was_published {
        notify::notify(
            &mut *tx,
            public_url,
            &user.panel.name,
            To::TookPart(id),
            user.id,
            &Notice {
                kind: NoticeKind::FeedbackPublished,
                question_id: Some(id),
                subject: &graphic.title,
                due: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// The coordinator saves the infographic's texts, and publishes it if `publish`. A
/// published infographic changes only by publishing again (so what young people saw does
/// not change unseen). Publishing needs the owner's submitted answers to every
/// recommendation; the first publication tells everyone who gave or endorsed input or
/// came to a meeting where the question was discussed.
pub async fn save_infographic(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    form: &InfographicForm,
    publish: bool,
) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let (state, ..) = question_state(&mut tx, user, id).await?;
    if state != State::AdviceSent {
        return Err(refusal(Refusal::WrongState));
    }
    let before = texts(&mut tx, id).await?;
    let was_published = before.6.is_some();
    if was_published && !publish {
        return Err(AppError::invalid("infographic", Problem::RepublishNeeded));
    }
    let mut checks = Checks::default();
    let line = checks.check(
        "question_line",
        required_text(&form.question_line, lengths::INFOGRAPHIC_LINE),
    );
    let said = checks.check("said", required_text(&form.said, lengths::FEEDBACK_TEXT));
    let meaning = checks.check(
        "meaning",
        if publish {
            required_text(&form.meaning, lengths::FEEDBACK_TEXT)
        } else {
            long_text(&form.meaning, lengths::FEEDBACK_TEXT)
        },
    );
    let theme = checks.check(
        "theme",
        ColourTheme::parse(form.theme.trim()).ok_or(Problem::InvalidChoice),
    );
    let quote = match form.quote.trim() {
        "" => Some(None),
        q => {
            let allowed = quotable(&mut tx, id).await?;
            checks.check(
                "quote",
                q.parse::<i64>()
                    .ok()
                    .filter(|q| allowed.iter().any(|i| i.id == *q))
                    .map(Some)
                    .ok_or(Problem::NotQuotable),
            )
        }
    };
    if publish {
        let submitted = submitted_at(&mut tx, id).await?;
        let answered = responses(&mut tx, id)
            .await?
            .iter()
            .all(|r| r.status.is_some() && !r.explanation.is_empty());
        if submitted.is_none() || !answered {
            checks.check::<()>("infographic", Err(Problem::FeedbackMissing));
        }
    }
    checks.finish()?;
    let (Some(line), Some(said), Some(meaning), Some(theme), Some(quote)) =
        (line, said, meaning, theme, quote)
    else {
        return Err(AppError::Unexpected);
    };
    let at = now();
    sqlx::query(
        "INSERT INTO infographics (question_id, question_line, said, meaning, quote_input_id,
                                   theme, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (question_id) DO UPDATE SET question_line = excluded.question_line,
            said = excluded.said, meaning = excluded.meaning,
            quote_input_id = excluded.quote_input_id, theme = excluded.theme,
            updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(&line)
    .bind(&said)
    .bind(&meaning)
    .bind(quote)
    .bind(theme.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if publish {
        publish_infographic(&mut tx, public_url, user, id, was_published, at).await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// A published infographic, for anyone (no login): only from the published copy, and
/// only at its own panel's address.
pub async fn published(db: &Db, slug: &str, id: i64) -> Result<Infographic, AppError> {
    frozen(db, id, Some(slug)).await
}

/// A published infographic by question id alone (for its SVG and PNG files).
pub async fn published_by_id(db: &Db, id: i64) -> Result<Infographic, AppError> {
    frozen(db, id, None).await
}

/// The published copy of a question's infographic, of the panel with this address if
/// one is given.
async fn frozen(db: &Db, id: i64, slug: Option<&str>) -> Result<Infographic, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT g.published_json FROM infographics g
         JOIN questions q ON q.id = g.question_id JOIN panels p ON p.id = q.panel_id
         WHERE g.question_id = $1 AND g.published_json IS NOT NULL
           AND ($2 IS NULL OR p.slug = $2)",
    )
    .bind(id)
    .bind(slug)
    .fetch_optional(db.read())
    .await?;
    let (json,) = row.ok_or(AppError::NotFound)?;
    let mut infographic: Infographic = serde_json::from_str(&json)?;
    let mut conn = db.read().acquire().await?;
    let allowed: Vec<String> = quotable(&mut conn, id)
        .await?
        .iter()
        .map(|i| excerpt(&i.body))
        .collect();
    only_quotable(&mut infographic, &allowed);
    Ok(infographic)
}

/// Drops from a published infographic every member's text that is not (or no longer) an
/// input its author allowed to be quoted: consent travels with the words, also into a
/// copy published before, or an input hidden since.
fn only_quotable(infographic: &mut Infographic, allowed: &[String]) {
    infographic.top_inputs.retain(|text| allowed.contains(text));
    if infographic
        .quote
        .as_ref()
        .is_some_and(|q| !allowed.contains(q))
    {
        infographic.quote = None;
    }
}

/// The public page of one infographic, with what the viewer (if a member of the panel)
/// rated it.
pub async fn public_page(
    db: &Db,
    public_url: &str,
    viewer: Option<&CurrentUser>,
    slug: &str,
    id: i64,
) -> Result<PublicInfographic, AppError> {
    let infographic = published(db, slug, id).await?;
    let member = viewer.filter(|u| u.role == Role::Member && u.panel.slug == slug);
    let mine = match member {
        Some(u) => {
            let mut conn = db.read().acquire().await?;
            rating_of(&mut conn, id, u.id).await?
        }
        None => None,
    };
    Ok(PublicInfographic {
        infographic,
        page_url: format!("{public_url}/p/{slug}/feedback/{id}"),
        image_url: format!("{public_url}/infographics/{id}.png"),
        may_rate: member.is_some(),
        my_rating: mine,
    })
}

/// The panel's published infographics, newest first.
pub async fn gallery(db: &Db, panel_id: i64) -> Result<Vec<GalleryItem>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        // From the published infographics to their questions (CROSS JOIN keeps SQLite
        // from walking every question of the panel instead).
        "SELECT g.question_id, q.title, g.published_at FROM infographics g
         CROSS JOIN questions q
         WHERE q.id = g.question_id AND q.panel_id = $1 AND g.published_at IS NOT NULL
         ORDER BY g.published_at DESC, g.question_id DESC",
    )
    .bind(panel_id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, at)| GalleryItem {
            id,
            title,
            published: clock::date(at),
        })
        .collect())
}

/// A member rates a published infographic ("was dit duidelijk?", 1 to 5, with an
/// optional comment). Again changes the earlier rating.
pub async fn rate(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    score: &str,
    comment: &str,
) -> Result<(), AppError> {
    if user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    let score = checks.check(
        "score",
        score
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or(Problem::OutOfRange { min: 1, max: 5 }),
    );
    let comment = checks.check("comment", long_text(comment, lengths::RATING_COMMENT));
    checks.finish()?;
    // Only an infographic of the member's own panel that is published.
    published(db, &user.panel.slug, id).await?;
    sqlx::query(
        "INSERT INTO feedback_ratings (question_id, user_id, score, comment, at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (question_id, user_id)
         DO UPDATE SET score = excluded.score, comment = excluded.comment, at = excluded.at",
    )
    .bind(id)
    .bind(user.id)
    .bind(score.unwrap_or(3))
    .bind(comment.unwrap_or_default())
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(())
}

/// The coordinator closes a question: only once its infographic is published and no
/// recommendation is still open.
pub async fn close(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    let to = lifecycle::next(
        state,
        Action::Close,
        super::questions::actor_of(user, owner, creator),
    )
    .map_err(refusal)?;
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
    let done = sqlx::query(
        "UPDATE questions SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(id)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    event(&mut tx, id, Some(user.id), QuestionEvent::Closed, "").await?;
    Ok(tx.commit().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_fall_a_week_before_on_the_day_and_weekly_after() {
        assert_eq!(reminder_key(-8), None);
        assert_eq!(reminder_key(-7).as_deref(), Some("before"));
        assert_eq!(reminder_key(-1).as_deref(), Some("before"));
        assert_eq!(reminder_key(0).as_deref(), Some("due"));
        assert_eq!(reminder_key(6).as_deref(), Some("due"));
        assert_eq!(reminder_key(7).as_deref(), Some("week1"));
        assert_eq!(reminder_key(13).as_deref(), Some("week1"));
        assert_eq!(reminder_key(14).as_deref(), Some("week2"));
    }

    #[test]
    fn overdue_days_count_amsterdam_days() {
        // 2026-11-29 23:30 UTC is already 30 November in Amsterdam.
        let at = 1_795_995_000; // 2026-11-29T23:30:00Z
        assert_eq!(clock::iso_date(at), "2026-11-30");
        assert_eq!(days_overdue("2026-11-29", at), Some(1));
        assert_eq!(days_overdue("2026-12-06", at), Some(-6));
        assert_eq!(days_overdue("garbage", at), None);
    }
}
