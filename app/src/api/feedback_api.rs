//! Server functions of the feedback loop. Each checks the session; the service checks
//! role, panel and the question's state.

use crate::error::AppError;
use crate::model::{FeedbackView, GalleryItem, InfographicEditor, PublicInfographic};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::backend::{feedback, platform::state};

/// The owner's page to answer the advice: the question's title and the answers so far.
#[server(endpoint = "feedback_form")]
pub async fn load_feedback_form(id: i64) -> Result<(String, FeedbackView), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::responses::form(&st.db, &user, id).await
        }
        .await,
    )
}

/// The owner saves their answers as a draft, or submits them (`submit` set).
#[server(endpoint = "save_feedback")]
pub async fn save_feedback(
    id: i64,
    #[server(default)] message: String,
    #[server(default)] status: Vec<String>,
    #[server(default)] explanation: Vec<String>,
    #[server(default)] reason: Vec<String>,
    #[server(default)] changes: Vec<String>,
    #[server(default)] follow_up: Vec<String>,
    #[server(default)] submit: Option<String>,
) -> Result<bool, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            // One answer per recommendation: a longer list is refused before any work.
            for list in [&status, &explanation, &reason, &changes, &follow_up] {
                crate::domain::at_most(list, crate::domain::lengths::RECOMMENDATIONS)
                    .map_err(|p| AppError::invalid("feedback", p))?;
            }
            let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
            let forms: Vec<feedback::responses::ResponseForm> =
                (0..status.len().max(explanation.len()))
                    .map(|i| feedback::responses::ResponseForm {
                        status: at(&status, i),
                        explanation: at(&explanation, i),
                        reason: at(&reason, i),
                        changes: at(&changes, i),
                        follow_up: at(&follow_up, i),
                    })
                    .collect();
            let submit = submit.is_some_and(|s| !s.is_empty());
            feedback::responses::save(
                &st.db,
                &st.settings.public_url,
                &user,
                id,
                &message,
                &forms,
                submit,
            )
            .await?;
            Ok(submit)
        }
        .await,
    )
}

/// The coordinator sets who else hears when the feedback is late.
#[server(endpoint = "escalation_email")]
pub async fn set_escalation_email(
    id: i64,
    #[server(default)] escalation_email: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::responses::set_escalation_email(&st.db, &user, id, &escalation_email).await
        }
        .await,
    )
}

/// The coordinator sets after how many days overdue they are told.
#[server(endpoint = "escalation_days")]
pub async fn set_escalation_days(escalation_days: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::responses::set_escalation_days(&st.db, &user, &escalation_days).await
        }
        .await,
    )
}

/// The coordinator's infographic editor with a preview.
#[server(endpoint = "infographic_editor")]
pub async fn load_infographic_editor(id: i64) -> Result<InfographicEditor, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::infographic::editor(&st.db, &user, id).await
        }
        .await,
    )
}

/// The coordinator saves the infographic's texts, or publishes it (`publish` set).
#[server(endpoint = "save_infographic")]
pub async fn save_infographic(
    id: i64,
    #[server(default)] question_line: String,
    #[server(default)] said: String,
    #[server(default)] meaning: String,
    #[server(default)] quote: String,
    #[server(default)] theme: String,
    #[server(default)] publish: Option<String>,
) -> Result<bool, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let publish = publish.is_some_and(|p| !p.is_empty());
            let form = feedback::infographic::InfographicForm {
                question_line,
                said,
                meaning,
                quote,
                theme,
            };
            feedback::infographic::save_infographic(
                &st.db,
                &st.settings.public_url,
                &user,
                id,
                &form,
                publish,
            )
            .await?;
            Ok(publish)
        }
        .await,
    )
}

/// A published infographic. Anyone may call it.
#[server(endpoint = "public_infographic")]
pub async fn load_public_infographic(slug: String, id: i64) -> Result<PublicInfographic, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let viewer = state::optional_user(&st).await?;
            feedback::infographic::public_page(
                &st.db,
                &st.settings.public_url,
                viewer.as_ref(),
                &slug,
                id,
            )
            .await
        }
        .await,
    )
}

/// What a panel's public page shows of the feedback loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelFeedback {
    /// The published infographics that match the filters, newest first.
    pub gallery: Vec<GalleryItem>,
    pub figures: crate::model::PublicFigures,
    /// Answers to advice that are past their due date.
    pub overdue: i64,
    /// What can be chosen: themes, municipalities, years with published infographics.
    pub filters: crate::model::ListFilters,
    pub years: Vec<i64>,
}

/// The panel's published infographics (filtered by theme, municipality and year, and
/// searched), the public figures and how many answers are late. Anyone may call it.
#[server(endpoint = "panel_feedback")]
pub async fn load_panel_feedback(
    slug: String,
    #[server(default)] theme: String,
    #[server(default)] municipality: String,
    #[server(default)] year: String,
    #[server(default)] q: String,
) -> Result<PanelFeedback, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let panel = crate::backend::platform::store::panel_by_slug(st.db.read(), &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let query = feedback::transparency::GalleryQuery {
                theme,
                municipality,
                year,
                q,
            };
            let (gallery, figures, filters, years) =
                feedback::transparency::public_feedback(&st.db, panel.panel.id, &query).await?;
            Ok(PanelFeedback {
                gallery,
                figures,
                overdue: feedback::reminders::overdue_count(&st.db, panel.panel.id).await?,
                filters,
                years,
            })
        }
        .await,
    )
}

/// A member rates the feedback: 1 to 5, with an optional comment.
#[server(endpoint = "rate_feedback")]
pub async fn rate_feedback(
    id: i64,
    #[server(default)] score: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::ratings::rate(&st.db, &user, id, &score, &comment).await
        }
        .await,
    )
}

/// The coordinator closes a question (only once its infographic is published).
#[server(endpoint = "close_question")]
pub async fn close_question(id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            feedback::responses::close(&st.db, &user, id).await
        }
        .await,
    )
}

/// The owner (or a coordinator on their behalf) adds an update on carrying out an
/// adopted recommendation: its number, the state, the expected day and what happened.
/// Answers the new state.
#[server(endpoint = "update_progress")]
pub async fn update_progress(
    id: i64,
    #[server(default)] position: String,
    #[server(default)] progress: String,
    #[server(default)] expected_on: String,
    #[server(default)] note: String,
) -> Result<crate::model::Progress, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let form = feedback::progress::ProgressForm {
                position,
                progress,
                expected_on,
                note,
            };
            feedback::progress::update(&st.db, &st.settings.public_url, &user, id, &form).await
        }
        .await,
    )
}

/// The impact overview (coordinators and policy makers): the figures for a period, theme
/// and municipality, and the questions behind one figure.
#[server(endpoint = "impact")]
pub async fn load_impact(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] theme: String,
    #[server(default)] municipality: String,
    #[server(default)] figure: String,
) -> Result<crate::model::ImpactPage, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let query = feedback::impact::ImpactQuery {
                period,
                from,
                to,
                theme,
                municipality,
                figure,
            };
            feedback::impact::overview(&st.db, &user, &query).await
        }
        .await,
    )
}
