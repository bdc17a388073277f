//! The panel's advice: a summary plus numbered recommendations that point at inputs,
//! reviewed by the panel and sent, which starts the feedback clock and tells the
//! question's owner by e-mail.

use super::inputs::inputs;
use crate::backend::platform::db;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::{
    store::event, store::refusal, store::title_of, store::transition, store::Head,
};
use crate::domain::lengths;
use crate::domain::{clock, required_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{Action, Refusal, State};
use crate::model::{
    AdviceView, CurrentUser, InputView, NoticeKind, QuestionEvent, RecommendationView,
};
use sqlx::AnyConnection;

/// The advice as this viewer may see it: coordinators and members while it is drafted,
/// everyone once it is sent.
pub async fn advice(
    db: &Db,
    viewer: &CurrentUser,
    question_id: i64,
    state: State,
    inputs: &[InputView],
) -> Result<Option<AdviceView>, AppError> {
    let visible = match state {
        State::AdviceDrafted => viewer.role != Role::PolicyMaker,
        State::AdviceSent | State::Closed => true,
        _ => false,
    };
    if !visible {
        return Ok(None);
    }
    let (summary, sent, due): (String, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT advice_summary, advice_sent_at, feedback_due FROM questions WHERE id = $1",
    )
    .bind(question_id)
    .fetch_one(db.read())
    .await?;
    // Each recommendation with the inputs it rests on, joined in the same query.
    let recs: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT c.id, c.position, c.body,
                (SELECT string_agg(CAST(l.input_id AS TEXT), '{sep}')
                   FROM recommendation_inputs l WHERE l.recommendation_id = c.id)
         FROM recommendations c WHERE c.question_id = $1 ORDER BY c.position",
        sep = db::JOINED,
    ))
    .bind(question_id)
    .fetch_all(db.read())
    .await?;
    // Only reactions to a recommendation's present text: one given for an earlier text is
    // not shown or counted. Read for all recommendations at once.
    let reviews: Vec<(i64, i64, i64, String, String)> = if state == State::AdviceDrafted {
        sqlx::query_as(
            "SELECT r.recommendation_id, r.user_id, r.agrees, r.comment, u.display_name
             FROM reviews r
             JOIN recommendations c ON c.id = r.recommendation_id AND c.body = r.body
             JOIN users u ON u.id = r.user_id
             WHERE c.question_id = $1 ORDER BY r.at",
        )
        .bind(question_id)
        .fetch_all(db.read())
        .await?
    } else {
        Vec::new()
    };
    let mut recommendations = Vec::new();
    for (rec_id, position, body, linked) in recs {
        let mut supported_by: Vec<i64> = db::split_joined(linked)
            .iter()
            .filter_map(|id| id.parse::<i64>().ok())
            .filter_map(|input_id| inputs.iter().find(|i| i.id == input_id).map(|i| i.number))
            .collect();
        supported_by.sort_unstable();
        let (mut agree, mut disagree, mut comments, mut mine) = (0, 0, Vec::new(), None);
        for (_, user_id, agrees, comment, name) in reviews.iter().filter(|r| r.0 == rec_id) {
            if *agrees == 1 {
                agree += 1;
            } else {
                disagree += 1;
            }
            if *user_id == viewer.id {
                mine = Some((*agrees == 1, comment.clone()));
            }
            if viewer.role == Role::Coordinator && !comment.is_empty() {
                comments.push((name.clone(), comment.clone()));
            }
        }
        recommendations.push(RecommendationView {
            position,
            key: crate::domain::text_key(&body),
            body,
            supported_by,
            agree,
            disagree,
            comments,
            mine,
        });
    }
    let (participants,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT author_id) FROM inputs
         WHERE question_id = $1 AND withdrawn_at IS NULL AND hidden_reason IS NULL AND for_group = 0",
    )
    .bind(question_id)
    .fetch_one(db.read())
    .await?;
    Ok(Some(AdviceView {
        summary,
        recommendations,
        sent: sent.map(clock::date_time),
        feedback_due: due.as_deref().map(clock::iso_to_display),
        participants,
    }))
}

