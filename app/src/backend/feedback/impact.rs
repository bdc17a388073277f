//! The impact overview for coordinators and policy makers: per period, theme and
//! municipality, how many questions reached the panel, were advised, answered and closed;
//! what the owners did with the recommendations and how far the adopted ones are carried
//! out; how quickly answers came; who took part. Every figure lists the questions behind
//! it.

use crate::backend::platform::db::{now, Db};
use crate::backend::questions::list::list_filters;
use crate::backend::questions::store::may_see;
use crate::domain::{clock, Problem, Role};
use crate::error::AppError;
use crate::lifecycle::State;
use crate::model::{
    CurrentUser, ImpactFigure, ImpactFigures, ImpactPage, ImpactQuestion, Progress, ResponseStatus,
};

/// What the overview is about, as typed into its filter form (all may be empty).
#[derive(Debug, Clone, Default)]
pub struct ImpactQuery {
    /// `2026`, `2026-q3`, `custom` (with `from` and `to`), or empty for this year.
    pub period: String,
    pub from: String,
    pub to: String,
    pub theme: String,
    pub municipality: String,
    /// The figure whose questions are listed (`advised`, `answer-adopted`, ...).
    pub figure: String,
}

/// The first and last day (`yyyy-mm-dd`) of a chosen period, and the choice as
/// understood. A year or a quarter from 2000 to 2200; a custom period needs two real
/// days, the last not before the first.
pub fn period(
    choice: &str,
    from: &str,
    to: &str,
    today: &str,
) -> Result<(String, String, String), AppError> {
    let choice = choice.trim().to_lowercase();
    let year_of = |s: &str| {
        s.parse::<i64>()
            .ok()
            .filter(|y| (2000..=2200).contains(y) && s.len() == 4)
    };
    if choice.is_empty() {
        let year = today.get(..4).unwrap_or("2026");
        return Ok((
            year.into(),
            format!("{year}-01-01"),
            format!("{year}-12-31"),
        ));
    }
    if let Some(year) = year_of(&choice) {
        return Ok((choice, format!("{year}-01-01"), format!("{year}-12-31")));
    }
    if let Some((y, q)) = choice.split_once("-q") {
        if let (Some(year), Ok(quarter @ 1..=4)) = (year_of(y), q.parse::<i64>()) {
            let first = format!("{year}-{:02}-01", quarter * 3 - 2);
            let next = if quarter == 4 {
                format!("{}-01-01", year + 1)
            } else {
                format!("{year}-{:02}-01", quarter * 3 + 1)
            };
            let last = clock::add_days(&next, -1)
                .ok_or_else(|| crate::backend::platform::error::fault("quarter end"))?;
            return Ok((choice, first, last));
        }
    }
    if choice != "custom" {
        return Err(AppError::invalid("period", Problem::InvalidChoice));
    }
    let day = |field: &str, value: &str| {
        let value = value.trim();
        match clock::parse_iso_date(value) {
            Some((y, _, _)) if (2000..=2200).contains(&y) => Ok(value.to_string()),
            _ if value.is_empty() => Err(AppError::invalid(field, Problem::Required)),
            _ => Err(AppError::invalid(field, Problem::InvalidDate)),
        }
    };
    let (from, to) = (day("from", from)?, day("to", to)?);
    if to < from {
        return Err(AppError::invalid("to", Problem::LastDayBeforeFirst));
    }
    Ok((choice, from, to))
}

/// The questions counted: the panel's, of one theme and one municipality if chosen
/// (0: all). `$1` panel, `$2` theme, `$3` municipality.
const SCOPE: &str = "q.panel_id = $1 AND ($2 = 0 OR q.theme_id = $2)
    AND ($3 = 0 OR q.id IN (SELECT question_id FROM question_municipalities
                            WHERE municipality_id = $3))";

