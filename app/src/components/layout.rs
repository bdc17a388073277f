//! The frame around every page: skip link, header with navigation by role, footer.

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
                                    view! {
                                        <ul class="site-nav__list">
                                            <li><A href="/home">{t!(i18n, nav.home)}</A></li>
                                            <li><A href="/questions">{t!(i18n, nav.questions)}</A></li>
                                            <li><A href="/meetings">{t!(i18n, nav.meetings)}</A></li>
                                            <li><A href="/themes">{t!(i18n, nav.themes)}</A></li>
                                            <li>
                                                <A href="/notifications">
                                                    {t!(i18n, nav.notifications)}
                                                    {(unread_count > 0).then(|| view! {
                                                        " " <span class="count" aria-hidden="true" id="unread-count">{unread_count}</span>
                                                        <span class="visually-hidden">" (" {t!(i18n, nav.unread, n = unread_count)} ")"</span>
                                                    })}
                                                </A>
                                            </li>
                                            {coordinator.then(|| view! { <li><A href="/people">{t!(i18n, nav.people)}</A></li> })}
                                            <li><A href="/agreements">{t!(i18n, nav.agreements)}</A></li>
                                            <li><A href=panel_href>{t!(i18n, nav.panel_page)}</A></li>
                                            <li><A href="/profile">{t!(i18n, nav.profile)}</A></li>
                                        </ul>
                                        <p class="site-nav__who">
                                            <span class="visually-hidden">
                                                {t!(i18n, nav.logged_in_as, name = user.display_name.clone())}
                                            </span>
                                            <span aria-hidden="true">{user.display_name.clone()}</span>
                                            <span class="badge"><RoleName role=user.role /></span>
                                        </p>
                                        <ActionForm action=auth.logout attr:class="inline-form">
                                            <button type="submit" class="button button--quiet">
                                                {t!(i18n, nav.logout)}
                                            </button>
                                        </ActionForm>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <ul class="site-nav__list">
                                            <li><A href="/login">{t!(i18n, nav.login)}</A></li>
                                        </ul>
                                    }
                                        .into_any()
                                }
                            })
                        }}
                    </Transition>
                    <LanguageSwitch />
                </nav>
            </div>
        </header>
    }
}

/// Switches between Dutch and English. Needs JavaScript (the choice is kept in a cookie).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let is = move |l: Locale| i18n.get_locale() == l;
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, nav.language)>
            <button
                type="button"
                lang="nl"
                class="lang-switch__option"
                aria-pressed=move || is(Locale::nl).to_string()
                on:click=move |_| i18n.set_locale(Locale::nl)
            >
                "Nederlands"
            </button>
            <button
                type="button"
                lang="en"
                class="lang-switch__option"
                aria-pressed=move || is(Locale::en).to_string()
                on:click=move |_| i18n.set_locale(Locale::en)
            >
                "English"
            </button>
        </div>
    }
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