/// One recommendation as typed: its text and the numbers of the inputs it rests on
/// ("1, 3").
#[derive(Debug, Clone)]
pub struct RecommendationForm {
    pub body: String,
    pub supported_by: String,
}

/// A member's reaction to one recommendation, with the text it was given for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reaction {
    body: String,
    agrees: i64,
    comment: String,
    at: i64,
}

/// The coordinator writes or changes the draft advice (only while it is drafted). When
/// the draft first has recommendations, members are told it is there to react to.
///
/// Everything is checked before the write transaction. Members' reactions stay with the
/// text they were given for: when recommendations are reordered they move along; a
/// reaction to a text that was rewritten is no longer shown or counted (the member can
/// react to the new text).
pub async fn save_advice(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    summary: &str,
    recommendations: &[RecommendationForm],
) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    {
        let mut conn = db.read().acquire().await?;
        let Head { state, .. } = Head::visible(&mut conn, user, id).await?;
        if state != State::AdviceDrafted {
            return Err(refusal(Refusal::WrongState));
        }
    }
    let mut checks = Checks::default();
    let summary = checks.check("summary", required_text(summary, lengths::ADVICE_SUMMARY));
    let written: Vec<&RecommendationForm> = recommendations
        .iter()
        .filter(|r| !r.body.trim().is_empty() || !r.supported_by.trim().is_empty())
        .collect();
    if written.is_empty() {
        checks.check::<()>("recommendations", Err(Problem::Required));
    }
    if written.len() > lengths::RECOMMENDATIONS {
        // Nothing more is looked at.
        return Err(AppError::invalid(
            "recommendations",
            Problem::TooMany {
                max: lengths::RECOMMENDATIONS,
            },
        ));
    }
    let numbered: std::collections::HashMap<i64, i64> = inputs(db, user, id)
        .await?
        .into_iter()
        .map(|i| (i.number, i.id))
        .collect();
    let parsed = check_recommendations(&mut checks, &written, &numbered);
    checks.finish()?;
    let summary = summary.ok_or(AppError::Unexpected)?;
    let mut tx = db.begin().await?;
    let Head { state, .. } = Head::visible(&mut tx, user, id).await?;
    if state != State::AdviceDrafted {
        return Err(refusal(Refusal::WrongState));
    }
    let reactions: Vec<(i64, i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT r.recommendation_id, r.user_id, r.body, r.agrees, r.comment, r.at
         FROM reviews r JOIN recommendations c ON c.id = r.recommendation_id
         WHERE c.question_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let (before,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recommendations WHERE question_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if before == 0 {
        let title = title_of(&mut tx, id).await?;
        notify::notify(
            &mut tx,
            public_url,
            &user.panel.name,
            To::Members(user.panel.id),
            user.id,
            &Notice {
                kind: NoticeKind::DraftReady,
                question_id: Some(id),
                subject: &title,
                due: None,
            },
        )
        .await?;
    }
    sqlx::query("UPDATE questions SET advice_summary = $1, updated_at = $2 WHERE id = $3")
        .bind(&summary)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Rows are kept per position; reactions are then put with the text they were for.
    let count = i64::try_from(parsed.len()).unwrap_or(0);
    sqlx::query("DELETE FROM recommendations WHERE question_id = $1 AND position > $2")
        .bind(id)
        .bind(count)
        .execute(&mut *tx)
        .await?;
    let rows = write_recommendations(&mut tx, id, parsed).await?;
    move_reactions(&mut tx, &rows, reactions).await?;
    Ok(tx.commit().await?)
}

/// Checks each written recommendation and the inputs it names ("#2, #5"): its text, and
/// the ids of the inputs by their number on the page. Problems go to `checks`.
fn check_recommendations(
    checks: &mut Checks,
    written: &[&RecommendationForm],
    numbered: &std::collections::HashMap<i64, i64>,
) -> Vec<(Option<String>, Vec<i64>)> {
    let mut parsed = Vec::new();
    for (i, r) in written.iter().enumerate() {
        let body = checks.check(
            &format!("recommendation_{}", i + 1),
            required_text(&r.body, lengths::RECOMMENDATION),
        );
        let field = format!("supported_by_{}", i + 1);
        if r.supported_by.chars().count() > lengths::SUPPORTED_BY {
            checks.check::<()>(
                &field,
                Err(Problem::TooLong {
                    max: lengths::SUPPORTED_BY,
                }),
            );
            continue;
        }
        let mut ids = Vec::new();
        let mut unknown = false;
        for part in r
            .supported_by
            .split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
        {
            match part
                .trim()
                .trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .and_then(|n| numbered.get(&n))
            {
                Some(input) => ids.push(*input),
                None => unknown = true,
            }
        }
        if unknown {
            checks.check::<()>(&field, Err(Problem::UnknownInput));
        }
        ids.sort_unstable();
        ids.dedup();
        parsed.push((body, ids));
    }
    parsed
}

/// Writes the recommendations by position (a row per position is kept, so its id stays)
/// with the inputs each is based on. Returns each row's id and text.
async fn write_recommendations(
    tx: &mut AnyConnection,
    id: i64,
    parsed: Vec<(Option<String>, Vec<i64>)>,
) -> Result<Vec<(i64, String)>, AppError> {
    let mut rows: Vec<(i64, String)> = Vec::with_capacity(parsed.len());
    for (position, (body, ids)) in parsed.into_iter().enumerate() {
        let body = body.ok_or(AppError::Unexpected)?;
        let (rec_id,): (i64,) = sqlx::query_as(
            "INSERT INTO recommendations (question_id, position, body) VALUES ($1, $2, $3)
             ON CONFLICT (question_id, position) DO UPDATE SET body = excluded.body
             RETURNING id",
        )
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(0) + 1)
        .bind(&body)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM recommendation_inputs WHERE recommendation_id = $1")
            .bind(rec_id)
            .execute(&mut *tx)
            .await?;
        for input_id in ids {
            sqlx::query(
                "INSERT INTO recommendation_inputs (recommendation_id, input_id) VALUES ($1, $2)",
            )
            .bind(rec_id)
            .bind(input_id)
            .execute(&mut *tx)
            .await?;
        }
        rows.push((rec_id, body));
    }
    Ok(rows)
}

