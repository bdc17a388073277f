//! What every request handler and server function can reach, and the session check
//! that each server function starts with.

use super::auth;
use super::db::Db;
use super::error::fault;
use super::store;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::CurrentUser;
use axum::extract::FromRef;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::sync::Arc;

/// Settings the running app needs (the rest of the configuration stays in the server).
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// The address people use, e.g. `https://klankbord.example.nl`.
    pub public_url: String,
    /// A header set by a trusted reverse proxy with the client's address (e.g.
    /// `X-Forwarded-For`); without it the connection's peer address counts.
    pub client_ip_header: Option<String>,
    /// Where the pages link the stylesheet and the icon: their content-hashed names
    /// (cached for a year), or the plain names when the site is not built.
    pub stylesheet_href: String,
    pub icon_href: String,
}

impl AppSettings {
    /// Cookies get `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<AppSettings>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| fault("AppState missing from context"))
}

/// The session token from the request's cookie header, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let secure = use_context::<AppState>().is_some_and(|s| s.settings.secure_cookies());
    session_token_in(&parts.headers, secure)
}

/// The session token in these request headers, if any (for plain axum handlers). Over
/// https only the `__Host-` cookie counts.
pub fn session_token_in(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let name = auth::session_cookie_name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| cookie::Cookie::parse(pair.trim().to_string()).ok())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The caller's network address, for rate limits.
pub fn client_address(state: &AppState) -> String {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return "unknown".into();
    };
    if let Some(header) = &state.settings.client_ip_header {
        // The proxy appends the address it saw last; earlier entries can be forged.
        if let Some(value) = parts
            .headers
            .get_all(header.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
        {
            return value.to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Remembers the interface language (the cookie leptos_i18n reads).
pub fn set_language_cookie(state: &AppState, language: crate::domain::Language) {
    let value = cookie::Cookie::build(("i18n_pref_locale", language.as_str()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .secure(state.settings.secure_cookies())
        .max_age(time::Duration::days(365))
        .build()
        .to_string();
    append_cookie(&value);
}

/// The person a page is rendered for, with their unread notices, looked up once however
/// many parts of the page ask (the header, the page's data, the form memory). The
/// header's count is the one from before the page ran: the notifications page shows as
/// new what it marks read. The server provides one per request;
/// only a GET uses it, as a page render changes no session, while a form post may log in
/// or out halfway and must see that.
#[derive(Clone, Default)]
pub struct PageUser(Arc<tokio::sync::OnceCell<Option<(CurrentUser, i64)>>>);

/// This request's [`PageUser`] cell, if it is a page render (a GET).
fn page_cell() -> Option<PageUser> {
    use_context::<PageUser>().filter(|_| {
        use_context::<http::request::Parts>().is_some_and(|p| p.method == http::Method::GET)
    })
}

/// The logged-in user, or `None`.
pub async fn optional_user(state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    Ok(match page_cell() {
        Some(PageUser(once)) => once
            .get_or_try_init(|| person_of_token(state, session_token()))
            .await?
            .as_ref()
            .map(|(user, _)| user.clone()),
        None => person_of_token(state, session_token())
            .await?
            .map(|(user, _)| user),
    })
}

/// During a page render: the person's unread notices, counted in the same query that
/// read their session (0 when no one is logged in). `None` outside a page render.
pub async fn unread_on_page(state: &AppState) -> Result<Option<i64>, AppError> {
    let Some(PageUser(once)) = page_cell() else {
        return Ok(None);
    };
    let person = once
        .get_or_try_init(|| person_of_token(state, session_token()))
        .await?;
    Ok(Some(person.as_ref().map_or(0, |(_, unread)| *unread)))
}

/// The user logged in with the session cookie in these headers (for plain axum handlers).
pub async fn user_in_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    Ok(person_of_token(
        state,
        session_token_in(headers, state.settings.secure_cookies()),
    )
    .await?
    .map(|(user, _)| user))
}

/// The person of a session token and their unread notices.
async fn person_of_token(
    state: &AppState,
    token: Option<String>,
) -> Result<Option<(CurrentUser, i64)>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    Ok(auth::session_user(&state.db, &token)
        .await?
        .map(|p| (p.user, p.unread)))
}

/// The user of a session in one of the `allowed` states (a half-way session waiting for
/// a second factor is not a login), or `NotLoggedIn`.
pub async fn require_session(
    state: &AppState,
    allowed: &[auth::Pending],
) -> Result<(CurrentUser, auth::Pending), AppError> {
    let token = session_token().ok_or(AppError::NotLoggedIn)?;
    let (user_id, pending) = auth::session_state(&state.db, &token)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    if !allowed.contains(&pending) {
        return Err(AppError::NotLoggedIn);
    }
    let user = store::current_user(state.db.read(), user_id)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    Ok((user, pending))
}

/// The logged-in user, or `NotLoggedIn`.
pub async fn require_user(state: &AppState) -> Result<CurrentUser, AppError> {
    optional_user(state).await?.ok_or(AppError::NotLoggedIn)
}

/// The logged-in user if they have one of the roles, otherwise `Forbidden`.
pub async fn require_role(state: &AppState, roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = require_user(state).await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Sets the session cookie on the response.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let value = auth::session_cookie(
        token,
        Some(time::Duration::seconds(auth::SESSION_ABSOLUTE_SECS)),
        state.settings.secure_cookies(),
    );
    append_cookie(&value);
}

/// Tells the browser to forget the session cookie.
pub fn clear_session_cookie(state: &AppState) {
    let value = auth::session_cookie(
        "",
        Some(time::Duration::ZERO),
        state.settings.secure_cookies(),
    );
    append_cookie(&value);
}

fn append_cookie(value: &str) {
    if let (Some(response), Ok(header)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Gives a server function's error its HTTP status (422, 401, 403, 404, …) instead of
/// the default 500, so only real server faults show as 500. A plain HTML form post
/// (no JavaScript) is left alone: it is answered with a redirect back to the form.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_api_status(error);
    }
    result
}

/// Sets the status of a direct server-function call's answer to the error's. A page
/// rendered on the server, or a plain HTML form post (answered with a redirect back to
/// the form, which shows the error), keeps its own.
pub fn set_api_status(error: &AppError) {
    let api_call = use_context::<http::request::Parts>()
        .map(|p| {
            let accepts_html = p
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"));
            p.uri.path().starts_with("/api/") && !accepts_html
        })
        .unwrap_or(false);
    if let (true, Some(response)) = (api_call, use_context::<ResponseOptions>()) {
        response.set_status(status_of(error));
    }
}

pub fn status_of(error: &AppError) -> http::StatusCode {
    use http::StatusCode;
    match error {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotLoggedIn | AppError::WrongCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::SetupLinkInvalid | AppError::InvitationInvalid | AppError::LinkInvalid => {
            StatusCode::GONE
        }
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::SecondFactorNeeded => StatusCode::UNAUTHORIZED,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Connection(_) => StatusCode::BAD_REQUEST,
    }
}
