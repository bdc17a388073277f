//! Reminders and escalation when the answer is late: a week before, on the day and weekly
//! after; reminders of still-open points and of recommendations whose expected day
//! passed without an update; each sent once also with several instances.

use super::responses::days_overdue;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail::{self, Mail};
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::store::event;
use crate::domain::{clock, Language};
use crate::error::AppError;
use crate::model::{NoticeKind, QuestionEvent};
use sqlx::AnyConnection;

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

/// An answer that is still being waited for.
#[derive(sqlx::FromRow)]
struct Waiting {
    id: i64,
    feedback_due: String,
    owner_id: Option<i64>,
    escalation_email: String,
    panel_id: i64,
    panel: String,
    escalation_days: i64,
    title: String,
}

/// Sends what is due of the reminders to owners whose answer is not submitted (7 days
/// before, on the day, weekly after) and, once the answer is the panel's escalation days
/// late, tells the coordinators and the escalation address; reminds owners of still-open
/// points on their follow-up date, and of recommendations whose expected day passed
/// without an update. Each is claimed by inserting its key, so with several instances
/// each goes out once. Nothing goes out before 08:00 Amsterdam time. Returns how many
/// reminders and escalations were sent.
pub async fn send_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    if clock::local_parts(at).3 < 8 {
        return Ok(0);
    }
    let waiting: Vec<Waiting> = sqlx::query_as(
        "SELECT q.id, q.feedback_due, q.owner_id, q.escalation_email, q.panel_id,
                    p.name AS panel, p.escalation_days, q.title
             FROM questions q JOIN panels p ON p.id = q.panel_id
             WHERE q.state = 'advice_sent' AND q.feedback_submitted_at IS NULL
               AND q.feedback_due IS NOT NULL",
    )
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for Waiting {
        id,
        feedback_due: due,
        owner_id: owner,
        escalation_email: escalation,
        panel_id,
        panel,
        escalation_days,
        title,
    } in waiting
    {
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
            if remind_once(
                db,
                public_url,
                &panel,
                id,
                &key,
                at,
                To::User(owner),
                &notice,
            )
            .await?
            {
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
                    )?;
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
    sent += progress_reminders(db, public_url, at).await?;
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
        if remind_once(
            db,
            public_url,
            &panel,
            id,
            &key,
            at,
            To::User(owner),
            &notice,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// A recommendation being carried out whose expected day has passed without an update.
#[derive(sqlx::FromRow)]
struct Stalled {
    question_id: i64,
    recommendation_id: i64,
    expected_on: String,
    owner_id: Option<i64>,
    panel_id: i64,
    panel: String,
    title: String,
}

/// The day after a recommendation was expected to be done (and after, if the server was
/// down), while its newest update still says planned or in progress, its owner is
/// reminded once per recommendation and date (the coordinators, if the question has no
/// owner). A new update with a new date is a new reminder when that date passes.
async fn progress_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    let stalled: Vec<Stalled> = sqlx::query_as(
        "SELECT q.id AS question_id, u.recommendation_id, u.expected_on, q.owner_id,
                q.panel_id, p.name AS panel, q.title
         FROM progress_updates u JOIN recommendations r ON r.id = u.recommendation_id
         JOIN questions q ON q.id = r.question_id JOIN panels p ON p.id = q.panel_id
         WHERE u.id IN (SELECT MAX(id) FROM progress_updates GROUP BY recommendation_id)
           AND u.state IN ('planned', 'in_progress') AND u.expected_on < $1",
    )
    .bind(clock::iso_date(at))
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for s in stalled {
        let key = format!("progress:{}:{}", s.recommendation_id, s.expected_on);
        let notice = Notice {
            kind: NoticeKind::ProgressOverdue,
            question_id: Some(s.question_id),
            subject: &s.title,
            due: Some(&clock::iso_to_display(&s.expected_on)),
        };
        let to = s.owner_id.map_or(To::Coordinators(s.panel_id), To::User);
        if remind_once(
            db,
            public_url,
            &s.panel,
            s.question_id,
            &key,
            at,
            to,
            &notice,
        )
        .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims one reminder of a question and, if this run got it, tells `to` in the same
/// transaction. Whether it was sent.
#[allow(clippy::too_many_arguments)]
async fn remind_once(
    db: &Db,
    public_url: &str,
    panel: &str,
    id: i64,
    key: &str,
    at: i64,
    to: To,
    notice: &Notice<'_>,
) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let claimed = claim(&mut tx, id, key, at).await?;
    if claimed {
        notify::notify(&mut tx, public_url, panel, to, 0, notice).await?;
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
