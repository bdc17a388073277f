//! Telling invitees about a meeting, a move or a cancellation: the mail with its calendar
//! invitation (iCalendar `REQUEST` or `CANCEL`).

use super::store::Row;
use crate::backend::platform::db::now;
use crate::backend::platform::ical::{self, Event};
use crate::backend::platform::mail::{self, Mail};
use crate::domain::{clock, Language};
use crate::error::AppError;
use leptos_i18n::td_string;
use sqlx::AnyConnection;

/// Someone invited to a meeting, as far as telling them needs.
#[derive(sqlx::FromRow)]
pub(crate) struct Invitee {
    pub id: i64,
    pub email: String,
    pub language: String,
}

/// Everyone invited: the panel's active members and coordinators, and the meeting's guests.
pub(crate) async fn invitees(
    conn: &mut AnyConnection,
    panel_id: i64,
    meeting_id: i64,
) -> Result<Vec<Invitee>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.language
         FROM users u
         LEFT JOIN meeting_guests g ON g.meeting_id = $2 AND g.user_id = u.id
         WHERE u.panel_id = $1 AND u.active = 1
           AND (u.role IN ('member', 'coordinator') OR g.user_id IS NOT NULL)
         ORDER BY CASE u.role WHEN 'coordinator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END,
                  u.display_name",
    )
    .bind(panel_id)
    .bind(meeting_id)
    .fetch_all(conn)
    .await?)
}

fn host_of(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("klankbord")
}

/// A meeting as an iCalendar event.
pub(crate) fn event(
    public_url: &str,
    panel_name: &str,
    row: &Row,
    agenda: &[(String, i64)],
    language: Language,
) -> Event {
    let mut description: Vec<String> = agenda
        .iter()
        .enumerate()
        .map(|(i, (title, minutes))| format!("{}. {title} ({minutes} min)", i + 1))
        .collect();
    if row.cancelled && !row.cancel_reason.is_empty() {
        description.insert(0, row.cancel_reason.clone());
    }
    let url = format!("{public_url}/meetings/{}", row.id);
    description.push(url.clone());
    let mut location = row.location.clone();
    if !row.online_url.is_empty() {
        if !location.is_empty() {
            location.push_str(" / ");
        }
        location.push_str(&row.online_url);
    }
    Event {
        uid: format!("meeting-{}@{}", row.id, host_of(public_url)),
        sequence: row.sequence,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        stamp: now(),
        summary: format!(
            "{} {panel_name}",
            td_string!(language.locale(), meetings.meeting_title)
        ),
        description: description.join("\n"),
        location,
        url,
        cancelled: row.cancelled,
    }
}

pub(crate) async fn agenda_titles(
    conn: &mut AnyConnection,
    meeting_id: i64,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT title, duration_minutes FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?)
}

/// `di 20-10-2026 19:00–21:00`-style text for mails.
pub(crate) fn when_text(row: &Row, language: Language) -> String {
    let locale = language.locale();
    let day = match clock::local_weekday(row.starts_at) {
        1 => td_string!(locale, meetings.monday),
        2 => td_string!(locale, meetings.tuesday),
        3 => td_string!(locale, meetings.wednesday),
        4 => td_string!(locale, meetings.thursday),
        5 => td_string!(locale, meetings.friday),
        6 => td_string!(locale, meetings.saturday),
        _ => td_string!(locale, meetings.sunday),
    };
    format!(
        "{day} {} {}–{}",
        clock::date(row.starts_at),
        clock::time(row.starts_at),
        clock::time(row.ends_at)
    )
}

pub(crate) fn place_text(row: &Row) -> String {
    [row.location.as_str(), row.online_url.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tell {
    Moved,
    Cancelled,
    Reminder,
}

/// Mails everyone in `people` about the meeting, with the meeting as .ics.
pub(crate) async fn tell(
    conn: &mut AnyConnection,
    public_url: &str,
    panel_name: &str,
    row: &Row,
    people: &[Invitee],
    what: Tell,
) -> Result<(), AppError> {
    let agenda = agenda_titles(&mut *conn, row.id).await?;
    let link = format!("{public_url}/meetings/{}", row.id);
    let at = now();
    for Invitee {
        email, language, ..
    } in people
    {
        if email.is_empty() {
            continue;
        }
        let language = Language::from_db(language);
        let when = when_text(row, language);
        let place = place_text(row);
        let mail_kind = match what {
            Tell::Moved => Mail::MeetingMoved {
                panel: panel_name,
                when: &when,
                place: &place,
                link: &link,
            },
            Tell::Cancelled => Mail::MeetingCancelled {
                panel: panel_name,
                when: &when,
                reason: &row.cancel_reason,
                link: &link,
            },
            Tell::Reminder => Mail::MeetingReminder {
                panel: panel_name,
                when: &when,
                place: &place,
                link: &link,
            },
        };
        let mut message = mail::render(&mail_kind, language)?;
        message.calendar = Some(ical::calendar(
            panel_name,
            &[event(public_url, panel_name, row, &agenda, language)],
        ));
        mail::enqueue(&mut *conn, email, &message, at).await?;
    }
    Ok(())
}