/// Puts each reaction with the recommendation that now has the text it was given for
/// (reordering keeps reactions with their text). A reaction to a text that is gone stays
/// where it was, where it is not shown or counted, unless its row is gone too. Writes
/// only what changed.
async fn move_reactions(
    conn: &mut AnyConnection,
    rows: &[(i64, String)],
    reactions: Vec<(i64, i64, String, i64, String, i64)>,
) -> Result<(), AppError> {
    use std::collections::HashMap;
    let mut current: HashMap<(i64, i64), Reaction> = HashMap::new();
    // (matches its text, reaction) per (recommendation, member).
    let mut wanted: HashMap<(i64, i64), (bool, Reaction)> = HashMap::new();
    for (rec_id, user_id, body, agrees, comment, at) in reactions {
        let reaction = Reaction {
            body,
            agrees,
            comment,
            at,
        };
        current.insert((rec_id, user_id), reaction.clone());
        let same_row = rows
            .iter()
            .find(|(id, body)| *id == rec_id && *body == reaction.body);
        let target = same_row
            .or_else(|| rows.iter().find(|(_, body)| *body == reaction.body))
            .map(|(id, _)| (*id, true))
            .or_else(|| {
                rows.iter()
                    .any(|(id, _)| *id == rec_id)
                    .then_some((rec_id, false))
            });
        let Some((target, matches)) = target else {
            continue;
        };
        let better = match wanted.get(&(target, user_id)) {
            None => true,
            Some((m, r)) => (matches, reaction.at) > (*m, r.at),
        };
        if better {
            wanted.insert((target, user_id), (matches, reaction));
        }
    }
    for (key, reaction) in &current {
        if wanted.get(key).map(|(_, r)| r) != Some(reaction) {
            sqlx::query("DELETE FROM reviews WHERE recommendation_id = $1 AND user_id = $2")
                .bind(key.0)
                .bind(key.1)
                .execute(&mut *conn)
                .await?;
        }
    }
    for (key, (_, reaction)) in &wanted {
        if current.get(key) != Some(reaction) {
            sqlx::query(
                "INSERT INTO reviews (recommendation_id, user_id, agrees, comment, at, body)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(key.0)
            .bind(key.1)
            .bind(reaction.agrees)
            .bind(&reaction.comment)
            .bind(reaction.at)
            .bind(&reaction.body)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A member reacts to one recommendation of the draft advice: agree or not, and an
/// optional comment. Again changes the earlier reaction. `seen` is the fingerprint
/// ([`crate::domain::text_key`]) of the text the member read: if the coordinator moved
/// that text meanwhile, the reaction goes with it; if it was rewritten, the reaction is
/// refused. The reaction is stored with the text it is about.
pub async fn review(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    position: i64,
    agrees: bool,
    comment: &str,
    seen: &str,
) -> Result<(), AppError> {
    let comment =
        crate::domain::long_text(comment, 1_000).map_err(|p| AppError::invalid("comment", p))?;
    let mut tx = db.begin().await?;
    let head = Head::visible(&mut tx, user, id).await?;
    head.next(user, Action::ReviewAdvice)?;
    let recs: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, position, body FROM recommendations WHERE question_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let at_position = recs
        .iter()
        .find(|(_, p, _)| *p == position)
        .ok_or(AppError::NotFound)?;
    let seen = seen.trim();
    let (rec_id, _, body) = if seen.is_empty() || crate::domain::text_key(&at_position.2) == seen {
        at_position
    } else {
        recs.iter()
            .find(|(_, _, body)| crate::domain::text_key(body) == seen)
            .ok_or_else(|| AppError::invalid("review", Problem::ChangedMeanwhile))?
    };
    sqlx::query(
        "INSERT INTO reviews (recommendation_id, user_id, agrees, comment, at, body)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (recommendation_id, user_id)
         DO UPDATE SET agrees = excluded.agrees, comment = excluded.comment, at = excluded.at,
                       body = excluded.body",
    )
    .bind(rec_id)
    .bind(user.id)
    .bind(i64::from(agrees))
    .bind(&comment)
    .bind(now())
    .bind(body)
    .execute(&mut *tx)
    .await?;
    Ok(tx.commit().await?)
}

/// Sends the advice: the feedback clock starts (the panel's number of weeks) and the
/// question's owner is notified (in the app, and by e-mail as they chose) in the same
/// transaction.
pub async fn send_advice(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let head = Head::visible(&mut tx, user, id).await?;
    let to = head.next(user, Action::SendAdvice)?;
    let (summary, title, weeks): (String, String, i64) = sqlx::query_as(
        "SELECT q.advice_summary, q.title, p.feedback_weeks FROM questions q
         JOIN panels p ON p.id = q.panel_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recommendations WHERE question_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if summary.trim().is_empty() || count == 0 {
        return Err(AppError::invalid("advice", Problem::Required));
    }
    let at = now();
    let due = clock::iso_date(at + weeks.clamp(1, 52) * 7 * 86_400);
    transition(&mut tx, id, head.state, to).await?;
    sqlx::query("UPDATE questions SET advice_sent_at = $1, feedback_due = $2 WHERE id = $3")
        .bind(at)
        .bind(&due)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    event(&mut tx, id, user.id, QuestionEvent::AdviceSent, "").await?;
    if let Some(owner) = head.owner {
        notify::notify(
            &mut tx,
            public_url,
            &user.panel.name,
            To::User(owner),
            user.id,
            &Notice {
                kind: NoticeKind::AdviceSent,
                question_id: Some(id),
                subject: &title,
                due: Some(&clock::iso_to_display(&due)),
            },
        )
        .await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(())
}
