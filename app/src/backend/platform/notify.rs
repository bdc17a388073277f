//! Notifications: an in-app list per person, and e-mail by each person's preference —
//! at once (queued in the outbox in the same transaction as the change), in a weekly
//! digest (Monday morning, Amsterdam time), or not at all.
//!
//! The digest is claimed per person with one conditional `UPDATE` of `users.digest_at`,
//! so when several instances share a database each digest goes out once.

use super::db::{now, Db};
use super::mail::{self, DigestLine, Mail};
use super::paging;
use crate::domain::{clock, Language};
use crate::error::AppError;
use crate::model::{CurrentUser, NoticeKind, NotificationView, OlderPages};
use sqlx::AnyConnection;

/// Who hears about it.
#[derive(Debug, Clone, Copy)]
pub enum To {
    User(i64),
    /// Every active member of the panel.
    Members(i64),
    /// Every active coordinator of the panel.
    Coordinators(i64),
    /// The members who took part in a question: gave or endorsed input, or attended a
    /// meeting where it was on the agenda.
    TookPart(i64),
}

/// What happened, about what.
pub struct Notice<'a> {
    pub kind: NoticeKind,
    pub question_id: Option<i64>,
    /// The question's title or the theme's name.
    pub subject: &'a str,
    /// Advice sent: the date feedback is due (`dd-mm-yyyy`).
    pub due: Option<&'a str>,
}

/// Where a notice leads, as a path.
pub fn path_of(kind: NoticeKind, question_id: Option<i64>) -> String {
    match (kind, question_id) {
        (NoticeKind::ThemeProposed, _) => "/themes".into(),
        (_, Some(id)) => format!("/questions/{id}"),
        (_, None) => "/notifications".into(),
    }
}

/// Records the notice for everyone in `to` except `actor` (nobody is told what they did
/// themselves) and queues the e-mail of those who want it at once. Runs inside the
/// caller's transaction; call `mail::wake()` after the commit.
pub async fn notify(
    conn: &mut AnyConnection,
    public_url: &str,
    panel_name: &str,
    to: To,
    actor: i64,
    notice: &Notice<'_>,
) -> Result<(), AppError> {
    let (filter, key) = match to {
        To::User(id) => ("id = $1", id),
        To::Members(panel) => ("panel_id = $1 AND role = 'member'", panel),
        To::Coordinators(panel) => ("panel_id = $1 AND role = 'coordinator'", panel),
        To::TookPart(question) => (
            "role = 'member' AND id IN (SELECT author_id FROM inputs
                     WHERE question_id = $1 AND for_group = 0 AND withdrawn_at IS NULL
                    UNION SELECT e.user_id FROM endorsements e
                      JOIN inputs i ON i.id = e.input_id WHERE i.question_id = $1
                    UNION SELECT r.user_id FROM meeting_rsvps r
                      JOIN agenda_items a ON a.meeting_id = r.meeting_id
                      WHERE a.question_id = $1 AND r.attended = 1)",
            question,
        ),
    };
    let people: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
        "SELECT id, email, language, notify FROM users
         WHERE {filter} AND active = 1 AND id <> $2 ORDER BY id"
    ))
    .bind(key)
    .bind(actor)
    .fetch_all(&mut *conn)
    .await?;
    let at = now();
    let link = format!("{public_url}{}", path_of(notice.kind, notice.question_id));
    for (user_id, email, language, preference) in people {
        let at_once = preference == "immediately" || notice.kind.always_mailed();
        sqlx::query(
            "INSERT INTO notifications (user_id, question_id, kind, subject, created_at, mailed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(notice.question_id)
        .bind(notice.kind.as_str())
        .bind(notice.subject)
        .bind(at)
        .bind(at_once.then_some(at))
        .execute(&mut *conn)
        .await?;
        if at_once && !email.is_empty() {
            let message = mail::render(
                &Mail::Notice {
                    panel: panel_name,
                    kind: notice.kind,
                    subject: notice.subject,
                    link: &link,
                    due: notice.due,
                },
                Language::from_db(&language),
            )?;
            mail::enqueue(&mut *conn, &email, &message, at).await?;
        }
    }
    Ok(())
}

