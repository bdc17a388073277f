//! The panel's public account, for anyone: its published infographics, filtered by theme,
//! municipality and year and searched by words, and the public figures of those
//! questions (how much advice was adopted, how many answers came on time, how many
//! recommendations are done). Only published material; no member's name or words.

use super::impact::percent;
use crate::backend::platform::db::Db;
use crate::backend::questions::list::list_filters;
use crate::domain::{clock, Problem};
use crate::error::AppError;
use crate::model::{GalleryItem, ListFilters, PublicFigures};

/// The public page's filters as typed (all may be empty).
#[derive(Debug, Clone, Default)]
pub struct GalleryQuery {
    pub theme: String,
    pub municipality: String,
    pub year: String,
    pub q: String,
}

/// At most this many infographics are listed; the figures count them all.
pub const GALLERY_MAX: usize = 200;

/// The filters as understood.
struct Filter {
    theme: i64,
    municipality: i64,
    start: i64,
    end: i64,
    /// `%word%` in lower case, with `%` and `_` taken literally; empty for no search.
    pattern: String,
}

fn chosen(field: &str, value: &str, known: &[i64]) -> Result<i64, AppError> {
    match value.trim() {
        "" => Ok(0),
        v => v
            .parse::<i64>()
            .ok()
            .filter(|id| known.contains(id))
            .ok_or_else(|| AppError::invalid(field, Problem::InvalidChoice)),
    }
}

