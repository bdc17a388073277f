use crate::api::{
    ChangePassword, DisableSecondFactor, LogOutEverywhere, RequestEmailChange, SaveProfile,
};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SelectField, SuccessNote, TextArea,
    TextField,
};
use crate::components::layout::RoleName;
use crate::domain::DisplayName;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::Profile;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// One's own account: name, language, notifications, e-mail address, password, sessions.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let email = ServerAction::<RequestEmailChange>::new();
    let password = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let profile = Resource::new(
        move || {
            (
                save.version().get(),
                email.version().get(),
                password.version().get(),
                disable.version().get(),
            )
        },
        |_| crate::api::load_profile(),
    );
    // After saving, the interface follows the language chosen here.
    Effect::new(move || {
        if let (Some(Ok(p)), true) = (profile.get(), save.version().get_untracked() > 0) {
            let locale = p.language.locale();
            if i18n.get_locale_untracked() != locale {
                i18n.set_locale(locale);
            }
        }
    });

    view! {
        <Title text=t_string!(i18n, profile.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, profile.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    profile
                        .get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(p) => {
                                view! {
                                    <p>
                                        <span class="badge"><RoleName role=p.role /></span>
                                        " " {p.email.clone()}
                                    </p>
                                    <AboutSection p=p.clone() save />
                                    <EmailSection pending=p.pending_email.clone() email />
                                    <PasswordSection password />
                                    <SecondFactorSection on=p.second_factor disable />
                                    <SessionsSection other_sessions=p.other_sessions everywhere />
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// Name, language, notifications and (coordinators) contact details.
#[component]
fn AboutSection(p: Profile, save: ServerAction<SaveProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = action_error(save);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    let languages = Signal::derive(|| {
        vec![
            ("nl".to_string(), "Nederlands".to_string()),
            ("en".to_string(), "English".to_string()),
        ]
    });
    let notify_options = Signal::derive(move || {
        vec![
            (
                "immediately".to_string(),
                t_string!(i18n, profile.notify_immediately).to_string(),
            ),
            (
                "weekly".to_string(),
                t_string!(i18n, profile.notify_weekly).to_string(),
            ),
            (
                "off".to_string(),
                t_string!(i18n, profile.notify_off).to_string(),
            ),
        ]
    });
    view! {
        <section class="section" aria-labelledby="about-heading">
            <h2 id="about-heading">{t!(i18n, profile.about_heading)}</h2>
            <ErrorBox error=save_error />
            <SuccessNote show=action_done(save)>{t!(i18n, profile.saved)}</SuccessNote>
            <PostForm action=save attr:class="form" attr:novalidate=true>
                <TextField
                    name="display_name"
                    autocomplete="nickname"
                    label=label(|i| t_string!(i, invite.display_name).to_string())
                    hint=label(|i| t_string!(i, invite.display_name_hint).to_string())
                    value=p.display_name.clone()
                    maxlength=DisplayName::MAX
                    problem=field_problem(save_error, "display_name")
                />
                <SelectField
                    name="language"
                    label=label(|i| t_string!(i, profile.language).to_string())
                    options=languages
                    selected=p.language.as_str().to_string()
                    problem=field_problem(save_error, "language")
                />
                <SelectField
                    name="notify"
                    label=label(|i| t_string!(i, profile.notify).to_string())
                    hint=label(|i| t_string!(i, profile.notify_hint).to_string())
                    options=notify_options
                    selected=p.notify.as_str().to_string()
                    problem=field_problem(save_error, "notify")
                />
                {p.contact_info.clone().map(|info| view! {
                    <TextArea
                        name="contact_info"
                        label=label(|i| t_string!(i, profile.contact_info).to_string())
                        hint=label(|i| t_string!(i, profile.contact_info_hint).to_string())
                        value=info
                        rows=3
                        problem=field_problem(save_error, "contact_info")
                    />
                })}
                <button type="submit" class="button button--primary">{t!(i18n, profile.save)}</button>
            </PostForm>
        </section>
    }
}

/// A new e-mail address, confirmed by a link sent to it.
#[component]
fn EmailSection(pending: Option<String>, email: ServerAction<RequestEmailChange>) -> impl IntoView {
    let i18n = use_i18n();
    let email_error = action_error(email);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    view! {
        <section class="section" aria-labelledby="email-heading">
            <h2 id="email-heading">{t!(i18n, profile.email_heading)}</h2>
            {pending.map(|e| view! {
                <p class="notice notice--info">
                    <span class="notice__icon" aria-hidden="true">"i"</span>
                    <span>{t!(i18n, profile.email_pending, email = e.clone())}</span>
                </p>
            })}
            <ErrorBox error=email_error />
            <PostForm action=email attr:class="form" attr:novalidate=true>
                <TextField
                    name="new_email"
                    kind="email"
                    autocomplete="email"
                    label=label(|i| t_string!(i, profile.new_email).to_string())
                    hint=label(|i| t_string!(i, profile.new_email_hint).to_string())
                    problem=field_problem(email_error, "new_email")
                />
                <TextField
                    name="email_password"
                    kind="password"
                    autocomplete="current-password"
                    label=label(|i| t_string!(i, profile.current_password).to_string())
                    problem=field_problem(email_error, "email_password")
                />
                <button type="submit" class="button">{t!(i18n, profile.change_email)}</button>
            </PostForm>
        </section>
    }
}

/// A new password, with the current one.
#[component]
fn PasswordSection(password: ServerAction<ChangePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let password_error = action_error(password);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    view! {
        <section class="section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, profile.password_heading)}</h2>
            <ErrorBox error=password_error />
            <SuccessNote show=action_done(password)>{t!(i18n, profile.password_changed)}</SuccessNote>
            <PostForm action=password attr:class="form" attr:novalidate=true>
                <TextField
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    label=label(|i| t_string!(i, profile.current_password).to_string())
                    problem=field_problem(password_error, "current_password")
                />
                <TextField
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    label=label(|i| t_string!(i, reset.password).to_string())
                    hint=label(|i| t_string!(i, setup.password_hint).to_string())
                    problem=field_problem(password_error, "password")
                />
                <TextField
                    name="password_repeat"
                    kind="password"
                    autocomplete="new-password"
                    label=label(|i| t_string!(i, setup.password_repeat).to_string())
                    problem=Signal::derive(|| None)
                />
                <button type="submit" class="button">{t!(i18n, profile.change_password)}</button>
            </PostForm>
        </section>
    }
}

/// The second factor: turn it on, replace it, or turn it off with the password.
#[component]
fn SecondFactorSection(on: bool, disable: ServerAction<DisableSecondFactor>) -> impl IntoView {
    let i18n = use_i18n();
    let disable_error = action_error(disable);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    view! {
        <section class="section" aria-labelledby="second-factor-heading">
            <h2 id="second-factor-heading">{t!(i18n, second_factor.heading)}</h2>
            {if on {
                view! {
                    <p class="notice notice--success">
                        <span class="notice__icon" aria-hidden="true">"✓"</span>
                        <span>{t!(i18n, second_factor.is_on)}</span>
                    </p>
                    <ErrorBox error=disable_error />
                    <PostForm action=disable attr:class="form" attr:novalidate=true>
                        <TextField
                            name="second_factor_password"
                            kind="password"
                            autocomplete="current-password"
                            label=label(|i| t_string!(i, profile.current_password).to_string())
                            problem=field_problem(disable_error, "second_factor_password")
                        />
                        <button type="submit" class="button">{t!(i18n, second_factor.turn_off)}</button>
                    </PostForm>
                    <p><a href="/second-factor">{t!(i18n, second_factor.replace_title)}</a></p>
                }
                    .into_any()
            } else {
                view! {
                    <p>{t!(i18n, second_factor.is_off)}</p>
                    <p><a class="button" href="/second-factor">{t!(i18n, second_factor.turn_on)}</a></p>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Log out on every other device.
#[component]
fn SessionsSection(
    other_sessions: i64,
    everywhere: ServerAction<LogOutEverywhere>,
) -> impl IntoView {
    let i18n = use_i18n();
    let everywhere_error = action_error(everywhere);
    view! {
        <section class="section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(i18n, profile.sessions_heading)}</h2>
            <p>{t!(i18n, profile.other_sessions, n = other_sessions)}</p>
            <ErrorBox error=everywhere_error />
            <PostForm action=everywhere attr:class="form">
                <button type="submit" class="button">{t!(i18n, profile.log_out_everywhere)}</button>
            </PostForm>
        </section>
    }
}
