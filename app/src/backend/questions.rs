//! Questions to the panel: writing, submitting, accepting or returning, listing and
//! showing them with their timeline. Every change is checked against the lifecycle table
//! (`crate::lifecycle`) and limited to the actor's panel.

// Query rows are tuples whose shape is the SELECT list written right beside them.
#![allow(clippy::type_complexity)]

use super::db::{now, Db};
use super::mail;
use super::notify::{self, Notice, To};
use crate::domain::lengths;
use crate::domain::{
    clock, future_date, long_text, required_text, Problem, Role, QUESTION_MUNICIPALITIES_MAX,
};
use crate::error::{AppError, Checks};
use crate::lifecycle::{self, Action, Actor, Refusal, State};
use crate::model::{
    CurrentUser, ListFilters, NoticeKind, QuestionEvent, QuestionList, QuestionSummary, Theme,
};
use sqlx::AnyConnection;

pub const PARTICIPATION: [&str; 4] = ["inform", "consult", "advise", "co_decide"];

/// What a policy maker fills in.
#[derive(Debug, Clone, Default)]
pub struct QuestionForm {
    pub title: String,
    pub background: String,
    pub question: String,
    pub open_to_influence: String,
    pub already_fixed: String,
    pub decision_moment: String,
    pub needed_by: String,
    pub participation: String,
    pub theme: String,
    /// Ids of municipalities of the panel.
    pub municipalities: Vec<String>,
}

struct Valid {
    title: String,
    background: String,
    question: String,
    open_to_influence: String,
    already_fixed: String,
    decision_moment: String,
    needed_by: String,
    participation: String,
    theme_id: i64,
    municipality_ids: Vec<i64>,
}

pub(super) fn refusal(r: Refusal) -> AppError {
    match r {
        Refusal::NotAllowed => AppError::Forbidden,
        Refusal::WrongState => AppError::invalid("state", Problem::WrongState),
    }
}

/// Checks a question. A subject the panel raises itself (`unsolicited`) needs only a
/// title, what it is about, a theme and municipalities: the policy maker who takes it on
/// fills in the rest.
///
/// Runs before the write transaction, on a reading connection: a long list costs no
/// writer time. Municipalities are de-duplicated, capped at
/// [`QUESTION_MUNICIPALITIES_MAX`] and checked against the panel's in one query.
async fn validate(
    db: &Db,
    panel_id: i64,
    form: &QuestionForm,
    unsolicited: bool,
) -> Result<Valid, AppError> {
    let mut checks = Checks::default();
    let title = checks.check("title", required_text(&form.title, lengths::QUESTION_TITLE));
    let background = checks.check(
        "background",
        long_text(&form.background, lengths::QUESTION_BACKGROUND),
    );
    let question = checks.check(
        "question",
        required_text(&form.question, lengths::QUESTION_TEXT),
    );
    let open = checks.check(
        "open_to_influence",
        if unsolicited {
            long_text(&form.open_to_influence, lengths::QUESTION_TEXT)
        } else {
            required_text(&form.open_to_influence, lengths::QUESTION_TEXT)
        },
    );
    let fixed = checks.check(
        "already_fixed",
        long_text(&form.already_fixed, lengths::QUESTION_TEXT),
    );
    let moment = checks.check(
        "decision_moment",
        long_text(&form.decision_moment, lengths::DECISION_MOMENT),
    );
    let needed_by = checks.check(
        "needed_by",
        if unsolicited && form.needed_by.trim().is_empty() {
            Ok(String::new())
        } else {
            future_date(&form.needed_by, &clock::iso_date(now()))
        },
    );
    let participation = checks.check(
        "participation",
        if unsolicited && form.participation.trim().is_empty() {
            Ok("advise".to_string())
        } else {
            PARTICIPATION
                .iter()
                .find(|p| **p == form.participation)
                .map(|p| p.to_string())
                .ok_or(Problem::InvalidChoice)
        },
    );
    let theme_id: Option<i64> = form.theme.trim().parse().ok();
    let theme_ok = match theme_id {
        Some(id) => {
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM themes WHERE id = $1 AND panel_id = $2 AND status = 'adopted'",
            )
            .bind(id)
            .bind(panel_id)
            .fetch_optional(db.read())
            .await?;
            found.is_some()
        }
        None => false,
    };
    let theme_id = checks.check(
        "theme",
        theme_id.filter(|_| theme_ok).ok_or(Problem::InvalidChoice),
    );
    let municipality_ids =
        checks.check("municipalities", municipalities(db, panel_id, form).await?);
    checks.finish()?;
    match (
        title,
        background,
        question,
        open,
        fixed,
        moment,
        needed_by,
        participation,
        theme_id,
        municipality_ids,
    ) {
        (
            Some(title),
            Some(background),
            Some(question),
            Some(open_to_influence),
            Some(already_fixed),
            Some(decision_moment),
            Some(needed_by),
            Some(participation),
            Some(theme_id),
            Some(municipality_ids),
        ) => Ok(Valid {
            title,
            background,
            question,
            open_to_influence,
            already_fixed,
            decision_moment,
            needed_by,
            participation,
            theme_id,
            municipality_ids,
        }),
        _ => Err(AppError::Unexpected),
    }
}

