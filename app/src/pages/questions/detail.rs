//! One question's page: the question, what the viewer may do with it now, the input,
//! the advice, the policy maker's answer and the timeline.

use super::advice::{AdviceForm, AdviceSection};
use super::input::Inputs;
use super::{event_name, participation_name, state_explanation, state_name};
use crate::api::{
    AssignQuestion, CloseQuestion, EndorseInput, GiveInput, HideInput, MoveQuestion,
    RecordGroupInput, ReviewRecommendation, SaveAdvice, SetInputClosing, UpdateInput,
    WithdrawInput,
};
use crate::components::form::{
    action_error, field_problem, ErrorBox, PostForm, SelectField, TextArea, TextField,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::lifecycle::{Action, State};
use crate::model::{QuestionDetail, TimelineEntry};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_params_map;

/// The server actions of the question page. When any of them is done, the question is
/// read again.
#[derive(Clone, Copy)]
pub(super) struct Moves {
    /// Every lifecycle step without a form of its own (`move_question`).
    step: ServerAction<MoveQuestion>,
    assign: ServerAction<AssignQuestion>,
    set_closing: ServerAction<SetInputClosing>,
    close: ServerAction<CloseQuestion>,
    review: ServerAction<ReviewRecommendation>,
    save_advice: ServerAction<SaveAdvice>,
    pub(super) give: ServerAction<GiveInput>,
    pub(super) record: ServerAction<RecordGroupInput>,
    pub(super) endorse: ServerAction<EndorseInput>,
    pub(super) update: ServerAction<UpdateInput>,
    pub(super) withdraw: ServerAction<WithdrawInput>,
    pub(super) hide: ServerAction<HideInput>,
}

impl Moves {
    fn new() -> Self {
        Self {
            step: ServerAction::new(),
            assign: ServerAction::new(),
            set_closing: ServerAction::new(),
            close: ServerAction::new(),
            review: ServerAction::new(),
            save_advice: ServerAction::new(),
            give: ServerAction::new(),
            record: ServerAction::new(),
            endorse: ServerAction::new(),
            update: ServerAction::new(),
            withdraw: ServerAction::new(),
            hide: ServerAction::new(),
        }
    }

    /// How many actions are done; it grows with every one, so the question is read again.
    fn done(self) -> usize {
        [
            self.step.version().get(),
            self.assign.version().get(),
            self.set_closing.version().get(),
            self.close.version().get(),
            self.review.version().get(),
            self.save_advice.version().get(),
            self.give.version().get(),
            self.record.version().get(),
            self.endorse.version().get(),
            self.update.version().get(),
            self.withdraw.version().get(),
            self.hide.version().get(),
        ]
        .iter()
        .sum()
    }

    /// A refusal of one of the lifecycle moves, shown above the buttons.
    fn problem(self) -> Signal<Option<AppError>> {
        action_error(self.step)
    }
}

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
    let moves = Moves::new();
    let question = Resource::new(
        move || (id(), moves.done()),
        |(id, _)| crate::api::load_question(id),
    );
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
                        Ok(q) => view! { <QuestionBody q moves /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The page of a question the viewer may see.
#[component]
fn QuestionBody(q: QuestionDetail, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    let st = q.state;
    let id = q.id.to_string();
    let can = |a: Action| q.actions.contains(&a);
    let advice = q.advice.clone();
    let editing_advice = st == State::AdviceDrafted && can(Action::SendAdvice);
    let can_review = can(Action::ReviewAdvice);
    let advice_error = action_error(moves.save_advice);
    let (review, close) = (moves.review, moves.close);
    view! {
        <Title text=q.title.clone() />
        <article class="page">
            <QuestionHead q=q.clone() moves />
            <QuestionFacts q=q.clone() />
            {advice.clone().filter(|_| !editing_advice).map(|a| view! {
                <AdviceSection advice=a id=id.clone() can_review review />
            })}
            {q.feedback.clone().map(|f| view! {
                <crate::pages::feedback::FeedbackSection id=q.id feedback=f infographic=q.infographic.clone() close />
            })}
            {editing_advice.then(|| view! {
                <AdviceForm id=id.clone() advice=advice.clone() action=moves.save_advice error=advice_error />
            })}
            <Inputs q=q.clone() moves />
            <Timeline entries=q.timeline.clone() />
            <p><A href="/questions">{t!(i18n, questions.back)}</A></p>
        </article>
    }
}

/// The question's title and state, and what the viewer may do with it now.
#[component]
fn QuestionHead(q: QuestionDetail, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    let st = q.state;
    let can = |a: Action| q.actions.contains(&a);
    let return_error = action_error(moves.step);
    view! {
        <div class="hero">
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
            <ErrorBox error=moves.problem() />
            <MoveButtons q=q.clone() moves />
            {can(Action::Return).then(|| view! {
                <PostForm action=moves.step id="form-return-question" attr:class="form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="Return" />
                    <TextArea name="reason"
                        label=Signal::derive(move || t_string!(i18n, questions.return_reason).to_string())
                        hint=Signal::derive(move || t_string!(i18n, questions.return_reason_hint).to_string())
                        rows=3 problem=field_problem(return_error, "reason") />
                    <button type="submit" class="button">{t!(i18n, questions.give_back)}</button>
                </PostForm>
            })}
            {can(Action::Assign).then(|| view! {
                <AssignForm id=q.id.to_string() policy_makers=q.policy_makers.clone() action=moves.assign />
            })}
            <InputRound
                id=q.id.to_string()
                may_open=can(Action::OpenInput)
                manages=can(Action::RecordInput)
                collecting=st == State::CollectingInput
                closes_on=q.input_closes_on.clone()
                closes_on_iso=q.input_closes_on_iso.clone()
                closed=q.input_closed
                open=moves.step
                change=moves.set_closing
            />
        </div>
    }
}

/// The lifecycle moves open to the viewer, each a button.
#[component]
fn MoveButtons(q: QuestionDetail, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    let can = |a: Action| q.actions.contains(&a);
    view! {
        <div class="actions">
            {can(Action::Edit).then(|| view! {
                <a class="button" href=format!("/questions/{}/edit", q.id)>{t!(i18n, questions.edit)}</a>
            })}
            {can(Action::Submit).then(|| view! {
                <PostForm action=moves.step id="form-submit-question" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="Submit" />
                    <button type="submit" class="button button--primary">{t!(i18n, questions.submit)}</button>
                </PostForm>
            })}
            {can(Action::Accept).then(|| view! {
                <PostForm action=moves.step id="form-accept-question" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="Accept" />
                    <button type="submit" class="button button--primary">{t!(i18n, questions.accept)}</button>
                </PostForm>
            })}
            {can(Action::Acknowledge).then(|| view! {
                <PostForm action=moves.step id="form-acknowledge-question" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="Acknowledge" />
                    <button type="submit" class="button button--primary">{t!(i18n, questions.acknowledge)}</button>
                </PostForm>
            })}
            {can(Action::DraftAdvice).then(|| view! {
                <PostForm action=moves.step id="form-draft-advice" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="DraftAdvice" />
                    <button type="submit" class="button button--primary">{t!(i18n, questions.draft_advice)}</button>
                </PostForm>
            })}
            {can(Action::SendAdvice).then(|| view! {
                <PostForm action=moves.step id="form-send-advice" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="SendAdvice" />
                    <button type="submit" class="button button--primary">{t!(i18n, questions.send_advice)}</button>
                </PostForm>
            })}
            {can(Action::ReopenInput).then(|| view! {
                <PostForm action=moves.step id="form-reopen-input" attr:class="inline-form">
                    <input type="hidden" name="id" value=q.id.to_string() />
                    <input type="hidden" name="step" value="ReopenInput" />
                    <button type="submit" class="button">{t!(i18n, questions.reopen_input)}</button>
                </PostForm>
            })}
        </div>
    }
}

/// What is asked, of whom, for which municipalities, with its background and what is
/// still open to influence.
#[component]
fn QuestionFacts(q: QuestionDetail) -> impl IntoView {
    let i18n = use_i18n();
    let paragraphs = |text: &str| {
        text.split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| view! { <p class="preserve-lines">{p.to_string()}</p> })
            .collect_view()
    };
    view! {
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
                <div><dt>{t!(i18n, questions.field_participation)}</dt><dd>{let p = q.participation; move || participation_name(i18n, p)}</dd></div>
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
    }
}

/// What happened to the question, oldest first.
#[component]
fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, questions.timeline)}</h2>
            <ol class="timeline">
                {entries.into_iter().map(|e| {
                    let event = e.event;
                    view! {
                        <li>
                            <span class="timeline__when">{e.at}</span>" "
                            <strong>{move || event_name(i18n, event)}</strong>
                            {e.actor.map(|a| view! { " · " {a} })}
                            {(!e.detail.is_empty()).then(|| view! { <span class="timeline__detail">{e.detail.clone()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
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
    open: ServerAction<MoveQuestion>,
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
            <PostForm action=open id="form-open-input" attr:class="form panel-box" attr:novalidate=true>
                <input type="hidden" name="id" value=id_open />
                <input type="hidden" name="step" value="OpenInput" />
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
