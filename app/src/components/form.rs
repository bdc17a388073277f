//! Form pieces: labelled fields with their hint and error, and error messages.

use crate::domain::Problem;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde::{Deserialize, Serialize};
use server_fn::ServerFn;

/// What a form sent without JavaScript brings back to its page (every form is sent that
/// way: pages are plain HTML). After a refusal: the values typed, so nothing is lost;
/// after success: the server function's answer (JSON), for its confirmation.
/// `server/src/forms.rs` keeps it for the next view of `page` and hands it to the render.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormMemory {
    /// The path of the page the form is on.
    pub page: String,
    /// The server function's path, e.g. `/api/save_question`.
    pub action: String,
    /// The id of the form on its page (`PostForm`), e.g. `form-review-2`.
    pub form: String,
    /// The fields as sent, without passwords and codes (empty after success).
    pub fields: Vec<(String, String)>,
    /// The answer as JSON, when the server function succeeded.
    pub output: Option<String>,
}

impl FormMemory {
    /// The value sent for a field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether a field was sent with this value (a ticked checkbox or chosen radio).
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == name && v == value)
    }
}

/// The memory of the form sent just before this page view, if this page is where it
/// came back to.
pub fn form_memory() -> Option<FormMemory> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<FormMemory>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The id of the [`PostForm`] around a field.
#[derive(Clone, Debug)]
struct FormScope(String);

/// The memory of the form around the caller, if that is the form that was sent (the
/// same form of the same record: one page may hold a form per input or recommendation).
fn own_memory() -> Option<FormMemory> {
    let FormScope(id) = use_context::<FormScope>()?;
    form_memory().filter(|m| m.form == id && m.output.is_none())
}

/// Whether the form with this id came back refused (so what holds it can stand open).
pub fn came_back(form: &str) -> bool {
    form_memory().is_some_and(|m| m.form == form && m.output.is_none())
}

/// Whether the form with this id was sent just before this page view and accepted.
pub fn sent_ok(form: &str) -> bool {
    form_memory().is_some_and(|m| m.form == form && m.output.is_some())
}

/// The value typed into this field before the form came back refused, if it did.
pub fn remembered(name: &str) -> Option<String> {
    own_memory().and_then(|m| m.field(name).map(str::to_string))
}

/// The value typed into the `index`-th (from 0) field of this name (`explanation[]`, …)
/// before the form came back refused.
pub fn remembered_nth(name: &str, index: usize) -> Option<String> {
    own_memory().and_then(|m| {
        m.fields
            .into_iter()
            .filter(|(key, _)| key == name)
            .nth(index)
            .map(|(_, value)| value)
    })
}

/// Whether a checkbox or radio was ticked when the form came back refused; `None` when
/// this form did not come back.
pub fn remembered_choice(name: &str, value: &str) -> Option<bool> {
    own_memory().map(|m| m.has(name, value))
}

/// A form that sends to a server function. It works as a plain HTML form (the page comes
/// back as a new view) and lets the fields inside find what was typed when the server
/// refused it.
#[component]
pub fn PostForm<I, OutputProtocol>(
    action: ServerAction<I>,
/// The form's id; without one it is made from the server function's name (a page
/// with several forms of one function gives each its own).
    #[prop(optional, into)]
    id: Option<String>,
    children: Children,
) -> impl IntoView
where
    I: server_fn::serde::de::DeserializeOwned
        + ServerFn<Protocol = server_fn::Http<server_fn::codec::PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<I::Client as server_fn::client::Client<I::Error>>::Request as server_fn::request::ClientReq<
        I::Error,
    >>::FormData: From<leptos::web_sys::FormData>,
    I::Output: Send + Sync + 'static,
    I::Error: Send + Sync + 'static,
    <I as ServerFn>::Client: server_fn::client::Client<<I as ServerFn>::Error>,
{
    let id = id.unwrap_or_else(|| form_id(I::PATH));
    provide_context(FormScope(id.clone()));
    let field = id.clone();
    // `__form` names the form, so the page comes back scrolled to it (the server takes
    // the field off before the server function reads the rest).
    view! {
        <ActionForm action attr:id=id>
            <input type="hidden" name="__form" value=field />
            {children()}
        </ActionForm>
    }
}

