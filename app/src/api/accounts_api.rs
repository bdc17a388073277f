//! Server functions for accounts: invitations, agreements, password reset, profile and
//! people management. Each one checks session, role and panel itself.

use crate::error::AppError;
use crate::model::{Agreements, AuditEntry, InvitationInfo, OlderPages, People, Profile};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{accounts, accounts::setup, platform::auth, platform::state, platform::store};
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[cfg(feature = "ssr")]
fn log_in(st: &state::AppState, token: &str) {
    state::set_session_cookie(st, token);
}

/// The second factor is done: the half-way session becomes a full one under a new token
/// (the old one stops working), and the browser gets the new cookie.
#[cfg(feature = "ssr")]
async fn complete_session(st: &state::AppState) -> Result<(), AppError> {
    let token = state::session_token().ok_or(AppError::NotLoggedIn)?;
    let fresh = auth::complete_session(&st.db, &token)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    log_in(st, &fresh);
    Ok(())
}

// ------------------------------------------------------------ coordinators

/// The panel's people and open invitations. Coordinators only.
#[server(endpoint = "people")]
pub async fn load_people(query: String, role: String, status: String) -> Result<People, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            let filter = accounts::people::PeopleFilter {
                query,
                role,
                status,
            };
            accounts::people::people(&st.db, &actor, &filter).await
        }
        .await,
    )
}

/// Invites someone to the panel by e-mail. Coordinators only.
#[server(endpoint = "invite")]
pub async fn invite(
    email: String,
    role: String,
    municipality: String,
    language: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            let form = accounts::invitations::InviteForm {
                email,
                role,
                municipality,
                language,
            };
            accounts::invitations::invite(&st.db, &st.settings.public_url, &actor, &form).await?;
            Ok(())
        }
        .await,
    )
}

/// Sends an open invitation again, with a new link. Coordinators of its panel only.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::invitations::resend_invitation(&st.db, &st.settings.public_url, &actor, id)
                .await
        }
        .await,
    )
}

/// Withdraws an open invitation. Coordinators of its panel only.
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::invitations::revoke_invitation(&st.db, &actor, id).await
        }
        .await,
    )
}

/// Gives someone of the panel another role. Coordinators of that panel only.
#[server(endpoint = "change_role")]
pub async fn change_role(user_id: i64, role: String, municipality: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::people::change_role(&st.db, &actor, user_id, &role, &municipality).await
        }
        .await,
    )
}

/// Deactivates (`active = false`) or reactivates someone of the panel. Coordinators of
/// that panel only.
#[server(endpoint = "set_active")]
pub async fn set_active(user_id: i64, active: bool) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::people::set_active(&st.db, &actor, user_id, active).await
        }
        .await,
    )
}

/// A page of the panel's audit log (`at`: where it starts; empty for the newest).
/// Coordinators only.
#[server(endpoint = "audit_log")]
pub async fn load_audit_log(
    #[server(default)] at: String,
) -> Result<OlderPages<AuditEntry>, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::audit::audit_log(&st.db, &actor, &at).await
        }
        .await,
    )
}

/// Changes the panel's group agreements. Coordinators only.
#[server(endpoint = "save_agreements")]
pub async fn save_agreements(
    agreements: String,
    #[server(default)] ask_again: Option<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            accounts::agreements::update_agreements(
                &st.db,
                &actor,
                &agreements,
                ask_again.is_some(),
            )
            .await
        }
        .await,
    )
}

// ------------------------------------------------------------ everyone logged in

/// The panel's group agreements. Anyone of the panel.
#[server(endpoint = "agreements")]
pub async fn load_agreements() -> Result<Agreements, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            accounts::agreements::agreements(&st.db, &user).await
        }
        .await,
    )
}

/// Accepts the panel's group agreements and goes home.
#[server(endpoint = "accept_agreements")]
pub async fn accept_agreements() -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            accounts::agreements::accept_agreements(&st.db, &user).await?;
            leptos_axum::redirect("/home");
            Ok(())
        }
        .await,
    )
}

/// One's own account settings.
#[server(endpoint = "profile")]
pub async fn load_profile() -> Result<Profile, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let token = state::session_token();
            accounts::profile::profile(&st.db, &user, token.as_deref()).await
        }
        .await,
    )
}

/// Saves name, language, notification preference (and for coordinators how to reach
/// them).
#[server(endpoint = "save_profile")]
pub async fn save_profile(
    display_name: String,
    language: String,
    notify: String,
    #[server(default)] contact_info: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let form = accounts::profile::ProfileForm {
                display_name,
                language,
                notify,
                contact_info,
            };
            accounts::profile::update_profile(&st.db, &user, &form).await?;
            if let Ok(language) = crate::domain::Language::parse(&form.language) {
                state::set_language_cookie(&st, language);
            }
            Ok(())
        }
        .await,
    )
}

/// Changes one's own password; other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_repeat: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let token = state::session_token();
            accounts::passwords::change_password(
                &st.db,
                &user,
                &current_password,
                &password,
                &password_repeat,
                token.as_deref(),
            )
            .await
        }
        .await,
    )
}

/// Ends every session of the account, this one too.
#[server(endpoint = "log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            accounts::passwords::log_out_everywhere(&st.db, &user).await?;
            state::clear_session_cookie(&st);
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// Sends a confirmation link to a new e-mail address (the password is asked again).
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(
    new_email: String,
    email_password: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            accounts::profile::request_email_change(
                &st.db,
                &st.settings.public_url,
                &user,
                &new_email,
                &email_password,
            )
            .await
        }
        .await,
    )
}

