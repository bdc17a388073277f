//! Scheduling panel meetings: a series every N weeks (each meeting stored on its own, so it
//! can be moved or cancelled), meetings added on their own, moving and cancelling.
//!
//! Times are entered as Amsterdam clock times and stored as moments (UTC seconds),
//! computed per date with the daylight-saving rules, so a series at 19:00 stays at 19:00
//! when the clocks change.

use super::notices::{invitees, tell, Invitee, Tell};
use super::store::{coordinator, load, Row};
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::domain::lengths;
use crate::domain::{clock, long_text, required_text, Problem};
use crate::error::{AppError, Checks};
use crate::model::CurrentUser;
use sqlx::AnyConnection;

/// A series makes meetings for at most a year ahead; a new series continues it.
pub const SERIES_DAYS_MAX: i64 = 366;
/// When and where, as typed in the form (Amsterdam date and clock times).
#[derive(Debug, Clone, Default)]
pub struct When {
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub location: String,
    pub online_url: String,
}

/// A validated `When`: the date, start and end in minutes after midnight, the place.
pub(crate) struct Checked {
    date: (i64, i64, i64),
    starts: i64,
    ends: i64,
    location: String,
    online_url: String,
}

impl Checked {
    fn moments(&self, date: (i64, i64, i64)) -> (i64, i64) {
        let (y, m, d) = date;
        (
            clock::amsterdam_moment(y, m, d, self.starts),
            clock::amsterdam_moment(y, m, d, self.ends),
        )
    }
}

fn check_when(checks: &mut Checks, when: &When, at: i64) -> Option<Checked> {
    let date = checks.check(
        "date",
        clock::parse_iso_date(&when.date).ok_or(Problem::InvalidDate),
    );
    let starts = checks.check(
        "starts",
        clock::parse_time(&when.starts).ok_or(Problem::InvalidTime),
    );
    let ends = checks.check(
        "ends",
        clock::parse_time(&when.ends).ok_or(Problem::InvalidTime),
    );
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            checks.check::<()>("ends", Err(Problem::EndBeforeStart));
        }
    }
    let location = checks.check(
        "location",
        long_text(&when.location, lengths::MEETING_LOCATION),
    );
    let online_url = checks.check(
        "online_url",
        long_text(&when.online_url, lengths::MEETING_URL).and_then(|u| {
            if u.is_empty()
                || ((u.starts_with("https://") || u.starts_with("http://"))
                    && !u.contains(char::is_whitespace))
            {
                Ok(u)
            } else {
                Err(Problem::InvalidUrl)
            }
        }),
    );
    if let (Some(l), Some(u)) = (&location, &online_url) {
        if l.is_empty() && u.is_empty() {
            checks.check::<()>("location", Err(Problem::PlaceRequired));
        }
    }
    let checked = Checked {
        date: date?,
        starts: starts?,
        ends: ends?,
        location: location?,
        online_url: online_url?,
    };
    if checked.ends <= checked.starts {
        return None;
    }
    if checked.moments(checked.date).0 <= at {
        checks.check::<()>("date", Err(Problem::DateInPast));
        return None;
    }
    Some(checked)
}

