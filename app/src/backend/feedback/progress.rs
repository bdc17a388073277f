//! Follow-through: after the answer, every recommendation the owner adopted or partly
//! adopted gets a track of dated updates (planned, in progress, done, or stopped with the
//! reason), written by the owner or by a coordinator on their behalf. Done and stopped end
//! the track and tell everyone who took part.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::store::{refusal, title_of, Head};
use crate::domain::lengths;
use crate::domain::{clock, future_date, required_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{Refusal, State};
use crate::model::{CurrentUser, NoticeKind, Progress, ProgressUpdate, ResponseStatus};
use sqlx::AnyConnection;

/// One update as typed: the recommendation's number within the question, the state, the
/// expected day (planned and in progress) and what happened.
#[derive(Debug, Clone, Default)]
pub struct ProgressForm {
    pub position: String,
    pub progress: String,
    pub expected_on: String,
    pub note: String,
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    position: i64,
    state: String,
    note: String,
    expected_on: Option<String>,
    on_behalf: i64,
    at: i64,
}

/// Every update on the recommendations of a question, as (position, update), by
/// position and oldest first.
pub(crate) async fn tracks(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Vec<(i64, ProgressUpdate)>, AppError> {
    let rows: Vec<UpdateRow> = sqlx::query_as(
        "SELECT r.position, u.state, u.note, u.expected_on, u.on_behalf, u.at
         FROM progress_updates u JOIN recommendations r ON r.id = u.recommendation_id
         WHERE r.question_id = $1 ORDER BY r.position, u.id",
    )
    .bind(question_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some((
                r.position,
                ProgressUpdate {
                    state: Progress::parse(&r.state)?,
                    note: r.note,
                    expected: r.expected_on.as_deref().map(clock::iso_to_display),
                    on: clock::date(r.at),
                    on_behalf: r.on_behalf == 1,
                },
            ))
        })
        .collect())
}

/// The newest update of each recommendation of a question, by position.
pub(crate) async fn latest(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Vec<(i64, ProgressUpdate)>, AppError> {
    let mut all = tracks(conn, question_id).await?;
    // Oldest first within a position: keep the last of each.
    all.reverse();
    all.dedup_by_key(|(position, _)| *position);
    all.reverse();
    Ok(all)
}

/// The recommendation with this number and its answer: (id, status).
async fn answered(
    conn: &mut AnyConnection,
    question_id: i64,
    position: i64,
) -> Result<(i64, Option<ResponseStatus>), AppError> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT r.id, s.status FROM recommendations r
         LEFT JOIN responses s ON s.recommendation_id = r.id
         WHERE r.question_id = $1 AND r.position = $2",
    )
    .bind(question_id)
    .bind(position)
    .fetch_optional(conn)
    .await?;
    let (id, status) = row.ok_or(AppError::NotFound)?;
    Ok((id, status.as_deref().and_then(ResponseStatus::parse)))
}

/// Whether the viewer writes updates on this question: its owner, or a coordinator (on
/// the owner's behalf), once the answers went to the panel.
pub(crate) fn may_track(viewer: &CurrentUser, owner: Option<i64>, submitted: bool) -> bool {
    submitted
        && (viewer.role == Role::Coordinator
            || (viewer.role == Role::PolicyMaker && owner == Some(viewer.id)))
}

/// An update as checked: the state, the expected day and the note.
struct Checked {
    state: Progress,
    expected: Option<String>,
    note: String,
}

/// Checks an update on recommendation `n`: a known state, a note (for stopped: the
/// reason), and for planned and in progress a day after today.
fn check(form: &ProgressForm, n: i64, today: &str) -> Result<Checked, AppError> {
    let mut checks = Checks::default();
    let state = checks.check(
        &format!("progress_{n}"),
        match form.progress.trim() {
            "" => Err(Problem::Required),
            s => Progress::parse(s).ok_or(Problem::InvalidChoice),
        },
    );
    let note = checks.check(
        &format!("note_{n}"),
        required_text(&form.note, lengths::FEEDBACK_TEXT),
    );
    let expected = match state {
        Some(s) if s.needs_date() => checks
            .check(
                &format!("expected_on_{n}"),
                future_date(&form.expected_on, today),
            )
            .map(Some),
        _ => Some(None),
    };
    checks.finish()?;
    match (state, expected, note) {
        (Some(state), Some(expected), Some(note)) => Ok(Checked {
            state,
            expected,
            note,
        }),
        _ => Err(crate::backend::platform::error::fault(
            "checks passed with a part missing",
        )),
    }
}