/// The meetings counted: the panel's, held in the period (`$4` to `$5`), not cancelled;
/// with a theme or municipality chosen, only those with such a question on the agenda.
fn meeting_scope() -> String {
    format!(
        "m.panel_id = $1 AND m.cancelled_at IS NULL AND m.starts_at >= $4 AND m.starts_at < $5
         AND (($2 = 0 AND $3 = 0) OR m.id IN (SELECT a.meeting_id FROM agenda_items a
              JOIN questions q ON q.id = a.question_id WHERE {SCOPE}))"
    )
}

/// Who and what is counted, and the period as Unix times (`start` included, `end` not).
#[derive(Debug, Clone, Copy)]
struct Scope {
    panel: i64,
    theme: i64,
    municipality: i64,
    start: i64,
    end: i64,
}

#[derive(sqlx::FromRow)]
struct FlowRow {
    id: i64,
    title: String,
    state: String,
    owner_id: Option<i64>,
    advice_sent_at: Option<i64>,
    feedback_submitted_at: Option<i64>,
}

/// The questions of a step of the question's way in the period (or overdue now).
async fn flow(db: &Db, s: Scope, figure: ImpactFigure) -> Result<Vec<FlowRow>, AppError> {
    let columns = "q.id, q.title, q.state, q.owner_id, q.advice_sent_at, q.feedback_submitted_at";
    let sql = match figure {
        // Per question through its events' index (question, at): a grouped derived
        // table is not indexed, and SQLite would scan it for every question.
        ImpactFigure::Received => format!(
            "SELECT {columns} FROM questions q
             WHERE {SCOPE} AND (SELECT MIN(e.at) FROM question_events e
                                WHERE e.question_id = q.id
                                  AND e.event IN ('submitted', 'proposed')) >= $4
               AND (SELECT MIN(e.at) FROM question_events e
                    WHERE e.question_id = q.id AND e.event IN ('submitted', 'proposed')) < $5
             ORDER BY q.id"
        ),
        ImpactFigure::Advised => format!(
            "SELECT {columns} FROM questions q WHERE {SCOPE}
               AND q.advice_sent_at >= $4 AND q.advice_sent_at < $5 ORDER BY q.id"
        ),
        ImpactFigure::Closed => format!(
            "SELECT {columns} FROM questions q
             WHERE {SCOPE} AND q.state = 'closed'
               AND (SELECT MAX(e.at) FROM question_events e
                    WHERE e.question_id = q.id AND e.event = 'closed') >= $4
               AND (SELECT MAX(e.at) FROM question_events e
                    WHERE e.question_id = q.id AND e.event = 'closed') < $5
             ORDER BY q.id"
        ),
        ImpactFigure::Overdue => {
            return Ok(sqlx::query_as(&format!(
                "SELECT {columns} FROM questions q WHERE {SCOPE} AND q.state = 'advice_sent'
                   AND q.feedback_submitted_at IS NULL AND q.feedback_due < $4 ORDER BY q.id"
            ))
            .bind(s.panel)
            .bind(s.theme)
            .bind(s.municipality)
            .bind(clock::iso_date(now()))
            .fetch_all(db.read())
            .await?)
        }
        // Answered, and the recommendations' questions: answered in the period.
        _ => format!(
            "SELECT {columns} FROM questions q WHERE {SCOPE}
               AND q.feedback_submitted_at >= $4 AND q.feedback_submitted_at < $5
             ORDER BY q.id"
        ),
    };
    Ok(sqlx::query_as(&sql)
        .bind(s.panel)
        .bind(s.theme)
        .bind(s.municipality)
        .bind(s.start)
        .bind(s.end)
        .fetch_all(db.read())
        .await?)
}

/// A recommendation of a question answered in the period: its question, its answer and
/// its newest update.
#[derive(sqlx::FromRow)]
struct RecommendationRow {
    id: i64,
    title: String,
    state: String,
    owner_id: Option<i64>,
    status: String,
    progress: Option<String>,
}

