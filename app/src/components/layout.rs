//! The frame around every page: skip link, header with navigation by role, footer.

use crate::components::form::PostForm;
use crate::domain::Role;
use crate::i18n::*;
use crate::use_auth;
use leptos::prelude::*;
use leptos_router::components::A;

/// The role as a word in the current language.
#[component]
pub fn RoleName(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    move || match role {
        Role::Member => t_string!(i18n, roles.member),
        Role::PolicyMaker => t_string!(i18n, roles.policy_maker),
        Role::Coordinator => t_string!(i18n, roles.coordinator),
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let location = leptos_router::hooks::use_location();
    // Counted again on every page change (the list page marks them read).
    let unread = Resource::new(
        move || location.pathname.get(),
        |_| crate::api::unread_notifications(),
    );

    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_link)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"K"</span>
                    <span class="brand__name">{t!(i18n, app_name)}</span>
                </a>
                <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label)>
                    <Transition fallback=|| ()>
                        {move || {
                            // Read both here, so this one Transition waits for both.
                            let unread_count = unread.get().and_then(Result::ok).unwrap_or(0);
                            auth.user.get().map(|user| match user.ok().flatten() {
                                Some(user) => {
                                    let panel_href = format!("/p/{}", user.panel.slug);
                                    let coordinator = user.role == Role::Coordinator;
                                    // The few links used most stay in view on a phone; the
                                    // rest fold into the menu (a <details>: no script).
                                    view! {
                                        <ul class="site-nav__list site-nav__main">
                                            <li><A href="/home">{t!(i18n, nav.home)}</A></li>
                                            <li><A href="/questions">{t!(i18n, nav.questions)}</A></li>
                                            <li><A href="/meetings">{t!(i18n, nav.meetings)}</A></li>
                                            <li>
                                                <A href="/notifications">
                                                    {t!(i18n, nav.notifications)}
                                                    {(unread_count > 0).then(|| view! {
                                                        " " <span class="count" aria-hidden="true" id="unread-count">{unread_count}</span>
                                                        <span class="visually-hidden">" (" {t!(i18n, nav.unread, n = unread_count)} ")"</span>
                                                    })}
                                                </A>
                                            </li>
                                        </ul>
                                        <details class="site-menu">
                                            <summary class="site-menu__button">{t!(i18n, nav.menu)}</summary>
                                            <div class="site-menu__panel">
                                                <ul class="site-nav__list site-nav__more">
                                                    <li><A href="/themes">{t!(i18n, nav.themes)}</A></li>
                                                    {(user.role != Role::Member).then(|| view! { <li><A href="/impact">{t!(i18n, nav.impact)}</A></li> })}
                                                    {coordinator.then(|| view! { <li><A href="/people">{t!(i18n, nav.people)}</A></li> })}
                                                    <li><A href="/agreements">{t!(i18n, nav.agreements)}</A></li>
                                                    <li><A href=panel_href>{t!(i18n, nav.panel_page)}</A></li>
                                                    <li><A href="/profile">{t!(i18n, nav.profile)}</A></li>
                                                </ul>
                                                <div class="site-nav__account">
                                                    <p class="site-nav__who">
                                                        <span class="visually-hidden">
                                                            {t!(i18n, nav.logged_in_as, name = user.display_name.clone())}
                                                        </span>
                                                        <span aria-hidden="true">{user.display_name.clone()}</span>
                                                        <span class="badge"><RoleName role=user.role /></span>
                                                    </p>
                                                    <PostForm action=auth.logout attr:class="inline-form">
                                                        <button type="submit" class="button button--quiet">
                                                            {t!(i18n, nav.logout)}
                                                        </button>
                                                    </PostForm>
                                                    <LanguageSwitch />
                                                </div>
                                            </div>
                                        </details>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <ul class="site-nav__list">
                                            <li><A href="/login">{t!(i18n, nav.login)}</A></li>
                                        </ul>
                                        <LanguageSwitch />
                                    }
                                        .into_any()
                                }
                            })
                        }}
                    </Transition>
                </nav>
            </div>
        </header>
    }
}

/// Switches between Dutch and English: two links that keep the choice in a cookie and
/// come back to this page (`server/src/forms.rs`), so it works without JavaScript.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let path = location.pathname.get();
        // Without the error of a form sent before: choosing a language is a new start.
        let search: Vec<String> = location
            .search
            .get()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("__"))
            .map(str::to_string)
            .collect();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{}", search.join("&"))
        }
    };
    let href = move |code: &str| format!("/language/{code}?back={}", encode_query_value(&here()));
    let current = move |l: Locale| (i18n.get_locale() == l).then_some("true");
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, nav.language)>
            <a
                href=move || href("nl")
                lang="nl"
                hreflang="nl"
                class="lang-switch__option"
                aria-current=move || current(Locale::nl)
            >
                "Nederlands"
            </a>
            <a
                href=move || href("en")
                lang="en"
                hreflang="en"
                class="lang-switch__option"
                aria-current=move || current(Locale::en)
            >
                "English"
            </a>
        </div>
    }
}

/// What a query-string value keeps as it is: letters, digits and `-._~/`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a value for a query string (everything but letters, digits, `-._~/`).
pub fn encode_query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The pager of a list that walks back from its newest rows (notifications, the audit
/// log): back to the newest when not there, and on to older rows when there are.
#[component]
pub fn OlderPager(path: &'static str, older: Option<String>, at_start: bool) -> impl IntoView {
    let i18n = use_i18n();
    (older.is_some() || !at_start).then(|| {
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, paging.label)>
                {(!at_start).then(|| view! { <a href=path>{t!(i18n, paging.newest)}</a> })}
                {older.map(|at| {
                    view! { <a href=format!("{path}?at={at}") rel="next">{t!(i18n, paging.older)}</a> }
                })}
            </nav>
        }
    })
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer.text)}</p>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn query_values_keep_only_unreserved_characters_and_slashes() {
        assert_eq!(
            encode_query_value("/questions?state=open&q=jeugd zorg"),
            "/questions%3Fstate%3Dopen%26q%3Djeugd%20zorg"
        );
        assert_eq!(encode_query_value("a-b._~c"), "a-b._~c");
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }
}
