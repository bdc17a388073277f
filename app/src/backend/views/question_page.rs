//! The question page: the question, its timeline, and the parts other domains add to it
//! (the members' input and the advice, the policy maker's answer and the infographic).
//! The only place that combines those domains for one question.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::error::fault;
use crate::backend::questions::{store::actor_of, store::may_see};
use crate::backend::{feedback, participation, platform::rich_text, platform::store, questions};
use crate::domain::{clock, Role};
use crate::error::AppError;
use crate::lifecycle::{self, Action, Actor, State};
use crate::model::{
    CurrentUser, Participation, PolicyMakerOption, QuestionDetail, QuestionEvent, QuestionFormData,
    TimelineEntry,
};

/// The question's own fields, as [`detail`] reads them.
#[derive(sqlx::FromRow)]
struct QuestionHead {
    title: String,
    state: String,
    background: String,
    question: String,
    open_to_influence: String,
    already_fixed: String,
    decision_moment: String,
    needed_by: Option<String>,
    participation: String,
    theme_id: Option<i64>,
    theme: Option<String>,
    owner_id: Option<i64>,
    owner: Option<String>,
    creator: Option<i64>,
    creator_name: Option<String>,
    return_reason: String,
    kind: String,
    closes_on: Option<String>,
}

/// The question's own fields, or `NotFound` (also for another panel's question).
async fn head(db: &Db, viewer: &CurrentUser, id: i64) -> Result<QuestionHead, AppError> {
    sqlx::query_as(
        "SELECT q.title, q.state, q.background, q.question, q.open_to_influence, q.already_fixed,
                q.decision_moment, q.needed_by, q.participation, q.theme_id, t.name AS theme,
                q.owner_id, u.display_name AS owner, q.created_by AS creator,
                c.display_name AS creator_name, q.return_reason, q.kind,
                q.input_closes_on AS closes_on
         FROM questions q
         LEFT JOIN themes t ON t.id = q.theme_id
         LEFT JOIN users u ON u.id = q.owner_id
         LEFT JOIN users c ON c.id = q.created_by
         WHERE q.id = $1 AND q.panel_id = $2",
    )
    .bind(id)
    .bind(viewer.panel.id)
    .fetch_optional(db.read())
    .await?
    .ok_or(AppError::NotFound)
}

/// What the viewer may do with the question now: the lifecycle table decides, and a
/// closed input period ends giving input and endorsing.
fn actions(state: State, actor: Actor, input_closed: bool) -> Vec<Action> {
    // Closing is offered on the feedback page, once the infographic is published.
    Action::ALL
        .into_iter()
        .filter(|a| *a != Action::Close)
        .filter(|a| lifecycle::next(state, *a, actor).is_ok())
        .filter(|a| !(input_closed && matches!(a, Action::GiveInput | Action::Endorse)))
        .collect()
}

/// One line of the question's timeline, as [`timeline`] reads it.
#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    event: String,
    actor: Option<String>,
    detail: String,
    role: Option<String>,
}

/// The question's timeline. Young people stay unnamed towards policy makers, here too.
async fn timeline(db: &Db, viewer: &CurrentUser, id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, e.event, u.display_name AS actor, e.detail, u.role FROM question_events e
         LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.question_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    Ok(events
        .into_iter()
        .filter_map(|e| {
            let Some(event) = QuestionEvent::from_db(&e.event) else {
                tracing::warn!(
                    question = id,
                    event = e.event,
                    "unknown question event left out"
                );
                return None;
            };
            Some(TimelineEntry {
                at: clock::date_time(e.at),
                event,
                actor: if viewer.role == Role::PolicyMaker && e.role.as_deref() == Some("member") {
                    None
                } else {
                    e.actor
                },
                detail: e.detail,
            })
        })
        .collect())
}

/// The question's municipalities: their ids in order, and their names by name.
async fn places(db: &Db, id: i64) -> Result<(Vec<i64>, Vec<String>), AppError> {
    let places: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.id, m.name FROM question_municipalities qm
         JOIN municipalities m ON m.id = qm.municipality_id
         WHERE qm.question_id = $1 ORDER BY m.name",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    let mut ids: Vec<i64> = places.iter().map(|(m, _)| *m).collect();
    ids.sort_unstable();
    Ok((ids, places.into_iter().map(|(_, name)| name).collect()))
}

