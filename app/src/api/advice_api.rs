//! Server functions for input and advice. Each checks the session; the service checks
//! role, panel and the question's state against the lifecycle.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{participation, platform::state};

/// The coordinator changes or clears the last day for input.
#[server(endpoint = "set_input_closing")]
pub async fn set_input_closing(
    id: i64,
    #[server(default)] closes_on: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::set_input_closing(&st.db, &user, id, &closes_on).await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// A member gives input, choosing whether policy makers see their name and whether it
/// may be quoted.
#[server(endpoint = "give_input")]
pub async fn give_input(
    id: i64,
    body: String,
    #[server(default)] show_name: Option<String>,
    #[server(default)] may_quote: Option<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::give_input(
                &st.db,
                &user,
                id,
                &body,
                show_name.is_some(),
                may_quote.is_some(),
            )
            .await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// "Ik herken dit" on someone else's input.
#[server(endpoint = "endorse_input")]
pub async fn endorse_input(input_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::endorse(&st.db, &user, input_id).await
        }
        .await,
    )
}

/// The coordinator saves the draft advice: a summary and numbered recommendations, each
/// with the numbers of the inputs it rests on.
#[server(endpoint = "save_advice")]
pub async fn save_advice(
    id: i64,
    summary: String,
    #[server(default)] recommendations: Vec<String>,
    #[server(default)] supported_by: Vec<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            for list in [&recommendations, &supported_by] {
                crate::domain::at_most(list, crate::domain::FORM_LIST_MAX)
                    .map_err(|p| AppError::invalid("recommendations", p))?;
            }
            let list: Vec<participation::advice::RecommendationForm> = recommendations
                .into_iter()
                .enumerate()
                .map(|(i, body)| participation::advice::RecommendationForm {
                    body,
                    supported_by: supported_by.get(i).cloned().unwrap_or_default(),
                })
                .collect();
            participation::advice::save_advice(
                &st.db,
                &st.settings.public_url,
                &user,
                id,
                &summary,
                &list,
            )
            .await
        }
        .await,
    )
}

/// A coordinator records input for the group (from a meeting, say).
#[server(endpoint = "record_group_input")]
pub async fn record_group_input(id: i64, group_body: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::record_group_input(&st.db, &user, id, &group_body).await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(())
        }
        .await,
    )
}

/// A member changes their own input (until the advice is sent).
#[server(endpoint = "update_input")]
pub async fn update_input(
    input_id: i64,
    edit_body: String,
    #[server(default)] show_name: Option<String>,
    #[server(default)] may_quote: Option<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::update_input(
                &st.db,
                &user,
                input_id,
                &edit_body,
                show_name.is_some(),
                may_quote.is_some(),
            )
            .await
        }
        .await,
    )
}

/// A member withdraws their own input (until the advice is sent).
#[server(endpoint = "withdraw_input")]
pub async fn withdraw_input(input_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::withdraw_input(&st.db, &user, input_id).await?;
            Ok(())
        }
        .await,
    )
}

/// A coordinator hides input, with a reason its author sees.
#[server(endpoint = "hide_input")]
pub async fn hide_input(input_id: i64, hide_reason: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::inputs::hide_input(&st.db, &user, input_id, &hide_reason).await?;
            Ok(())
        }
        .await,
    )
}

/// A member reacts to a recommendation of the draft advice.
#[server(endpoint = "review_recommendation")]
pub async fn review_recommendation(
    id: i64,
    position: i64,
    agrees: String,
    #[server(default)] comment: String,
    #[server(default)] seen: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            participation::advice::review(
                &st.db,
                &user,
                id,
                position,
                agrees == "yes",
                &comment,
                &seen,
            )
            .await
        }
        .await,
    )
}