/// The chosen municipalities, each once and sorted: at least one, at most
/// [`QUESTION_MUNICIPALITIES_MAX`], all of the panel (read in one query).
async fn municipalities(
    db: &Db,
    panel_id: i64,
    form: &QuestionForm,
) -> Result<Result<Vec<i64>, Problem>, AppError> {
    let mut ids = std::collections::BTreeSet::new();
    for m in &form.municipalities {
        match m.trim().parse::<i64>() {
            Ok(id) => {
                ids.insert(id);
            }
            Err(_) => return Ok(Err(Problem::ChooseOne)),
        }
        if ids.len() > QUESTION_MUNICIPALITIES_MAX {
            return Ok(Err(Problem::TooMany {
                max: QUESTION_MUNICIPALITIES_MAX,
            }));
        }
    }
    if ids.is_empty() {
        return Ok(Err(Problem::ChooseOne));
    }
    let of_panel: Vec<(i64,)> = sqlx::query_as("SELECT id FROM municipalities WHERE panel_id = $1")
        .bind(panel_id)
        .fetch_all(db.read())
        .await?;
    let of_panel: std::collections::HashSet<i64> = of_panel.into_iter().map(|(id,)| id).collect();
    if ids.iter().all(|id| of_panel.contains(id)) {
        Ok(Ok(ids.into_iter().collect()))
    } else {
        Ok(Err(Problem::ChooseOne))
    }
}

pub(super) async fn event(
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

/// State, owner and creator of a question of the actor's panel that the actor may see
/// (drafts and submitted questions do not exist for members and other policy makers).
pub(super) async fn question_state(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    id: i64,
) -> Result<(State, Option<i64>, Option<i64>), AppError> {
    let (state, owner, creator) = load_state(conn, actor, id).await?;
    if !may_see(actor, state, owner) {
        return Err(AppError::NotFound);
    }
    Ok((state, owner, creator))
}

/// The question's state and owner, if it is in the actor's panel.
pub(super) async fn load_state(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    id: i64,
) -> Result<(State, Option<i64>, Option<i64>), AppError> {
    let row: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT state, owner_id, created_by FROM questions WHERE id = $1 AND panel_id = $2",
    )
    .bind(id)
    .bind(actor.panel.id)
    .fetch_optional(conn)
    .await?;
    let (state, owner, creator) = row.ok_or(AppError::NotFound)?;
    Ok((
        State::from_db(&state).ok_or(AppError::Unexpected)?,
        owner,
        creator,
    ))
}

async fn is_unsolicited(conn: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM questions WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(kind == "unsolicited")
}

