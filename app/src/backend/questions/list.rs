//! The question list: filters, search, paging, and the questions waiting for the viewer.

use crate::backend::platform::db;
use crate::backend::platform::db::Db;
use crate::backend::platform::paging;
use crate::backend::platform::search;
use crate::backend::platform::store;
use crate::domain::{clock, Role};
use crate::error::AppError;
use crate::lifecycle::State;
use crate::model::{CurrentUser, ListFilters, QuestionList, QuestionSummary, Theme};

/// Questions per page of a list.
pub const PAGE_SIZE: i64 = 25;

/// What a list asks for. Every part is optional; `page` is 1-based and only shown (the
/// cursor says where the page starts).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub state: Option<State>,
    pub theme: Option<i64>,
    pub municipality: Option<i64>,
    /// Words to search for (each must match the start of a word of the question).
    pub text: String,
    pub page: i64,
    pub cursor: Option<Cursor>,
}

pub use crate::backend::platform::paging::Cursor;

/// A value bound to a list query.
enum Arg {
    Int(i64),
    Text(String),
}

/// The panel's questions the viewer may see, newest change first, filtered by state,
/// theme, municipality and words.
pub async fn list(
    db: &Db,
    viewer: &CurrentUser,
    query: &ListQuery,
) -> Result<QuestionList, AppError> {
    let page = if query.cursor.is_some() {
        query.page.clamp(1, 100_000)
    } else {
        1
    };
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let next = |arg: Arg, args: &mut Vec<Arg>| {
        args.push(arg);
        format!("${}", 3 + args.len())
    };
    if let Some(state) = query.state {
        let n = next(Arg::Text(state.as_str().into()), &mut args);
        conds.push(format!("q.state = {n}"));
    }
    if let Some(theme) = query.theme {
        let n = next(Arg::Int(theme), &mut args);
        conds.push(format!("q.theme_id = {n}"));
    }
    if let Some(m) = query.municipality {
        let n = next(Arg::Int(m), &mut args);
        conds.push(format!(
            "q.id IN (SELECT question_id FROM question_municipalities WHERE municipality_id = {n})"
        ));
    }
    for word in search::query_words(&query.text) {
        let common = search::is_common(db, &word).await?;
        let end = search::prefix_end(&word);
        let a = next(Arg::Text(word), &mut args);
        let b = next(Arg::Text(end), &mut args);
        // `LIMIT 1 OFFSET 0` keeps PostgreSQL from turning the check into a join over
        // every matching term (3.5 ms and 12 ms of planning at 100,000 questions, against
        // 0.5 ms checked per question); SQLite checks per question either way.
        conds.push(if common {
            format!(
                "EXISTS (SELECT 1 FROM question_terms t
                         WHERE t.question_id = q.id AND t.term >= {a} AND t.term < {b}
                         LIMIT 1 OFFSET 0)"
            )
        } else {
            format!(
                "q.id IN (SELECT question_id FROM question_terms WHERE term >= {a} AND term < {b})"
            )
        });
    }
    let newest_first = !matches!(query.cursor, Some(Cursor::Newer { .. }));
    if let Some(cursor) = query.cursor {
        let (at, id) = cursor.values();
        let (a, b) = (next(Arg::Int(at), &mut args), next(Arg::Int(id), &mut args));
        conds.push(cursor.condition("q.updated_at", "q.id", &a, &b));
    }
    let mut items = summaries(db, viewer, &conds, args, PAGE_SIZE + 1, newest_first).await?;
    let more = paging::cut_to_page(&mut items, PAGE_SIZE);
    if !newest_first {
        items.reverse();
    }
    // Coming from an older page, there is one after this; from a newer one, one before.
    let (has_newer, has_older) = match query.cursor {
        None => (false, more),
        Some(Cursor::Older { .. }) => (true, more),
        Some(Cursor::Newer { .. }) => (more, true),
    };
    Ok(QuestionList {
        newer: items
            .first()
            .filter(|_| has_newer)
            .map(|q| Cursor::newer_than(q.updated_at, q.id)),
        older: items
            .last()
            .filter(|_| has_older)
            .map(|q| Cursor::older_than(q.updated_at, q.id)),
        items,
        page,
        filters: list_filters(db, viewer.panel.id).await?,
    })
}

