//! Klankbord: the web app shared by server (SSR) and browser (hydration).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod lifecycle;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

#[allow(deprecated)]
mod translations {
    leptos_i18n::load_locales!();
}
pub use translations::i18n;

use crate::api::Logout;
use crate::components::layout::{Footer, Header};
use crate::error::AppError;
use crate::i18n::I18nContextProvider;
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server.
///
/// Pages are plain HTML and forms: no page has an island yet, so none loads the wasm or
/// any script, and the data the page was rendered from is not repeated in it for a
/// hydration that never comes. The first `#[island]` brings `<HydrationScripts islands=true />`
/// back (docs/decisions.md, "Islands").
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only from our own origin or with this response's nonce (Leptos puts it on
/// its inline scripts); WebAssembly may compile. Replaces the header-only default policy.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Login state shared by the header and the pages: the logout action and the current
/// user, fetched again on every navigation (so a login, logout or ended session shows at
/// once).
#[derive(Clone, Copy)]
pub struct Auth {
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Dutch unless the person picked English: the browser's language is not consulted.
    let no_header_language =
        leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(|| None);

    view! {
        <I18nContextProvider ssr_lang_header_getter=no_header_language>
            <AppBody />
        </I18nContextProvider>
    }
}

/// The page's own description for search engines and link previews, when it has one
/// (otherwise the site's).
#[derive(Clone, Copy)]
struct PageDescription(RwSignal<Option<String>>);

/// Describes the page being rendered (its `<meta name="description">`).
pub fn describe_page(text: String) {
    if let Some(PageDescription(description)) = use_context::<PageDescription>() {
        description.set(Some(text));
    }
}

/// Where the stylesheet and the icon are: under their content-hashed names, which the
/// server knows (`server/src/assets.rs`).
fn asset_hrefs() -> (String, String) {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<backend::platform::state::AppState>() {
        return (
            state.settings.stylesheet_href.clone(),
            state.settings.icon_href.clone(),
        );
    }
    ("/pkg/klankbord.css".to_string(), "/favicon.svg".to_string())
}

#[component]
fn AppBody() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let description = RwSignal::new(None::<String>);
    provide_context(PageDescription(description));
    let (stylesheet, icon) = asset_hrefs();
    view! {
        <Stylesheet id="leptos" href=stylesheet />
        <Link rel="icon" type_="image/svg+xml" href=icon />
        <Meta name="theme-color" content="#0b5d56" />
        <Meta
            name="description"
            content=move || {
                description
                    .get()
                    .unwrap_or_else(|| crate::i18n::t_string!(i18n, meta_description).to_string())
            }
        />
        <Title formatter=|text: String| {
            if text.is_empty() { "Klankbord".to_string() } else { format!("{text} · Klankbord") }
        } />
        <Router>
            <Frame />
        </Router>
    }
}

/// Everything inside the router: header, the page, footer.
#[component]
fn Frame() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let location = use_location();
    let user = Resource::new(
        move || (location.pathname.get(), logout.version().get()),
        |_| api::me(),
    );
    provide_context(Auth { logout, user });

    view! {
        <Header />
        <main id="main" tabindex="-1">
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("") view=pages::landing::LandingPage ssr=SsrMode::Async />
                <Route path=path!("p/:slug") view=pages::panel::PanelPage ssr=SsrMode::Async />
                <Route path=path!("p/:slug/feedback/:id") view=pages::feedback::PublicInfographicPage ssr=SsrMode::Async />
                <Route path=path!("login") view=pages::login::LoginPage ssr=SsrMode::Async />
                <Route path=path!("setup/:token") view=pages::setup::SetupPage ssr=SsrMode::Async />
                <Route path=path!("home") view=pages::home::HomePage ssr=SsrMode::Async />
                <Route path=path!("invite/:token") view=pages::invite::InvitePage ssr=SsrMode::Async />
                <Route path=path!("agreements") view=pages::agreements::AgreementsPage ssr=SsrMode::Async />
                <Route path=path!("forgot") view=pages::reset::ForgotPage ssr=SsrMode::Async />
                <Route path=path!("reset/:token") view=pages::reset::ResetPage ssr=SsrMode::Async />
                <Route path=path!("email/:token") view=pages::reset::ConfirmEmailPage ssr=SsrMode::Async />
                <Route path=path!("login/code") view=pages::second_factor::LoginCodePage ssr=SsrMode::Async />
                <Route path=path!("second-factor") view=pages::second_factor::SecondFactorPage ssr=SsrMode::Async />
                <Route path=path!("profile") view=pages::profile::ProfilePage ssr=SsrMode::Async />
                <Route path=path!("questions") view=pages::questions::QuestionsPage ssr=SsrMode::Async />
                <Route path=path!("questions/new") view=pages::questions::QuestionFormPage ssr=SsrMode::Async />
                <Route path=path!("questions/:id") view=pages::questions::QuestionPage ssr=SsrMode::Async />
                <Route path=path!("questions/:id/edit") view=pages::questions::QuestionFormPage ssr=SsrMode::Async />
                <Route path=path!("questions/:id/feedback") view=pages::feedback::FeedbackPage ssr=SsrMode::Async />
                <Route path=path!("questions/:id/infographic") view=pages::feedback::InfographicEditorPage ssr=SsrMode::Async />
                <Route path=path!("themes") view=pages::themes::ThemesPage ssr=SsrMode::Async />
                <Route path=path!("impact") view=pages::impact::ImpactOverviewPage ssr=SsrMode::Async />
                <Route path=path!("meetings") view=pages::meetings::MeetingsPage ssr=SsrMode::Async />
                <Route path=path!("meetings/:id") view=pages::meetings::MeetingPage ssr=SsrMode::Async />
                <Route path=path!("notifications") view=pages::notifications::NotificationsPage ssr=SsrMode::Async />
                <Route path=path!("people") view=pages::people::PeoplePage ssr=SsrMode::Async />
                <Route path=path!("people/log") view=pages::people::AuditLogPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <Footer />
    }
}