async fn insert_meeting(
    conn: &mut AnyConnection,
    panel_id: i64,
    series_id: Option<i64>,
    (starts_at, ends_at): (i64, i64),
    c: &Checked,
    at: i64,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO meetings (panel_id, series_id, starts_at, ends_at, location, online_url,
                               created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(panel_id)
    .bind(series_id)
    .bind(starts_at)
    .bind(ends_at)
    .bind(&c.location)
    .bind(&c.online_url)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The coordinator plans a series: every `every_weeks` weeks on the weekday of `when.date`,
/// from that date up to and including `until`. Returns the meetings made.
pub async fn create_series(
    db: &Db,
    user: &CurrentUser,
    when: &When,
    every_weeks: &str,
    until: &str,
) -> Result<Vec<i64>, AppError> {
    coordinator(user)?;
    let at = now();
    let mut checks = Checks::default();
    let checked = check_when(&mut checks, when, at);
    let every = checks.check(
        "every_weeks",
        every_weeks
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=12).contains(n))
            .ok_or(Problem::OutOfRange { min: 1, max: 12 }),
    );
    let until = checks.check(
        "until",
        clock::parse_iso_date(until).ok_or(Problem::InvalidDate),
    );
    if let (Some(c), Some(u)) = (&checked, until) {
        let first = clock::days(c.date);
        let last = clock::days(u);
        if last < first || last - first > SERIES_DAYS_MAX {
            checks.check::<()>("until", Err(Problem::SeriesLength));
        }
    }
    checks.finish()?;
    let (Some(c), Some(every), Some(until)) = (checked, every, until) else {
        return Err(AppError::Unexpected);
    };
    let (y, m, d) = c.date;
    let mut tx = db.begin().await?;
    let (series_id,): (i64,) = sqlx::query_as(
        "INSERT INTO meeting_series (panel_id, every_weeks, weekday, starts_time, ends_time,
                                     first_date, until_date, location, online_url, created_by,
                                     created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(user.panel.id)
    .bind(every)
    .bind(clock::weekday(y, m, d))
    .bind(clock::hh_mm(c.starts))
    .bind(clock::hh_mm(c.ends))
    .bind(format!("{y:04}-{m:02}-{d:02}"))
    .bind(format!("{:04}-{:02}-{:02}", until.0, until.1, until.2))
    .bind(&c.location)
    .bind(&c.online_url)
    .bind(user.id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let mut ids = Vec::new();
    let mut date = c.date;
    while clock::days(date) <= clock::days(until) {
        ids.push(
            insert_meeting(
                &mut tx,
                user.panel.id,
                Some(series_id),
                c.moments(date),
                &c,
                at,
            )
            .await?,
        );
        date = clock::plus_days(date.0, date.1, date.2, 7 * every);
    }
    tx.commit().await?;
    Ok(ids)
}

/// The coordinator adds one meeting outside a series.
pub async fn add_meeting(db: &Db, user: &CurrentUser, when: &When) -> Result<i64, AppError> {
    coordinator(user)?;
    let at = now();
    let mut checks = Checks::default();
    let checked = check_when(&mut checks, when, at);
    checks.finish()?;
    let Some(c) = checked else {
        return Err(AppError::Unexpected);
    };
    let mut conn = db.write().acquire().await?;
    insert_meeting(&mut conn, user.panel.id, None, c.moments(c.date), &c, at).await
}
/// The coordinator moves a meeting (another day, time or place); everyone invited is told.
pub async fn move_meeting(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    when: &When,
) -> Result<(), AppError> {
    coordinator(user)?;
    let row = load(db, user, id).await?;
    let at = now();
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.starts_at <= at {
        return Err(AppError::invalid("state", Problem::MeetingPast));
    }
    let mut checks = Checks::default();
    let checked = check_when(&mut checks, when, at);
    checks.finish()?;
    let Some(c) = checked else {
        return Err(AppError::Unexpected);
    };
    let (starts_at, ends_at) = c.moments(c.date);
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE meetings SET starts_at = $1, ends_at = $2, location = $3, online_url = $4,
                sequence = sequence + 1, updated_at = $5,
                reminded_at = CASE WHEN $1 = starts_at THEN reminded_at ELSE NULL END
         WHERE id = $6 AND panel_id = $7 AND cancelled_at IS NULL AND sequence = $8",
    )
    .bind(starts_at)
    .bind(ends_at)
    .bind(&c.location)
    .bind(&c.online_url)
    .bind(at)
    .bind(id)
    .bind(user.panel.id)
    .bind(row.sequence)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::WrongState));
    }
    let moved = Row {
        starts_at,
        ends_at,
        location: c.location,
        online_url: c.online_url,
        sequence: row.sequence + 1,
        ..row
    };
    let people = invitees(&mut tx, user.panel.id, id).await?;
    let others: Vec<Invitee> = people.into_iter().filter(|p| p.id != user.id).collect();
    tell(
        &mut tx,
        public_url,
        &user.panel.name,
        &moved,
        &others,
        Tell::Moved,
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// The coordinator cancels a meeting with a reason; everyone invited is told.
pub async fn cancel_meeting(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    coordinator(user)?;
    let mut checks = Checks::default();
    let reason = checks.check("reason", required_text(reason, lengths::CANCEL_REASON));
    checks.finish()?;
    let reason = reason.unwrap_or_default();
    let row = load(db, user, id).await?;
    let at = now();
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.ends_at <= at {
        return Err(AppError::invalid("state", Problem::MeetingPast));
    }
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE meetings SET cancelled_at = $1, cancel_reason = $2, sequence = sequence + 1,
                updated_at = $1
         WHERE id = $3 AND panel_id = $4 AND cancelled_at IS NULL",
    )
    .bind(at)
    .bind(&reason)
    .bind(id)
    .bind(user.panel.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    let cancelled = Row {
        cancelled: true,
        cancel_reason: reason,
        sequence: row.sequence + 1,
        ..row
    };
    let people = invitees(&mut tx, user.panel.id, id).await?;
    let others: Vec<Invitee> = people.into_iter().filter(|p| p.id != user.id).collect();
    tell(
        &mut tx,
        public_url,
        &user.panel.name,
        &cancelled,
        &others,
        Tell::Cancelled,
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}