async fn recommendations(db: &Db, s: Scope) -> Result<Vec<RecommendationRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT q.id, q.title, q.state, q.owner_id, rs.status,
                (SELECT u.state FROM progress_updates u WHERE u.recommendation_id = r.id
                 ORDER BY u.id DESC LIMIT 1) AS progress
         FROM questions q JOIN recommendations r ON r.question_id = q.id
         JOIN responses rs ON rs.recommendation_id = r.id
         WHERE {SCOPE} AND q.feedback_submitted_at >= $4 AND q.feedback_submitted_at < $5
         ORDER BY q.id, r.position"
    ))
    .bind(s.panel)
    .bind(s.theme)
    .bind(s.municipality)
    .bind(s.start)
    .bind(s.end)
    .fetch_all(db.read())
    .await?)
}

/// Whether a recommendation row counts for a figure about answers or progress.
fn counts_for(row: &RecommendationRow, figure: ImpactFigure) -> bool {
    let status = ResponseStatus::parse(&row.status);
    let adopted = matches!(
        status,
        Some(ResponseStatus::Adopted | ResponseStatus::Partly)
    );
    match figure {
        ImpactFigure::Answer(s) => status == Some(s),
        ImpactFigure::Progress(p) => {
            adopted && row.progress.as_deref().and_then(Progress::parse) == p
        }
        _ => false,
    }
}

/// The middle value (the mean of the two middle ones, rounded half up, for an even count).
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => values.get(n / 2).copied(),
        _ => Some((values.get(n / 2 - 1)? + values.get(n / 2)? + 1) / 2),
    }
}

/// `part` of `whole` in whole percent, rounded half up.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (2 * whole))
}

/// Members who gave or supported input on the questions counted, or came to a meeting
/// counted, in the period.
async fn members(db: &Db, s: Scope) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM users WHERE panel_id = $1 AND role = 'member' AND id IN (
            SELECT i.author_id FROM inputs i JOIN questions q ON q.id = i.question_id
             WHERE {SCOPE} AND i.for_group = 0 AND i.withdrawn_at IS NULL
               AND i.created_at >= $4 AND i.created_at < $5
            UNION SELECT e.user_id FROM endorsements e JOIN inputs i ON i.id = e.input_id
              JOIN questions q ON q.id = i.question_id
             WHERE {SCOPE} AND e.created_at >= $4 AND e.created_at < $5
            UNION SELECT r.user_id FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id
             WHERE r.attended = 1 AND {})",
        meeting_scope()
    ))
    .bind(s.panel)
    .bind(s.theme)
    .bind(s.municipality)
    .bind(s.start)
    .bind(s.end)
    .fetch_one(db.read())
    .await?;
    Ok(n)
}

/// Meetings held in the period (started by now).
async fn meetings(db: &Db, s: Scope) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM meetings m WHERE {} AND m.starts_at <= $6",
        meeting_scope()
    ))
    .bind(s.panel)
    .bind(s.theme)
    .bind(s.municipality)
    .bind(s.start)
    .bind(s.end)
    .bind(now())
    .fetch_one(db.read())
    .await?;
    Ok(n)
}

/// Members' ratings given in the period on the questions counted.
async fn ratings(db: &Db, s: Scope) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT f.score FROM feedback_ratings f JOIN questions q ON q.id = f.question_id
         WHERE {SCOPE} AND f.at >= $4 AND f.at < $5"
    ))
    .bind(s.panel)
    .bind(s.theme)
    .bind(s.municipality)
    .bind(s.start)
    .bind(s.end)
    .fetch_all(db.read())
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

fn len(rows: &[impl Sized]) -> i64 {
    i64::try_from(rows.len()).unwrap_or(i64::MAX)
}

