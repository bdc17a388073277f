use crate::api::{
    AcceptQuestion, AcknowledgeQuestion, AssignQuestion, DraftAdvice, EndorseInput, GiveInput,
    HideInput, OpenInput, RecordGroupInput, ReopenInput, ReturnQuestion, ReviewRecommendation,
    SaveAdvice, SaveQuestion, SendAdvice, SetInputClosing, SubmitQuestion, UpdateInput,
    WithdrawInput,
};
use crate::components::form::{
    action_error, field_problem, ErrorBox, SelectField, TextArea, TextField,
};
use crate::components::form::{came_back, PostForm};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::lifecycle::{Action, State};
use crate::model::QuestionDetail;
use crate::use_auth;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The name of a state, in the current language.
pub fn state_name(i18n: I18nContext<Locale>, state: State) -> String {
    match state {
        State::Draft => t_string!(i18n, questions.state_draft),
        State::Submitted => t_string!(i18n, questions.state_submitted),
        State::Returned => t_string!(i18n, questions.state_returned),
        State::Proposed => t_string!(i18n, questions.state_proposed),
        State::Assigned => t_string!(i18n, questions.state_assigned),
        State::Accepted => t_string!(i18n, questions.state_accepted),
        State::CollectingInput => t_string!(i18n, questions.state_collecting_input),
        State::AdviceDrafted => t_string!(i18n, questions.state_advice_drafted),
        State::AdviceSent => t_string!(i18n, questions.state_advice_sent),
        State::Closed => t_string!(i18n, questions.state_closed),
    }
    .to_string()
}

/// What a state means, in one plain sentence.
fn state_explanation(i18n: I18nContext<Locale>, state: State) -> String {
    match state {
        State::Draft => t_string!(i18n, questions.explain_draft),
        State::Submitted => t_string!(i18n, questions.explain_submitted),
        State::Returned => t_string!(i18n, questions.explain_returned),
        State::Proposed => t_string!(i18n, questions.explain_proposed),
        State::Assigned => t_string!(i18n, questions.explain_assigned),
        State::Accepted => t_string!(i18n, questions.explain_accepted),
        State::CollectingInput => t_string!(i18n, questions.explain_collecting_input),
        State::AdviceDrafted => t_string!(i18n, questions.explain_advice_drafted),
        State::AdviceSent => t_string!(i18n, questions.explain_advice_sent),
        State::Closed => t_string!(i18n, questions.explain_closed),
    }
    .to_string()
}

fn participation_name(i18n: I18nContext<Locale>, level: &str) -> String {
    match level {
        "inform" => t_string!(i18n, questions.participation_inform),
        "consult" => t_string!(i18n, questions.participation_consult),
        "co_decide" => t_string!(i18n, questions.participation_co_decide),
        _ => t_string!(i18n, questions.participation_advise),
    }
    .to_string()
}

fn event_name(i18n: I18nContext<Locale>, event: &str) -> String {
    match event {
        "created" => t_string!(i18n, questions.event_created),
        "edited" => t_string!(i18n, questions.event_edited),
        "submitted" => t_string!(i18n, questions.event_submitted),
        "returned" => t_string!(i18n, questions.event_returned),
        "accepted" => t_string!(i18n, questions.event_accepted),
        "input_opened" => t_string!(i18n, questions.event_input_opened),
        "input_closed" => t_string!(i18n, questions.event_input_closed),
        "input_reopened" => t_string!(i18n, questions.event_input_reopened),
        "advice_sent" => t_string!(i18n, questions.event_advice_sent),
        "group_input" => t_string!(i18n, questions.event_group_input),
        "input_hidden" => t_string!(i18n, questions.event_input_hidden),
        "proposed" => t_string!(i18n, questions.event_proposed),
        "assigned" => t_string!(i18n, questions.event_assigned),
        "acknowledged" => t_string!(i18n, questions.event_acknowledged),
        "input_closing_set" => t_string!(i18n, questions.event_input_closing_set),
        "feedback_submitted" => t_string!(i18n, questions.event_feedback_submitted),
        "feedback_escalated" => t_string!(i18n, questions.event_feedback_escalated),
        "infographic_published" => t_string!(i18n, questions.event_infographic_published),
        "infographic_republished" => t_string!(i18n, questions.event_infographic_republished),
        "closed" => t_string!(i18n, questions.event_closed),
        other => return other.to_string(),
    }
    .to_string()
}