/// The owner (or a coordinator on their behalf) adds an update on carrying out an
/// adopted or partly adopted recommendation. Done and stopped end its track and tell
/// everyone who took part in the question. Returns the new state.
pub async fn update(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    form: &ProgressForm,
) -> Result<Progress, AppError> {
    let position: i64 = form
        .position
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let mut tx = db.begin().await?;
    let Head { state, owner, .. } = Head::visible(&mut tx, user, id).await?;
    let (submitted,): (Option<i64>,) =
        sqlx::query_as("SELECT feedback_submitted_at FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if !matches!(user.role, Role::Coordinator | Role::PolicyMaker)
        || (user.role == Role::PolicyMaker && owner != Some(user.id))
    {
        return Err(AppError::Forbidden);
    }
    if !matches!(state, State::AdviceSent | State::Closed)
        || !may_track(user, owner, submitted.is_some())
    {
        return Err(refusal(Refusal::WrongState));
    }
    let (recommendation, status) = answered(&mut tx, id, position).await?;
    let field = format!("update_{position}");
    if !matches!(
        status,
        Some(ResponseStatus::Adopted | ResponseStatus::Partly)
    ) {
        return Err(AppError::invalid(&field, Problem::NotAdopted));
    }
    let last: Option<(String,)> = sqlx::query_as(
        "SELECT state FROM progress_updates WHERE recommendation_id = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(recommendation)
    .fetch_optional(&mut *tx)
    .await?;
    if last
        .and_then(|(s,)| Progress::parse(&s))
        .is_some_and(Progress::is_final)
    {
        return Err(AppError::invalid(&field, Problem::ProgressFinished));
    }
    let at = now();
    let checked = check(form, position, &clock::iso_date(at))?;
    sqlx::query(
        "INSERT INTO progress_updates (recommendation_id, state, note, expected_on, written_by,
                                       on_behalf, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(recommendation)
    .bind(checked.state.as_str())
    .bind(&checked.note)
    .bind(checked.expected.as_deref())
    .bind(user.id)
    .bind(i64::from(user.role == Role::Coordinator))
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if checked.state.is_final() {
        let title = title_of(&mut tx, id).await?;
        notify::notify(
            &mut tx,
            public_url,
            &user.panel.name,
            To::TookPart(id),
            user.id,
            &Notice {
                kind: if checked.state == Progress::Done {
                    NoticeKind::RecommendationDone
                } else {
                    NoticeKind::RecommendationStopped
                },
                question_id: Some(id),
                subject: &title,
                due: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(checked.state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(progress: &str, expected_on: &str, note: &str) -> ProgressForm {
        ProgressForm {
            position: "2".into(),
            progress: progress.into(),
            expected_on: expected_on.into(),
            note: note.into(),
        }
    }

    fn problems(result: Result<Checked, AppError>) -> Vec<(String, Problem)> {
        match result {
            Err(AppError::Invalid(list)) => {
                list.into_iter().map(|p| (p.field, p.problem)).collect()
            }
            Err(e) => panic!("unexpected error {e:?}"),
            Ok(_) => Vec::new(),
        }
    }

    #[test]
    fn planned_and_in_progress_need_a_later_day() {
        let today = "2027-03-01";
        let ok = check(
            &form("planned", "2027-06-01", "Start na de zomer."),
            2,
            today,
        )
        .unwrap();
        assert_eq!(ok.state, Progress::Planned);
        assert_eq!(ok.expected.as_deref(), Some("2027-06-01"));
        assert_eq!(
            problems(check(&form("in_progress", "", "Bezig."), 2, today)),
            vec![("expected_on_2".to_string(), Problem::Required)]
        );
        assert_eq!(
            problems(check(&form("planned", "01-06-2027", "x"), 2, today)),
            vec![("expected_on_2".to_string(), Problem::InvalidDate)]
        );
        assert_eq!(
            problems(check(&form("planned", today, "x"), 2, today)),
            vec![("expected_on_2".to_string(), Problem::DateInPast)]
        );
    }

    #[test]
    fn done_needs_no_day_and_stopped_needs_a_reason() {
        let today = "2027-03-01";
        let done = check(&form("done", "", "Het loket is open."), 2, today).unwrap();
        assert_eq!((done.state, done.expected), (Progress::Done, None));
        // A day sent with done is not kept.
        let done = check(&form("done", "2027-09-09", "Open."), 2, today).unwrap();
        assert_eq!(done.expected, None);
        assert_eq!(
            problems(check(&form("stopped", "", "  "), 2, today)),
            vec![("note_2".to_string(), Problem::Required)]
        );
        assert_eq!(
            problems(check(&form("finished", "", "x"), 2, today)),
            vec![("progress_2".to_string(), Problem::InvalidChoice)]
        );
        assert_eq!(
            problems(check(&form("", "", ""), 2, today)),
            vec![
                ("progress_2".to_string(), Problem::Required),
                ("note_2".to_string(), Problem::Required)
            ]
        );
    }
}