/// Every figure of the overview.
async fn figures(db: &Db, s: Scope) -> Result<ImpactFigures, AppError> {
    let answered = flow(db, s, ImpactFigure::Answered).await?;
    let recs = recommendations(db, s).await?;
    let count = |figure| {
        len(&recs
            .iter()
            .filter(|r| counts_for(r, figure))
            .collect::<Vec<_>>())
    };
    let answer = |status| count(ImpactFigure::Answer(status));
    let progress = |p| count(ImpactFigure::Progress(p));
    let (adopted, partly) = (
        answer(ResponseStatus::Adopted),
        answer(ResponseStatus::Partly),
    );
    let not_adopted = answer(ResponseStatus::NotAdopted);
    let scores = ratings(db, s).await?;
    let total: i64 = scores.iter().sum();
    Ok(ImpactFigures {
        received: len(&flow(db, s, ImpactFigure::Received).await?),
        advised: len(&flow(db, s, ImpactFigure::Advised).await?),
        answered: len(&answered),
        closed: len(&flow(db, s, ImpactFigure::Closed).await?),
        adopted,
        partly,
        not_adopted,
        still_open: answer(ResponseStatus::StillOpen),
        no_update: progress(None),
        planned: progress(Some(Progress::Planned)),
        in_progress: progress(Some(Progress::InProgress)),
        done: progress(Some(Progress::Done)),
        stopped: progress(Some(Progress::Stopped)),
        adoption_percent: percent(adopted + partly, adopted + partly + not_adopted),
        median_days: median(
            answered
                .iter()
                .filter_map(|q| {
                    Some(((q.feedback_submitted_at? - q.advice_sent_at?) / 86_400).max(0))
                })
                .collect(),
        ),
        overdue_now: len(&flow(db, s, ImpactFigure::Overdue).await?),
        members: members(db, s).await?,
        meetings: meetings(db, s).await?,
        ratings: len(&scores),
        // The average in tenths, rounded half up: 4.25 is 43.
        rating_tenths: percent(total, len(&scores) * 10),
    })
}

/// The questions behind one figure, each once, by id, that the viewer may open; and how
/// many more are counted that the viewer may not (another policy maker's question not
/// yet accepted, say).
async fn behind(
    db: &Db,
    viewer: &CurrentUser,
    s: Scope,
    figure: ImpactFigure,
) -> Result<(Vec<ImpactQuestion>, i64), AppError> {
    let rows: Vec<(i64, String, String, Option<i64>)> = match figure {
        ImpactFigure::Answer(_) | ImpactFigure::Progress(_) => recommendations(db, s)
            .await?
            .into_iter()
            .filter(|r| counts_for(r, figure))
            .map(|r| (r.id, r.title, r.state, r.owner_id))
            .collect(),
        _ => flow(db, s, figure)
            .await?
            .into_iter()
            .map(|q| (q.id, q.title, q.state, q.owner_id))
            .collect(),
    };
    let mut out: Vec<ImpactQuestion> = Vec::new();
    let mut hidden = 0;
    let mut last = None;
    for (id, title, state, owner) in rows {
        if last == Some(id) {
            continue;
        }
        last = Some(id);
        match State::from_db(&state) {
            Some(state) if may_see(viewer, state, owner) => {
                out.push(ImpactQuestion { id, title, state });
            }
            _ => hidden += 1,
        }
    }
    Ok((out, hidden))
}

/// A chosen theme or municipality: empty for all, else one of `known` (by id).
fn chosen(field: &str, value: &str, known: &[i64]) -> Result<Option<i64>, AppError> {
    match value.trim() {
        "" | "0" => Ok(None),
        v => v
            .parse::<i64>()
            .ok()
            .filter(|id| known.contains(id))
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, Problem::InvalidChoice)),
    }
}

