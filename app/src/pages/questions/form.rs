//! The question form: a new question, or a draft or returned question changed.

use super::participation_name;
use crate::api::SaveQuestion;
use crate::components::form::PostForm;
use crate::components::form::{
    action_error, field_problem, ErrorBox, SelectField, TextArea, TextField,
};
use crate::domain::lengths;
use crate::domain::Problem;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{Municipality, Participation, QuestionDetail, QuestionFormData};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

/// Writing a new question, or changing one.
#[component]
pub fn QuestionFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, crate::api::load_question_form);
    let save = ServerAction::<SaveQuestion>::new();
    // try_get: the page title outlives this page for a moment when navigating away, and
    // must not read the resource after it is gone.
    let unsolicited = move || {
        data.try_get()
            .flatten()
            .and_then(Result::ok)
            .is_some_and(|d| d.unsolicited)
    };
    let heading = move || {
        if unsolicited() {
            t_string!(i18n, questions.subject_form_title).to_string()
        } else {
            t_string!(i18n, questions.form_title).to_string()
        }
    };
    view! {
        <section class="page page--narrow">
            // The heading depends on the loaded form, so it waits for it too.
            <Suspense fallback=|| ()>
                {move || data.get().map(|_| view! { <Title text=heading() /> <h1>{heading()}</h1> })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(d) => view! { <QuestionForm d save /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The question's fields, filled in when it is changed.
#[component]
fn QuestionForm(d: QuestionFormData, save: ServerAction<SaveQuestion>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let problem = move |field: &'static str| field_problem(error, field);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    let q = d.question.clone();
    let get = |f: fn(&QuestionDetail) -> String| q.as_ref().map(f).unwrap_or_default();
    let (v_title, v_question, v_background, v_open, v_fixed, v_moment, v_needed, v_theme, v_id) = (
        get(|q| q.title.clone()),
        get(|q| q.question.clone()),
        get(|q| q.background.clone()),
        get(|q| q.open_to_influence.clone()),
        get(|q| q.already_fixed.clone()),
        get(|q| q.decision_moment.clone()),
        get(|q| q.needed_by_iso.clone()),
        get(|q| q.theme_id.map(|t| t.to_string()).unwrap_or_default()),
        get(|q| q.id.to_string()),
    );
    let v_participation = q
        .as_ref()
        .map_or(Participation::Advise, |q| q.participation)
        .as_str()
        .to_string();
    let themes = d.themes.clone();
    let theme_options = Signal::derive(move || {
        let mut o = vec![(
            String::new(),
            t_string!(i18n, questions.choose_theme).to_string(),
        )];
        o.extend(themes.iter().map(|t| (t.id.to_string(), t.name.clone())));
        o
    });
    let participation_options = Signal::derive(move || {
        Participation::ALL
            .into_iter()
            .map(|p| (p.as_str().to_string(), participation_name(i18n, p)))
            .collect::<Vec<_>>()
    });
    let chosen: Vec<i64> = q
        .as_ref()
        .map(|q| q.municipality_ids.clone())
        .unwrap_or_default();
    let municipality_problem = problem("municipalities");
    let subject = d.unsolicited;
    view! {
        {if subject {
            view! { <p>{t!(i18n, questions.subject_form_intro)}</p> }.into_any()
        } else {
            view! { <p>{t!(i18n, questions.form_intro)}</p> }.into_any()
        }}
        <ErrorBox error />
        <PostForm action=save attr:class="form" attr:novalidate=true>
            <input type="hidden" name="id" value=v_id />
            <TextField name="title" label=label(|i| t_string!(i, questions.field_title).to_string())
                hint=label(|i| t_string!(i, questions.field_title_hint).to_string())
                value=v_title maxlength=lengths::QUESTION_TITLE problem=problem("title") />
            {if subject {
                view! {
                    <TextArea name="question" label=label(|i| t_string!(i, questions.field_subject).to_string())
                        hint=label(|i| t_string!(i, questions.field_subject_hint).to_string())
                        value=v_question rows=4 problem=problem("question") />
                }.into_any()
            } else {
                view! {
                    <TextArea name="question" label=label(|i| t_string!(i, questions.field_question).to_string())
                        hint=label(|i| t_string!(i, questions.field_question_hint).to_string())
                        value=v_question rows=3 problem=problem("question") />
                }.into_any()
            }}
            <TextArea name="background" label=label(|i| t_string!(i, questions.field_background).to_string())
                hint=label(|i| t_string!(i, questions.field_background_hint).to_string())
                value=v_background rows=6 problem=problem("background") />
            {(!subject).then(|| view! {
            <TextArea name="open_to_influence" label=label(|i| t_string!(i, questions.field_open).to_string())
                hint=label(|i| t_string!(i, questions.field_open_hint).to_string())
                value=v_open rows=3 problem=problem("open_to_influence") />
            <TextArea name="already_fixed" label=label(|i| t_string!(i, questions.field_fixed).to_string())
                hint=label(|i| t_string!(i, questions.field_fixed_hint).to_string())
                value=v_fixed rows=3 problem=problem("already_fixed") />
            <TextField name="decision_moment" label=label(|i| t_string!(i, questions.field_moment).to_string())
                hint=label(|i| t_string!(i, questions.field_moment_hint).to_string())
                value=v_moment required=false maxlength=lengths::DECISION_MOMENT problem=problem("decision_moment") />
            <TextField name="needed_by" kind="date" label=label(|i| t_string!(i, questions.field_needed_by).to_string())
                hint=label(|i| t_string!(i, questions.field_needed_by_hint).to_string())
                value=v_needed problem=problem("needed_by") />
            <SelectField name="participation" label=label(|i| t_string!(i, questions.field_participation).to_string())
                hint=label(|i| t_string!(i, questions.field_participation_hint).to_string())
                options=participation_options
                selected=v_participation
                problem=problem("participation") />
            })}
            <SelectField name="theme" label=label(|i| t_string!(i, questions.field_theme).to_string())
                options=theme_options
                selected=v_theme
                problem=problem("theme") />
            <MunicipalityChecks municipalities=d.municipalities.clone() chosen problem=municipality_problem />
            <button type="submit" class="button button--primary">{t!(i18n, questions.save)}</button>
        </PostForm>
    }
}

/// The municipalities the question is about, as checkboxes.
#[component]
fn MunicipalityChecks(
    municipalities: Vec<Municipality>,
    chosen: Vec<i64>,
    problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let municipality_problem = problem;
    view! {
        <fieldset class="field" class:field--invalid=move || municipality_problem.get().is_some()
            aria-describedby="municipalities-error">
            <legend>{t!(i18n, questions.field_municipalities)}</legend>
            <p class="field__error" id="municipalities-error" hidden=move || municipality_problem.get().is_none()>
                {move || municipality_problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
            </p>
            <div class="checks">
                {municipalities.iter().map(|m| {
                    let id = format!("municipality-{}", m.id);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id.clone() name="municipalities[]"
                                value=m.id.to_string()
                                checked=crate::components::form::remembered_choice("municipalities[]", &m.id.to_string())
                                    .unwrap_or_else(|| chosen.contains(&m.id)) />
                            <label for=id>{m.name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
