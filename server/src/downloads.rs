//! Downloads outside Leptos: one meeting as .ics for a logged-in person, a person's
//! calendar feed at a secret address (calendar programs send no cookies), and the
//! coordinator's compensation export as CSV, and an infographic as PNG.

use app::backend::{meetings, platform::state, platform::state::AppState};
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

fn ics(body: String, file: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

fn failure(error: &AppError) -> Response {
    (state::status_of(error), error.to_string()).into_response()
}

/// `GET /meetings/{id}/ics`: the meeting for whoever may see it.
pub async fn meeting(
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let user = match state::user_in_headers(&st, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return failure(&AppError::NotLoggedIn),
        Err(e) => return failure(&e),
    };
    match meetings::feed::meeting_ics(&st.db, &st.settings.public_url, &user, id).await {
        Ok(body) => ics(body, &format!("panelavond-{id}.ics")),
        Err(e) => failure(&e),
    }
}

/// `GET /calendar/{token}.ics`: the feed of the person the secret belongs to; 404 for
/// an unknown or revoked secret.
pub async fn feed(State(st): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match meetings::feed::feed(&st.db, &st.settings.public_url, token).await {
        Ok(body) => ics(body, "klankbord.ics"),
        Err(e) => failure(&e),
    }
}

#[derive(serde::Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /export/compensation.csv?from=yyyy-mm-dd&to=yyyy-mm-dd`: hours and travel costs
/// per member per meeting in the period, for the panel's coordinators.
pub async fn compensation(
    State(st): State<AppState>,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Response {
    let user = match state::user_in_headers(&st, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return failure(&AppError::NotLoggedIn),
        Err(e) => return failure(&e),
    };
    match app::backend::meetings::compensation::export_csv(&st.db, &user, &period.from, &period.to)
        .await
    {
        Ok(body) => {
            let mut response = body.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(value) = HeaderValue::from_str(&format!(
                "attachment; filename=\"vergoedingen-{}-{}.csv\"",
                period
                    .from
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', ""),
                period
                    .to
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
            )) {
                h.insert(header::CONTENT_DISPOSITION, value);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(e) => failure(&e),
    }
}

/// Which language an infographic download is in: `?lang=en`, else Dutch.
#[derive(serde::Deserialize)]
pub struct LanguageQuery {
    lang: Option<String>,
}

/// `GET /infographics/{id}.svg` and `/infographics/{id}.png`: a published infographic,
/// for anyone (it is public, like its page). The PNG is drawn on the server with the
/// bundled font, off the async threads, bounded (see `drawing`).
pub async fn infographic(
    State(st): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Response {
    use app::backend::{feedback, feedback::render};
    let (id, extension) = match file.rsplit_once('.') {
        Some((id, ext @ ("svg" | "png"))) => (id, ext),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let graphic = match feedback::infographic::published_by_id(&st.db, id).await {
        Ok(g) => g,
        Err(e) => return failure(&e),
    };
    let labels = if query.lang.as_deref() == Some("en") {
        &render::EN
    } else {
        &render::NL
    };
    let svg = render::svg(&graphic, labels);
    let (body, content_type) = if extension == "svg" {
        (svg.into_bytes(), "image/svg+xml; charset=utf-8")
    } else {
        use crate::drawing::{DrawError, Drawer};
        match Drawer::infographics().picture(&svg).await {
            Ok(png) => (png.as_ref().clone(), "image/png"),
            Err(DrawError::Busy) => {
                tracing::warn!(id, "too many infographic pictures asked for at once");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "5")],
                    "Het is even te druk. Probeer het over een paar seconden opnieuw.",
                )
                    .into_response();
            }
            Err(DrawError::Failed(e)) => {
                tracing::error!(error = %e, id, "drawing infographic");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "inline; filename=\"terugkoppeling-{id}.{extension}\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