/// The overview for a coordinator or policy maker of the panel.
pub async fn overview(
    db: &Db,
    viewer: &CurrentUser,
    query: &ImpactQuery,
) -> Result<ImpactPage, AppError> {
    if !matches!(viewer.role, Role::Coordinator | Role::PolicyMaker) {
        return Err(AppError::Forbidden);
    }
    let at = now();
    let today = clock::iso_date(at);
    let (period, from, to) = period(&query.period, &query.from, &query.to, &today)?;
    let filters = list_filters(db, viewer.panel.id).await?;
    let theme = chosen(
        "theme",
        &query.theme,
        &filters.themes.iter().map(|t| t.id).collect::<Vec<_>>(),
    )?;
    let municipality = chosen(
        "municipality",
        &query.municipality,
        &filters
            .municipalities
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
    )?;
    let figure = match query.figure.trim() {
        "" => None,
        f => Some(
            ImpactFigure::parse(f).ok_or(AppError::invalid("figure", Problem::InvalidChoice))?,
        ),
    };
    let moment =
        |iso: &str| clock::parse_iso_date(iso).map(|(y, m, d)| clock::amsterdam_moment(y, m, d, 0));
    let after_last = clock::add_days(&to, 1).unwrap_or_default();
    let (Some(start), Some(end)) = (moment(&from), moment(&after_last)) else {
        return Err(AppError::invalid("period", Problem::InvalidDate));
    };
    let scope = Scope {
        panel: viewer.panel.id,
        theme: theme.unwrap_or(0),
        municipality: municipality.unwrap_or(0),
        start,
        end,
    };
    let (first,): (Option<i64>,) =
        sqlx::query_as("SELECT MIN(created_at) FROM questions WHERE panel_id = $1")
            .bind(viewer.panel.id)
            .fetch_one(db.read())
            .await?;
    let this_year = clock::local_parts(at).0;
    let first_year = first.map_or(this_year, |t| clock::local_parts(t).0);
    let (behind, hidden) = match figure {
        Some(f) => behind(db, viewer, scope, f).await?,
        None => (Vec::new(), 0),
    };
    Ok(ImpactPage {
        period,
        from,
        to,
        theme,
        municipality,
        years: (first_year.min(this_year)..=this_year).rev().collect(),
        filters,
        figures: figures(db, scope).await?,
        figure,
        behind,
        hidden,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(result: Result<(String, String, String), AppError>) -> (String, Problem) {
        match result {
            Err(AppError::Invalid(mut list)) => {
                let p = list.remove(0);
                (p.field, p.problem)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn periods_are_years_quarters_or_two_days() {
        let today = "2026-12-02";
        let ok = |c: &str, f: &str, t: &str| period(c, f, t, today).unwrap();
        assert_eq!(
            ok("", "", ""),
            ("2026".into(), "2026-01-01".into(), "2026-12-31".into())
        );
        assert_eq!(ok("2025", "", "").1, "2025-01-01");
        assert_eq!(
            ok("2024-Q1", "", ""),
            ("2024-q1".into(), "2024-01-01".into(), "2024-03-31".into())
        );
        assert_eq!(ok("2024-q4", "", "").2, "2024-12-31");
        assert_eq!(ok("2026-q2", "", "").2, "2026-06-30");
        assert_eq!(ok("custom", "2026-02-01", "2026-02-01").2, "2026-02-01");
        assert_eq!(
            problem(period("custom", "2026-03-01", "2026-02-01", today)),
            ("to".into(), Problem::LastDayBeforeFirst)
        );
        assert_eq!(
            problem(period("custom", "2026-02-30", "2026-03-01", today)),
            ("from".into(), Problem::InvalidDate)
        );
        assert_eq!(
            problem(period("custom", "", "2026-03-01", today)),
            ("from".into(), Problem::Required)
        );
        for bad in ["26", "2026-q5", "1999", "last year", "2026-q"] {
            assert_eq!(
                problem(period(bad, "", "", today)),
                ("period".into(), Problem::InvalidChoice),
                "{bad}"
            );
        }
    }

    #[test]
    fn medians_and_percentages_round_half_up() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![9, 1, 5]), Some(5));
        assert_eq!(median(vec![4, 1, 2, 9]), Some(3)); // (2 + 4) / 2
        assert_eq!(median(vec![1, 2]), Some(2)); // 1.5 rounds up
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13)); // 12.5 rounds up
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn figure_keys_read_back() {
        for key in [
            "received",
            "advised",
            "answered",
            "closed",
            "overdue",
            "answer-adopted",
            "answer-not_adopted",
            "progress-none",
            "progress-in_progress",
            "progress-stopped",
        ] {
            assert_eq!(
                ImpactFigure::parse(key).map(ImpactFigure::key).as_deref(),
                Some(key)
            );
        }
        assert_eq!(ImpactFigure::parse("answer-maybe"), None);
    }
}
