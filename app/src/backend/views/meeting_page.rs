//! The meetings page and one meeting's page: the meeting with its agenda and answers,
//! and the parts other domains add to it (the minutes' comments, travel claims, the
//! hourly rate). The only place that combines those domains for a meeting.

use crate::backend::meetings::{self, store::load, store::summaries, store::Row};
use crate::backend::platform::db::{now, Db};
use crate::backend::{meetings::compensation, meetings::minutes, platform::rich_text};
use crate::domain::{clock, Role};
use crate::error::AppError;
use crate::lifecycle::State;
use crate::model::{
    AgendaItemView, AgendaQuestion, AnswerCounts, CurrentUser, InviteeView, MeetingView,
    MeetingsPage, MinutesState,
};

/// The meetings page: upcoming meetings, the latest past ones, and the viewer's own
/// attendance record.
pub async fn page(db: &Db, user: &CurrentUser) -> Result<MeetingsPage, AppError> {
    let at = now();
    let (attended, recorded): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN r.attended = 1 THEN 1 ELSE 0 END), 0),
                COUNT(r.attended)
         FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id
         WHERE r.user_id = $1 AND m.panel_id = $2 AND m.cancelled_at IS NULL",
    )
    .bind(user.id)
    .bind(user.panel.id)
    .fetch_one(db.read())
    .await?;
    Ok(MeetingsPage {
        upcoming: summaries(db, user, true, at, 50, false).await?,
        past: summaries(db, user, false, at, 20, false).await?,
        may_plan: user.role == Role::Coordinator,
        attended,
        attendance_recorded: recorded,
        hourly_rate: if user.role == Role::Coordinator {
            compensation::euros(compensation::rate(db, user).await?)
        } else {
            String::new()
        },
        open_claims: compensation::open_claims(db, user).await?,
        year: clock::year(at),
    })
}

/// One agenda item, as [`agenda`] reads it.
#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    title: String,
    duration_minutes: i64,
    question_id: Option<i64>,
    question_title: Option<String>,
    background: Option<String>,
    guest: Option<String>,
    minutes: String,
    state: Option<String>,
    group_input: Option<String>,
}

/// The meeting's agenda. An item shows its question only once the question is the
/// panel's (accepted or later), also for an item linked before that was checked.
async fn agenda(db: &Db, user: &CurrentUser, id: i64) -> Result<Vec<AgendaItemView>, AppError> {
    let items: Vec<ItemRow> = sqlx::query_as(
        "SELECT a.id, a.title, a.duration_minutes, a.question_id, q.title AS question_title,
                q.background,
                (SELECT u.display_name FROM meeting_guests g JOIN users u ON u.id = g.user_id
                 WHERE g.agenda_item_id = a.id LIMIT 1) AS guest,
                a.minutes, q.state,
                (SELECT i.body FROM inputs i WHERE i.agenda_item_id = a.id
                   AND i.question_id = a.question_id AND i.withdrawn_at IS NULL LIMIT 1)
                  AS group_input
         FROM agenda_items a LEFT JOIN questions q ON q.id = a.question_id
         WHERE a.meeting_id = $1 ORDER BY a.position, a.id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let linkable = item
                .state
                .as_deref()
                .and_then(State::from_db)
                .is_some_and(State::accepted_or_later);
            AgendaItemView {
                id: item.id,
                position: i64::try_from(i).unwrap_or(0) + 1,
                title: item.title,
                duration_minutes: item.duration_minutes,
                question_id: item.question_id.filter(|_| linkable),
                question_title: item.question_title.filter(|_| linkable),
                question_background_html: item
                    .background
                    .filter(|_| linkable)
                    .map(|b| rich_text::to_html(&b))
                    .unwrap_or_default(),
                guest: item.guest,
                minutes: item.minutes,
                question_open: item.state.as_deref() == Some("collecting_input"),
                // Only the coordinator writes the minutes (and sees this in the form).
                group_input: item
                    .group_input
                    .filter(|_| user.role == Role::Coordinator)
                    .unwrap_or_default(),
            }
        })
        .collect())
}

/// One person invited, with their answer, as [`invitees`] reads it.
#[derive(sqlx::FromRow)]
struct InviteeRow {
    id: i64,
    display_name: String,
    role: String,
    guest: i64,
    answer: Option<String>,
    attended: Option<i64>,
}