/// Keeps the search index of one question up to date (inside the caller's transaction).
async fn index_terms(conn: &mut AnyConnection, id: i64, v: &Valid) -> Result<(), AppError> {
    super::search::index(
        conn,
        id,
        &[
            &v.title,
            &v.question,
            &v.background,
            &v.open_to_influence,
            &v.already_fixed,
        ],
    )
    .await
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

/// Writes a new question (policy makers: a draft they own) or changes one, as the
/// lifecycle allows. Returns its id.
///
/// A new question by a policy maker is their draft (solicited advice); one by a member or
/// coordinator is a subject the panel raises itself (unsolicited), proposed at once and
/// told to the coordinators.
pub async fn save(
    db: &Db,
    public_url: &str,
    actor: &CurrentUser,
    id: Option<i64>,
    form: &QuestionForm,
) -> Result<i64, AppError> {
    // Everything that reads is done before the write transaction starts, so one request
    // with a long or bad list never holds the database's writer.
    let unsolicited = match id {
        None => actor.role != Role::PolicyMaker,
        Some(id) => {
            let mut conn = db.read().acquire().await?;
            let (state, owner, creator) = load_state(&mut conn, actor, id).await?;
            lifecycle::next(state, Action::Edit, actor_of(actor, owner, creator))
                .map_err(refusal)?;
            is_unsolicited(&mut conn, id).await?
        }
    };
    let v = validate(db, actor.panel.id, form, unsolicited).await?;
    let mut tx = db.begin().await?;
    let at = now();
    let id = match id {
        None => {
            let (kind, state, owner) = if unsolicited {
                ("unsolicited", State::Proposed, None)
            } else {
                ("solicited", State::Draft, Some(actor.id))
            };
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO questions (panel_id, kind, state, title, background, question,
                    open_to_influence, already_fixed, decision_moment, needed_by, participation,
                    theme_id, owner_id, created_by, created_at, updated_at)
                 VALUES ($1, $13, $14, $2, $3, $4, $5, $6, $7, NULLIF($8, ''), $9, $10, $15, $11, $12, $12)
                 RETURNING id",
            )
            .bind(actor.panel.id)
            .bind(&v.title)
            .bind(&v.background)
            .bind(&v.question)
            .bind(&v.open_to_influence)
            .bind(&v.already_fixed)
            .bind(&v.decision_moment)
            .bind(&v.needed_by)
            .bind(&v.participation)
            .bind(v.theme_id)
            .bind(actor.id)
            .bind(at)
            .bind(kind)
            .bind(state.as_str())
            .bind(owner)
            .fetch_one(&mut *tx)
            .await?;
            set_municipalities(&mut tx, id, &v.municipality_ids).await?;
            index_terms(&mut tx, id, &v).await?;
            let what = if unsolicited {
                QuestionEvent::Proposed
            } else {
                QuestionEvent::Created
            };
            event(&mut tx, id, actor.id, what, "").await?;
            if unsolicited {
                notify::notify(
                    &mut tx,
                    public_url,
                    &actor.panel.name,
                    To::Coordinators(actor.panel.id),
                    actor.id,
                    &Notice {
                        kind: NoticeKind::SubjectProposed,
                        question_id: Some(id),
                        subject: &v.title,
                        due: None,
                    },
                )
                .await?;
            }
            id
        }
        Some(id) => {
            // Checked again: the question may have moved on since.
            let (state, owner, creator) = load_state(&mut tx, actor, id).await?;
            lifecycle::next(state, Action::Edit, actor_of(actor, owner, creator))
                .map_err(refusal)?;
            let done = sqlx::query(
                "UPDATE questions SET title = $1, background = $2, question = $3,
                    open_to_influence = $4, already_fixed = $5, decision_moment = $6,
                    needed_by = NULLIF($7, ''), participation = $8, theme_id = $9, updated_at = $10
                 WHERE id = $11 AND state = $12",
            )
            .bind(&v.title)
            .bind(&v.background)
            .bind(&v.question)
            .bind(&v.open_to_influence)
            .bind(&v.already_fixed)
            .bind(&v.decision_moment)
            .bind(&v.needed_by)
            .bind(&v.participation)
            .bind(v.theme_id)
            .bind(at)
            .bind(id)
            .bind(state.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(refusal(Refusal::WrongState));
            }
            set_municipalities(&mut tx, id, &v.municipality_ids).await?;
            index_terms(&mut tx, id, &v).await?;
            event(&mut tx, id, actor.id, QuestionEvent::Edited, "").await?;
            id
        }
    };
    tx.commit().await?;
    mail::wake();
    Ok(id)
}

