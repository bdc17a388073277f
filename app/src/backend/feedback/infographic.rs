//! The infographic that tells young people what was done with their advice: built from the
//! question, the advice and the answer, edited and published by the coordinator, frozen
//! once published (the newest update on carrying out each recommendation is added beside
//! it, dated), and shown in the panel's public gallery with only quotable words.

use super::progress;
use super::responses::{rating_of, responses, submitted_at};
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::{store::event, store::refusal, store::Head};
use crate::domain::lengths;
use crate::domain::{clock, long_text, required_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{Refusal, State};
use crate::model::{
    ColourTheme, CurrentUser, Infographic, InfographicEditor, InfographicItem, NoticeKind,
    PublicInfographic, QuestionEvent, QuotableInput, ResponseStatus,
};
use sqlx::AnyConnection;

/// The most-endorsed inputs the infographic shows, and how much of each.
const TOP_INPUTS: usize = 3;
const EXCERPT_MAX: usize = 280;

/// The infographic's texts as the coordinator last saved them, and when it was published.
#[derive(sqlx::FromRow)]
struct Texts {
    question_line: String,
    said: String,
    meaning: String,
    quote_input_id: Option<i64>,
    theme: String,
    published_at: Option<i64>,
}

/// What the coordinator edited, or what the structured data suggests: the question in
/// one sentence, the advice summary, and what changes for young people as the owner
/// wrote it.
async fn texts(conn: &mut AnyConnection, id: i64) -> Result<Texts, AppError> {
    let row: Option<Texts> = sqlx::query_as(
        "SELECT question_line, said, meaning, quote_input_id, theme, published_at
         FROM infographics WHERE question_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = row {
        return Ok(row);
    }
    let (title, question, summary): (String, String, String) =
        sqlx::query_as("SELECT title, question, advice_summary FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let line = question
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(title.as_str())
        .chars()
        .take(lengths::INFOGRAPHIC_LINE)
        .collect();
    let changes: Vec<(String,)> = sqlx::query_as(
        "SELECT s.changes FROM responses s JOIN recommendations r ON r.id = s.recommendation_id
         WHERE r.question_id = $1 AND s.changes <> '' ORDER BY r.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let meaning = changes
        .into_iter()
        .map(|(c,)| c)
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Texts {
        question_line: line,
        said: summary,
        meaning,
        quote_input_id: None,
        theme: "ocean".into(),
        published_at: None,
    })
}

/// Inputs whose authors allowed quoting (still standing): (id, number, text). Only these
/// may appear word for word in an infographic: as the quote or among the most recognised.
async fn quotable(conn: &mut AnyConnection, id: i64) -> Result<Vec<QuotableInput>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, body, may_quote FROM inputs
         WHERE question_id = $1 AND withdrawn_at IS NULL AND hidden_reason IS NULL
         ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .filter(|(_, (_, _, may))| *may == 1)
        .map(|(i, (id, body, _))| QuotableInput {
            id,
            number: i64::try_from(i).unwrap_or(0) + 1,
            body,
        })
        .collect())
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_MAX).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

/// What the infographic says about the question and its panel.
#[derive(sqlx::FromRow)]
struct Facts {
    title: String,
    panel_name: String,
    slug: String,
    advice_sent_at: Option<i64>,
    feedback_submitted_at: Option<i64>,
    kind: String,
    created_at: i64,
    municipality: Option<String>,
}

/// The infographic from the edited texts and the structured data as they are now.
async fn build(conn: &mut AnyConnection, id: i64, texts: &Texts) -> Result<Infographic, AppError> {
    let Texts {
        question_line: line,
        said,
        meaning,
        quote_input_id: quote_id,
        theme,
        ..
    } = texts;
    let Facts {
        title,
        panel_name,
        slug,
        advice_sent_at: sent,
        feedback_submitted_at: submitted,
        kind,
        created_at: created,
        municipality,
    } = sqlx::query_as(
        "SELECT q.title, p.name AS panel_name, p.slug, q.advice_sent_at,
                q.feedback_submitted_at, q.kind, q.created_at, m.name AS municipality
         FROM questions q JOIN panels p ON p.id = q.panel_id
         LEFT JOIN users u ON u.id = q.owner_id
         LEFT JOIN municipalities m ON m.id = u.municipality_id
         WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let top: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.body, COUNT(e.user_id) AS n FROM inputs i
         JOIN endorsements e ON e.input_id = i.id
         WHERE i.question_id = $1 AND i.withdrawn_at IS NULL AND i.hidden_reason IS NULL
           AND i.may_quote = 1
         GROUP BY i.id, i.body ORDER BY n DESC, i.id LIMIT 3",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let quote = match quote_id {
        Some(q) => quotable(conn, id)
            .await?
            .into_iter()
            .find(|i| i.id == *q)
            .map(|i| excerpt(&i.body)),
        None => None,
    };
    let items = responses(conn, id)
        .await?
        .into_iter()
        .map(|r| InfographicItem {
            position: r.position,
            recommendation: r.recommendation,
            status: r.status.unwrap_or(ResponseStatus::StillOpen),
            explanation: if r.reason.is_empty() {
                r.explanation
            } else {
                format!("{}\n\n{}", r.explanation, r.reason)
            },
            follow_up: (!r.follow_up_iso.is_empty()).then_some(r.follow_up),
            progress: r.progress.last().cloned(),
        })
        .collect();
    // Who took part: gave or endorsed input, or came to a meeting where it was discussed.
    let (members,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE role = 'member' AND id IN (
            SELECT author_id FROM inputs
             WHERE question_id = $1 AND for_group = 0 AND withdrawn_at IS NULL
            UNION SELECT e.user_id FROM endorsements e JOIN inputs i ON i.id = e.input_id
             WHERE i.question_id = $1
            UNION SELECT r.user_id FROM meeting_rsvps r
             JOIN agenda_items a ON a.meeting_id = r.meeting_id
             WHERE a.question_id = $1 AND r.attended = 1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let (meetings,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT m.id) FROM meetings m JOIN agenda_items a ON a.meeting_id = m.id
         WHERE a.question_id = $1 AND m.cancelled_at IS NULL AND m.starts_at <= $2",
    )
    .bind(id)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let days = match (sent, submitted) {
        (Some(s), Some(f)) => Some(((f - s) / 86_400).max(0)),
        _ => None,
    };
    Ok(Infographic {
        question_id: id,
        panel_name,
        panel_slug: slug,
        title,
        question: line.clone(),
        unsolicited: kind == "unsolicited",
        asked_by: if kind == "unsolicited" {
            None
        } else {
            municipality
        },
        asked_on: clock::date(created),
        said: said.clone(),
        top_inputs: top
            .into_iter()
            .take(TOP_INPUTS)
            .map(|(b, _)| excerpt(&b))
            .collect(),
        quote,
        items,
        meaning: meaning.clone(),
        members,
        meetings,
        days,
        theme: ColourTheme::parse(theme).unwrap_or(ColourTheme::Ocean),
        published: None,
    })
}

/// The coordinator's editor: the texts, the quotable inputs, and a preview of the
/// infographic as it would be published now.
pub async fn editor(db: &Db, user: &CurrentUser, id: i64) -> Result<InfographicEditor, AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let mut conn = db.read().acquire().await?;
    let Head { state, .. } = Head::visible(&mut conn, user, id).await?;
    if !matches!(state, State::AdviceSent | State::Closed) {
        return Err(refusal(Refusal::WrongState));
    }
    let submitted = submitted_at(&mut conn, id).await?;
    let texts = texts(&mut conn, id).await?;
    let preview = build(&mut conn, id, &texts).await?;
    let slug = preview.panel_slug.clone();
    Ok(InfographicEditor {
        title: preview.title.clone(),
        question_line: texts.question_line,
        said: texts.said,
        meaning: texts.meaning,
        quote_input_id: texts.quote_input_id,
        theme: ColourTheme::parse(&texts.theme).unwrap_or(ColourTheme::Ocean),
        quotable: quotable(&mut conn, id).await?,
        feedback_submitted: submitted.is_some(),
        published: texts.published_at.map(clock::date),
        public_path: format!("/p/{slug}/feedback/{id}"),
        closed: state == State::Closed,
        preview,
    })
}

/// The texts the coordinator typed for the infographic.
#[derive(Debug, Clone, Default)]
pub struct InfographicForm {
    pub question_line: String,
    pub said: String,
    pub meaning: String,
    /// An input id, or empty for no quote.
    pub quote: String,
    pub theme: String,
}

/// Publishes the infographic as saved: a fixed copy that later edits do not change until
/// it is published again. The first time, everyone who took part is told.
async fn publish_infographic(
    tx: &mut AnyConnection,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    was_published: bool,
    at: i64,
) -> Result<(), AppError> {
    let texts = texts(&mut *tx, id).await?;
    let mut graphic = build(&mut *tx, id, &texts).await?;
    graphic.published = Some(clock::date(at));
    let json = serde_json::to_string(&graphic)?;
    sqlx::query(
        "UPDATE infographics SET published_json = $1, published_at = $2 WHERE question_id = $3",
    )
    .bind(&json)
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    event(
        &mut *tx,
        id,
        Some(user.id),
        if was_published {
            QuestionEvent::InfographicRepublished
        } else {
            QuestionEvent::InfographicPublished
        },
        "",
    )
    .await?;
    if !was_published {
        notify::notify(
            &mut *tx,
            public_url,
            &user.panel.name,
            To::TookPart(id),
            user.id,
            &Notice {
                kind: NoticeKind::FeedbackPublished,
                question_id: Some(id),
                subject: &graphic.title,
                due: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// The coordinator saves the infographic's texts, and publishes it if `publish`. A
/// published infographic changes only by publishing again (so what young people saw does
/// not change unseen). Publishing needs the owner's submitted answers to every
/// recommendation; the first publication tells everyone who gave or endorsed input or
/// came to a meeting where the question was discussed.
pub async fn save_infographic(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    form: &InfographicForm,
    publish: bool,
) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let Head { state, .. } = Head::visible(&mut tx, user, id).await?;
    if state != State::AdviceSent {
        return Err(refusal(Refusal::WrongState));
    }
    let before = texts(&mut tx, id).await?;
    let was_published = before.published_at.is_some();
    if was_published && !publish {
        return Err(AppError::invalid("infographic", Problem::RepublishNeeded));
    }
    let mut checks = Checks::default();
    let line = checks.check(
        "question_line",
        required_text(&form.question_line, lengths::INFOGRAPHIC_LINE),
    );
    let said = checks.check("said", required_text(&form.said, lengths::FEEDBACK_TEXT));
    let meaning = checks.check(
        "meaning",
        if publish {
            required_text(&form.meaning, lengths::FEEDBACK_TEXT)
        } else {
            long_text(&form.meaning, lengths::FEEDBACK_TEXT)
        },
    );
    let theme = checks.check(
        "theme",
        ColourTheme::parse(form.theme.trim()).ok_or(Problem::InvalidChoice),
    );
    let quote = match form.quote.trim() {
        "" => Some(None),
        q => {
            let allowed = quotable(&mut tx, id).await?;
            checks.check(
                "quote",
                q.parse::<i64>()
                    .ok()
                    .filter(|q| allowed.iter().any(|i| i.id == *q))
                    .map(Some)
                    .ok_or(Problem::NotQuotable),
            )
        }
    };
    if publish {
        let submitted = submitted_at(&mut tx, id).await?;
        let answered = responses(&mut tx, id)
            .await?
            .iter()
            .all(|r| r.status.is_some() && !r.explanation.is_empty());
        if submitted.is_none() || !answered {
            checks.check::<()>("infographic", Err(Problem::FeedbackMissing));
        }
    }
    checks.finish()?;
    let (Some(line), Some(said), Some(meaning), Some(theme), Some(quote)) =
        (line, said, meaning, theme, quote)
    else {
        return Err(AppError::Unexpected);
    };
    let at = now();
    sqlx::query(
        "INSERT INTO infographics (question_id, question_line, said, meaning, quote_input_id,
                                   theme, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (question_id) DO UPDATE SET question_line = excluded.question_line,
            said = excluded.said, meaning = excluded.meaning,
            quote_input_id = excluded.quote_input_id, theme = excluded.theme,
            updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(&line)
    .bind(&said)
    .bind(&meaning)
    .bind(quote)
    .bind(theme.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if publish {
        publish_infographic(&mut tx, public_url, user, id, was_published, at).await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// A published infographic, for anyone (no login): only from the published copy, and
/// only at its own panel's address.
pub async fn published(db: &Db, slug: &str, id: i64) -> Result<Infographic, AppError> {
    frozen(db, id, Some(slug)).await
}

/// A published infographic by question id alone (for its SVG and PNG files).
pub async fn published_by_id(db: &Db, id: i64) -> Result<Infographic, AppError> {
    frozen(db, id, None).await
}

/// The published copy of a question's infographic, of the panel with this address if
/// one is given.
async fn frozen(db: &Db, id: i64, slug: Option<&str>) -> Result<Infographic, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT g.published_json FROM infographics g
         JOIN questions q ON q.id = g.question_id JOIN panels p ON p.id = q.panel_id
         WHERE g.question_id = $1 AND g.published_json IS NOT NULL
           AND ($2 IS NULL OR p.slug = $2)",
    )
    .bind(id)
    .bind(slug)
    .fetch_optional(db.read())
    .await?;
    let (json,) = row.ok_or(AppError::NotFound)?;
    let mut infographic: Infographic = serde_json::from_str(&json)?;
    let mut conn = db.read().acquire().await?;
    // The published copy stays as it was; the newest update on carrying out each
    // recommendation is shown beside it, with its own date.
    let latest = progress::latest(&mut conn, id).await?;
    for item in &mut infographic.items {
        item.progress = latest
            .iter()
            .find(|(position, _)| *position == item.position)
            .map(|(_, update)| update.clone());
    }
    let allowed: Vec<String> = quotable(&mut conn, id)
        .await?
        .iter()
        .map(|i| excerpt(&i.body))
        .collect();
    only_quotable(&mut infographic, &allowed);
    Ok(infographic)
}

/// Drops from a published infographic every member's text that is not (or no longer) an
/// input its author allowed to be quoted: consent travels with the words, also into a
/// copy published before, or an input hidden since.
fn only_quotable(infographic: &mut Infographic, allowed: &[String]) {
    infographic.top_inputs.retain(|text| allowed.contains(text));
    if infographic
        .quote
        .as_ref()
        .is_some_and(|q| !allowed.contains(q))
    {
        infographic.quote = None;
    }
}

/// The public page of one infographic, with what the viewer (if a member of the panel)
/// rated it.
pub async fn public_page(
    db: &Db,
    public_url: &str,
    viewer: Option<&CurrentUser>,
    slug: &str,
    id: i64,
) -> Result<PublicInfographic, AppError> {
    let infographic = published(db, slug, id).await?;
    let member = viewer.filter(|u| u.role == Role::Member && u.panel.slug == slug);
    let mine = match member {
        Some(u) => {
            let mut conn = db.read().acquire().await?;
            rating_of(&mut conn, id, u.id).await?
        }
        None => None,
    };
    Ok(PublicInfographic {
        infographic,
        page_url: format!("{public_url}/p/{slug}/feedback/{id}"),
        image_url: format!("{public_url}/infographics/{id}.png"),
        may_rate: member.is_some(),
        my_rating: mine,
    })
}
