//! The panel's advice on a question: reading and reacting to it, and the coordinator's
//! form to write it.

use crate::api::{ReviewRecommendation, SaveAdvice};
use crate::components::form::PostForm;
use crate::components::form::{action_error, field_problem, ErrorBox, TextArea};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The advice as sent (or as drafted, for the panel).
#[component]
pub(super) fn AdviceSection(
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
pub(super) fn AdviceForm(
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
