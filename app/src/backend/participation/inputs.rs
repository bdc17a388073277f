//! Young people's input on a question: opening and closing a question for input, giving,
//! changing, withdrawing and endorsing input, group input recorded by a coordinator, and
//! hiding input.
//!
//! Pseudonymity is decided here, on the server: a policy maker never receives a member's
//! name unless that member chose to show it.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::questions::store;
use crate::backend::questions::{store::event, store::refusal, store::title_of, store::Head};
use crate::domain::lengths;
use crate::domain::{clock, future_date, required_text, Problem, Role};
use crate::error::AppError;
use crate::lifecycle::{Action, Refusal, State};
use crate::model::{CurrentUser, InputView, NoticeKind, QuestionEvent};
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
    let head = Head::visible(&mut tx, user, id).await?;
    let to = head.next(user, action)?;
    store::transition(&mut tx, id, head.state, to).await?;
    if action != Action::DraftAdvice {
        sqlx::query("UPDATE questions SET input_closes_on = $1 WHERE id = $2")
            .bind(closes_on.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
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
    let head = Head::visible(&mut tx, user, id).await?;
    // Whoever may record input for the group, in that state, runs the input round.
    head.next(user, Action::RecordInput)?;
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
    let head = Head::visible(&mut tx, user, id).await?;
    head.next(user, Action::GiveInput)?;
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
pub(crate) async fn group_input_in(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i64,
    body: &str,
    agenda_item: Option<i64>,
) -> Result<i64, AppError> {
    let head = Head::visible(&mut *conn, user, id).await?;
    head.next(user, Action::RecordInput)?;
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
    let Head { state, .. } = Head::visible(&mut tx, user, question_id).await?;
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
    let Head { state, .. } = Head::visible(&mut tx, user, question_id).await?;
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
    let Head { state, .. } = Head::visible(&mut tx, user, question_id).await?;
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
    let head = Head::visible(&mut tx, user, question_id).await?;
    head.next(user, Action::Endorse)?;
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

#[derive(sqlx::FromRow)]
struct InputRow {
    id: i64,
    body: String,
    author_id: Option<i64>,
    name: Option<String>,
    show_name: i64,
    may_quote: i64,
    hidden_reason: Option<String>,
    for_group: i64,
    endorsements: i64,
    mine: i64,
}

/// The inputs of a question, numbered, as this viewer may see them.
pub async fn inputs(
    db: &Db,
    viewer: &CurrentUser,
    question_id: i64,
) -> Result<Vec<InputView>, AppError> {
    let rows: Vec<InputRow> = sqlx::query_as(
        "SELECT i.id, i.body, i.author_id, u.display_name AS name, i.show_name, i.may_quote,
                    i.hidden_reason, i.for_group,
                    (SELECT COUNT(*) FROM endorsements e WHERE e.input_id = i.id) AS endorsements,
                    (SELECT COUNT(*) FROM endorsements e
                      WHERE e.input_id = i.id AND e.user_id = $2) AS mine
             FROM inputs i LEFT JOIN users u ON u.id = i.author_id
             WHERE i.question_id = $1 AND i.withdrawn_at IS NULL
             ORDER BY i.created_at, i.id",
    )
    .bind(question_id)
    .bind(viewer.id)
    .fetch_all(db.read())
    .await?;
    let mut out = Vec::new();
    for (n, row) in rows.into_iter().enumerate() {
        let InputRow {
            id,
            body,
            author_id,
            name,
            show_name,
            may_quote,
            hidden_reason: hidden,
            for_group,
            endorsements: count,
            mine,
        } = row;
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
