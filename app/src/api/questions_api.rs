//! Server functions for questions. Each checks the session; the service checks role,
//! panel and the question's state against the lifecycle.

use crate::error::AppError;
use crate::model::{
    NotificationView, OlderPages, QuestionDetail, QuestionFormData, QuestionList, ThemesPage,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::participation;
#[cfg(feature = "ssr")]
use crate::backend::views::question_page;
#[cfg(feature = "ssr")]
use crate::backend::{platform::notify, platform::state, questions, questions::themes};
use crate::lifecycle::Action;
#[cfg(feature = "ssr")]
use crate::lifecycle::State;

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<Option<i64>, AppError> {
    match id.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// The panel's questions the caller may see, filtered by state, theme, municipality
/// and words (each empty: no filter).
#[server(endpoint = "questions")]
pub async fn list_questions(
    #[server(default)] state: String,
    #[server(default)] theme: String,
    #[server(default)] municipality: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
    #[server(default)] at: String,
) -> Result<QuestionList, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let query = questions::list::ListQuery {
                state: State::from_db(&state),
                theme: theme.trim().parse().ok(),
                municipality: municipality.trim().parse().ok(),
                text: q.chars().take(crate::domain::lengths::SEARCH).collect(),
                page: page.trim().parse().unwrap_or(1),
                cursor: questions::list::Cursor::parse(&at),
            };
            questions::list::list(&st.db, &user, &query).await
        }
        .await,
    )
}

/// One question with its timeline, if the caller may see it.
#[server(endpoint = "question")]
pub async fn load_question(id: i64) -> Result<QuestionDetail, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            question_page::detail(&st.db, &user, id).await
        }
        .await,
    )
}

/// What the question form needs (`id` empty: a new question, policy makers only).
#[server(endpoint = "question_form")]
pub async fn load_question_form(
    #[server(default)] id: String,
) -> Result<QuestionFormData, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            question_page::form_data(&st.db, &user, parse_id(&id)?).await
        }
        .await,
    )
}

/// Saves a new question (a policy maker's draft, or a subject the panel raises itself)
/// or changes one, then shows it.
#[server(endpoint = "save_question")]
pub async fn save_question(
    #[server(default)] id: String,
    title: String,
    #[server(default)] background: String,
    question: String,
    #[server(default)] open_to_influence: String,
    #[server(default)] already_fixed: String,
    #[server(default)] decision_moment: String,
    #[server(default)] needed_by: String,
    #[server(default)] participation: String,
    #[server(default)] theme: String,
    #[server(default)] municipalities: Vec<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let form = questions::write::QuestionForm {
                title,
                background,
                question,
                open_to_influence,
                already_fixed,
                decision_moment,
                needed_by,
                participation,
                theme,
                municipalities,
            };
            let id = questions::write::save(
                &st.db,
                &st.settings.public_url,
                &user,
                parse_id(&id)?,
                &form,
            )
            .await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// A step in the question's lifecycle that needs no form of its own: the owner submits
/// (or the assigned policy maker acknowledges a subject the panel raised); the
/// coordinator accepts, returns (with a `reason`), opens input (with an optional last day,
/// `closes_on`), starts the advice, reopens input, or sends the advice. The lifecycle
/// table decides who may take which step when; any other step is a bad request.
#[server(endpoint = "move_question")]
pub async fn move_question(
    id: i64,
    step: Action,
    #[server(default)] reason: String,
    #[server(default)] closes_on: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let (db, url) = (&st.db, st.settings.public_url.as_str());
            match step {
                Action::Submit | Action::Accept | Action::Return | Action::Acknowledge => {
                    questions::write::act(db, url, &user, id, step, &reason).await?;
                }
                Action::OpenInput | Action::DraftAdvice | Action::ReopenInput => {
                    participation::inputs::transition(db, url, &user, id, step, &closes_on).await?;
                }
                Action::SendAdvice => {
                    participation::advice::send_advice(db, url, &user, id).await?;
                }
                Action::Edit
                | Action::Assign
                | Action::GiveInput
                | Action::RecordInput
                | Action::Endorse
                | Action::ReviewAdvice
                | Action::Close => return Err(AppError::BadRequest),
            }
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator names the policy maker who takes on a subject the panel raised.
#[server(endpoint = "assign_question")]
pub async fn assign_question(
    id: i64,
    #[server(default)] policy_maker: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            questions::write::assign(&st.db, &st.settings.public_url, &user, id, &policy_maker)
                .await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The panel setting: weeks a policy maker has to answer an advice. Coordinators only.
#[server(endpoint = "feedback_weeks")]
pub async fn set_feedback_weeks(feedback_weeks: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            questions::write::set_feedback_weeks(&st.db, &user, &feedback_weeks).await
        }
        .await,
    )
}

/// The panel's themes: adopted, proposed (with support) and archived.
#[server(endpoint = "themes")]
pub async fn load_themes() -> Result<ThemesPage, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            themes::page(&st.db, &user).await
        }
        .await,
    )
}

/// Anyone on the panel proposes a theme.
#[server(endpoint = "propose_theme")]
pub async fn propose_theme(
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            themes::propose(&st.db, &st.settings.public_url, &user, &name, &description).await?;
            Ok(())
        }
        .await,
    )
}

/// A member supports a proposed theme.
#[server(endpoint = "endorse_theme")]
pub async fn endorse_theme(theme_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            themes::endorse(&st.db, &user, theme_id).await
        }
        .await,
    )
}

/// The coordinator adopts or archives a theme (`decision`: "adopt" or "archive").
#[server(endpoint = "decide_theme")]
pub async fn decide_theme(theme_id: i64, decision: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            themes::decide(&st.db, &user, theme_id, &decision).await
        }
        .await,
    )
}

/// A page of the caller's notifications, newest first (`at`: where it starts; empty for
/// the newest); showing them marks them read.
#[server(endpoint = "notifications")]
pub async fn load_notifications(
    #[server(default)] at: String,
) -> Result<OlderPages<NotificationView>, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            notify::list_and_mark_read(&st.db, &user, &at).await
        }
        .await,
    )
}

/// How many notifications the caller has not seen (0 when not logged in).
#[server(endpoint = "unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            if let Some(unread) = state::unread_on_page(&st).await? {
                return Ok(unread);
            }
            match state::optional_user(&st).await? {
                Some(user) => notify::unread(&st.db, &user).await,
                None => Ok(0),
            }
        }
        .await,
    )
}
