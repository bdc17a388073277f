//! Panel meetings: a series every N weeks (each meeting stored on its own, so it can be
//! moved or cancelled), meetings added on their own, the agenda with policy makers as
//! guests, answers (yes / no / maybe), attendance, reminders and calendar feeds.
//!
//! Times are entered as Amsterdam clock times and stored as moments (UTC seconds),
//! computed per date with the daylight-saving rules, so a series at 19:00 stays at 19:00
//! when the clocks change.
//!
//! Who sees a meeting: the panel's members and coordinators see every meeting of their
//! panel; a policy maker sees only meetings they are a guest of (others are "not found").

use super::db::{now, Db};
use super::ical::{self, Event};
use super::mail::{self, Mail};
use crate::domain::lengths;
use crate::domain::{clock, long_text, required_text, Language, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::State;
use crate::model::{CurrentUser, MeetingSummary, MinutesState};
use sqlx::AnyConnection;

/// A series makes meetings for at most a year ahead; a new series continues it.
pub const SERIES_DAYS_MAX: i64 = 366;
/// The reminder goes this long before the start.
pub const REMINDER_SECS: i64 = 2 * 86_400;

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
struct Checked {
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

fn coordinator(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Coordinator {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
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
    sequence: i64,
}

type RowTuple = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<i64>,
    String,
    Option<i64>,
    i64,
);

/// The columns of a `Row`, for `SELECT … FROM meetings m`.
const ROW_COLUMNS: &str = "m.id, m.starts_at, m.ends_at, m.location, m.online_url, m.cancelled_at,
                m.cancel_reason, m.series_id, m.sequence";

impl From<RowTuple> for Row {
    fn from(
        (id, starts_at, ends_at, location, online_url, cancelled, reason, series, sequence): RowTuple,
    ) -> Self {
        Row {
            id,
            starts_at,
            ends_at,
            location,
            online_url,
            cancelled: cancelled.is_some(),
            cancel_reason: reason,
            in_series: series.is_some(),
            sequence,
        }
    }
}

/// The meeting if the viewer may see it (their panel; a policy maker only as a guest).
pub(crate) async fn load(db: &Db, user: &CurrentUser, id: i64) -> Result<Row, AppError> {
    let row: Option<RowTuple> = sqlx::query_as(&format!(
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

/// Everyone invited: the panel's active members and coordinators, and the meeting's guests.
/// (id, e-mail, language, name, role, guest)
type Invitee = (i64, String, String, String, String, i64);

async fn invitees(
    conn: &mut AnyConnection,
    panel_id: i64,
    meeting_id: i64,
) -> Result<Vec<Invitee>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.language, u.display_name, u.role,
                CASE WHEN g.user_id IS NULL THEN 0 ELSE 1 END
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
fn event(
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
        summary: match language {
            Language::Nl => format!("Panelavond {panel_name}"),
            Language::En => format!("Panel meeting {panel_name}"),
        },
        description: description.join("\n"),
        location,
        url,
        cancelled: row.cancelled,
    }
}

async fn agenda_titles(
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
fn when_text(row: &Row, language: Language) -> String {
    let day = match (clock::local_weekday(row.starts_at), language) {
        (1, Language::Nl) => "maandag",
        (2, Language::Nl) => "dinsdag",
        (3, Language::Nl) => "woensdag",
        (4, Language::Nl) => "donderdag",
        (5, Language::Nl) => "vrijdag",
        (6, Language::Nl) => "zaterdag",
        (_, Language::Nl) => "zondag",
        (1, Language::En) => "Monday",
        (2, Language::En) => "Tuesday",
        (3, Language::En) => "Wednesday",
        (4, Language::En) => "Thursday",
        (5, Language::En) => "Friday",
        (6, Language::En) => "Saturday",
        (_, Language::En) => "Sunday",
    };
    format!(
        "{day} {} {}–{}",
        clock::date(row.starts_at),
        clock::time(row.starts_at),
        clock::time(row.ends_at)
    )
}

fn place_text(row: &Row) -> String {
    [row.location.as_str(), row.online_url.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tell {
    Moved,
    Cancelled,
    Reminder,
}

/// Mails everyone in `people` about the meeting, with the meeting as .ics.
async fn tell(
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
    for (_, email, language, _, _, _) in people {
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
        let mut message = mail::render(&mail_kind, language);
        message.calendar = Some(ical::calendar(
            panel_name,
            &[event(public_url, panel_name, row, &agenda, language)],
        ));
        mail::enqueue(&mut *conn, email, &message, at).await?;
    }
    Ok(())
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
    let others: Vec<Invitee> = people.into_iter().filter(|p| p.0 != user.id).collect();
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
    let others: Vec<Invitee> = people.into_iter().filter(|p| p.0 != user.id).collect();
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
            );
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

/// A member, coordinator or guest answers whether they come: "yes", "no" or "maybe".
pub async fn answer(db: &Db, user: &CurrentUser, id: i64, answer: &str) -> Result<(), AppError> {
    if !matches!(answer, "yes" | "no" | "maybe") {
        return Err(AppError::invalid("answer", Problem::InvalidChoice));
    }
    let row = load(db, user, id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.ends_at <= now() {
        return Err(AppError::invalid("state", Problem::MeetingPast));
    }
    sqlx::query(
        "INSERT INTO meeting_rsvps (meeting_id, user_id, answer, answered_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (meeting_id, user_id) DO UPDATE SET answer = $3, answered_at = $4",
    )
    .bind(id)
    .bind(user.id)
    .bind(answer)
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(())
}

/// After the start, the coordinator records who came: `present` are the ids of those
/// who attended; everyone else invited is recorded as absent.
pub async fn record_attendance(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    present: &[i64],
) -> Result<(), AppError> {
    coordinator(user)?;
    let row = load(db, user, id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.starts_at > now() {
        return Err(AppError::invalid("state", Problem::MeetingNotYet));
    }
    // Checked before the write transaction: each person once, every one invited.
    let present: std::collections::HashSet<i64> = present.iter().copied().collect();
    {
        let mut conn = db.read().acquire().await?;
        let people = invitees(&mut conn, user.panel.id, id).await?;
        let invited: std::collections::HashSet<i64> = people.iter().map(|p| p.0).collect();
        if !present.is_subset(&invited) {
            return Err(AppError::invalid("present", Problem::InvalidChoice));
        }
    }
    let mut tx = db.begin().await?;
    let people = invitees(&mut tx, user.panel.id, id).await?;
    for (person, ..) in &people {
        sqlx::query(
            "INSERT INTO meeting_rsvps (meeting_id, user_id, attended) VALUES ($1, $2, $3)
             ON CONFLICT (meeting_id, user_id) DO UPDATE SET attended = $3",
        )
        .bind(id)
        .bind(person)
        .bind(i64::from(present.contains(person)))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

type SummaryRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
);

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
                (SELECT r.answer FROM meeting_rsvps r WHERE r.meeting_id = m.id AND r.user_id = $2),
                (SELECT COUNT(*) FROM meeting_rsvps r WHERE r.meeting_id = m.id AND r.answer = 'yes'),
                (SELECT r.attended FROM meeting_rsvps r WHERE r.meeting_id = m.id AND r.user_id = $2),
                (SELECT string_agg(a.title, '{sep}' ORDER BY a.position, a.id)
                   FROM agenda_items a WHERE a.meeting_id = m.id)
         FROM meetings m
         WHERE m.panel_id = $1 AND {cmp}{held}
           AND ($4 <> 'policy_maker'
                OR EXISTS (SELECT 1 FROM meeting_guests g WHERE g.meeting_id = m.id AND g.user_id = $2))
         ORDER BY {order} LIMIT $5",
        sep = super::db::JOINED,
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
        .map(
            |(
                id,
                starts_at,
                ends_at,
                location,
                online_url,
                cancelled,
                answer,
                coming,
                attended,
                agenda,
            )| {
                MeetingSummary {
                    id,
                    starts_at,
                    ends_at,
                    location,
                    online_url,
                    cancelled: cancelled.is_some(),
                    my_answer: answer.unwrap_or_default(),
                    agenda: super::db::split_joined(agenda),
                    coming,
                    attended: attended.map(|a| a == 1),
                    past: ends_at <= at,
                }
            },
        )
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

/// One meeting as an .ics file, for whoever may see it.
pub async fn meeting_ics(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
) -> Result<String, AppError> {
    let row = load(db, user, id).await?;
    let mut conn = db.read().acquire().await?;
    let (language,): (String,) = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(&mut *conn)
        .await?;
    let language = Language::from_db(&language);
    let agenda = agenda_titles(&mut conn, id).await?;
    Ok(ical::calendar(
        &user.panel.name,
        &[event(public_url, &user.panel.name, &row, &agenda, language)],
    ))
}

/// A new calendar feed address for the person; an earlier one stops working. Only the
/// SHA-256 of the secret is stored, so the address is shown once, when made.
pub async fn new_calendar_link(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
) -> Result<String, AppError> {
    let token = super::auth::random_token();
    sqlx::query(
        "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3",
    )
    .bind(user.id)
    .bind(super::auth::token_hash(&token))
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(format!("{public_url}/calendar/{token}.ics"))
}

/// Whether the person has a calendar feed address.
pub async fn has_calendar_link(db: &Db, user: &CurrentUser) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM calendar_tokens WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(db.read())
        .await?;
    Ok(n > 0)
}

/// Stops the person's calendar feed: the address no longer works.
pub async fn revoke_calendar_link(db: &Db, user: &CurrentUser) -> Result<(), AppError> {
    sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1")
        .bind(user.id)
        .execute(db.write())
        .await?;
    Ok(())
}

/// The calendar feed of the token's owner: their meetings from 90 days ago on (cancelled
/// ones included, so calendar programs remove them). `NotFound` for an unknown token or
/// an account that is no longer active.
pub async fn feed(db: &Db, public_url: &str, token: &str) -> Result<String, AppError> {
    let owner: Option<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.panel_id, u.role, u.language, p.name
         FROM calendar_tokens t JOIN users u ON u.id = t.user_id JOIN panels p ON p.id = u.panel_id
         WHERE t.token_hash = $1 AND u.active = 1",
    )
    .bind(super::auth::token_hash(token))
    .fetch_optional(db.read())
    .await?;
    let Some((user_id, panel_id, role, language, panel_name)) = owner else {
        return Err(AppError::NotFound);
    };
    let language = Language::from_db(&language);
    let rows: Vec<RowTuple> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM meetings m
         WHERE m.panel_id = $1 AND m.starts_at >= $2
           AND ($3 <> 'policy_maker'
                OR EXISTS (SELECT 1 FROM meeting_guests g WHERE g.meeting_id = m.id AND g.user_id = $4))
         ORDER BY m.starts_at LIMIT 500"
    ))
    .bind(panel_id)
    .bind(now() - 90 * 86_400)
    .bind(&role)
    .bind(user_id)
    .fetch_all(db.read())
    .await?;
    let mut conn = db.read().acquire().await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows.into_iter().map(Row::from) {
        let agenda = agenda_titles(&mut conn, row.id).await?;
        events.push(event(public_url, &panel_name, &row, &agenda, language));
    }
    Ok(ical::calendar(&panel_name, &events))
}

/// Sends the reminder for meetings that start within two days: to everyone invited who
/// has not answered and to those coming (yes or maybe). Each meeting's reminder is
/// claimed by one conditional update, so it goes out once with several instances.
pub async fn send_reminders(db: &Db, public_url: &str, at: i64) -> Result<usize, AppError> {
    let due: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT m.id, m.panel_id, p.name FROM meetings m JOIN panels p ON p.id = m.panel_id
         WHERE m.reminded_at IS NULL AND m.cancelled_at IS NULL
           AND m.starts_at > $1 AND m.starts_at <= $2
         ORDER BY m.starts_at LIMIT 100",
    )
    .bind(at)
    .bind(at + REMINDER_SECS)
    .fetch_all(db.read())
    .await?;
    let mut sent = 0;
    for (id, panel_id, panel_name) in due {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE meetings SET reminded_at = $1
             WHERE id = $2 AND reminded_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let row: RowTuple = sqlx::query_as(&format!(
            "SELECT {ROW_COLUMNS} FROM meetings m WHERE m.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let row = Row::from(row);
        let answers: Vec<(i64, String)> = sqlx::query_as(
            "SELECT user_id, COALESCE(answer, '') FROM meeting_rsvps WHERE meeting_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let people: Vec<Invitee> = invitees(&mut tx, panel_id, id)
            .await?
            .into_iter()
            .filter(|p| {
                !answers
                    .iter()
                    .any(|(who, answer)| *who == p.0 && answer == "no")
            })
            .collect();
        tell(
            &mut tx,
            public_url,
            &panel_name,
            &row,
            &people,
            Tell::Reminder,
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    if sent > 0 {
        mail::wake();
    }
    Ok(sent)
}
