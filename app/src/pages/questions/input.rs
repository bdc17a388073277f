//! The members' input on a question: each input with its endorsements, and the forms to
//! give, change, withdraw, hide or record it.

use super::detail::Moves;
use crate::api::{EndorseInput, HideInput, UpdateInput, WithdrawInput};
use crate::components::form::{
    action_error, came_back, field_problem, ErrorBox, PostForm, TextArea,
};
use crate::i18n::*;
use crate::lifecycle::{Action, State};
use crate::model::QuestionDetail;
use leptos::prelude::*;

/// What can be done with inputs on this page, shared by every input.
#[derive(Clone, Copy)]
pub(super) struct InputTools {
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

impl InputTools {
    fn new(q: &QuestionDetail, moves: Moves) -> Self {
        Self {
            may_endorse: q.actions.contains(&Action::Endorse),
            open: matches!(q.state, State::CollectingInput | State::AdviceDrafted),
            coordinator: q.actions.contains(&Action::RecordInput)
                || q.actions.contains(&Action::SendAdvice),
            endorse: moves.endorse,
            update: moves.update,
            withdraw: moves.withdraw,
            hide: moves.hide,
        }
    }
}

/// The members' input on the question, and the forms to give it (a member) or to record
/// what the group said at a meeting (the coordinator). Shown once there is input or it
/// can be given.
#[component]
pub(super) fn Inputs(q: QuestionDetail, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    let tools = InputTools::new(&q, moves);
    let can = |a: Action| q.actions.contains(&a);
    let inputs = q.inputs.clone();
    let show = !inputs.is_empty() || can(Action::GiveInput) || can(Action::RecordInput);
    let (give, record) = (moves.give, moves.record);
    let give_error = action_error(give);
    let record_error = action_error(record);
    let endorse_error = Signal::derive(move || {
        action_error(moves.endorse)
            .get()
            .or_else(|| action_error(moves.update).get())
            .or_else(|| action_error(moves.withdraw).get())
            .or_else(|| action_error(moves.hide).get())
    });
    let id = q.id.to_string();
    let (id_give, id_record) = (id.clone(), id);
    show.then(|| view! {
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
    })
}
