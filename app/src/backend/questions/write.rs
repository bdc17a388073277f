//! Writing a question (draft, submit, the municipalities it concerns), moving it through
//! the lifecycle and assigning its owner. Every change is checked against the lifecycle
//! table (`crate::lifecycle`) and limited to the actor's panel.

use super::store::{event, refusal, title_of, transition, Head};
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::backend::platform::search;
use crate::domain::lengths;
use crate::domain::{
    clock, future_date, long_text, required_text, Problem, Role, QUESTION_MUNICIPALITIES_MAX,
};
use crate::error::{AppError, Checks};
use crate::lifecycle::{Action, Refusal, State};
use crate::model::{CurrentUser, NoticeKind, Participation, QuestionEvent};
use sqlx::AnyConnection;

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
    participation: Participation,
    theme_id: i64,
    municipality_ids: Vec<i64>,
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
            Ok(Participation::Advise)
        } else {
            Participation::from_db(form.participation.trim()).ok_or(Problem::InvalidChoice)
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
async fn is_unsolicited(conn: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM questions WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(kind == "unsolicited")
}

/// Keeps the search index of one question up to date (inside the caller's transaction).
async fn index_terms(conn: &mut AnyConnection, id: i64, v: &Valid) -> Result<(), AppError> {
    search::index(
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
            let head = Head::in_panel(&mut conn, actor, id).await?;
            head.next(actor, Action::Edit)?;
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
            .bind(v.participation.as_str())
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
            let head = Head::in_panel(&mut tx, actor, id).await?;
            head.next(actor, Action::Edit)?;
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
            .bind(v.participation.as_str())
            .bind(v.theme_id)
            .bind(at)
            .bind(id)
            .bind(head.state.as_str())
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
    let head = Head::in_panel(&mut tx, actor, id).await?;
    let to = head.next(actor, action)?;
    transition(&mut tx, id, head.state, to).await?;
    sqlx::query("UPDATE questions SET return_reason = $1 WHERE id = $2")
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
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
            head.owner
                .map(|o| (To::User(o), NoticeKind::QuestionAccepted)),
        ),
        Action::Return => (
            QuestionEvent::Returned,
            head.owner
                .map(|o| (To::User(o), NoticeKind::QuestionReturned)),
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
    let head = Head::in_panel(&mut tx, actor, id).await?;
    let to = head.next(actor, Action::Assign)?;
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
    transition(&mut tx, id, head.state, to).await?;
    sqlx::query("UPDATE questions SET owner_id = $1 WHERE id = $2")
        .bind(pm)
        .bind(id)
        .execute(&mut *tx)
        .await?;
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