/// `form-give-input` for the form of `/api/give_input`.
fn form_id(path: &str) -> String {
    format!(
        "form-{}",
        path.rsplit('/').next().unwrap_or("form").replace('_', "-")
    )
}

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
        Problem::CommonPassword => t!(i18n, problem.common_password).into_any(),
        Problem::InvalidYear => t!(i18n, problem.invalid_year).into_any(),
        Problem::AgeOutOfRange { min, max } => t!(
            i18n,
            problem.age_out_of_range,
            min = move || min,
            max = move || max
        )
        .into_any(),
        Problem::InvalidChoice => t!(i18n, problem.invalid_choice).into_any(),
        Problem::MunicipalityRequired => t!(i18n, problem.municipality_required).into_any(),
        Problem::WrongCode => t!(i18n, problem.wrong_code).into_any(),
        Problem::AlreadyInvited => t!(i18n, problem.already_invited).into_any(),
        Problem::WrongPassword => t!(i18n, problem.wrong_password).into_any(),
        Problem::LastCoordinator => t!(i18n, problem.last_coordinator).into_any(),
        Problem::NotYourself => t!(i18n, problem.not_yourself).into_any(),
        Problem::SecondFactorRequired => t!(i18n, problem.second_factor_required).into_any(),
        Problem::EnrolFirst => t!(i18n, problem.enrol_first).into_any(),
        Problem::SecondFactorOn => t!(i18n, problem.second_factor_on).into_any(),
        Problem::InvalidDate => t!(i18n, problem.invalid_date).into_any(),
        Problem::DateInPast => t!(i18n, problem.date_in_past).into_any(),
        Problem::ChooseOne => t!(i18n, problem.choose_one).into_any(),
        Problem::TooMany { max } => t!(i18n, problem.too_many, max = move || max).into_any(),
        Problem::ChangedMeanwhile => t!(i18n, problem.changed_meanwhile).into_any(),
        Problem::WrongState => t!(i18n, problem.wrong_state).into_any(),
        Problem::AlreadyDone => t!(i18n, problem.already_done).into_any(),
        Problem::UnknownInput => t!(i18n, problem.unknown_input).into_any(),
        Problem::InputClosed => t!(i18n, problem.input_closed).into_any(),
        Problem::OutOfRange { min, max } => t!(
            i18n,
            problem.out_of_range,
            min = move || min,
            max = move || max
        )
        .into_any(),
        Problem::InvalidTime => t!(i18n, problem.invalid_time).into_any(),
        Problem::EndBeforeStart => t!(i18n, problem.end_before_start).into_any(),
        Problem::InvalidUrl => t!(i18n, problem.invalid_url).into_any(),
        Problem::PlaceRequired => t!(i18n, problem.place_required).into_any(),
        Problem::SeriesLength => t!(i18n, problem.series_length).into_any(),
        Problem::MeetingCancelled => t!(i18n, problem.meeting_cancelled).into_any(),
        Problem::MeetingPast => t!(i18n, problem.meeting_past).into_any(),
        Problem::MeetingNotYet => t!(i18n, problem.meeting_not_yet).into_any(),
        Problem::CommentsClosed => t!(i18n, problem.comments_closed).into_any(),
        Problem::CommentsOpen => t!(i18n, problem.comments_open).into_any(),
        Problem::InvalidAmount => t!(i18n, problem.invalid_amount).into_any(),
        Problem::AmountOutOfRange { max_euros } => {
            t!(i18n, problem.amount_out_of_range, max = move || max_euros).into_any()
        }
        Problem::NotAttended => t!(i18n, problem.not_attended).into_any(),
        Problem::RepublishNeeded => t!(i18n, problem.republish_needed).into_any(),
        Problem::FeedbackMissing => t!(i18n, problem.feedback_missing).into_any(),
        Problem::NotQuotable => t!(i18n, problem.not_quotable).into_any(),
        Problem::NotPublished => t!(i18n, problem.not_published).into_any(),
        Problem::StillOpen => t!(i18n, problem.still_open).into_any(),
        Problem::NotAdopted => t!(i18n, problem.not_adopted).into_any(),
        Problem::LastDayBeforeFirst => t!(i18n, problem.last_day_before_first).into_any(),
        Problem::ProgressFinished => t!(i18n, problem.progress_finished).into_any(),
        Problem::AlreadySubmitted => t!(i18n, problem.already_submitted).into_any(),
    }
}