// ------------------------------------------------------------ links from e-mail (public)

/// What an invitation link offers. Anyone with the link.
#[server(endpoint = "invitation")]
pub async fn load_invitation(token: String) -> Result<InvitationInfo, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            accounts::invitations::invitation_info(&st.db, &token, &client).await
        }
        .await,
    )
}

/// Makes the account an invitation offers and logs in (half-way when the panel requires a
/// second factor). Anyone with the link, once.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: String,
    password: String,
    password_repeat: String,
    #[server(default)] birth_year: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            let form = accounts::invitations::AcceptForm {
                display_name,
                password,
                password_repeat,
                birth_year,
            };
            let user_id =
                accounts::invitations::accept_invitation(&st.db, &token, &form, &client).await?;
            // Like a login: a panel that requires a second factor gets it set up first.
            let (token, pending) = setup::start_session(&st.db, user_id).await?;
            log_in(&st, &token);
            state::set_language_cookie(&st, store::language_of(st.db.read(), user_id).await?);
            leptos_axum::redirect(pending.next_page());
            Ok(())
        }
        .await,
    )
}

/// Asks for a password reset mail. The answer is the same whether or not the address has
/// an account.
#[server(endpoint = "request_reset")]
pub async fn request_reset(email: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            accounts::passwords::request_reset(&st.db, &st.settings.public_url, &email, &client)
                .await?;
            leptos_axum::redirect("/forgot?sent=1");
            Ok(())
        }
        .await,
    )
}

/// Whether a password reset link still works.
#[server(endpoint = "reset_link")]
pub async fn check_reset_link(token: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            accounts::passwords::reset_link_valid(&st.db, &token, &client).await
        }
        .await,
    )
}

/// Sets a new password from a reset link and logs in half-way, as a login does: the
/// second factor is still asked (or set up, when the panel requires it).
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_repeat: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            let user_id = accounts::passwords::reset_password(
                &st.db,
                &token,
                &password,
                &password_repeat,
                &client,
            )
            .await?;
            let (token, pending) = setup::start_session(&st.db, user_id).await?;
            log_in(&st, &token);
            leptos_axum::redirect(pending.next_page());
            Ok(())
        }
        .await,
    )
}

/// Confirms a new e-mail address from the link in the mail.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let client = state::client_address(&st);
            accounts::profile::confirm_email_change(&st.db, &token, &client).await?;
            leptos_axum::redirect("/profile");
            Ok(())
        }
        .await,
    )
}

// ------------------------------------------------------------ second factor

/// The code from the authenticator app, after a right password. Only for a session that
/// waits for it.
#[server(endpoint = "login_code")]
pub async fn verify_login_code(code: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let (user, _) = state::require_session(&st, &[auth::Pending::Code]).await?;
            crate::backend::accounts::second_factor::verify(&st.db, user.id, &code).await?;
            complete_session(&st).await?;
            leptos_axum::redirect("/home");
            Ok(())
        }
        .await,
    )
}

/// The secret for the authenticator app while setting up (the same one on every visit
/// until it is confirmed). For a logged-in person, or a session that must set up the
/// second factor first. Someone who has one already gets `SecondFactorOn`.
#[server(endpoint = "start_second_factor")]
pub async fn start_second_factor() -> Result<crate::model::Enrolment, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let (user, _) =
                state::require_session(&st, &[auth::Pending::Nothing, auth::Pending::Enrolment])
                    .await?;
            crate::backend::accounts::second_factor::start(&st.db, user.id).await
        }
        .await,
    )
}

/// A new secret for someone who has a second factor already (a new phone): the password
/// or the current code is asked first. Logged-in people only.
#[server(endpoint = "replace_second_factor")]
pub async fn replace_second_factor(
    second_factor_current: String,
) -> Result<crate::model::Enrolment, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::accounts::second_factor::replace(&st.db, &user, &second_factor_current)
                .await
        }
        .await,
    )
}

/// Confirms the new secret with a code from the app; a session that had to set it up
/// becomes a full one.
#[server(endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let (user, pending) =
                state::require_session(&st, &[auth::Pending::Nothing, auth::Pending::Enrolment])
                    .await?;
            crate::backend::accounts::second_factor::confirm(&st.db, user.id, user.panel.id, &code)
                .await?;
            if pending == auth::Pending::Enrolment {
                complete_session(&st).await?;
                leptos_axum::redirect("/home");
            } else {
                leptos_axum::redirect("/profile");
            }
            Ok(())
        }
        .await,
    )
}

/// Turns the second factor off (password asked again), unless the panel requires it.
#[server(endpoint = "disable_second_factor")]
pub async fn disable_second_factor(second_factor_password: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::accounts::second_factor::disable(&st.db, &user, &second_factor_password)
                .await
        }
        .await,
    )
}

/// The panel setting: coordinators and policy makers must use a second factor.
/// Coordinators only.
#[server(endpoint = "require_second_factor")]
pub async fn set_second_factor_required(
    #[server(default)] require_second_factor: Option<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            crate::backend::accounts::second_factor::set_required(
                &st.db,
                &actor,
                require_second_factor.is_some(),
            )
            .await
        }
        .await,
    )
}

/// Turns off someone's second factor (a lost phone). Coordinators of their panel only.
#[server(endpoint = "reset_second_factor")]
pub async fn reset_second_factor(user_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let actor = state::require_role(&st, &[Role::Coordinator]).await?;
            crate::backend::accounts::second_factor::reset_for(&st.db, &actor, user_id).await
        }
        .await,
    )
}