/// How many notices the person has not seen.
pub async fn unread(db: &Db, user: &CurrentUser) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user.id)
            .fetch_one(db.read())
            .await?;
    Ok(n)
}

/// Notices per page of the list.
pub const NOTICES_PER_PAGE: i64 = 50;

/// A page of the person's notices, newest first, starting after `cursor` (empty: the
/// newest); the unread ones on it are marked `new` and from now on count as read.
pub async fn list_and_mark_read(
    db: &Db,
    user: &CurrentUser,
    cursor: &str,
) -> Result<OlderPages<NotificationView>, AppError> {
    type Row = (i64, String, Option<i64>, String, i64, Option<i64>);
    let (at, id) = paging::older_bounds(cursor);
    let mut rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, question_id, subject, created_at, read_at FROM notifications
         WHERE user_id = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3))
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(user.id)
    .bind(at)
    .bind(id)
    .bind(NOTICES_PER_PAGE + 1)
    .fetch_all(db.read())
    .await?;
    let more = paging::cut_to_page(&mut rows, NOTICES_PER_PAGE);
    let older = rows
        .last()
        .filter(|_| more)
        .map(|r| paging::Cursor::older_than(r.4, r.0));
    // Only what this page shows counts as seen: older unread notices stay new (and
    // counted) until their page is opened.
    if let Some(last) = rows.last().filter(|_| rows.iter().any(|r| r.5.is_none())) {
        sqlx::query(
            "UPDATE notifications SET read_at = $1
             WHERE user_id = $2 AND read_at IS NULL
               AND (created_at < $3 OR (created_at = $3 AND id < $4))
               AND (created_at > $5 OR (created_at = $5 AND id >= $6))",
        )
        .bind(now())
        .bind(user.id)
        .bind(at)
        .bind(id)
        .bind(last.4)
        .bind(last.0)
        .execute(db.write())
        .await?;
    }
    let items = rows
        .into_iter()
        .filter_map(|(id, kind, question_id, subject, at, read)| {
            let kind = NoticeKind::from_db(&kind)?;
            Some(NotificationView {
                id,
                kind,
                href: path_of(kind, question_id),
                subject,
                at: clock::date_time(at),
                new: read.is_none(),
            })
        })
        .collect();
    Ok(OlderPages { items, older })
}

/// Sends the weekly digest to everyone who chose it and has unread, unmailed notices
/// from before this week's digest moment. Returns how many digests were queued.
pub async fn send_digests(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    let moment = clock::weekly_digest_moment(at);
    let due: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.language, p.name FROM users u JOIN panels p ON p.id = u.panel_id
         WHERE u.notify = 'weekly' AND u.active = 1
           AND (u.digest_at IS NULL OR u.digest_at < $1)
           AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id
                       AND n.mailed_at IS NULL AND n.read_at IS NULL AND n.created_at < $1)",
    )
    .bind(moment)
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for (user_id, email, language, panel) in due {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE users SET digest_at = $1
             WHERE id = $2 AND (digest_at IS NULL OR digest_at < $1)",
        )
        .bind(moment)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            continue; // another instance sends this one
        }
        let rows: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, kind, question_id, subject FROM notifications
             WHERE user_id = $1 AND mailed_at IS NULL AND read_at IS NULL AND created_at < $2
             ORDER BY created_at, id",
        )
        .bind(user_id)
        .bind(moment)
        .fetch_all(&mut *tx)
        .await?;
        let lines: Vec<DigestLine> = rows
            .iter()
            .filter_map(|(_, kind, question_id, subject)| {
                let kind = NoticeKind::from_db(kind)?;
                Some(DigestLine {
                    kind,
                    subject: subject.clone(),
                    link: format!("{public_url}{}", path_of(kind, *question_id)),
                })
            })
            .collect();
        if !lines.is_empty() && !email.is_empty() {
            let message = mail::render(
                &Mail::Digest {
                    panel: &panel,
                    lines: &lines,
                    link: &format!("{public_url}/notifications"),
                },
                Language::from_db(&language),
            )?;
            mail::enqueue(&mut tx, &email, &message, at).await?;
            sent += 1;
        }
        for (id, ..) in &rows {
            sqlx::query("UPDATE notifications SET mailed_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    if sent > 0 {
        mail::wake();
    }
    Ok(sent)
}