/// One question with its timeline and what the viewer may do, or `NotFound`.
pub async fn detail(db: &Db, viewer: &CurrentUser, id: i64) -> Result<QuestionDetail, AppError> {
    let head = head(db, viewer, id).await?;
    let state = State::from_db(&head.state).ok_or(AppError::Unexpected)?;
    if !may_see(viewer, state, head.owner_id) {
        return Err(AppError::NotFound);
    }
    let actor = actor_of(viewer, head.owner_id, head.creator);
    let closes_on = head.closes_on.unwrap_or_default();
    let input_closed = !closes_on.is_empty() && closes_on < clock::iso_date(now());
    let actions = actions(state, actor, input_closed);
    let policy_makers = if actions.contains(&Action::Assign) {
        policy_makers(db, viewer.panel.id).await?
    } else {
        Vec::new()
    };
    let unsolicited = head.kind == "unsolicited";
    // Input is there from the moment the question opens for it.
    let inputs = if matches!(
        state,
        State::CollectingInput | State::AdviceDrafted | State::AdviceSent | State::Closed
    ) {
        participation::inputs::inputs(db, viewer, id).await?
    } else {
        Vec::new()
    };
    let advice = participation::advice::advice(db, viewer, id, state, &inputs).await?;
    let feedback = feedback::responses::view(db, viewer, id, state, head.owner_id).await?;
    let infographic = if feedback.as_ref().is_some_and(|f| f.published.is_some()) {
        Some(feedback::infographic::published_by_id(db, id).await?)
    } else {
        None
    };
    let (municipality_ids, municipalities) = places(db, id).await?;
    let needed_by_iso = head.needed_by.unwrap_or_default();
    Ok(QuestionDetail {
        id,
        title: head.title,
        state,
        unsolicited,
        proposed_by: head
            .creator_name
            .filter(|_| unsolicited && viewer.role != Role::PolicyMaker),
        background_html: rich_text::to_html(&head.background),
        background: head.background,
        question: head.question,
        open_to_influence: head.open_to_influence,
        already_fixed: head.already_fixed,
        decision_moment: head.decision_moment,
        needed_by: clock::iso_to_display(&needed_by_iso),
        needed_by_iso,
        participation: Participation::from_db(&head.participation)
            .ok_or_else(|| fault("unknown participation level"))?,
        theme_id: head.theme_id,
        theme: head.theme,
        municipality_ids,
        municipalities,
        owner: head.owner,
        return_reason: head.return_reason,
        timeline: timeline(db, viewer, id).await?,
        actions,
        input_closes_on: clock::iso_to_display(&closes_on),
        input_closes_on_iso: closes_on,
        input_closed,
        policy_makers,
        inputs,
        advice,
        feedback,
        infographic,
    })
}

/// The panel's active policy makers, by name.
async fn policy_makers(db: &Db, panel_id: i64) -> Result<Vec<PolicyMakerOption>, AppError> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.display_name, m.name FROM users u
         LEFT JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.panel_id = $1 AND u.role = 'policy_maker' AND u.active = 1
         ORDER BY u.display_name, u.id",
    )
    .bind(panel_id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, municipality)| PolicyMakerOption {
            id,
            name,
            municipality,
        })
        .collect())
}

/// What the question form needs: themes, municipalities, and the question when editing.
pub async fn form_data(
    db: &Db,
    viewer: &CurrentUser,
    id: Option<i64>,
) -> Result<QuestionFormData, AppError> {
    let question = match id {
        Some(id) => {
            let q = detail(db, viewer, id).await?;
            if !q.actions.contains(&Action::Edit) {
                return Err(AppError::Forbidden);
            }
            Some(q)
        }
        None => None,
    };
    let unsolicited = match &question {
        Some(q) => q.unsolicited,
        None => viewer.role != Role::PolicyMaker,
    };
    Ok(QuestionFormData {
        themes: questions::store::themes(db, viewer.panel.id).await?,
        municipalities: store::municipalities(db, viewer.panel.id).await?,
        question,
        unsolicited,
        today: clock::iso_date(now()),
    })
}
