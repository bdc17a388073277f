//! What every domain reads about a question: its state and owner, its title, who may see
//! it, the timeline events, and the panel's themes.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::error::fault;
use crate::domain::{Problem, Role};
use crate::error::AppError;
use crate::lifecycle::{self, Action, Actor, Refusal, State};
use crate::model::{CurrentUser, QuestionEvent, Theme};
use sqlx::AnyConnection;

/// The lifecycle table's refusal as the user hears it.
pub(crate) fn refusal(r: Refusal) -> AppError {
    match r {
        Refusal::NotAllowed => AppError::Forbidden,
        Refusal::WrongState => AppError::invalid("state", Problem::WrongState),
    }
}

/// Writes a line of the question's timeline.
pub(crate) async fn event(
    conn: &mut AnyConnection,
    question_id: i64,
    actor_id: impl Into<Option<i64>>,
    name: QuestionEvent,
    detail: &str,
) -> Result<(), AppError> {
    let actor_id: Option<i64> = actor_id.into();
    sqlx::query(
        "INSERT INTO question_events (question_id, actor_id, event, detail, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(question_id)
    .bind(actor_id)
    .bind(name.as_str())
    .bind(detail)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// What the lifecycle needs to know about a question: its state, the policy maker who
/// owns it and who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub state: State,
    pub owner: Option<i64>,
    pub creator: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    state: String,
    owner_id: Option<i64>,
    created_by: Option<i64>,
}

impl Head {
    /// A question of the actor's panel ("not found" otherwise), whether or not the actor
    /// may see it: for changes, where the lifecycle table refuses what they may not do.
    pub async fn in_panel(
        conn: &mut AnyConnection,
        actor: &CurrentUser,
        id: i64,
    ) -> Result<Head, AppError> {
        let row: HeadRow = sqlx::query_as(
            "SELECT state, owner_id, created_by FROM questions WHERE id = $1 AND panel_id = $2",
        )
        .bind(id)
        .bind(actor.panel.id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
        Ok(Head {
            state: State::from_db(&row.state).ok_or_else(|| fault("unknown question state"))?,
            owner: row.owner_id,
            creator: row.created_by,
        })
    }

    /// A question of the actor's panel that the actor may see (drafts and submitted
    /// questions do not exist for members and other policy makers).
    pub async fn visible(
        conn: &mut AnyConnection,
        actor: &CurrentUser,
        id: i64,
    ) -> Result<Head, AppError> {
        let head = Head::in_panel(conn, actor, id).await?;
        if !may_see(actor, head.state, head.owner) {
            return Err(AppError::NotFound);
        }
        Ok(head)
    }

    /// Who the user is to this question, for the lifecycle table.
    pub fn actor(&self, user: &CurrentUser) -> Actor {
        actor_of(user, self.owner, self.creator)
    }

    /// The state `action` by `user` leads to, or the lifecycle table's refusal.
    pub fn next(&self, user: &CurrentUser, action: Action) -> Result<State, AppError> {
        lifecycle::next(self.state, action, self.actor(user)).map_err(refusal)
    }
}

/// Moves a question from the state its caller checked to the next one. Of two changes
/// racing from the same state only one finds it still there; the other is refused.
/// Columns that change with the state are written by the caller in the same transaction.
pub async fn transition(
    conn: &mut AnyConnection,
    id: i64,
    from: State,
    to: State,
) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE questions SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(id)
    .bind(from.as_str())
    .execute(conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    Ok(())
}

pub(crate) fn actor_of(user: &CurrentUser, owner: Option<i64>, creator: Option<i64>) -> Actor {
    let is_owner = match user.role {
        Role::Member => creator == Some(user.id),
        _ => owner == Some(user.id),
    };
    Actor {
        role: user.role,
        is_owner,
    }
}

pub(crate) async fn title_of(conn: &mut AnyConnection, id: i64) -> Result<String, AppError> {
    let (title,): (String,) = sqlx::query_as("SELECT title FROM questions WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(title)
}

/// Whether the viewer may see a question at all (others get "not found").
pub(crate) fn may_see(viewer: &CurrentUser, state: State, owner: Option<i64>) -> bool {
    match viewer.role {
        Role::Coordinator => state != State::Draft,
        Role::PolicyMaker => owner == Some(viewer.id) || state.visible_to_members(),
        Role::Member => state.visible_to_members(),
    }
}

/// The panel's adopted themes, by name.
pub async fn themes(db: &Db, panel_id: i64) -> Result<Vec<Theme>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM themes WHERE panel_id = $1 AND status = 'adopted' ORDER BY name",
    )
    .bind(panel_id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Theme { id, name })
        .collect())
}
