use crate::api::Login;
use crate::components::form::PostForm;
use crate::components::form::{ErrorBox, TextField};
use crate::i18n::*;
use crate::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

/// Works without JavaScript: the form posts to the server function and the server
/// redirects to the home page (or back here with the error).
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let pending = login.pending();
    let no_problem = Signal::derive(|| None);

    view! {
        <Title text=t_string!(i18n, login.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <Transition fallback=|| ()>
                {move || {
                    auth.user
                        .get()
                        .and_then(|u| u.ok().flatten())
                        .map(|_| {
                            view! {
                                <p class="notice notice--info">
                                    <span class="notice__icon" aria-hidden="true">"i"</span>
                                    <span>
                                        {t!(i18n, login.already)}" "
                                        <a href="/home">{t!(i18n, login.to_home)}</a>
                                    </span>
                                </p>
                            }
                        })
                }}
            </Transition>
            <p>{t!(i18n, login.intro)}</p>
            <ErrorBox error />
            <PostForm action=login attr:class="form" attr:novalidate=true>
                <TextField
                    name="email"
                    kind="email"
                    autocomplete="username"
                    label=Signal::derive(move || t_string!(i18n, login.email).to_string())
                    problem=no_problem
                />
                <TextField
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    label=Signal::derive(move || t_string!(i18n, login.password).to_string())
                    problem=no_problem
                />
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {move || if pending.get() { t_string!(i18n, login.busy) } else { t_string!(i18n, login.submit) }}
                </button>
            </PostForm>
            <p><a href="/forgot">{t!(i18n, login.forgot)}</a></p>
        </section>
    }
}