/// An error that is not about one field, as a sentence in the current language. A form
/// whose only problems are with fields shows them there; this gives the summary.
pub fn error_view(i18n: I18nContext<Locale>, error: &AppError) -> AnyView {
    match error {
        AppError::Invalid(list) => match list.as_slice() {
            // Problems with the whole thing rather than one field of a form.
            [one]
                if matches!(
                    one.field.as_str(),
                    "user"
                        | "role"
                        | "require_second_factor"
                        | "state"
                        | "advice"
                        | "close"
                        | "feedback"
                        | "infographic"
                ) =>
            {
                problem_view(i18n, one.problem)
            }
            _ => t!(i18n, setup.check_fields).into_any(),
        },
        AppError::NotLoggedIn => t!(i18n, errors.not_logged_in).into_any(),
        AppError::Forbidden => t!(i18n, errors.forbidden).into_any(),
        AppError::NotFound => t!(i18n, errors.not_found).into_any(),
        AppError::WrongCredentials => t!(i18n, login.wrong).into_any(),
        AppError::SetupLinkInvalid => t!(i18n, setup.invalid_link).into_any(),
        AppError::InvitationInvalid => t!(i18n, errors.invitation_invalid).into_any(),
        AppError::LinkInvalid => t!(i18n, errors.link_invalid).into_any(),
        AppError::SecondFactorNeeded => t!(i18n, errors.second_factor_needed).into_any(),
        AppError::RateLimited { minutes } => {
            let minutes = *minutes;
            t!(i18n, errors.rate_limited, minutes = move || minutes).into_any()
        }
        AppError::BadRequest => t!(i18n, errors.bad_request).into_any(),
        AppError::TooLarge => t!(i18n, errors.too_large).into_any(),
        AppError::Unexpected => t!(i18n, errors.unexpected).into_any(),
        AppError::Connection(_) => t!(i18n, errors.connection).into_any(),
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
                                <span>{error_view(i18n, &e)}</span>
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
    // `name` here is the element id (the field's name unless the page gave another).
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
    /// The element id, when two forms on one page have a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    let (parts, described_by) = field_parts(id, label, hint, problem);
    let value = remembered(name).or(value);
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            {parts}
            <input
                id=id
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
    #[prop(optional)] id: Option<&'static str>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 6)] rows: u32,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    let (parts, described_by) = field_parts(id, label, hint, problem);
    let value = remembered(name).or(value);
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            {parts}
            <textarea
                id=id
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

/// A labelled choice from a short list.
#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// (value, label) pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    let (parts, described_by) = field_parts(id, label, hint, problem);
    let selected = remembered(name).or(selected);
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            {parts}
            <select
                id=id
                name=name
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                {
                    let selected = selected.clone();
                    move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(value, text)| {
                                let is = selected.as_deref() == Some(value.as_str());
                                view! { <option value=value selected=is>{text}</option> }
                            })
                            .collect_view()
                    }
                }
            </select>
        </div>
    }
}

/// A calm confirmation ("Opgeslagen."), announced to screen readers.
#[component]
pub fn SuccessNote(#[prop(into)] show: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite">
            <Show when=move || show.get()>
                <p class="notice notice--success">
                    <span class="notice__icon" aria-hidden="true">"✓"</span>
                    <span>{children()}</span>
                </p>
            </Show>
        </div>
    }
}

/// The problem the server found with one field of a form.
pub fn field_problem(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<Problem>> {
    Signal::derive(move || error.get().and_then(|e| e.problem_for(field)))
}

/// The error of a server action's last run, if it failed.
pub fn action_error<I>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    I::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Whether a server action's last run succeeded: sent from this page view, or the form
/// sent just before it.
pub fn action_done<I>(action: ServerAction<I>) -> Signal<bool>
where
    I: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    I::Output: Clone + Send + Sync + 'static,
{
    let sent_before = form_memory().is_some_and(|m| m.action == I::PATH && m.output.is_some());
    Signal::derive(move || sent_before || matches!(action.value().get(), Some(Ok(_))))
}

/// What a server action answered when its last run succeeded (see [`action_done`]).
pub fn action_output<I>(action: ServerAction<I>) -> Signal<Option<I::Output>>
where
    I: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    I::Output: server_fn::serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let sent_before = form_memory()
        .filter(|m| m.action == I::PATH)
        .and_then(|m| m.output)
        .and_then(|json| serde_json_output::<I::Output>(&json));
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| sent_before.clone())
    })
}

#[cfg(feature = "ssr")]
fn serde_json_output<T: server_fn::serde::de::DeserializeOwned>(json: &str) -> Option<T> {
    serde_json::from_str(json).ok()
}

#[cfg(not(feature = "ssr"))]
fn serde_json_output<T>(_json: &str) -> Option<T> {
    None
}