fn filter(query: &GalleryQuery, choices: &ListFilters) -> Result<Filter, AppError> {
    let theme = chosen(
        "theme",
        &query.theme,
        &choices.themes.iter().map(|t| t.id).collect::<Vec<_>>(),
    )?;
    let municipality = chosen(
        "municipality",
        &query.municipality,
        &choices
            .municipalities
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
    )?;
    let (start, end) = match query.year.trim() {
        "" => (0, i64::MAX),
        y => {
            let year = y
                .parse::<i64>()
                .ok()
                .filter(|y| (2000..=2200).contains(y))
                .ok_or_else(|| AppError::invalid("year", Problem::InvalidYear))?;
            (
                clock::amsterdam_moment(year, 1, 1, 0),
                clock::amsterdam_moment(year + 1, 1, 1, 0),
            )
        }
    };
    let words: String = query
        .q
        .trim()
        .chars()
        .take(100)
        .collect::<String>()
        .to_lowercase();
    let pattern = if words.is_empty() {
        String::new()
    } else {
        let escaped = words
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    };
    Ok(Filter {
        theme,
        municipality,
        start,
        end,
        pattern,
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    published_at: i64,
    theme: Option<String>,
    updated_at: Option<i64>,
    feedback_due: Option<String>,
    feedback_submitted_at: Option<i64>,
}

/// The published infographics of the panel that match, newest first.
async fn published(db: &Db, panel_id: i64, f: &Filter) -> Result<Vec<Row>, AppError> {
    Ok(sqlx::query_as(
        // From the published infographics to their questions (CROSS JOIN keeps SQLite
        // from walking every question of the panel instead).
        "SELECT g.question_id AS id, q.title, g.published_at, t.name AS theme,
                (SELECT MAX(u.at) FROM progress_updates u
                   JOIN recommendations r ON r.id = u.recommendation_id
                  WHERE r.question_id = q.id) AS updated_at,
                q.feedback_due, q.feedback_submitted_at
         FROM infographics g CROSS JOIN questions q
         LEFT JOIN themes t ON t.id = q.theme_id
         WHERE q.id = g.question_id AND q.panel_id = $1 AND g.published_at IS NOT NULL
           AND ($2 = 0 OR q.theme_id = $2)
           AND ($3 = 0 OR q.id IN (SELECT question_id FROM question_municipalities
                                   WHERE municipality_id = $3))
           AND g.published_at >= $4 AND g.published_at < $5
           AND ($6 = '' OR LOWER(q.title) LIKE $6 ESCAPE '\\'
                OR LOWER(g.question_line) LIKE $6 ESCAPE '\\')
         ORDER BY g.published_at DESC, g.question_id DESC",
    )
    .bind(panel_id)
    .bind(f.theme)
    .bind(f.municipality)
    .bind(f.start)
    .bind(f.end)
    .bind(&f.pattern)
    .fetch_all(db.read())
    .await?)
}

/// A recommendation's answer and its newest update.
type Answer = (String, Option<String>);

/// The answers and newest updates of the recommendations of these questions.
async fn answers(db: &Db, ids: &[i64]) -> Result<Vec<Answer>, AppError> {
    let mut out = Vec::new();
    // In slices, so a long list does not become one enormous statement.
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<Answer> = sqlx::query_as(&format!(
            "SELECT s.status, (SELECT u.state FROM progress_updates u
                                WHERE u.recommendation_id = r.id ORDER BY u.id DESC LIMIT 1)
             FROM recommendations r JOIN responses s ON s.recommendation_id = r.id
             WHERE r.question_id IN ({list})"
        ))
        .fetch_all(db.read())
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The panel's published infographics that match the filters (at most
/// [`GALLERY_MAX`]), the public figures of all that match, and the choices.
pub async fn public_feedback(
    db: &Db,
    panel_id: i64,
    query: &GalleryQuery,
) -> Result<(Vec<GalleryItem>, PublicFigures, ListFilters, Vec<i64>), AppError> {
    let choices = list_filters(db, panel_id).await?;
    let f = filter(query, &choices)?;
    let rows = published(db, panel_id, &f).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let recs = answers(db, &ids).await?;
    let count = |f: &dyn Fn(&Answer) -> bool| {
        i64::try_from(recs.iter().filter(|r| f(r)).count()).unwrap_or(0)
    };
    let adopted = count(&|r| matches!(r.0.as_str(), "adopted" | "partly"));
    let decided = adopted + count(&|r| r.0 == "not_adopted");
    let answered: Vec<bool> = rows
        .iter()
        .filter_map(|r| {
            let due = r.feedback_due.as_deref()?;
            Some(clock::iso_date(r.feedback_submitted_at?).as_str() <= due)
        })
        .collect();
    let on_time = i64::try_from(answered.iter().filter(|t| **t).count()).unwrap_or(0);
    let figures = PublicFigures {
        published: i64::try_from(rows.len()).unwrap_or(0),
        adoption_percent: percent(adopted, decided),
        on_time_percent: percent(on_time, i64::try_from(answered.len()).unwrap_or(0)),
        done: count(&|r| {
            matches!(r.0.as_str(), "adopted" | "partly") && r.1.as_deref() == Some("done")
        }),
    };
    let (first,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(g.published_at) FROM infographics g JOIN questions q ON q.id = g.question_id
         WHERE q.panel_id = $1",
    )
    .bind(panel_id)
    .fetch_one(db.read())
    .await?;
    let this_year = clock::local_parts(crate::backend::platform::db::now()).0;
    let years = match first {
        Some(at) => (clock::local_parts(at).0..=this_year).rev().collect(),
        None => Vec::new(),
    };
    let items = rows
        .into_iter()
        .take(GALLERY_MAX)
        .map(|r| GalleryItem {
            id: r.id,
            title: r.title,
            published: clock::date(r.published_at),
            theme: r.theme,
            updated: r.updated_at.map(clock::date),
        })
        .collect();
    Ok((items, figures, choices, years))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Municipality, Theme};

    #[test]
    fn filters_are_checked_and_search_words_taken_literally() {
        let choices = ListFilters {
            themes: vec![Theme {
                id: 4,
                name: "Wonen".into(),
            }],
            municipalities: vec![Municipality {
                id: 9,
                name: "Tilburg".into(),
            }],
        };
        let q = |theme: &str, municipality: &str, year: &str, words: &str| GalleryQuery {
            theme: theme.into(),
            municipality: municipality.into(),
            year: year.into(),
            q: words.into(),
        };
        let f = filter(&q("4", "9", "2026", " 50%_Korting "), &choices).unwrap();
        assert_eq!((f.theme, f.municipality), (4, 9));
        assert_eq!(f.pattern, "%50\\%\\_korting%");
        assert!(f.start < f.end && f.end - f.start >= 365 * 86_400);
        let all = filter(&q("", "", "", ""), &choices).unwrap();
        assert_eq!(
            (all.theme, all.start, all.end, all.pattern.as_str()),
            (0, 0, i64::MAX, "")
        );
        for (bad, field) in [
            (q("5", "", "", ""), "theme"),
            (q("", "x", "", ""), "municipality"),
            (q("", "", "1850", ""), "year"),
        ] {
            match filter(&bad, &choices) {
                Err(AppError::Invalid(list)) => assert_eq!(list[0].field, field),
                _ => panic!("{field} should be refused"),
            }
        }
    }
}