/// The panel's questions, filtered by state; policy makers start a new one here.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let param = move |name: &'static str| query.read().get(name).unwrap_or_default();
    let state = move || param("state");
    let list = Resource::new(
        move || {
            (
                param("state"),
                param("theme"),
                param("municipality"),
                param("q"),
                param("page"),
                param("at"),
            )
        },
        |(state, theme, municipality, q, page, at)| {
            crate::api::list_questions(state, theme, municipality, q, page, at)
        },
    );
    let role = move || {
        auth.user
            .get()
            .and_then(|u| u.ok().flatten())
            .map(|u| u.role)
    };
    // The filters as they are now, to keep them in the pager's links.
    let filter_query = move || {
        ["state", "theme", "municipality", "q"]
            .into_iter()
            .filter_map(|k| {
                let v = param(k);
                (!v.is_empty())
                    .then(|| format!("{k}={}", crate::components::layout::encode_query_value(&v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    view! {
        <Title text=t_string!(i18n, questions.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, questions.title)}</h1>
            <Transition fallback=|| ()>
                {move || role().map(|r| view! {
                    <p>
                        <a class="button button--primary" href="/questions/new">
                            {move || if r == Role::PolicyMaker {
                                t_string!(i18n, questions.new).to_string()
                            } else {
                                t_string!(i18n, questions.new_subject).to_string()
                            }}
                        </a>
                    </p>
                })}
            </Transition>
            <form method="get" action="/questions" class="filter-bar" role="search">
                <div class="field">
                    <label for="filter-state">{t!(i18n, questions.filter_state)}</label>
                    <select id="filter-state" name="state">
                        <option value="" selected=move || state().is_empty()>{t!(i18n, people.all)}</option>
                        {State::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.as_str() selected=move || state() == s.as_str()>
                                        {move || state_name(i18n, s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Transition fallback=|| ()>
                    {move || list.get().and_then(Result::ok).map(|l| {
                        let (themes, municipalities) = (l.filters.themes, l.filters.municipalities);
                        view! {
                            <div class="field">
                                <label for="filter-theme">{t!(i18n, questions.filter_theme)}</label>
                                <select id="filter-theme" name="theme">
                                    <option value="" selected=move || param("theme").is_empty()>{t!(i18n, people.all)}</option>
                                    {themes.into_iter().map(|t| {
                                        let v = t.id.to_string();
                                        let chosen = v.clone();
                                        view! { <option value=v selected=move || param("theme") == chosen>{t.name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="filter-municipality">{t!(i18n, questions.filter_municipality)}</label>
                                <select id="filter-municipality" name="municipality">
                                    <option value="" selected=move || param("municipality").is_empty()>{t!(i18n, people.all)}</option>
                                    {municipalities.into_iter().map(|m| {
                                        let v = m.id.to_string();
                                        let chosen = v.clone();
                                        view! { <option value=v selected=move || param("municipality") == chosen>{m.name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    })}
                </Transition>
                <div class="field">
                    <label for="filter-q">{t!(i18n, questions.search)}</label>
                    <input id="filter-q" name="q" type="search" maxlength="200"
                        placeholder=move || t_string!(i18n, questions.search_hint).to_string()
                        prop:value=move || param("q") />
                </div>
                <button type="submit" class="button">{t!(i18n, people.filter)}</button>
            </form>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    list.get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(list) if list.items.is_empty() && list.newer.is_none() => {
                                if filter_query().is_empty() {
                                    view! { <p class="empty">{t!(i18n, questions.none)}</p> }.into_any()
                                } else {
                                    view! { <p class="empty">{t!(i18n, questions.none_found)}</p> }.into_any()
                                }
                            }
                            Ok(list) => {
                                let items = list.items;
                                let current = filter_query();
                                // Pages are found by where they start (a cursor), so a deep
                                // page costs what the first does; the number is only shown.
                                let link = move |p: i64, at: String| {
                                    if current.is_empty() {
                                        format!("/questions?page={p}&at={at}")
                                    } else {
                                        format!("/questions?{current}&page={p}&at={at}")
                                    }
                                };
                                let (previous, next) = (
                                    list.newer.map(|at| link(list.page - 1, at)),
                                    list.older.map(|at| link(list.page + 1, at)),
                                );
                                let number = list.page;
                                view! {
                                <ul class="row-list">
                                    {items.into_iter().map(|q| {
                                        let href = format!("/questions/{}", q.id);
                                        let st = q.state;
                                        view! {
                                            <li class="row">
                                                <div class="row__main">
                                                    <p class="row__title"><A href=href>{q.title.clone()}</A></p>
                                                    <p class="row__meta">
                                                        <span class="badge">{move || state_name(i18n, st)}</span>
                                                        {q.theme.clone().map(|t| view! { " " <span class="badge badge--quiet">{t}</span> })}
                                                    </p>
                                                    <p class="row__meta">
                                                        {q.municipalities.join(", ")}
                                                        {q.needed_by.clone().map(|d| view! { " · " {t!(i18n, questions.needed_by_short, date = d.clone())} })}
                                                    </p>
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <nav class="pager" aria-label=move || t_string!(i18n, questions.pages)>
                                    {previous.map(|href| view! { <a href=href rel="prev">{t!(i18n, questions.previous)}</a> })}
                                    <span>{t!(i18n, questions.page_n, n = number)}</span>
                                    {next.map(|href| view! { <a href=href rel="next">{t!(i18n, questions.next)}</a> })}
                                </nav>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// Writing a new question, or changing one.
#[component]
pub fn QuestionFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, crate::api::load_question_form);
    let save = ServerAction::<SaveQuestion>::new();
    let error = action_error(save);
    let problem = move |field: &'static str| field_problem(error, field);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
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
                            Ok(d) => {
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
                                let v_participation = q.as_ref().map(|q| q.participation.clone()).unwrap_or_else(|| "advise".into());
                                let themes = d.themes.clone();
                                let theme_options = Signal::derive(move || {
                                    let mut o = vec![(String::new(), t_string!(i18n, questions.choose_theme).to_string())];
                                    o.extend(themes.iter().map(|t| (t.id.to_string(), t.name.clone())));
                                    o
                                });
                                let participation_options = Signal::derive(move || {
                                    ["inform", "consult", "advise", "co_decide"]
                                        .into_iter()
                                        .map(|p| (p.to_string(), participation_name(i18n, p)))
                                        .collect::<Vec<_>>()
                                });
                                let chosen: Vec<i64> = q.as_ref().map(|q| q.municipality_ids.clone()).unwrap_or_default();
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
                                            value=v_title maxlength=150 problem=problem("title") />
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
                                            value=v_moment required=false maxlength=200 problem=problem("decision_moment") />
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
                                        <fieldset class="field" class:field--invalid=move || municipality_problem.get().is_some()
                                            aria-describedby="municipalities-error">
                                            <legend>{t!(i18n, questions.field_municipalities)}</legend>
                                            <p class="field__error" id="municipalities-error" hidden=move || municipality_problem.get().is_none()>
                                                {move || municipality_problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
                                            </p>
                                            <div class="checks">
                                                {d.municipalities.iter().map(|m| {
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
                                        <button type="submit" class="button button--primary">{t!(i18n, questions.save)}</button>
                                    </PostForm>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// One question: what is asked, its state, what the viewer can do, and its timeline.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let submit = ServerAction::<SubmitQuestion>::new();
    let accept = ServerAction::<AcceptQuestion>::new();
    let give_back = ServerAction::<ReturnQuestion>::new();
    let open_input = ServerAction::<OpenInput>::new();
    let draft = ServerAction::<DraftAdvice>::new();
    let reopen = ServerAction::<ReopenInput>::new();
    let send = ServerAction::<SendAdvice>::new();
    let give = ServerAction::<GiveInput>::new();
    let endorse = ServerAction::<EndorseInput>::new();
    let save_advice = ServerAction::<SaveAdvice>::new();
    let update = ServerAction::<UpdateInput>::new();
    let withdraw = ServerAction::<WithdrawInput>::new();
    let hide = ServerAction::<HideInput>::new();
    let record = ServerAction::<RecordGroupInput>::new();
    let review = ServerAction::<ReviewRecommendation>::new();
    let assign = ServerAction::<AssignQuestion>::new();
    let acknowledge = ServerAction::<AcknowledgeQuestion>::new();
    let set_closing = ServerAction::<SetInputClosing>::new();
    let close = ServerAction::<crate::api::CloseQuestion>::new();
    let question = Resource::new(
        move || {
            (
                id(),
                (
                    submit.version().get(),
                    accept.version().get(),
                    give_back.version().get(),
                ),
                (
                    open_input.version().get(),
                    draft.version().get(),
                    reopen.version().get(),
                ),
                (
                    send.version().get(),
                    give.version().get(),
                    endorse.version().get(),
                ),
                save_advice.version().get(),
                (
                    update.version().get(),
                    withdraw.version().get(),
                    hide.version().get(),
                    record.version().get(),
                    review.version().get(),
                ),
                (
                    assign.version().get(),
                    acknowledge.version().get(),
                    set_closing.version().get(),
                    close.version().get(),
                ),
            )
        },
        |(id, ..)| crate::api::load_question(id),
    );
    let action_problem = Signal::derive(move || {
        action_error(submit)
            .get()
            .or_else(|| action_error(accept).get())
            .or_else(|| action_error(give_back).get())
            .or_else(|| action_error(open_input).get())
            .or_else(|| action_error(draft).get())
            .or_else(|| action_error(reopen).get())
            .or_else(|| action_error(send).get())
            .or_else(|| action_error(acknowledge).get())
    });
    let give_error = action_error(give);
    let endorse_error = Signal::derive(move || {
        action_error(endorse)
            .get()
            .or_else(|| action_error(update).get())
            .or_else(|| action_error(withdraw).get())
            .or_else(|| action_error(hide).get())
    });
    let record_error = action_error(record);
    let advice_error = action_error(save_advice);
    let return_error = action_error(give_back);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                question
                    .get()
                    .map(|result| match result {
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                            crate::pages::respond_not_found();
                            view! { <section class="page"><ErrorBox error=Some(e) /></section> }.into_any()
                        }
                        Ok(q) => {
                            let st = q.state;
                            let id = q.id.to_string();
                            let (id_submit, id_accept) = (id.clone(), id.clone());
                            let (id_open, id_draft, id_reopen, id_send, id_give, id_advice) =
                                (id.clone(), id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                            let may_endorse = q.actions.contains(&Action::Endorse);
                            let id_record = id.clone();
                            let (id_ack, id_assign) = (id.clone(), id.clone());
                            let id_review = id.clone();
                            let tools = InputTools {
                                may_endorse,
                                open: matches!(st, State::CollectingInput | State::AdviceDrafted),
                                coordinator: q.actions.contains(&Action::RecordInput)
                                    || q.actions.contains(&Action::SendAdvice),
                                endorse,
                                update,
                                withdraw,
                                hide,
                            };
                            let inputs = q.inputs.clone();
                            let show_inputs = !inputs.is_empty()
                                || q.actions.contains(&Action::GiveInput)
                                || q.actions.contains(&Action::RecordInput);
                            let advice = q.advice.clone();
                            let editing_advice = st == State::AdviceDrafted && q.actions.contains(&Action::SendAdvice);
                            let can = |a: Action| q.actions.contains(&a);
                            let paragraphs = |text: &str| {
                                text.split("\n\n")
                                    .filter(|p| !p.trim().is_empty())
                                    .map(|p| view! { <p class="preserve-lines">{p.to_string()}</p> })
                                    .collect_view()
                            };
                            let title = q.title.clone();
                            view! {
                                <Title text=title.clone() />
                                <article class="page">
                                    <p class="hero__kicker">{q.theme.clone().unwrap_or_default()}</p>
                                    <h1>{q.title.clone()}</h1>
                                    <p class="notice notice--info" id="question-state">
                                        <span class="notice__icon" aria-hidden="true">"i"</span>
                                        <span>
                                            <strong>{move || state_name(i18n, st)}</strong>": "
                                            {move || state_explanation(i18n, st)}
                                        </span>
                                    </p>
                                    {(st == State::Returned && !q.return_reason.is_empty()).then(|| view! {
                                        <p class="notice notice--error">
                                            <span class="notice__icon" aria-hidden="true">"!"</span>
                                            <span>{t!(i18n, questions.returned_because)}" " {q.return_reason.clone()}</span>
                                        </p>
                                    })}
                                    <ErrorBox error=action_problem />
                                    <div class="actions">
                                        {can(Action::Edit).then(|| view! {
                                            <a class="button" href=format!("/questions/{}/edit", q.id)>{t!(i18n, questions.edit)}</a>
                                        })}
                                        {can(Action::Submit).then(|| view! {
                                            <PostForm action=submit attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_submit />
                                                <button type="submit" class="button button--primary">{t!(i18n, questions.submit)}</button>
                                            </PostForm>
                                        })}
                                        {can(Action::Accept).then(|| view! {
                                            <PostForm action=accept attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_accept />
                                                <button type="submit" class="button button--primary">{t!(i18n, questions.accept)}</button>
                                            </PostForm>
                                        })}
                                        {can(Action::Acknowledge).then(|| view! {
                                            <PostForm action=acknowledge attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_ack.clone() />
                                                <button type="submit" class="button button--primary">{t!(i18n, questions.acknowledge)}</button>
                                            </PostForm>
                                        })}
                                        {can(Action::DraftAdvice).then(|| view! {
                                            <PostForm action=draft attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_draft />
                                                <button type="submit" class="button button--primary">{t!(i18n, questions.draft_advice)}</button>
                                            </PostForm>
                                        })}
                                        {can(Action::SendAdvice).then(|| view! {
                                            <PostForm action=send attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_send />
                                                <button type="submit" class="button button--primary">{t!(i18n, questions.send_advice)}</button>
                                            </PostForm>
                                        })}
                                        {can(Action::ReopenInput).then(|| view! {
                                            <PostForm action=reopen attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_reopen />
                                                <button type="submit" class="button">{t!(i18n, questions.reopen_input)}</button>
                                            </PostForm>
                                        })}
                                    </div>
                                    {can(Action::Return).then(|| view! {
                                        <PostForm action=give_back attr:class="form">
                                            <input type="hidden" name="id" value=id.clone() />
                                            <TextArea name="reason"
                                                label=Signal::derive(move || t_string!(i18n, questions.return_reason).to_string())
                                                hint=Signal::derive(move || t_string!(i18n, questions.return_reason_hint).to_string())
                                                rows=3 problem=field_problem(return_error, "reason") />
                                            <button type="submit" class="button">{t!(i18n, questions.give_back)}</button>
                                        </PostForm>
                                    })}
                                    {can(Action::Assign).then(|| view! {
                                        <AssignForm id=id_assign.clone() policy_makers=q.policy_makers.clone() action=assign />
                                    })}
                                    <InputRound
                                        id=id_open.clone()
                                        may_open=can(Action::OpenInput)
                                        manages=can(Action::RecordInput)
                                        collecting=st == State::CollectingInput
                                        closes_on=q.input_closes_on.clone()
                                        closes_on_iso=q.input_closes_on_iso.clone()
                                        closed=q.input_closed
                                        open=open_input
                                        change=set_closing
                                    />
                                    <section class="section" aria-labelledby="asked-heading">
                                        <h2 id="asked-heading">{t!(i18n, questions.field_question)}</h2>
                                        {paragraphs(&q.question)}
                                        <dl class="facts facts--compact">
                                            {q.unsolicited.then(|| {
                                                let by = q.proposed_by.clone();
                                                view! {
                                                    <div><dt>{t!(i18n, questions.proposed_by)}</dt><dd>{match by {
                                                        Some(name) => name.into_any(),
                                                        None => t!(i18n, questions.proposed_by_panel).into_any(),
                                                    }}</dd></div>
                                                }
                                            })}
                                            <div><dt>{t!(i18n, questions.asked_by)}</dt><dd>{q.owner.clone().unwrap_or_else(|| "—".into())}</dd></div>
                                            <div><dt>{t!(i18n, questions.field_municipalities)}</dt><dd>{q.municipalities.join(", ")}</dd></div>
                                            {(!q.needed_by.is_empty()).then(|| view! {
                                                <div><dt>{t!(i18n, questions.field_needed_by)}</dt><dd>{q.needed_by.clone()}</dd></div>
                                            })}
                                            <div><dt>{t!(i18n, questions.field_participation)}</dt><dd>{let p = q.participation.clone(); move || participation_name(i18n, &p)}</dd></div>
                                            {(!q.decision_moment.is_empty()).then(|| view! {
                                                <div><dt>{t!(i18n, questions.field_moment)}</dt><dd>{q.decision_moment.clone()}</dd></div>
                                            })}
                                        </dl>
                                    </section>
                                    {(!q.background.is_empty()).then(|| view! {
                                        <section class="section" aria-labelledby="background-heading">
                                            <h2 id="background-heading">{t!(i18n, questions.field_background)}</h2>
                                            <div class="rich-text" inner_html=q.background_html.clone()></div>
                                        </section>
                                    })}
                                    {(!q.open_to_influence.is_empty() || !q.already_fixed.is_empty()).then(|| view! {
                                    <section class="section" aria-labelledby="open-heading">
                                        <h2 id="open-heading">{t!(i18n, questions.field_open)}</h2>
                                        {paragraphs(&q.open_to_influence)}
                                        {(!q.already_fixed.is_empty()).then(|| view! {
                                            <h3>{t!(i18n, questions.field_fixed)}</h3>
                                            {paragraphs(&q.already_fixed)}
                                        })}
                                    </section>
                                    })}
                                    {advice.clone().filter(|_| !editing_advice).map(|a| view! {
                                        <AdviceSection advice=a id=id_review.clone() can_review=can(Action::ReviewAdvice) review />
                                    })}
                                    {q.feedback.clone().map(|f| view! {
                                        <crate::pages::feedback::FeedbackSection id=q.id feedback=f infographic=q.infographic.clone() close />
                                    })}
                                    {editing_advice.then(|| view! {
                                        <AdviceForm id=id_advice.clone() advice=advice.clone() action=save_advice error=advice_error />
                                    })}
                                    {show_inputs.then(|| view! {
                                        <section class="section" aria-labelledby="inputs-heading">
                                            <h2 id="inputs-heading">{t!(i18n, questions.inputs_heading)}</h2>
                                            <ErrorBox error=endorse_error />
                                            {if inputs.is_empty() {
                                                view! { <p class="empty">{t!(i18n, questions.no_inputs)}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ol class="row-list inputs">
                                                        {inputs.iter().cloned().map(|i| view! { <InputItem input=i tools /> }).collect_view()}
                                                    </ol>
                                                }.into_any()
                                            }}
                                            {can(Action::GiveInput).then(|| view! {
                                                <ErrorBox error=give_error />
                                                <crate::components::form::SuccessNote show=crate::components::form::action_done(give)>
                                                    {t!(i18n, questions.input_sent)}
                                                </crate::components::form::SuccessNote>
                                                <PostForm action=give attr:class="form" attr:novalidate=true>
                                                    <input type="hidden" name="id" value=id_give.clone() />
                                                    <TextArea name="body"
                                                        label=Signal::derive(move || t_string!(i18n, questions.your_input).to_string())
                                                        hint=Signal::derive(move || t_string!(i18n, questions.your_input_hint).to_string())
                                                        rows=5 problem=field_problem(give_error, "body") />
                                                    <div class="check">
                                                        <input type="checkbox" id="show_name" name="show_name" value="1"
                                                            checked=crate::components::form::remembered_choice("show_name", "1").unwrap_or(false) />
                                                        <label for="show_name">{t!(i18n, questions.show_name)}</label>
                                                    </div>
                                                    <div class="check">
                                                        <input type="checkbox" id="may_quote" name="may_quote" value="1"
                                                            checked=crate::components::form::remembered_choice("may_quote", "1").unwrap_or(false) />
                                                        <label for="may_quote">{t!(i18n, questions.may_quote)}</label>
                                                    </div>
                                                    <button type="submit" class="button button--primary">{t!(i18n, questions.give_input)}</button>
                                                </PostForm>
                                            })}
                                            {can(Action::RecordInput).then(|| view! {
                                                <ErrorBox error=record_error />
                                                <PostForm action=record attr:class="form" attr:novalidate=true>
                                                    <input type="hidden" name="id" value=id_record.clone() />
                                                    <TextArea name="group_body"
                                                        label=Signal::derive(move || t_string!(i18n, questions.group_input).to_string())
                                                        hint=Signal::derive(move || t_string!(i18n, questions.group_input_hint).to_string())
                                                        rows=4 problem=field_problem(record_error, "group_body") />
                                                    <button type="submit" class="button">{t!(i18n, questions.record_input)}</button>
                                                </PostForm>
                                            })}
                                        </section>
                                    })}
                                    <section class="section" aria-labelledby="timeline-heading">
                                        <h2 id="timeline-heading">{t!(i18n, questions.timeline)}</h2>
                                        <ol class="timeline">
                                            {q.timeline.iter().cloned().map(|e| {
                                                let event = e.event.clone();
                                                view! {
                                                    <li>
                                                        <span class="timeline__when">{e.at}</span>" "
                                                        <strong>{move || event_name(i18n, &event)}</strong>
                                                        {e.actor.map(|a| view! { " · " {a} })}
                                                        {(!e.detail.is_empty()).then(|| view! { <span class="timeline__detail">{e.detail.clone()}</span> })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                    <p><A href="/questions">{t!(i18n, questions.back)}</A></p>
                                </article>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// What can be done with inputs on this page, shared by every input.
#[derive(Clone, Copy)]
struct InputTools {
    may_endorse: bool,
    /// Input may still change (until the advice is sent).
    open: bool,
    coordinator: bool,
    endorse: ServerAction<EndorseInput>,
    update: ServerAction<UpdateInput>,
    withdraw: ServerAction<WithdrawInput>,
    hide: ServerAction<HideInput>,
}

/// One input, with its number, author (or "een jongere") and endorsements, and what the
/// viewer may do with it.
#[component]
fn InputItem(input: crate::model::InputView, tools: InputTools) -> impl IntoView {
    let i18n = use_i18n();
    let count = input.endorsements;
    let number = input.number;
    let id = input.id.to_string();
    let (id_update, id_withdraw, id_hide) = (id.clone(), id.clone(), id.clone());
    // Refused, a change or a hiding comes back with its form standing open.
    let (update_open, hide_open) = (
        came_back(&format!("form-update-input-{id}")),
        came_back(&format!("form-hide-input-{id}")),
    );
    let can_endorse =
        tools.may_endorse && !input.is_mine && !input.endorsed_by_me && !input.for_group;
    let can_change = tools.open && input.is_mine && !input.for_group && !tools.coordinator;
    let can_hide = tools.open && tools.coordinator && input.hidden_reason.is_none();
    let edit_id = format!("edit-body-{number}");
    let show_id = format!("edit-show-{number}");
    let quote_id = format!("edit-quote-{number}");
    let reason_id = format!("hide-reason-{number}");
    let body = input.body.clone();
    let (show_name, may_quote) = (input.show_name, input.may_quote);
    view! {
        <li class="row" id=format!("input-{number}")>
            <div class="row__main">
                <p class="row__meta">
                    <strong>{t!(i18n, questions.input_number, n = number)}</strong>" · "
                    {match (input.for_group, input.author.clone()) {
                        (true, _) => view! { <span>{t!(i18n, questions.for_group)}</span> }.into_any(),
                        (false, Some(name)) => view! { <span>{name}</span> }.into_any(),
                        (false, None) => view! { <span>{t!(i18n, questions.anonymous)}</span> }.into_any(),
                    }}
                    {input.is_mine.then(|| view! { " " <span class="badge badge--quiet">{t!(i18n, people.you)}</span> })}
                </p>
                <p class="preserve-lines">{input.body.clone()}</p>
                {input.hidden_reason.clone().map(|r| view! {
                    <p class="row__warning">{t!(i18n, questions.hidden_because)}" " {r}</p>
                })}
                <p class="row__meta">{t!(i18n, questions.endorsements, n = count)}</p>
                {can_change.then(|| view! {
                    <details class="inline-details" open=update_open>
                        <summary>{t!(i18n, questions.change_input)}</summary>
                        <PostForm action=tools.update id=format!("form-update-input-{id_update}") attr:class="form">
                            <input type="hidden" name="input_id" value=id_update.clone() />
                            <div class="field">
                                <label for=edit_id.clone()>{t!(i18n, questions.your_input)}</label>
                                <textarea id=edit_id.clone() name="edit_body" rows="4">{crate::components::form::remembered("edit_body").unwrap_or_else(|| body.clone())}</textarea>
                            </div>
                            <div class="check">
                                <input type="checkbox" id=show_id.clone() name="show_name" value="1" checked=crate::components::form::remembered_choice("show_name", "1").unwrap_or(show_name) />
                                <label for=show_id.clone()>{t!(i18n, questions.show_name)}</label>
                            </div>
                            <div class="check">
                                <input type="checkbox" id=quote_id.clone() name="may_quote" value="1" checked=crate::components::form::remembered_choice("may_quote", "1").unwrap_or(may_quote) />
                                <label for=quote_id.clone()>{t!(i18n, questions.may_quote)}</label>
                            </div>
                            <button type="submit" class="button button--small">{t!(i18n, questions.save_input)}</button>
                        </PostForm>
                        <PostForm action=tools.withdraw id=format!("form-withdraw-input-{id_withdraw}") attr:class="inline-form">
                            <input type="hidden" name="input_id" value=id_withdraw.clone() />
                            <button type="submit" class="button button--small button--quiet">{t!(i18n, questions.withdraw_input)}</button>
                        </PostForm>
                    </details>
                })}
                {can_hide.then(|| view! {
                    <details class="inline-details" open=hide_open>
                        <summary>{t!(i18n, questions.hide_input)}</summary>
                        <PostForm action=tools.hide id=format!("form-hide-input-{id_hide}") attr:class="form">
                            <input type="hidden" name="input_id" value=id_hide.clone() />
                            <div class="field">
                                <label for=reason_id.clone()>{t!(i18n, questions.hide_reason)}</label>
                                <textarea id=reason_id.clone() name="hide_reason" rows="2">{crate::components::form::remembered("hide_reason")}</textarea>
                            </div>
                            <button type="submit" class="button button--small">{t!(i18n, questions.hide_input)}</button>
                        </PostForm>
                    </details>
                })}
            </div>
            {can_endorse.then(|| view! {
                <div class="row__actions">
                    <PostForm action=tools.endorse id=format!("form-endorse-input-{id}") attr:class="inline-form">
                        <input type="hidden" name="input_id" value=id.clone() />
                        <button type="submit" class="button button--small">{t!(i18n, questions.endorse)}</button>
                    </PostForm>
                </div>
            })}
        </li>
    }
}

/// The advice as sent (or as drafted, for the panel).
#[component]
fn AdviceSection(
    advice: crate::model::AdviceView,
    id: String,
    can_review: bool,
    review: ServerAction<ReviewRecommendation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let review_error = action_error(review);
    let participants = advice.participants;
    view! {
        <section class="section advice" aria-labelledby="advice-heading">
            <h2 id="advice-heading">{t!(i18n, questions.advice_heading)}</h2>
            {advice.sent.clone().map(|d| view! { <p class="small">{t!(i18n, questions.advice_sent_on, date = d.clone())}</p> })}
            <p class="preserve-lines">{advice.summary.clone()}</p>
            <ol class="recommendations">
                {advice.recommendations.iter().map(|r| {
                    let supported = r.supported_by.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
                    view! {
                        <li>
                            <p class="preserve-lines">{r.body.clone()}</p>
                            {(!r.supported_by.is_empty()).then(|| view! {
                                <p class="small">{t!(i18n, questions.based_on, inputs = supported.clone())}</p>
                            })}
                            {can_review.then(|| {
                                let id = id.clone();
                                let position = r.position;
                                let key = r.key.clone();
                                let (agree, disagree) = (r.agree, r.disagree);
                                let mine = r.mine.clone();
                                let agreed = mine.as_ref().is_some_and(|m| m.0);
                                let disagreed = mine.as_ref().is_some_and(|m| !m.0);
                                let comment = mine.map(|m| m.1).unwrap_or_default();
                                let yes_id = format!("agree-yes-{position}");
                                let no_id = format!("agree-no-{position}");
                                let comment_id = format!("comment-{position}");
                                view! {
                                    <p class="small">{t!(i18n, questions.reactions, agree = agree, disagree = disagree)}</p>
                                    <PostForm action=review id=format!("form-review-{position}") attr:class="form review-form">
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="position" value=position.to_string() />
                                        <input type="hidden" name="seen" value=key.clone() />
                                        <fieldset class="field">
                                            <legend>{t!(i18n, questions.do_you_agree)}</legend>
                                            <div class="check">
                                                <input type="radio" id=yes_id.clone() name="agrees" value="yes"
                                                    checked=crate::components::form::remembered_choice("agrees", "yes").unwrap_or(agreed) />
                                                <label for=yes_id.clone()>{t!(i18n, questions.agree)}</label>
                                            </div>
                                            <div class="check">
                                                <input type="radio" id=no_id.clone() name="agrees" value="no"
                                                    checked=crate::components::form::remembered_choice("agrees", "no").unwrap_or(disagreed) />
                                                <label for=no_id.clone()>{t!(i18n, questions.disagree)}</label>
                                            </div>
                                        </fieldset>
                                        <div class="field">
                                            <label for=comment_id.clone()>{t!(i18n, questions.comment)}</label>
                                            <textarea id=comment_id.clone() name="comment" rows="2">{crate::components::form::remembered("comment").unwrap_or(comment)}</textarea>
                                        </div>
                                        <button type="submit" class="button button--small">{t!(i18n, questions.send_reaction)}</button>
                                    </PostForm>
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <ErrorBox error=review_error />
            <p class="small">{t!(i18n, questions.participants, n = participants)}</p>
            {advice.feedback_due.clone().map(|d| view! {
                <p class="notice notice--info">
                    <span class="notice__icon" aria-hidden="true">"i"</span>
                    <span>{t!(i18n, questions.feedback_due, date = d.clone())}</span>
                </p>
            })}
        </section>
    }
}

/// Members' agree and disagree counts and comments (writer, text) for one recommendation.
type Reaction = (i64, i64, Vec<(String, String)>);

/// The coordinator writes the advice: a summary and numbered recommendations, each with
/// the numbers of the inputs it rests on.
#[component]
fn AdviceForm(
    id: String,
    advice: Option<crate::model::AdviceView>,
    action: ServerAction<SaveAdvice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = advice
        .as_ref()
        .map(|a| a.summary.clone())
        .unwrap_or_default();
    let reactions: Vec<Reaction> = advice
        .as_ref()
        .map(|a| {
            a.recommendations
                .iter()
                .map(|r| (r.agree, r.disagree, r.comments.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<(String, String)> = advice
        .as_ref()
        .map(|a| {
            a.recommendations
                .iter()
                .map(|r| {
                    let numbers: Vec<String> =
                        r.supported_by.iter().map(|n| n.to_string()).collect();
                    (r.body.clone(), numbers.join(", "))
                })
                .collect()
        })
        .unwrap_or_default();
    rows.push((String::new(), String::new()));
    rows.push((String::new(), String::new()));
    let saved = crate::components::form::action_done(action);
    view! {
        <section class="section" aria-labelledby="advice-form-heading">
            <h2 id="advice-form-heading">{t!(i18n, questions.advice_form_heading)}</h2>
            <p>{t!(i18n, questions.advice_form_intro)}</p>
            <ErrorBox error />
            <crate::components::form::SuccessNote show=saved>
                {t!(i18n, questions.advice_saved)}
            </crate::components::form::SuccessNote>
            <PostForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=id />
                <TextArea
                    name="summary"
                    label=Signal::derive(move || t_string!(i18n, questions.advice_summary).to_string())
                    hint=Signal::derive(move || t_string!(i18n, questions.advice_summary_hint).to_string())
                    value=summary
                    rows=5
                    problem=field_problem(error, "summary")
                />
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (body, supported))| {
                        let n = i + 1;
                        let rec_id = format!("recommendation-{n}");
                        let sup_id = format!("supported-{n}");
                        let rec_field = format!("recommendation_{n}");
                        let sup_field = format!("supported_by_{n}");
                        let rec_problem = Signal::derive(move || {
                            error.get().and_then(|e| e.problem_for(&rec_field))
                        });
                        let sup_problem = Signal::derive(move || {
                            error.get().and_then(|e| e.problem_for(&sup_field))
                        });
                        let reaction = reactions.get(i).cloned();
                        view! {
                            <fieldset class="recommendation-row">
                                <legend>{t!(i18n, questions.recommendation_n, n = n)}</legend>
                                <div class="field" class:field--invalid=move || rec_problem.get().is_some()>
                                    <label for=rec_id.clone()>{t!(i18n, questions.recommendation_text)}</label>
                                    <p class="field__error" hidden=move || rec_problem.get().is_none()>
                                        {move || rec_problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
                                    </p>
                                    <textarea id=rec_id name="recommendations[]" rows="3">{crate::components::form::remembered_nth("recommendations[]", i).unwrap_or(body)}</textarea>
                                </div>
                                <div class="field" class:field--invalid=move || sup_problem.get().is_some()>
                                    <label for=sup_id.clone()>{t!(i18n, questions.supported_by)}</label>
                                    <p class="field__error" hidden=move || sup_problem.get().is_none()>
                                        {move || sup_problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
                                    </p>
                                    <input id=sup_id name="supported_by[]" type="text" value=crate::components::form::remembered_nth("supported_by[]", i).unwrap_or(supported) />
                                </div>
                                {reaction.map(|(agree, disagree, comments)| view! {
                                    <p class="small">{t!(i18n, questions.reactions, agree = agree, disagree = disagree)}</p>
                                    <ul class="plain-list small">
                                        {comments.into_iter().map(|(name, text)| view! { <li><strong>{name}</strong>": " {text}</li> }).collect_view()}
                                    </ul>
                                })}
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <p class="field__error" hidden=move || error.get().and_then(|e| e.problem_for("recommendations")).is_none()>
                    {move || {
                        error
                            .get()
                            .and_then(|e| e.problem_for("recommendations"))
                            .map(|p| crate::components::form::problem_view(i18n, p))
                    }}
                </p>
                <button type="submit" class="button button--primary">{t!(i18n, questions.save_advice)}</button>
            </PostForm>
        </section>
    }
}

/// The coordinator names the policy maker who takes on a subject the panel raised.
#[component]
fn AssignForm(
    id: String,
    policy_makers: Vec<crate::model::PolicyMakerOption>,
    action: ServerAction<AssignQuestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    if policy_makers.is_empty() {
        return view! {
            <p class="notice notice--info">
                <span class="notice__icon" aria-hidden="true">"i"</span>
                <span>{t!(i18n, questions.no_policy_makers)}</span>
            </p>
        }
        .into_any();
    }
    let options = Signal::derive(move || {
        let mut o = vec![(
            String::new(),
            t_string!(i18n, questions.choose_policy_maker).to_string(),
        )];
        o.extend(policy_makers.iter().map(|p| {
            let name = match &p.municipality {
                Some(m) => format!("{} ({m})", p.name),
                None => p.name.clone(),
            };
            (p.id.to_string(), name)
        }));
        o
    });
    view! {
        <section class="section panel-box" aria-labelledby="assign-heading">
            <h2 id="assign-heading">{t!(i18n, questions.assign_heading)}</h2>
            <PostForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=id />
                <SelectField name="policy_maker"
                    label=Signal::derive(move || t_string!(i18n, questions.assign_label).to_string())
                    hint=Signal::derive(move || t_string!(i18n, questions.assign_hint).to_string())
                    options
                    problem=field_problem(error, "policy_maker") />
                <button type="submit" class="button button--primary">{t!(i18n, questions.assign)}</button>
            </PostForm>
        </section>
    }
    .into_any()
}

/// The input round: the coordinator opens it with an optional last day (and changes that
/// day while it runs); everyone sees until when views can be given.
#[component]
fn InputRound(
    id: String,
    may_open: bool,
    manages: bool,
    collecting: bool,
    closes_on: String,
    closes_on_iso: String,
    closed: bool,
    open: ServerAction<OpenInput>,
    change: ServerAction<SetInputClosing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open_error = action_error(open);
    let id_open = id.clone();
    let change_error = action_error(change);
    let label = Signal::derive(move || t_string!(i18n, questions.closes_on).to_string());
    let hint = Signal::derive(move || t_string!(i18n, questions.closes_on_hint).to_string());
    let notice = (collecting && !closes_on.is_empty()).then(|| {
        let date = closes_on.clone();
        view! {
            <p class="notice notice--info" id="input-closing">
                <span class="notice__icon" aria-hidden="true">"i"</span>
                <span>{if closed {
                    t!(i18n, questions.input_closed_on, date = date.clone()).into_any()
                } else {
                    t!(i18n, questions.input_closes, date = date.clone()).into_any()
                }}</span>
            </p>
        }
    });
    view! {
        {notice}
        {may_open.then(|| view! {
            <PostForm action=open attr:class="form panel-box" attr:novalidate=true>
                <input type="hidden" name="id" value=id_open />
                <TextField name="closes_on" kind="date" label hint required=false problem=field_problem(open_error, "closes_on") />
                <button type="submit" class="button button--primary">{t!(i18n, questions.open_input)}</button>
            </PostForm>
        })}
        {(collecting && manages).then(|| view! {
            <details class="inline-details">
                <summary>{t!(i18n, questions.set_closing)}</summary>
                <PostForm action=change attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id.clone() />
                    <TextField name="closes_on" kind="date" label hint required=false value=closes_on_iso.clone() problem=field_problem(change_error, "closes_on") />
                    <button type="submit" class="button">{t!(i18n, questions.set_closing)}</button>
                </PostForm>
            </details>
        })}
    }
}
