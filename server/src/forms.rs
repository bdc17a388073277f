//! Pages are plain HTML: every form is sent without JavaScript and its page comes back as
//! a new view. This module carries what that view needs across the redirect (the values
//! typed into a refused form, the answer of an accepted one) and makes the language
//! choice a link.

use crate::security::LARGE_BODY_MAX;
use app::backend::platform::db::Db;
use app::backend::platform::form_memory;
use app::components::form::FormMemory;
use axum::body::Body;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The cookie that names the form memory waiting for the next page view.
pub const MEMORY_COOKIE: &str = "klankbord_form";
/// leptos_i18n's cookie for the chosen language.
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";
/// The hidden field that names the form a post came from.
const FORM_FIELD: &str = "__form";
/// The most of a server function's answer kept for its page (a feed address, a new
/// second-factor secret, a saved answer's summary are far smaller).
const OUTPUT_MAX: usize = 64 * 1024;

/// Fields never kept: passwords, second-factor codes and one-time tokens.
fn is_secret(name: &str) -> bool {
    name.contains("password") || matches!(name, "code" | "token" | "second_factor_current")
}

/// A form posted by the browser itself to a server function (not a script's `fetch`).
fn is_plain_form_post(request: &Request<Body>) -> bool {
    let header_has = |name: header::HeaderName, part: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(part))
    };
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header_has(header::ACCEPT, "text/html")
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

/// The path of an absolute or relative URL, without query or fragment.
fn path_of(url: &str) -> &str {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    rest.split(['?', '#']).next().unwrap_or("/")
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn memory_cookie(token: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{MEMORY_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// After a plain form post that goes back to its page, keeps what that page view needs
/// and names it in a cookie; at the next page view, hands it to the render (as a
/// [`FormMemory`] request extension) and ends the cookie. Runs inside `limit_body`, so
/// bodies are already bounded.
pub async fn remember(db: Db, secure: bool, request: Request<Body>, next: Next) -> Response {
    if is_plain_form_post(&request) {
        return after_post(db, secure, request, next).await;
    }
    let is_page_view = request.method() == Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let token = cookie_value(request.headers(), MEMORY_COOKIE).map(str::to_string);
    let (true, Some(token)) = (is_page_view, token) else {
        return next.run(request).await;
    };
    let mut request = request;
    match form_memory::take(&db, &token).await {
        Ok(Some(memory)) if memory.page == request.uri().path() => {
            request.extensions_mut().insert(memory);
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot read a form memory"),
    }
    let mut response = next.run(request).await;
    if let Some(end) = memory_cookie("", 0, secure) {
        response.headers_mut().append(header::SET_COOKIE, end);
    }
    response
}

async fn after_post(db: Db, secure: bool, request: Request<Body>, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGE_BODY_MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let action = parts.uri.path().to_string();
    let page = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(|referer| path_of(referer).to_string());
    // `__form` names the form on its page (`PostForm`); the server function does not
    // see it.
    let sent: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let anchor = sent
        .iter()
        .find(|(name, _)| name == FORM_FIELD)
        .map(|(_, value)| value.clone())
        .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(sent.iter().filter(|(name, _)| name != FORM_FIELD))
        .finish();
    let fields: Vec<(String, String)> = sent
        .into_iter()
        .filter(|(name, _)| name != FORM_FIELD && !is_secret(name))
        .collect();
    parts.headers.remove(header::CONTENT_LENGTH);
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;

    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (Some(page), Some(location)) = (page, location) else {
        return response;
    };
    // Only a redirect back to the form's own page: a login that goes on to /home, say,
    // needs nothing carried.
    if !response.status().is_redirection() || path_of(&location) != page {
        return response;
    }
    let refused = location.contains("__err=");
    let (mut head, body) = response.into_parts();
    let answer = if refused {
        axum::body::Bytes::new()
    } else {
        axum::body::to_bytes(body, OUTPUT_MAX)
            .await
            .unwrap_or_default()
    };
    let memory = FormMemory {
        page,
        action,
        form: anchor.clone().unwrap_or_default(),
        fields: if refused { fields } else { Vec::new() },
        output: (!refused).then(|| String::from_utf8_lossy(&answer).into_owned()),
    };
    match form_memory::keep(&db, &memory).await {
        Ok(token) => {
            if let Some(cookie) = memory_cookie(&token, form_memory::KEEP_SECS, secure) {
                head.headers.append(header::SET_COOKIE, cookie);
            }
        }
        Err(error) => tracing::warn!(%error, "cannot keep a form memory"),
    }
    // Back at the form, not at the top of a long page.
    if let Some(anchor) = anchor {
        let location = location.split('#').next().unwrap_or_default();
        if let Ok(value) = HeaderValue::from_str(&format!("{location}#{anchor}")) {
            head.headers.insert(header::LOCATION, value);
        }
    }
    head.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(head, Body::from(answer))
}

/// `GET /language/{nl|en}?back=/path`: keeps the chosen language in leptos_i18n's cookie
/// and goes back to the page it was chosen on (a path on this site only).
pub async fn language(
    secure: bool,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !matches!(code.as_str(), "nl" | "en") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let back = query
        .as_deref()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(key, _)| key == "back")
                .map(|(_, value)| value.into_owned())
        })
        .filter(|back| is_local_path(back))
        .unwrap_or_else(|| "/".to_string());
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{LANGUAGE_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000{secure}");
    match (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie)) {
        (Ok(location), Ok(cookie)) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location), (header::SET_COOKIE, cookie)],
        )
            .into_response(),
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// A path on this site: `/…`, not `//host` or `/\host` (which browsers read as another
/// site), without control characters.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_urls() {
        assert_eq!(
            path_of("http://a.example:3000/questions/3?__err=x#f"),
            "/questions/3"
        );
        assert_eq!(path_of("https://a.example"), "/");
        assert_eq!(path_of("/meetings?x=1"), "/meetings");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/questions/3?q=wacht"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x=y"));
    }

    #[test]
    fn secrets_are_not_kept() {
        for name in [
            "password",
            "password_repeat",
            "current_password",
            "email_password",
            "second_factor_password",
            "second_factor_current",
            "code",
            "token",
        ] {
            assert!(is_secret(name), "{name}");
        }
        for name in ["title", "background", "email", "body"] {
            assert!(!is_secret(name), "{name}");
        }
    }
}
