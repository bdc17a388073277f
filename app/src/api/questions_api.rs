//! Server functions for questions. Each checks the session; the service checks role,
//! panel and the question's state against the lifecycle.

use crate::error::AppError;
use crate::model::{QuestionDetail, QuestionFormData, QuestionList};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{questions, state};
#[cfg(feature = "ssr")]
use crate::lifecycle::{Action, State};

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<Option<i64>, AppError> {
    match id.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// The panel's questions the caller may see; `state` filters (empty: all).
#[server(endpoint = "questions")]
pub async fn list_questions(
    #[server(default)] state: String,
    #[server(default)] page: String,
) -> Result<QuestionList, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let page = page.trim().parse().unwrap_or(1);
            questions::list(&st.db, &user, State::from_db(&state), page).await
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
            questions::detail(&st.db, &user, id).await
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
            questions::form_data(&st.db, &user, parse_id(&id)?).await
        }
        .await,
    )
}

/// Saves a new question (as a draft) or changes one, then shows it.
#[server(endpoint = "save_question")]
pub async fn save_question(
    #[server(default)] id: String,
    title: String,
    #[server(default)] background: String,
    question: String,
    open_to_influence: String,
    #[server(default)] already_fixed: String,
    #[server(default)] decision_moment: String,
    needed_by: String,
    participation: String,
    #[server(default)] theme: String,
    #[server(default)] municipalities: Vec<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let form = questions::QuestionForm {
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
            let id = questions::save(&st.db, &user, parse_id(&id)?, &form).await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn act(id: i64, action: Action, reason: &str) -> Result<(), AppError> {
    let st = state::state()?;
    let user = state::require_user(&st).await?;
    questions::act(&st.db, &user, id, action, reason).await?;
    leptos_axum::redirect(&format!("/questions/{id}"));
    Ok(())
}

/// The owner hands the question to the panel.
#[server(endpoint = "submit_question")]
pub async fn submit_question(id: i64) -> Result<(), AppError> {
    state::respond(act(id, Action::Submit, "").await)
}

/// The coordinator takes the question on.
#[server(endpoint = "accept_question")]
pub async fn accept_question(id: i64) -> Result<(), AppError> {
    state::respond(act(id, Action::Accept, "").await)
}

/// The coordinator sends the question back, saying why.
#[server(endpoint = "return_question")]
pub async fn return_question(id: i64, reason: String) -> Result<(), AppError> {
    state::respond(act(id, Action::Return, &reason).await)
}
