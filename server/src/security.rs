//! Web hardening that applies to every response: refusing state-changing requests from
//! other sites, and security headers.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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
