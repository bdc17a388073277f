//! Reading meetings. Who sees a meeting: the panel's members and coordinators see every
//! meeting of their panel; a policy maker sees only meetings they are a guest of (others
//! are "not found").

use crate::backend::platform::db;
use crate::backend::platform::db::{now, Db};
use crate::domain::Role;
use crate::error::AppError;
use crate::model::{CurrentUser, MeetingSummary, MinutesState};

/// Only a coordinator plans meetings, their agenda and minutes.
pub(crate) fn coordinator(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Coordinator {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A meeting's row as the services need it.
pub(crate) struct Row {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location: String,
    pub online_url: String,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub in_series: bool,
    pub sequence: i64,
}

/// A meeting as stored, read with `ROW_COLUMNS`.
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    location: String,
    online_url: String,
    cancelled_at: Option<i64>,
    cancel_reason: String,
    series_id: Option<i64>,
    sequence: i64,
}

/// The columns of a `Row`, for `SELECT … FROM meetings m`.
pub(crate) const ROW_COLUMNS: &str =
    "m.id, m.starts_at, m.ends_at, m.location, m.online_url, m.cancelled_at,
                m.cancel_reason, m.series_id, m.sequence";

impl From<Stored> for Row {
    fn from(m: Stored) -> Self {
        Row {
            id: m.id,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            location: m.location,
            online_url: m.online_url,
            cancelled: m.cancelled_at.is_some(),
            cancel_reason: m.cancel_reason,
            in_series: m.series_id.is_some(),
            sequence: m.sequence,
        }
    }
}

/// The meeting if the viewer may see it (their panel; a policy maker only as a guest).
pub(crate) async fn load(db: &Db, user: &CurrentUser, id: i64) -> Result<Row, AppError> {
    let row: Option<Stored> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM meetings m
         WHERE m.id = $1 AND m.panel_id = $2
           AND ($3 <> 'policy_maker'
                OR EXISTS (SELECT 1 FROM meeting_guests g WHERE g.meeting_id = m.id AND g.user_id = $4))"
    ))
    .bind(id)
    .bind(user.panel.id)
    .bind(user.role.as_str())
    .bind(user.id)
    .fetch_optional(db.read())
    .await?;
    row.map(Row::from).ok_or(AppError::NotFound)
}

/// Where a meeting's minutes are, and until when members may comment on a draft.
pub async fn minutes_of(db: &Db, meeting_id: i64) -> Result<(MinutesState, Option<i64>), AppError> {
    let (state, until): (String, Option<i64>) =
        sqlx::query_as("SELECT minutes_state, minutes_comments_until FROM meetings WHERE id = $1")
            .bind(meeting_id)
            .fetch_one(db.read())
            .await?;
    Ok((
        MinutesState::from_db(&state).ok_or(AppError::Unexpected)?,
        until,
    ))
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    location: String,
    online_url: String,
    cancelled_at: Option<i64>,
    my_answer: Option<String>,
    coming: i64,
    attended: Option<i64>,
    agenda: Option<String>,
}

/// Upcoming (soonest first) or past (latest first) meetings of the viewer's panel, with
/// their agenda titles joined in the same query; `held_only` leaves out cancelled ones.
pub(crate) async fn summaries(
    db: &Db,
    user: &CurrentUser,
    upcoming: bool,
    at: i64,
    limit: i64,
    held_only: bool,
) -> Result<Vec<MeetingSummary>, AppError> {
    let (cmp, order) = if upcoming {
        ("m.ends_at > $3", "m.starts_at")
    } else {
        ("m.ends_at <= $3", "m.starts_at DESC")
    };
    let held = if held_only {
        " AND m.cancelled_at IS NULL"
    } else {
        ""
    };
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT m.id, m.starts_at, m.ends_at, m.location, m.online_url, m.cancelled_at,
                (SELECT r.answer FROM meeting_rsvps r
                  WHERE r.meeting_id = m.id AND r.user_id = $2) AS my_answer,
                (SELECT COUNT(*) FROM meeting_rsvps r
                  WHERE r.meeting_id = m.id AND r.answer = 'yes') AS coming,
                (SELECT r.attended FROM meeting_rsvps r
                  WHERE r.meeting_id = m.id AND r.user_id = $2) AS attended,
                (SELECT string_agg(a.title, '{sep}' ORDER BY a.position, a.id)
                   FROM agenda_items a WHERE a.meeting_id = m.id) AS agenda
         FROM meetings m
         WHERE m.panel_id = $1 AND {cmp}{held}
           AND ($4 <> 'policy_maker'
                OR EXISTS (SELECT 1 FROM meeting_guests g WHERE g.meeting_id = m.id AND g.user_id = $2))
         ORDER BY {order} LIMIT $5",
        sep = db::JOINED,
    ))
    .bind(user.panel.id)
    .bind(user.id)
    .bind(at)
    .bind(user.role.as_str())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MeetingSummary {
            id: r.id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            location: r.location,
            online_url: r.online_url,
            cancelled: r.cancelled_at.is_some(),
            my_answer: r.my_answer.unwrap_or_default(),
            agenda: db::split_joined(r.agenda),
            coming: r.coming,
            attended: r.attended.map(|a| a == 1),
            past: r.ends_at <= at,
        })
        .collect())
}

/// The next meetings for a home page (at most three, not cancelled).
pub async fn next_meetings(db: &Db, user: &CurrentUser) -> Result<Vec<MeetingSummary>, AppError> {
    summaries(db, user, true, now(), 3, true).await
}

/// The policy makers of the panel, for the guest choice: (id, name, municipality).
pub async fn policy_makers(db: &Db, user: &CurrentUser) -> Result<Vec<(i64, String)>, AppError> {
    coordinator(user)?;
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name || COALESCE(' (' || m.name || ')', '')
         FROM users u LEFT JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.panel_id = $1 AND u.role = 'policy_maker' AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(user.panel.id)
    .fetch_all(db.read())
    .await?)
}
