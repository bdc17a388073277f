use crate::api::{RequestReset, ResetPassword};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SuccessNote, TextField,
};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "Wachtwoord vergeten": asks for a reset mail. The answer is the same for every
/// address, so nobody learns who has an account.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestReset>::new();
    let error = action_error(request);
    let query = leptos_router::hooks::use_query_map();
    let done = action_done(request);
    let sent = Signal::derive(move || done.get() || query.read().get("sent").is_some());
    let pending = request.pending();

    view! {
        <Title text=t_string!(i18n, reset.forgot_title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, reset.forgot_title)}</h1>
            <p>{t!(i18n, reset.forgot_intro)}</p>
            <ErrorBox error />
            <SuccessNote show=sent>{t!(i18n, reset.sent)}</SuccessNote>
            <PostForm action=request attr:class="form" attr:novalidate=true>
                <TextField
                    name="email"
                    kind="email"
                    autocomplete="username"
                    label=Signal::derive(move || t_string!(i18n, login.email).to_string())
                    problem=field_problem(error, "email")
                />
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {t!(i18n, reset.send)}
                </button>
            </PostForm>
            <p><a href="/login">{t!(i18n, reset.back_to_login)}</a></p>
        </section>
    }
}

/// The link in the reset mail leads here: choose a new password, and be logged in.
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPassword>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, crate::api::check_reset_link);
    let error = action_error(reset);
    let pending = reset.pending();
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));

    view! {
        <Title text=t_string!(i18n, reset.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, reset.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    valid
                        .get()
                        .map(|valid| match valid {
                            Err(e) => view! {
                                {crate::pages::respond_error(&e)}
                                <ErrorBox error=Some(e) />
                                <p><a href="/forgot">{t!(i18n, reset.new_link)}</a></p>
                            }
                                .into_any(),
                            Ok(()) => view! {
                                <p>{t!(i18n, reset.intro)}</p>
                                <ErrorBox error />
                                <PostForm action=reset attr:class="form" attr:novalidate=true>
                                    <input type="hidden" name="token" value=token() />
                                    <TextField
                                        name="password"
                                        kind="password"
                                        autocomplete="new-password"
                                        label=label(|i| t_string!(i, reset.password).to_string())
                                        hint=label(|i| t_string!(i, setup.password_hint).to_string())
                                        problem=field_problem(error, "password")
                                    />
                                    <TextField
                                        name="password_repeat"
                                        kind="password"
                                        autocomplete="new-password"
                                        label=label(|i| t_string!(i, setup.password_repeat).to_string())
                                        problem=Signal::derive(|| None)
                                    />
                                    <button type="submit" class="button button--primary" disabled=move || pending.get()>
                                        {t!(i18n, reset.submit)}
                                    </button>
                                </PostForm>
                            }
                                .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The link in an e-mail change mail leads here; a button confirms (a link alone must
/// not change anything: mail scanners open links).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<crate::api::ConfirmEmail>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let error = action_error(confirm);
    let done = action_done(confirm);

    view! {
        <Title text=t_string!(i18n, email_change.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, email_change.title)}</h1>
            <ErrorBox error />
            <Show
                when=move || done.get()
                fallback=move || view! {
                    <p>{t!(i18n, email_change.intro)}</p>
                    <PostForm action=confirm attr:class="form">
                        <input type="hidden" name="token" value=token() />
                        <button type="submit" class="button button--primary">{t!(i18n, email_change.confirm)}</button>
                    </PostForm>
                }
            >
                <p class="notice notice--success" role="status">
                    <span class="notice__icon" aria-hidden="true">"✓"</span>
                    <span>{t!(i18n, email_change.done)}</span>
                </p>
                <p><a href="/profile">{t!(i18n, email_change.to_profile)}</a></p>
            </Show>
        </section>
    }
}
