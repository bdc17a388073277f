use crate::api::{ConfirmSecondFactor, ReplaceSecondFactor, VerifyLoginCode};
use crate::components::form::PostForm;
use crate::components::form::{action_error, field_problem, ErrorBox, TextField};
use crate::domain::Problem;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::Enrolment;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// After a right password: the six-digit code from the authenticator app.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyLoginCode>::new();
    let error = action_error(verify);
    let pending = verify.pending();
    view! {
        <Title text=t_string!(i18n, second_factor.code_title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, second_factor.code_title)}</h1>
            <p>{t!(i18n, second_factor.code_intro)}</p>
            <ErrorBox error />
            <PostForm action=verify attr:class="form" attr:novalidate=true>
                <CodeField problem=field_problem(error, "code") />
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {t!(i18n, second_factor.code_submit)}
                </button>
            </PostForm>
            <p class="small">{t!(i18n, second_factor.lost_phone)}</p>
        </section>
    }
}

#[component]
fn CodeField(#[prop(into)] problem: Signal<Option<crate::domain::Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name="code"
            kind="text"
            autocomplete="one-time-code"
            label=Signal::derive(move || t_string!(i18n, second_factor.code).to_string())
            hint=Signal::derive(move || t_string!(i18n, second_factor.code_hint).to_string())
            maxlength=7
            problem
        />
    }
}

/// Setting up the second factor: scan the QR code (or type the key) and confirm with a
/// code. Also where a panel that requires it sends people who have none yet. Loading the
/// page shows the same secret every time until it is confirmed; someone who has a second
/// factor already first gives their password or current code to get a new one.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let replace = ServerAction::<ReplaceSecondFactor>::new();
    let enrolment = Resource::new(|| (), |_| crate::api::start_second_factor());
    let error = action_error(confirm);
    let replace_error = action_error(replace);
    let replaced = crate::components::form::action_output(replace);
    view! {
        <Title text=t_string!(i18n, second_factor.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, second_factor.title)}</h1>
            <p>{t!(i18n, second_factor.intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    // A new secret after the password or code wins over what the page loaded.
                    if let Some(e) = replaced.get() {
                        return Some(view! { <EnrolmentSteps enrolment=e confirm error /> }.into_any());
                    }
                    enrolment
                        .get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) if e.problem_for("second_factor_current") == Some(Problem::SecondFactorOn) => {
                                view! {
                                    <h2>{t!(i18n, second_factor.replace_title)}</h2>
                                    <p>{t!(i18n, problem.second_factor_on)}</p>
                                    <ErrorBox error=replace_error />
                                    <PostForm action=replace attr:class="form" attr:novalidate=true>
                                        <TextField
                                            name="second_factor_current"
                                            kind="password"
                                            autocomplete="current-password"
                                            label=Signal::derive(move || t_string!(i18n, second_factor.current).to_string())
                                            problem=field_problem(replace_error, "second_factor_current")
                                        />
                                        <button type="submit" class="button button--primary">
                                            {t!(i18n, second_factor.replace)}
                                        </button>
                                    </PostForm>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(e) => view! { <EnrolmentSteps enrolment=e confirm error /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The QR code, the key and the form for the first code.
#[component]
fn EnrolmentSteps(
    enrolment: Enrolment,
    confirm: ServerAction<ConfirmSecondFactor>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = enrolment;
    let view_box = format!("0 0 {0} {0}", e.qr_size);
    view! {
        <ol class="steps">
            <li>{t!(i18n, second_factor.step_app)}</li>
            <li>
                {t!(i18n, second_factor.step_scan)}
                <figure class="qr">
                    <svg
                        viewBox=view_box
                        width="220"
                        height="220"
                        role="img"
                        aria-label=move || t_string!(i18n, second_factor.qr_label)
                        shape-rendering="crispEdges"
                    >
                        <rect width="100%" height="100%" fill="#ffffff" />
                        <path d=e.qr_path.clone() fill="#000000" />
                    </svg>
                </figure>
                <p>{t!(i18n, second_factor.key)} " " <code class="secret" data-secret="">{e.secret.clone()}</code></p>
                <p><a href=e.uri.clone()>{t!(i18n, second_factor.open_app)}</a></p>
            </li>
            <li>{t!(i18n, second_factor.step_code)}</li>
        </ol>
        <ErrorBox error />
        <PostForm action=confirm attr:class="form" attr:novalidate=true>
            <CodeField problem=field_problem(error, "code") />
            <button type="submit" class="button button--primary">
                {t!(i18n, second_factor.confirm)}
            </button>
        </PostForm>
    }
}