/// The themes (adopted ones, and archived ones that questions still have) and
/// municipalities a list can be filtered by.
pub(crate) async fn list_filters(db: &Db, panel_id: i64) -> Result<ListFilters, AppError> {
    let themes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM themes WHERE panel_id = $1 AND status <> 'proposed' ORDER BY name",
    )
    .bind(panel_id)
    .fetch_all(db.read())
    .await?;
    Ok(ListFilters {
        themes: themes
            .into_iter()
            .map(|(id, name)| Theme { id, name })
            .collect(),
        municipalities: store::municipalities(db, panel_id).await?,
    })
}

/// What waits for the viewer: members, questions open for their views; policy makers,
/// their drafts, returned questions, subjects to acknowledge and advice received;
/// coordinators, questions and subjects to accept or assign, to open, to close and advice
/// to send.
pub async fn waiting_for(db: &Db, viewer: &CurrentUser) -> Result<Vec<QuestionSummary>, AppError> {
    let filter = match viewer.role {
        Role::Member => "q.state = 'collecting_input'",
        Role::PolicyMaker => {
            "q.owner_id = $3 AND (q.state IN ('draft', 'returned', 'assigned')
               OR (q.state = 'advice_sent' AND q.feedback_submitted_at IS NULL))"
        }
        // Feedback in: the infographic is theirs to make and publish.
        Role::Coordinator => {
            "(q.state IN ('submitted', 'proposed', 'accepted', 'collecting_input', 'advice_drafted')
              OR (q.state = 'advice_sent' AND q.feedback_submitted_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM infographics g
                                  WHERE g.question_id = q.id AND g.published_at IS NOT NULL)))"
        }
    };
    summaries(db, viewer, &[filter.to_string()], Vec::new(), 20, true).await
}

/// Questions of the viewer's panel that they may see and that pass every condition in
/// `conds` (SQL over `q`; `$3` is the viewer's id, `args` are bound from `$4` on), the
/// latest change first (or the earliest, to walk a list back).
async fn summaries(
    db: &Db,
    viewer: &CurrentUser,
    conds: &[String],
    args: Vec<Arg>,
    limit: i64,
    newest_first: bool,
) -> Result<Vec<QuestionSummary>, AppError> {
    // Drafts are their owner's; submitted and returned questions are not the panel's yet.
    let visible = match viewer.role {
        Role::Coordinator => "q.state <> 'draft' AND $3 > 0",
        Role::PolicyMaker => {
            "(q.owner_id = $3 OR q.state NOT IN ('draft', 'submitted', 'returned'))"
        }
        Role::Member => "q.state NOT IN ('draft', 'submitted', 'returned') AND $3 > 0",
    };
    let order = if newest_first { "DESC" } else { "ASC" };
    let mut filter = String::new();
    for c in conds {
        filter.push_str(" AND ");
        filter.push_str(c);
    }
    let sql = format!(
        "SELECT q.id, q.title, q.state, t.name, q.needed_by, u.display_name, q.updated_at,
                (SELECT string_agg(m.name, '{sep}' ORDER BY m.name)
                   FROM question_municipalities qm
                   JOIN municipalities m ON m.id = qm.municipality_id
                   WHERE qm.question_id = q.id)
         FROM questions q
         LEFT JOIN themes t ON t.id = q.theme_id
         LEFT JOIN users u ON u.id = q.owner_id
         WHERE q.panel_id = $1 AND {visible}{filter}
         ORDER BY q.updated_at {order}, q.id {order}
         LIMIT $2",
        sep = db::JOINED,
    );
    let mut query = sqlx::query_as::<
        _,
        (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
        ),
    >(&sql)
    .bind(viewer.panel.id)
    .bind(limit)
    .bind(viewer.id);
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
        };
    }
    let rows = query.fetch_all(db.read()).await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, title, state, theme, needed_by, owner, updated, places)| {
                Some(QuestionSummary {
                    id,
                    title,
                    state: State::from_db(&state)?,
                    theme,
                    municipalities: db::split_joined(places),
                    needed_by: needed_by.as_deref().map(clock::iso_to_display),
                    owner,
                    updated: clock::date(updated),
                    updated_at: updated,
                })
            },
        )
        .collect())
}
