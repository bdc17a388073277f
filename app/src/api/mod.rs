//! Server functions: each one authorises, calls a service, and maps the error.
//! They are public HTTP endpoints (POST under `/api/`); none trusts the page that calls it.

// Form-backed server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{CurrentUser, Home, Landing, PublicPanel};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{accounts, accounts::setup, platform::state, platform::store};

mod accounts_api;
mod advice_api;
mod feedback_api;
mod meetings_api;
mod questions_api;
pub use accounts_api::*;
pub use advice_api::*;
pub use feedback_api::*;
pub use meetings_api::*;
pub use questions_api::*;

/// The deployment's panels, for the public front page. Anyone may call it.
#[server(endpoint = "landing")]
pub async fn load_landing() -> Result<Landing, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let panels = store::panels(st.db.read()).await?;
            let setup_pending = store::setup_pending(st.db.read()).await?;
            Ok(Landing {
                panels,
                setup_pending,
            })
        }
        .await,
    )
}

/// One panel's public page. Anyone may call it.
#[server(endpoint = "public_panel")]
pub async fn load_panel(slug: String) -> Result<PublicPanel, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            store::panel_by_slug(st.db.read(), &slug)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Who is logged in, if anyone.
#[server(endpoint = "me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            state::optional_user(&st).await
        }
        .await,
    )
}

/// The home page of the logged-in person: only their own panel.
#[server(endpoint = "home")]
pub async fn load_home() -> Result<Home, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let pool = st.db.read();
            let panel_id = user.panel.id;
            let facts = store::home_facts(pool, user.id)
                .await?
                .ok_or(AppError::NotLoggedIn)?;
            let member = user.role == crate::domain::Role::Member;
            let waiting = crate::backend::questions::list::waiting_for(&st.db, &user).await?;
            let meetings = crate::backend::meetings::store::next_meetings(&st.db, &user).await?;
            let overdue_feedback = if user.role == crate::domain::Role::Coordinator {
                crate::backend::feedback::reminders::overdue_count(&st.db, panel_id).await?
            } else {
                0
            };
            Ok(Home {
                overdue_feedback,
                must_accept_agreements: accounts::agreements::must_accept_agreements(&user, &facts),
                contact: facts.contact.filter(|_| member),
                waiting,
                meetings,
                municipalities: facts.municipalities,
                coordinators: facts.coordinators,
                members: facts.members,
                policy_makers: facts.policy_makers,
                user,
            })
        }
        .await,
    )
}

/// Logs in and goes to the home page. Works as a plain HTML form without JavaScript.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            let (user_id, token) = setup::login(&st.db, &email, &password, &client).await?;
            state::set_session_cookie(&st, &token);
            let language = store::language_of(st.db.read(), user_id).await?;
            state::set_language_cookie(&st, language);
            let next =
                crate::backend::accounts::second_factor::after_password(&st.db, user_id).await?;
            leptos_axum::redirect(next.next_page());
            Ok(())
        }
        .await,
    )
}

/// Ends the session on the server and goes to the front page.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            if let Some(token) = state::session_token() {
                crate::backend::platform::auth::end_session(&st.db, &token).await?;
            }
            state::clear_session_cookie(&st);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Whether a setup link can still be used.
#[server(endpoint = "setup_link_valid")]
pub async fn setup_link_valid(token: String) -> Result<bool, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            Ok(store::setup_token_valid(
                st.db.read(),
                &crate::backend::platform::auth::token_hash(&token),
            )
            .await?)
        }
        .await,
    )
}

/// First-run setup: creates the panel and its first coordinator, and logs them in.
#[server(endpoint = "complete_setup")]
pub async fn complete_setup(
    token: String,
    panel_name: String,
    region: String,
    slug: String,
    municipalities: String,
    display_name: String,
    email: String,
    password: String,
    password_repeat: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let form = setup::SetupForm {
                panel_name,
                region,
                slug,
                municipalities,
                display_name,
                email,
                password,
                password_repeat,
            };
            let user_id = setup::complete_setup(&st.db, &token, &form).await?;
            let token = crate::backend::platform::auth::create_session(&st.db, user_id).await?;
            state::set_session_cookie(&st, &token);
            leptos_axum::redirect("/home");
            Ok(())
        }
        .await,
    )
}