/// Who is invited and what they answered: the counts, the viewer's own answer, and the
/// people. Names of who is coming stay inside the panel; guests see the counts.
async fn invitees(
    db: &Db,
    user: &CurrentUser,
    id: i64,
) -> Result<(AnswerCounts, String, Vec<InviteeView>), AppError> {
    let people: Vec<InviteeRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.role,
                CASE WHEN g.user_id IS NULL THEN 0 ELSE 1 END AS guest, r.answer, r.attended
         FROM users u
         LEFT JOIN meeting_guests g ON g.meeting_id = $2 AND g.user_id = u.id
         LEFT JOIN meeting_rsvps r ON r.meeting_id = $2 AND r.user_id = u.id
         WHERE u.panel_id = $1 AND u.active = 1
           AND (u.role IN ('member', 'coordinator') OR g.user_id IS NOT NULL)
         ORDER BY CASE u.role WHEN 'coordinator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END,
                  u.display_name",
    )
    .bind(user.panel.id)
    .bind(id)
    .fetch_all(db.read())
    .await?;
    let mut counts = AnswerCounts::default();
    let mut my_answer = String::new();
    let mut views = Vec::with_capacity(people.len());
    for person in people {
        let answer = person.answer.unwrap_or_default();
        match answer.as_str() {
            "yes" => counts.yes += 1,
            "no" => counts.no += 1,
            "maybe" => counts.maybe += 1,
            _ => counts.open += 1,
        }
        if person.id == user.id {
            my_answer = answer.clone();
        }
        views.push(InviteeView {
            user_id: person.id,
            name: person.display_name,
            role: Role::from_db(&person.role).unwrap_or(Role::Member),
            guest: person.guest == 1,
            answer,
            attended: person.attended.map(|a| a == 1),
        });
    }
    if user.role == Role::PolicyMaker {
        views.clear();
    }
    Ok((counts, my_answer, views))
}

/// The questions a coordinator can put on the agenda.
async fn agenda_questions(db: &Db, user: &CurrentUser) -> Result<Vec<AgendaQuestion>, AppError> {
    let list: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT q.id, q.title, u.display_name FROM questions q
         LEFT JOIN users u ON u.id = q.owner_id
         WHERE q.panel_id = $1 AND q.state IN ('accepted', 'collecting_input', 'advice_drafted')
         ORDER BY q.updated_at DESC LIMIT 100",
    )
    .bind(user.panel.id)
    .fetch_all(db.read())
    .await?;
    Ok(list
        .into_iter()
        .map(|(id, title, owner)| AgendaQuestion { id, title, owner })
        .collect())
}

/// One meeting with its agenda and answers, as the viewer may see it.
pub async fn detail(db: &Db, user: &CurrentUser, id: i64) -> Result<MeetingView, AppError> {
    let row: Row = load(db, user, id).await?;
    let at = now();
    let agenda = agenda(db, user, id).await?;
    let (counts, my_answer, invitees) = invitees(db, user, id).await?;
    let may_plan = user.role == Role::Coordinator;
    let questions = if may_plan && !row.cancelled {
        agenda_questions(db, user).await?
    } else {
        Vec::new()
    };
    let (y, m, d, _, _) = clock::local_parts(row.starts_at);
    let (minutes_state, comments_until) = meetings::store::minutes_of(db, id).await?;
    let in_panel = user.role != Role::PolicyMaker;
    let comments = if in_panel && minutes_state != MinutesState::NotWritten {
        minutes::comments(db, id).await?
    } else {
        Vec::new()
    };
    let may_comment =
        in_panel && minutes_state == MinutesState::Draft && comments_until.is_some_and(|u| u > at);
    // Draft minutes stay inside the panel; a guest reads them once published.
    let agenda: Vec<AgendaItemView> = if in_panel || minutes_state == MinutesState::Published {
        agenda
    } else {
        agenda
            .into_iter()
            .map(|item| AgendaItemView {
                minutes: String::new(),
                ..item
            })
            .collect()
    };
    let claims = if in_panel {
        compensation::claims(db, user, id).await?
    } else {
        Vec::new()
    };
    let absent = invitees
        .iter()
        .any(|p| p.user_id == user.id && p.attended == Some(false));
    let may_claim = user.role == Role::Member && !row.cancelled && row.starts_at <= at && !absent;
    Ok(MeetingView {
        id: row.id,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        date_iso: format!("{y:04}-{m:02}-{d:02}"),
        starts_time: clock::time(row.starts_at),
        ends_time: clock::time(row.ends_at),
        location: row.location,
        online_url: row.online_url,
        cancelled: row.cancelled,
        cancel_reason: row.cancel_reason,
        in_series: row.in_series,
        started: row.starts_at <= at,
        past: row.ends_at <= at,
        agenda,
        counts,
        invitees,
        my_answer,
        may_answer: !row.cancelled && row.ends_at > at,
        may_plan,
        questions,
        minutes_state,
        minutes_comments_until: comments_until,
        comments,
        may_comment,
        claims,
        may_claim,
    })
}
