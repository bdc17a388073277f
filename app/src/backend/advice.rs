//! Input of young people and the panel's advice: opening a question for input, giving
//! and endorsing input, drafting the advice (summary plus numbered recommendations that
//! point at inputs), and sending it, which starts the feedback clock and tells the
//! question's owner by e-mail.
//!
//! Pseudonymity is decided here, on the server: a policy maker never receives a member's
//! name unless that member chose to show it.

// Query rows are tuples whose shape is the SELECT list written right beside them.
#![allow(clippy::type_complexity)]

use super::db::{now, Db};
use super::mail;
use super::notify::{self, Notice, To};
use super::questions::{actor_of, event, question_state, refusal, title_of};
use crate::domain::lengths;
use crate::domain::{clock, future_date, required_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::lifecycle::{self, Action, Refusal, State};
use crate::model::{
    AdviceView, CurrentUser, InputView, NoticeKind, QuestionEvent, RecommendationView,
};
use sqlx::AnyConnection;

/// The last day input may be given: empty, or a date after today.
fn closing_day(closes_on: &str) -> Result<Option<String>, AppError> {
    if closes_on.trim().is_empty() {
        return Ok(None);
    }
    future_date(closes_on, &clock::iso_date(now()))
        .map(Some)
        .map_err(|p| AppError::invalid("closes_on", p))
}

/// Whether the question's closing day for input has passed.
async fn input_closed(conn: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let (closes_on,): (Option<String>,) =
        sqlx::query_as("SELECT input_closes_on FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(closes_on.is_some_and(|day| day < clock::iso_date(now())))
}

/// Open input (members are told), start drafting the advice, or reopen input. Opening
/// and reopening take an optional last day for input (`closes_on`, `yyyy-mm-dd`).
pub async fn transition(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    id: i64,
    action: Action,
    closes_on: &str,
) -> Result<State, AppError> {
    let name = match action {
        Action::OpenInput => QuestionEvent::InputOpened,
        Action::DraftAdvice => QuestionEvent::InputClosed,
        Action::ReopenInput => QuestionEvent::InputReopened,
        _ => return Err(AppError::Forbidden),
    };
    let closes_on = match action {
        Action::DraftAdvice => None,
        _ => closing_day(closes_on)?,
    };
    let mut tx = db.begin().await?;
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    let to = lifecycle::next(state, action, actor_of(user, owner, creator)).map_err(refusal)?;
    let done = sqlx::query(
        "UPDATE questions SET state = $1, updated_at = $2,
            input_closes_on = CASE WHEN $5 = 1 THEN $6 ELSE input_closes_on END
         WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(id)
    .bind(state.as_str())
    .bind(i64::from(action != Action::DraftAdvice))
    .bind(closes_on.clone())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    let detail = closes_on
        .as_deref()
        .map(clock::iso_to_display)
        .unwrap_or_default();
    event(&mut tx, id, user.id, name, &detail).await?;
    if action == Action::OpenInput {
        let title = title_of(&mut tx, id).await?;
        notify::notify(
            &mut tx,
            public_url,
            &user.panel.name,
            To::Members(user.panel.id),
            user.id,
            &Notice {
                kind: NoticeKind::InputOpen,
                question_id: Some(id),
                subject: &title,
                due: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    mail::wake();
    Ok(to)
}

/// The coordinator changes (or clears) the last day for input while input is open.
pub async fn set_input_closing(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    closes_on: &str,
) -> Result<(), AppError> {
    let closes_on = closing_day(closes_on)?;
    let mut tx = db.begin().await?;
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    // Whoever may record input for the group, in that state, runs the input round.
    lifecycle::next(state, Action::RecordInput, actor_of(user, owner, creator)).map_err(refusal)?;
    sqlx::query("UPDATE questions SET input_closes_on = $1, updated_at = $2 WHERE id = $3")
        .bind(closes_on.clone())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = closes_on
        .as_deref()
        .map(clock::iso_to_display)
        .unwrap_or_default();
    event(
        &mut tx,
        id,
        user.id,
        QuestionEvent::InputClosingSet,
        &detail,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// A member gives input. No timeline entry: the timeline would name them.
pub async fn give_input(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    body: &str,
    show_name: bool,
    may_quote: bool,
) -> Result<i64, AppError> {
    let body = required_text(body, lengths::INPUT).map_err(|p| AppError::invalid("body", p))?;
    let mut tx = db.begin().await?;
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    lifecycle::next(state, Action::GiveInput, actor_of(user, owner, creator)).map_err(refusal)?;
    if input_closed(&mut tx, id).await? {
        return Err(AppError::invalid("state", Problem::InputClosed));
    }
    let at = now();
    let (input_id,): (i64,) = sqlx::query_as(
        "INSERT INTO inputs (question_id, author_id, body, show_name, may_quote, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(&body)
    .bind(i64::from(show_name))
    .bind(i64::from(may_quote))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(input_id)
}

/// A coordinator records input for the group (from a meeting, say). It carries no name.
pub async fn record_group_input(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    body: &str,
) -> Result<i64, AppError> {
    let body =
        required_text(body, lengths::INPUT).map_err(|p| AppError::invalid("group_body", p))?;
    let mut tx = db.begin().await?;
    let input_id = group_input_in(&mut tx, user, id, &body, None).await?;
    tx.commit().await?;
    Ok(input_id)
}

/// Records checked group input inside the caller's transaction. Input from the minutes
/// names its agenda item and is kept once per item: saving the minutes again changes
/// that input instead of adding another.
pub(super) async fn group_input_in(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i64,
    body: &str,
    agenda_item: Option<i64>,
) -> Result<i64, AppError> {
    let (state, owner, creator) = question_state(&mut *conn, user, id).await?;
    lifecycle::next(state, Action::RecordInput, actor_of(user, owner, creator)).map_err(refusal)?;
    let at = now();
    if let Some(item) = agenda_item {
        let earlier: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, body FROM inputs
             WHERE agenda_item_id = $1 AND question_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(item)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((input_id, before)) = earlier {
            if before != body {
                sqlx::query("UPDATE inputs SET body = $1, updated_at = $2 WHERE id = $3")
                    .bind(body)
                    .bind(at)
                    .bind(input_id)
                    .execute(&mut *conn)
                    .await?;
            }
            return Ok(input_id);
        }
    }
    let (input_id,): (i64,) = sqlx::query_as(
        "INSERT INTO inputs (question_id, author_id, body, for_group, show_name, may_quote, created_at, updated_at, agenda_item_id)
         VALUES ($1, $2, $3, 1, 0, 0, $4, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(body)
    .bind(at)
    .bind(agenda_item)
    .fetch_one(&mut *conn)
    .await?;
    event(&mut *conn, id, user.id, QuestionEvent::GroupInput, "").await?;
    Ok(input_id)
}

/// An input of the actor's panel: its question, author and whether it was for the group.
async fn input_of(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    input_id: i64,
) -> Result<(i64, Option<i64>), AppError> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT i.question_id, i.author_id FROM inputs i JOIN questions q ON q.id = i.question_id
         WHERE i.id = $1 AND q.panel_id = $2 AND i.withdrawn_at IS NULL",
    )
    .bind(input_id)
    .bind(user.panel.id)
    .fetch_optional(conn)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// Members change their own input until the advice is sent.
pub async fn update_input(
    db: &Db,
    user: &CurrentUser,
    input_id: i64,
    body: &str,
    show_name: bool,
    may_quote: bool,
) -> Result<(), AppError> {
    let body =
        required_text(body, lengths::INPUT).map_err(|p| AppError::invalid("edit_body", p))?;
    let mut tx = db.begin().await?;
    let (question_id, author) = input_of(&mut tx, user, input_id).await?;
    let (state, ..) = question_state(&mut tx, user, question_id).await?;
    if author != Some(user.id) || user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    if !matches!(state, State::CollectingInput | State::AdviceDrafted) {
        return Err(refusal(Refusal::WrongState));
    }
    sqlx::query(
        "UPDATE inputs SET body = $1, show_name = $2, may_quote = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&body)
    .bind(i64::from(show_name))
    .bind(i64::from(may_quote))
    .bind(now())
    .bind(input_id)
    .execute(&mut *tx)
    .await?;
    Ok(tx.commit().await?)
}

/// Members withdraw their own input until the advice is sent; it is gone for everyone.
pub async fn withdraw_input(db: &Db, user: &CurrentUser, input_id: i64) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    let (question_id, author) = input_of(&mut tx, user, input_id).await?;
    let (state, ..) = question_state(&mut tx, user, question_id).await?;
    if author != Some(user.id) || user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    if !matches!(state, State::CollectingInput | State::AdviceDrafted) {
        return Err(refusal(Refusal::WrongState));
    }
    sqlx::query("UPDATE inputs SET withdrawn_at = $1 WHERE id = $2")
        .bind(now())
        .bind(input_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM recommendation_inputs WHERE input_id = $1")
        .bind(input_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(question_id)
}

/// A coordinator hides input (moderation) with a reason its author sees. Until the
/// advice is sent.
pub async fn hide_input(
    db: &Db,
    user: &CurrentUser,
    input_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let reason = required_text(reason, 500).map_err(|p| AppError::invalid("hide_reason", p))?;
    let mut tx = db.begin().await?;
    let (question_id, _) = input_of(&mut tx, user, input_id).await?;
    let (state, ..) = question_state(&mut tx, user, question_id).await?;
    if !matches!(state, State::CollectingInput | State::AdviceDrafted) {
        return Err(refusal(Refusal::WrongState));
    }
    sqlx::query("UPDATE inputs SET hidden_reason = $1 WHERE id = $2")
        .bind(&reason)
        .bind(input_id)
        .execute(&mut *tx)
        .await?;
    event(
        &mut tx,
        question_id,
        user.id,
        QuestionEvent::InputHidden,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(question_id)
}

/// "Ik herken dit": a member endorses someone else's input, once.
pub async fn endorse(db: &Db, user: &CurrentUser, input_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT i.question_id, i.author_id FROM inputs i JOIN questions q ON q.id = i.question_id
         WHERE i.id = $1 AND q.panel_id = $2 AND i.withdrawn_at IS NULL AND i.hidden_reason IS NULL",
    )
    .bind(input_id)
    .bind(user.panel.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (question_id, author) = row.ok_or(AppError::NotFound)?;
    let (state, owner, creator) = question_state(&mut tx, user, question_id).await?;
    lifecycle::next(state, Action::Endorse, actor_of(user, owner, creator)).map_err(refusal)?;
    if input_closed(&mut tx, question_id).await? {
        return Err(AppError::invalid("state", Problem::InputClosed));
    }
    if author == Some(user.id) {
        return Err(AppError::invalid("input", Problem::NotYourself));
    }
    let done = sqlx::query(
        "INSERT INTO endorsements (input_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (input_id, user_id) DO NOTHING",
    )
    .bind(input_id)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid("input", Problem::AlreadyDone));
    }
    Ok(tx.commit().await?)
}

/// The inputs of a question, numbered, as this viewer may see them.
pub async fn inputs(
    db: &Db,
    viewer: &CurrentUser,
    question_id: i64,
) -> Result<Vec<InputView>, AppError> {
    let rows: Vec<(i64, String, Option<i64>, Option<String>, i64, i64, Option<String>, i64, i64, i64)> =
        sqlx::query_as(
            "SELECT i.id, i.body, i.author_id, u.display_name, i.show_name, i.may_quote, i.hidden_reason, i.for_group,
                    (SELECT COUNT(*) FROM endorsements e WHERE e.input_id = i.id),
                    (SELECT COUNT(*) FROM endorsements e WHERE e.input_id = i.id AND e.user_id = $2)
             FROM inputs i LEFT JOIN users u ON u.id = i.author_id
             WHERE i.question_id = $1 AND i.withdrawn_at IS NULL
             ORDER BY i.created_at, i.id",
        )
        .bind(question_id)
        .bind(viewer.id)
        .fetch_all(db.read())
        .await?;
    let mut out = Vec::new();
    for (n, (id, body, author_id, name, show_name, may_quote, hidden, for_group, count, mine)) in
        rows.into_iter().enumerate()
    {
        let is_mine = author_id == Some(viewer.id);
        if hidden.is_some() && !is_mine && viewer.role != Role::Coordinator {
            continue;
        }
        let author = match viewer.role {
            _ if for_group == 1 => None,
            Role::PolicyMaker if show_name == 0 => None,
            _ => name,
        };
        out.push(InputView {
            id,
            number: i64::try_from(n).unwrap_or(0) + 1,
            body,
            author,
            is_mine,
            for_group: for_group == 1,
            show_name: show_name == 1,
            may_quote: may_quote == 1,
            endorsements: count,
            endorsed_by_me: mine > 0,
            hidden_reason: hidden,
        });
    }
    Ok(out)
}

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
        sep = super::db::JOINED,
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
        let mut supported_by: Vec<i64> = super::db::split_joined(linked)
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
        let (state, ..) = question_state(&mut conn, user, id).await?;
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
    let (state, ..) = question_state(&mut tx, user, id).await?;
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
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    lifecycle::next(state, Action::ReviewAdvice, actor_of(user, owner, creator))
        .map_err(refusal)?;
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
    let (state, owner, creator) = question_state(&mut tx, user, id).await?;
    let to = lifecycle::next(state, Action::SendAdvice, actor_of(user, owner, creator))
        .map_err(refusal)?;
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
    let done = sqlx::query(
        "UPDATE questions SET state = $1, advice_sent_at = $2, feedback_due = $3, updated_at = $2
         WHERE id = $4 AND state = $5",
    )
    .bind(to.as_str())
    .bind(at)
    .bind(&due)
    .bind(id)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    event(&mut tx, id, user.id, QuestionEvent::AdviceSent, "").await?;
    if let Some(owner) = owner {
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