async fn set_municipalities(
    conn: &mut AnyConnection,
    question_id: i64,
    ids: &[i64],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM question_municipalities WHERE question_id = $1")
        .bind(question_id)
        .execute(&mut *conn)
        .await?;
    for m in ids {
        sqlx::query(
            "INSERT INTO question_municipalities (question_id, municipality_id) VALUES ($1, $2)",
        )
        .bind(question_id)
        .bind(m)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Submit, accept or return (with a reason) a question, or acknowledge a subject one was
/// assigned, as the lifecycle allows. The state is changed only if it is still the one the
/// check saw. Coordinators hear of submitted questions, owners of accepted and returned
/// ones.
pub async fn act(
    db: &Db,
    public_url: &str,
    actor: &CurrentUser,
    id: i64,
    action: Action,
    reason: &str,
) -> Result<State, AppError> {
    if !matches!(
        action,
        Action::Submit | Action::Accept | Action::Return | Action::Acknowledge
    ) {
        return Err(AppError::Forbidden);
    }
    let reason = if action == Action::Return {
        required_text(reason, lengths::RETURN_REASON).map_err(|p| AppError::invalid("reason", p))?
    } else {
        String::new()
    };
    let mut tx = db.begin().await?;
    let (state, owner, creator) = load_state(&mut tx, actor, id).await?;
    let to = lifecycle::next(state, action, actor_of(actor, owner, creator)).map_err(refusal)?;
    let done = sqlx::query(
        "UPDATE questions SET state = $1, return_reason = $2, updated_at = $3
         WHERE id = $4 AND state = $5",
    )
    .bind(to.as_str())
    .bind(&reason)
    .bind(now())
    .bind(id)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    let (name, tell) = match action {
        Action::Submit => (
            QuestionEvent::Submitted,
            Some((
                To::Coordinators(actor.panel.id),
                NoticeKind::QuestionSubmitted,
            )),
        ),
        Action::Accept => (
            QuestionEvent::Accepted,
            owner.map(|o| (To::User(o), NoticeKind::QuestionAccepted)),
        ),
        Action::Return => (
            QuestionEvent::Returned,
            owner.map(|o| (To::User(o), NoticeKind::QuestionReturned)),
        ),
        _ => (QuestionEvent::Acknowledged, None),
    };
    event(&mut tx, id, actor.id, name, &reason).await?;
    if let Some((to, kind)) = tell {
        let title = title_of(&mut tx, id).await?;
        notify::notify(
            &mut tx,
            public_url,
            &actor.panel.name,
            to,
            actor.id,
            &Notice {
                kind,
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

pub(super) async fn title_of(conn: &mut AnyConnection, id: i64) -> Result<String, AppError> {
    let (title,): (String,) = sqlx::query_as("SELECT title FROM questions WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(title)
}

/// The coordinator names the policy maker who is to take on a subject the panel raised
/// (again, to name another). That policy maker is told and becomes its owner.
pub async fn assign(
    db: &Db,
    public_url: &str,
    actor: &CurrentUser,
    id: i64,
    policy_maker: &str,
) -> Result<State, AppError> {
    let mut tx = db.begin().await?;
    let (state, owner, creator) = load_state(&mut tx, actor, id).await?;
    let to =
        lifecycle::next(state, Action::Assign, actor_of(actor, owner, creator)).map_err(refusal)?;
    let chosen: Option<i64> = policy_maker.trim().parse().ok();
    let row: Option<(i64, String)> = match chosen {
        Some(pm) => {
            sqlx::query_as(
                "SELECT id, display_name FROM users
             WHERE id = $1 AND panel_id = $2 AND role = 'policy_maker' AND active = 1",
            )
            .bind(pm)
            .bind(actor.panel.id)
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let (pm, name) = row.ok_or_else(|| AppError::invalid("policy_maker", Problem::ChooseOne))?;
    let done = sqlx::query(
        "UPDATE questions SET state = $1, owner_id = $2, updated_at = $3 WHERE id = $4 AND state = $5",
    )
    .bind(to.as_str())
    .bind(pm)
    .bind(now())
    .bind(id)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(refusal(Refusal::WrongState));
    }
    event(&mut tx, id, actor.id, QuestionEvent::Assigned, &name).await?;
    let title = title_of(&mut tx, id).await?;
    notify::notify(
        &mut tx,
        public_url,
        &actor.panel.name,
        To::User(pm),
        actor.id,
        &Notice {
            kind: NoticeKind::SubjectAssigned,
            question_id: Some(id),
            subject: &title,
            due: None,
        },
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(to)
}

/// Whether the viewer may see a question at all (others get "not found").
pub(crate) fn may_see(viewer: &CurrentUser, state: State, owner: Option<i64>) -> bool {
    match viewer.role {
        Role::Coordinator => state != State::Draft,
        Role::PolicyMaker => owner == Some(viewer.id) || state.visible_to_members(),
        Role::Member => state.visible_to_members(),
    }
}

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

pub use super::paging::Cursor;

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
    for word in super::search::query_words(&query.text) {
        let common = super::search::is_common(db, &word).await?;
        let end = super::search::prefix_end(&word);
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
    let more = super::paging::cut_to_page(&mut items, PAGE_SIZE);
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
async fn list_filters(db: &Db, panel_id: i64) -> Result<ListFilters, AppError> {
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
        municipalities: super::store::municipalities(db, panel_id).await?,
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
        sep = super::db::JOINED,
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
                    municipalities: super::db::split_joined(places),
                    needed_by: needed_by.as_deref().map(clock::iso_to_display),
                    owner,
                    updated: clock::date(updated),
                    updated_at: updated,
                })
            },
        )
        .collect())
}

/// Weeks a policy maker may take to answer the panel's advice.
pub const FEEDBACK_WEEKS: (i64, i64) = (1, 26);

/// The coordinator sets how many weeks policy makers have to answer an advice (for
/// advice sent from now on).
pub async fn set_feedback_weeks(db: &Db, actor: &CurrentUser, weeks: &str) -> Result<(), AppError> {
    if actor.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let (min, max) = FEEDBACK_WEEKS;
    let weeks: i64 = match weeks.trim().parse() {
        Ok(w) if (min..=max).contains(&w) => w,
        _ => {
            return Err(AppError::invalid(
                "feedback_weeks",
                Problem::OutOfRange { min, max },
            ))
        }
    };
    sqlx::query("UPDATE panels SET feedback_weeks = $1 WHERE id = $2")
        .bind(weeks)
        .bind(actor.panel.id)
        .execute(db.write())
        .await?;
    Ok(())
}

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
