//! Web hardening that applies to every response: refusing state-changing requests from
//! other sites, bounding what one request may send, and security headers.

use app::backend::platform::state;
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::ServerFnUrlError;

/// Whether a request that can change something comes from our own pages.
///
/// Browsers send `Origin` on every POST and `Sec-Fetch-Site` on every request; a request
/// with neither is not from a browser (a script or test client) and cannot carry a
/// victim's cookie by accident. Same-origin means: the `Origin` names the host the
/// request was sent to, or the configured public URL.
pub fn same_origin(method: &Method, headers: &axum::http::HeaderMap, public_origin: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin.eq_ignore_ascii_case(public_origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_authority = origin.split_once("://").map(|(_, authority)| authority);
    matches!((origin_authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

/// `https://host:port` of a URL, without path.
pub fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split('/').next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => url.to_string(),
    }
}

/// Refuses cross-site state-changing requests with a 403 and a message in Dutch.
pub async fn check_origin(public_origin: String, request: Request<Body>, next: Next) -> Response {
    if same_origin(request.method(), request.headers(), &public_origin) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), path = %request.uri().path(), "refused a cross-site request");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Dit verzoek komt niet van Klankbord zelf en is daarom geweigerd. Ga naar de website en probeer het daar opnieuw.",
    )
        .into_response()
}

/// The most a request body may hold (bytes), unless its path is in `LARGE_BODY_PATHS`.
pub const BODY_MAX: usize = 256 * 1024;
/// The most for the forms that carry many long texts at once: the answer on up to twenty
/// recommendations (three texts each) and the minutes of a whole evening.
pub const LARGE_BODY_MAX: usize = 1024 * 1024;
const LARGE_BODY_PATHS: &[&str] = &["/api/save_feedback", "/api/save_minutes"];
/// The most characters one form field may hold: twice the longest field any form has
/// (a question's background and the minutes of an agenda item, 10,000 each). Each field's
/// own, smaller limit is checked by the server function with a message next to the field.
pub const FIELD_MAX_CHARS: usize = 20_000;
/// The most fields one form may send (the longest real one, an evening's attendance,
/// has one per panel member).
pub const FIELDS_MAX: usize = 2_000;

/// The body limit for a path.
pub fn body_max(path: &str) -> usize {
    if LARGE_BODY_PATHS.contains(&path) {
        LARGE_BODY_MAX
    } else {
        BODY_MAX
    }
}

/// Whether a form body stays within the field limits: `TooLarge` for too many or too long
/// fields, `BadRequest` for a NUL character (no text of ours holds one, and PostgreSQL
/// refuses to store it).
pub fn check_form(body: &[u8]) -> Result<(), AppError> {
    let mut fields = 0usize;
    for (key, value) in form_urlencoded::parse(body) {
        fields += 1;
        if fields > FIELDS_MAX || value.chars().count() > FIELD_MAX_CHARS || key.len() > 200 {
            return Err(AppError::TooLarge);
        }
        if key.contains('\0') || value.contains('\0') {
            return Err(AppError::BadRequest);
        }
    }
    Ok(())
}

/// Reads the body of a request that may change something, within its path's limit, and
/// checks a form's fields before any server function sees them. Refuses with 413 (too
/// large) or 400 (unreadable) and a message in the user's language; a plain HTML form
/// post goes back to its form, which shows the message.
pub async fn limit_body(request: Request<Body>, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let max = body_max(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|length| length > DRAIN_MAX as u64) {
        return refuse(&parts, AppError::TooLarge);
    }
    let bytes = match read_within(body, max).await {
        Ok(bytes) => bytes,
        Err(error) => return refuse(&parts, error),
    };
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        if let Err(error) = check_form(&bytes) {
            return refuse(&parts, error);
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// How much of a too large body is still read (and dropped) before answering, so the
/// client, still sending, receives the answer instead of a broken connection.
const DRAIN_MAX: usize = 16 * 1024 * 1024;

/// The body, if it holds at most `max` bytes. A larger one is read on to its end (up to
/// `DRAIN_MAX`) and dropped: `TooLarge`. A body that breaks off: `BadRequest`.
async fn read_within(mut body: Body, max: usize) -> Result<axum::body::Bytes, AppError> {
    use http_body_util::BodyExt;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| AppError::BadRequest)?;
        if let Some(data) = frame.data_ref() {
            seen += data.len();
            if seen <= max {
                kept.extend_from_slice(data);
            } else if seen > DRAIN_MAX {
                break;
            }
        }
    }
    if seen > max {
        return Err(AppError::TooLarge);
    }
    Ok(kept.into())
}

/// Answers a refused request the way a server function answers its errors: the error as
/// JSON with its status, or for a plain HTML form post a redirect back to the form with
/// the error in its address (where the form shows it).
fn refuse(parts: &axum::http::request::Parts, error: AppError) -> Response {
    let path = parts.uri.path();
    tracing::info!(%path, %error, "refused a request body");
    let accepts_html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok());
    if let (true, Some(referer)) = (accepts_html, referer) {
        if let Ok(url) = ServerFnUrlError::new(path, error.clone()).to_url(referer) {
            if let Ok(location) = HeaderValue::from_str(url.as_str()) {
                return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
            }
        }
    }
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        state::status_of(&error),
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Adds the security headers every response carries; HSTS only when served over HTTPS.
pub async fn security_headers(https: bool, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages are made for one person at one moment: checked again on every visit, never
    // kept by a shared cache. Files set their own (`assets.rs`).
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-cache, private"));
    }
    // Pages set a full policy with their script nonce; everything else gets this one.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ));
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    const PUBLIC: &str = "https://klankbord.example.nl";

    #[test]
    fn origins_have_no_path() {
        assert_eq!(origin_of("https://x.nl/klankbord/"), "https://x.nl");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }

    #[test]
    fn reads_are_always_allowed() {
        let h = headers(&[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(same_origin(&Method::GET, &h, PUBLIC));
    }

    #[test]
    fn posts_from_our_own_pages_are_allowed() {
        let h = headers(&[
            ("origin", "https://klankbord.example.nl"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(same_origin(&Method::POST, &h, PUBLIC));
        // Reached under another name (localhost instead of 127.0.0.1): Origin matches Host.
        let h = headers(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000"),
        ]);
        assert!(same_origin(&Method::POST, &h, "http://127.0.0.1:3000"));
        // Not a browser: no Origin and no Sec-Fetch-Site.
        assert!(same_origin(&Method::POST, &HeaderMap::new(), PUBLIC));
    }

    #[test]
    fn posts_from_other_sites_are_refused() {
        let h = headers(&[
            ("origin", "https://evil.example"),
            ("host", "klankbord.example.nl"),
        ]);
        assert!(!same_origin(&Method::POST, &h, PUBLIC));
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(!same_origin(&Method::POST, &h, PUBLIC));
        let h = headers(&[
            ("sec-fetch-site", "same-site"),
            ("origin", "https://sub.example.nl"),
        ]);
        assert!(!same_origin(&Method::DELETE, &h, PUBLIC));
        let h = headers(&[("origin", "null")]);
        assert!(!same_origin(&Method::POST, &h, PUBLIC));
    }
}
