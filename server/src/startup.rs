//! Building the app: database, state, routes and layers; serving with graceful shutdown.

use crate::assets::Assets;
use crate::config::Settings;
use app::backend::platform::db::{Db, DbError, DbOptions};
use app::backend::platform::state::{AppSettings, AppState};
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::config::get_configuration;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use secrecy::ExposeSecret;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the Leptos site settings are not valid: {0}")]
    Leptos(String),
    #[error("cannot listen on {addr}: {source}. Is another program using that port? Choose another with --listen or KLANKBORD_LISTEN")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
    #[error("e-mail settings: {0}")]
    Mail(#[from] app::backend::platform::mail::MailError),
}

/// Connects to the database and brings its schema up to date.
pub async fn open_database(settings: &Settings) -> Result<Db, StartError> {
    let options = DbOptions {
        max_connections: settings.db_max_connections,
        ..DbOptions::default()
    };
    let db = Db::connect(settings.database_url.expose_secret(), &options).await?;
    db.migrate().await?;
    tracing::info!(backend = db.backend().name(), "database ready");
    Ok(db)
}

/// The whole web app as an axum router.
pub fn router(db: Db, settings: &Settings) -> Result<Router, StartError> {
    let conf = get_configuration(None).map_err(|e| StartError::Leptos(e.to_string()))?;
    let leptos_options = conf.leptos_options;
    let assets = Assets::load(std::path::Path::new(leptos_options.site_root.as_ref()))
        .map_err(|e| StartError::Leptos(format!("cannot read the site's files: {e}")))?;
    let state = AppState {
        db,
        settings: Arc::new(AppSettings {
            public_url: settings.public_url(),
            client_ip_header: settings.client_ip_header.clone(),
            stylesheet_href: assets.hashed(&format!(
                "/{}/{}.css",
                leptos_options.site_pkg_dir, leptos_options.output_name
            )),
            icon_href: assets.hashed("/favicon.svg"),
        }),
        leptos_options: leptos_options.clone(),
    };
    let routes = route_list();
    let public_origin = crate::security::origin_of(&settings.public_url());
    let https = public_origin.starts_with("https://");
    let memory_db = state.db.clone();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/language/{code}",
            get(move |code, query| crate::forms::language(https, code, query)),
        )
        .route("/meetings/{id}/ics", get(crate::downloads::meeting))
        .route("/calendar/{file}", get(crate::downloads::feed))
        .route("/infographics/{file}", get(crate::downloads::infographic))
        .route(
            "/export/compensation.csv",
            get(crate::downloads::compensation),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            || leptos::prelude::provide_context(app::backend::platform::state::PageUser::default()),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback({
            let not_found = leptos_axum::file_and_error_handler::<AppState, _>(shell);
            move |uri: axum::http::Uri, state: State<AppState>, request: axum::extract::Request| {
                let assets = assets.clone();
                let not_found = not_found.clone();
                async move {
                    if assets.has(uri.path()) {
                        assets.serve(&uri, request.headers()).await
                    } else {
                        not_found(uri, state, request).await.into_response()
                    }
                }
            }
        })
        .layer(middleware::from_fn({
            let running = crate::finish::Running::new(crate::finish::AT_ONCE);
            move |request, next| crate::finish::to_the_end(running.clone(), request, next)
        }))
        // A render that panics (a fault, never an answer we mean) still gets an answer,
        // with the security headers below, instead of a dropped connection.
        .layer(CatchPanicLayer::custom(answer_panic))
        .layer(middleware::from_fn(move |request, next| {
            crate::forms::remember(memory_db.clone(), https, request, next)
        }))
        .layer(middleware::from_fn(crate::security::limit_body))
        .layer(middleware::from_fn(move |request, next| {
            crate::security::check_origin(public_origin.clone(), request, next)
        }))
        .layer(middleware::from_fn(move |request, next| {
            crate::security::security_headers(https, request, next)
        }))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    Ok(router)
}

/// The answer to a request whose handler panicked: 500 with a short apology in Dutch and
/// English; the panic itself is logged.
fn answer_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = what, "a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        "Er ging iets mis aan onze kant. Probeer het opnieuw. / Something went wrong on our side. Please try again.",
    )
        .into_response()
}

/// Work that runs beside the web server on every instance: the mail worker, hourly
/// clean-up of ended sessions and old rate-limit attempts, and the weekly digests,
/// meeting reminders and feedback reminders (looked for every 10 minutes; each is
/// claimed once). Abort the handles to stop.
pub fn spawn_background(
    db: Db,
    settings: &Settings,
) -> Result<Vec<tokio::task::JoinHandle<()>>, StartError> {
    let mailer = app::backend::platform::mail::Mailer::new(&settings.smtp.mail_settings())?;
    let mail = tokio::spawn(mailer.run(db.clone()));
    let db_for_digest = db.clone();
    let housekeeping = tokio::spawn(async move {
        loop {
            match app::backend::platform::auth::purge_expired_sessions(&db).await {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "ended sessions removed"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot remove ended sessions"),
            }
            if let Err(error) = app::backend::platform::limits::purge(&db).await {
                tracing::warn!(%error, "cannot remove old attempts");
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    let public_url = settings.public_url();
    let digest_db = db_for_digest;
    let digests = tokio::spawn(async move {
        // Questions written before the search index existed get indexed once.
        match app::backend::platform::search::index_missing(&digest_db).await {
            Ok(n) if n > 0 => tracing::info!(questions = n, "questions added to the search index"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot index questions"),
        }
        loop {
            let at = app::backend::platform::db::now();
            match app::backend::platform::notify::send_digests(&digest_db, &public_url, at).await {
                Ok(n) if n > 0 => tracing::info!(digests = n, "weekly digests queued"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot send weekly digests"),
            }
            match app::backend::meetings::reminders::send_reminders(&digest_db, &public_url, at)
                .await
            {
                Ok(n) if n > 0 => tracing::info!(meetings = n, "meeting reminders queued"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot send meeting reminders"),
            }
            match app::backend::feedback::reminders::send_reminders(&digest_db, &public_url, at)
                .await
            {
                Ok(n) if n > 0 => tracing::info!(reminders = n, "feedback reminders queued"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot send feedback reminders"),
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
    Ok(vec![mail, housekeeping, digests])
}

/// The app's routes, worked out once per process. Leptos suppresses resource loading
/// process-wide while it generates the list, so generating it while another router in the
/// same process renders a page can leave that render waiting forever.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database_ok = tokio::time::timeout(Duration::from_secs(2), state.db.ping())
        .await
        .unwrap_or(false);
    let body = Json(serde_json::json!({
        "status": if database_ok { "ok" } else { "unavailable" },
        "database": if database_ok { "ok" } else { "unreachable" },
        "backend": state.db.backend().name(),
    }));
    if database_ok {
        (StatusCode::OK, body)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

pub async fn bind(settings: &Settings) -> Result<TcpListener, StartError> {
    TcpListener::bind(settings.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: settings.listen.to_string(),
            source,
        })
}

/// Serves until `shutdown` completes; requests in flight are finished first.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartError::Serve)
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
