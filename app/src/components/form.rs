//! Form pieces: labelled fields with their hint and error, and error messages.

use crate::domain::Problem;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A problem with a field, as a sentence in the current language.
pub fn problem_view(i18n: I18nContext<Locale>, problem: Problem) -> AnyView {
    match problem {
        Problem::Required => t!(i18n, problem.required).into_any(),
        Problem::TooLong { max } => t!(i18n, problem.too_long, max = move || max).into_any(),
        Problem::TooShort { min } => t!(i18n, problem.too_short, min = move || min).into_any(),
        Problem::InvalidEmail => t!(i18n, problem.invalid_email).into_any(),
        Problem::InvalidSlug => t!(i18n, problem.invalid_slug).into_any(),
        Problem::ControlCharacters => t!(i18n, problem.control_characters).into_any(),
        Problem::PasswordsDiffer => t!(i18n, problem.passwords_differ).into_any(),
        Problem::Taken => t!(i18n, problem.taken).into_any(),
    }
}

/// An error that is not about one field, as a sentence in the current language.
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) => t_string!(i18n, setup.check_fields).to_string(),
        AppError::NotLoggedIn => t_string!(i18n, errors.not_logged_in).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::WrongCredentials => t_string!(i18n, login.wrong).to_string(),
        AppError::SetupLinkInvalid => t_string!(i18n, setup.invalid_link).to_string(),
        AppError::Unexpected => t_string!(i18n, errors.unexpected).to_string(),
        AppError::Connection(_) => t_string!(i18n, errors.connection).to_string(),
    }
}

/// A message box for an error, announced to screen readers.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" aria-live="assertive">
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="notice notice--error">
                                <span class="notice__icon" aria-hidden="true">"!"</span>
                                {error_text(i18n, &e)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The label, hint and error above a field; `aria-describedby` for the field names the
/// hint and, when there is one, the error.
fn field_parts(
    name: &'static str,
    label: Signal<String>,
    hint: Option<Signal<String>>,
    problem: Signal<Option<Problem>>,
) -> (
    impl IntoView,
    impl Fn() -> Option<String> + Send + Sync + 'static,
) {
    let i18n = use_i18n();
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let has_hint = hint.is_some();
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if problem.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let parts = view! {
        <label for=name>{move || label.get()}</label>
        {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{move || h.get()}</p> })}
        <p class="field__error" id=error_id hidden=move || problem.get().is_none()>
            {move || problem.get().map(|p| problem_view(i18n, p))}
        </p>
    };
    (parts, described_by)
}

/// A labelled input with an optional hint and the problem the server found with it.
#[component]
pub fn TextField(
    /// The form field name, also used as the element id.
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let (parts, described_by) = field_parts(name, label, hint, problem);
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            {parts}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                maxlength=maxlength
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described_by
            />
        </div>
    }
}

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 6)] rows: u32,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let (parts, described_by) = field_parts(name, label, hint, problem);
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            {parts}
            <textarea
                id=name
                name=name
                rows=rows
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                {value}
            </textarea>
        </div>
    }
}
