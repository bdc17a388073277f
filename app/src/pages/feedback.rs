//! The feedback loop's pages: the owner answers the advice, the coordinator makes and
//! publishes the infographic, and anyone reads a published one (members rate it).

use crate::api::{
    CloseQuestion, RateFeedback, SaveFeedback, SaveInfographic, SetEscalationEmail, UpdateProgress,
};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SuccessNote, TextArea, TextField,
};
use crate::components::infographic::{progress_word, status_word, InfographicView};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{
    ColourTheme, FeedbackView, Progress, ProgressUpdate, QuotableInput, ResponseStatus,
    ResponseView,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::{Meta, Title};
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_params_map;

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// A problem of one numbered field (`explanation_2`), shown above it.
fn numbered_problem(
    error: Signal<Option<AppError>>,
    field: String,
) -> Signal<Option<crate::domain::Problem>> {
    Signal::derive(move || error.get().and_then(|e| e.problem_for(&field)))
}

#[component]
fn FieldError(problem: Signal<Option<crate::domain::Problem>>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field__error" id=id hidden=move || problem.get().is_none()>
            {move || problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
        </p>
    }
}

/// The owner answers every recommendation: adopted, partly, not adopted or still open,
/// with an explanation, the reason (partly or not), what changes for young people, and a
/// follow-up date (still open). Saved as a draft or submitted to the panel. The form is
/// not reloaded after saving, so nothing typed is lost.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let save = ServerAction::<SaveFeedback>::new();
    let data = Resource::new(id, crate::api::load_feedback_form);
    let error = action_error(save);
    let outcome = crate::components::form::action_output(save);
    view! {
        <Title text=t_string!(i18n, feedback.form_title).to_string() />
        <section class="page">
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        crate::pages::respond_not_found();
                        view! { <ErrorBox error=Some(e) /> }.into_any()
                    }
                    Ok((title, fb)) if !fb.may_respond => view! {
                        <h1>{title}</h1>
                        <p class="notice notice--info">
                            <span class="notice__icon" aria-hidden="true">"i"</span>
                            <span>{t!(i18n, feedback.not_yours)}</span>
                        </p>
                    }.into_any(),
                    Ok((title, fb)) => feedback_form(i18n, id(), title, fb, save, error, outcome).into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn feedback_form(
    i18n: I18nContext<Locale>,
    id: i64,
    title: String,
    fb: FeedbackView,
    save: ServerAction<SaveFeedback>,
    error: Signal<Option<AppError>>,
    outcome: Signal<Option<bool>>,
) -> impl IntoView {
    let statuses = ResponseStatus::ALL;
    view! {
        <p class="small"><A href=format!("/questions/{id}")>{t!(i18n, feedback.back_to_question)}</A></p>
        <h1>{t!(i18n, feedback.form_heading)}</h1>
        <p class="lead">{title}</p>
        <p>{t!(i18n, feedback.form_intro, date = fb.due.clone())}</p>
        {fb.submitted.clone().map(|d| view! {
            <p class="notice notice--info">
                <span class="notice__icon" aria-hidden="true">"i"</span>
                <span>{t!(i18n, feedback.submitted_on, date = d)}</span>
            </p>
        })}
        <ErrorBox error />
        <div role="status" aria-live="polite">
            {move || outcome.get().map(|submitted| view! {
                <p class="notice notice--success">
                    <span class="notice__icon" aria-hidden="true">"✓"</span>
                    <span>{if submitted {
                        t_string!(i18n, feedback.submitted).to_string()
                    } else {
                        t_string!(i18n, feedback.draft_saved).to_string()
                    }}</span>
                </p>
            })}
        </div>
        <PostForm action=save attr:class="form" attr:novalidate=true>
            <input type="hidden" name="id" value=id.to_string() />
            {fb.responses.into_iter().enumerate().map(|(i, r)| {
                let n = r.position;
                let kept = |name: &str, stored: &str| crate::components::form::remembered_nth(name, i).unwrap_or_else(|| stored.to_string());
                let kept_status = crate::components::form::remembered_nth("status[]", i);
                let status_id = format!("status-{n}");
                let explanation_id = format!("explanation-{n}");
                let reason_id = format!("reason-{n}");
                let changes_id = format!("changes-{n}");
                let follow_id = format!("follow-up-{n}");
                let status_problem = numbered_problem(error, format!("status_{n}"));
                let explanation_problem = numbered_problem(error, format!("explanation_{n}"));
                let reason_problem = numbered_problem(error, format!("reason_{n}"));
                let changes_problem = numbered_problem(error, format!("changes_{n}"));
                let follow_problem = numbered_problem(error, format!("follow_up_{n}"));
                let current = r.status;
                view! {
                    <fieldset class="recommendation-row">
                        <legend>{t!(i18n, feedback.recommendation_n, n = n)}</legend>
                        <p class="preserve-lines recommendation-text">{r.recommendation.clone()}</p>
                        <div class="field" class:field--invalid=move || status_problem.get().is_some()>
                            <label for=status_id.clone()>{t!(i18n, feedback.status_label)}</label>
                            <FieldError problem=status_problem id=format!("{status_id}-error") />
                            <select id=status_id.clone() name="status[]" aria-invalid=move || status_problem.get().is_some().then_some("true")>
                                <option value="" selected=kept_status.as_deref().map_or(current.is_none(), str::is_empty)>{t!(i18n, feedback.status_choose)}</option>
                                {statuses.into_iter().map(|s| view! {
                                    <option value=s.as_str() selected=kept_status.as_deref().map_or(current == Some(s), |v| v == s.as_str())>{s.icon()}" "{move || status_word(i18n, s)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field" class:field--invalid=move || explanation_problem.get().is_some()>
                            <label for=explanation_id.clone()>{t!(i18n, feedback.explanation_label)}</label>
                            <p class="field__hint">{t!(i18n, feedback.explanation_hint)}</p>
                            <FieldError problem=explanation_problem id=format!("{explanation_id}-error") />
                            <textarea id=explanation_id name="explanation[]" rows="4">{kept("explanation[]", &r.explanation)}</textarea>
                        </div>
                        <div class="field" class:field--invalid=move || reason_problem.get().is_some()>
                            <label for=reason_id.clone()>{t!(i18n, feedback.reason_label)}</label>
                            <p class="field__hint">{t!(i18n, feedback.reason_hint)}</p>
                            <FieldError problem=reason_problem id=format!("{reason_id}-error") />
                            <textarea id=reason_id name="reason[]" rows="3">{kept("reason[]", &r.reason)}</textarea>
                        </div>
                        <div class="field" class:field--invalid=move || changes_problem.get().is_some()>
                            <label for=changes_id.clone()>{t!(i18n, feedback.changes_label)}</label>
                            <FieldError problem=changes_problem id=format!("{changes_id}-error") />
                            <textarea id=changes_id name="changes[]" rows="3">{kept("changes[]", &r.changes)}</textarea>
                        </div>
                        <div class="field" class:field--invalid=move || follow_problem.get().is_some()>
                            <label for=follow_id.clone()>{t!(i18n, feedback.follow_up_label)}</label>
                            <p class="field__hint">{t!(i18n, feedback.follow_up_hint)}</p>
                            <FieldError problem=follow_problem id=format!("{follow_id}-error") />
                            <input id=follow_id name="follow_up[]" type="date" value=kept("follow_up[]", &r.follow_up_iso) />
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <TextArea
                name="message"
                label=Signal::derive(move || t_string!(i18n, feedback.message_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, feedback.message_hint).to_string())
                value=fb.message.clone()
                rows=5
                problem=field_problem(error, "message")
            />
            <div class="button-row">
                {fb.submitted.is_none().then(|| view! {
                    <button type="submit" class="button" hidden=move || outcome.get() == Some(true)>
                        {t!(i18n, feedback.save_draft)}
                    </button>
                })}
                <button type="submit" class="button button--primary" name="submit" value="yes">{t!(i18n, feedback.submit)}</button>
            </div>
        </PostForm>
    }
}

/// The feedback part of a question page: due date (and how late), the answers once
/// submitted, what the owner and the coordinator can do, the published infographic and
/// the members' rating.
#[component]
pub fn FeedbackSection(
    id: i64,
    feedback: FeedbackView,
    infographic: Option<crate::model::Infographic>,
    close: ServerAction<CloseQuestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let escalation = ServerAction::<SetEscalationEmail>::new();
    let escalation_error = action_error(escalation);
    let escalation_saved = action_done(escalation);
    let close_error = action_error(close);
    let progress = ServerAction::<UpdateProgress>::new();
    let fb = feedback;
    let may_track = fb.may_track;
    view! {
        <section class="section feedback" id="feedback" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{t!(i18n, feedback.section_heading)}</h2>
            {match (fb.submitted.clone(), fb.days_overdue) {
                (Some(d), _) => view! { <p class="small">{t!(i18n, feedback.submitted_on, date = d)}</p> }.into_any(),
                (None, 0) => view! { <p>{t!(i18n, feedback.due_on, date = fb.due.clone())}</p> }.into_any(),
                (None, days) => view! {
                    <p class="notice notice--error">
                        <span class="notice__icon" aria-hidden="true">"!"</span>
                        <span>{t!(i18n, feedback.overdue, date = fb.due.clone(), days = days)}</span>
                    </p>
                }.into_any(),
            }}
            {fb.may_respond.then(|| view! {
                <p><A href=format!("/questions/{id}/feedback") attr:class="button button--primary">{t!(i18n, feedback.respond)}</A></p>
            })}
            {(!fb.responses.is_empty() && fb.submitted.is_some()).then(|| view! {
                <ol class="responses">
                    {fb.responses.iter().map(|r| view! { <AnswerItem id answer=r.clone() may_track action=progress /> }).collect_view()}
                </ol>
                {(!fb.message.is_empty()).then(|| view! {
                    <h3>{t!(i18n, feedback.message_heading)}</h3>
                    <p class="preserve-lines">{fb.message.clone()}</p>
                })}
            })}
            {fb.ratings.clone().map(|r| view! {
                <h3>{t!(i18n, feedback.ratings_heading)}</h3>
                {if r.count == 0 {
                    view! { <p class="small">{t!(i18n, feedback.no_ratings)}</p> }.into_any()
                } else {
                    let average = format!("{},{}", r.average_tenths / 10, r.average_tenths % 10);
                    view! {
                        <p>{t!(i18n, feedback.rating_summary, count = r.count, average = average)}</p>
                        <ul class="plain-list small">
                            {r.comments.into_iter().map(|(score, c)| view! { <li>{format!("{score}/5: {c}")}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            })}
            {fb.escalation_email.clone().filter(|_| fb.may_close).map(|email| view! {
                <PostForm action=escalation attr:class="form form--inline" attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string() />
                    <TextField
                        name="escalation_email"
                        kind="email"
                        required=false
                        label=Signal::derive(move || t_string!(i18n, feedback.escalation_label).to_string())
                        hint=Signal::derive(move || t_string!(i18n, feedback.escalation_hint).to_string())
                        value=email
                        problem=field_problem(escalation_error, "escalation_email")
                    />
                    <button type="submit" class="button button--small">{t!(i18n, feedback.escalation_save)}</button>
                </PostForm>
                <SuccessNote show=escalation_saved>{t!(i18n, feedback.saved)}</SuccessNote>
            })}
            {fb.may_edit_infographic.then(|| view! {
                <p><A href=format!("/questions/{id}/infographic") attr:class="button">{
                    let published = fb.published.is_some();
                    move || if published { t_string!(i18n, feedback.edit_infographic) } else { t_string!(i18n, feedback.make_infographic) }
                }</A></p>
            })}
            {infographic.map(|g| {
                let path = fb.public_path.clone().unwrap_or_default();
                view! {
                    <InfographicView graphic=g />
                    <p class="small"><a href=path>{t!(i18n, feedback.public_link)}</a></p>
                    {fb.may_rate.then(|| view! {
                        <h3>{t!(i18n, feedback.rate_heading)}</h3>
                        <RatingForm id mine=fb.my_rating.clone() />
                    })}
                }
            })}
            {fb.may_close.then(|| view! {
                <PostForm action=close attr:class="form form--inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button">{t!(i18n, feedback.close_question)}</button>
                </PostForm>
                <ErrorBox error=close_error />
            })}
        </section>
    }
}

/// One recommendation with the owner's answer and, when (partly) adopted, what became of
/// it.
#[component]
fn AnswerItem(
    id: i64,
    answer: ResponseView,
    may_track: bool,
    action: ServerAction<UpdateProgress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = answer;
    let status = r.status;
    view! {
        <li>
            <p class="preserve-lines">{r.recommendation.clone()}</p>
            {status.map(|s| view! {
                <p class=format!("status-tag status-tag--{}", s.as_str())>
                    <span aria-hidden="true">{s.icon()}</span>" "{move || status_word(i18n, s)}
                </p>
            })}
            <p class="preserve-lines">{r.explanation.clone()}</p>
            {(!r.reason.is_empty()).then(|| view! {
                <p class="preserve-lines"><strong>{t!(i18n, feedback.reason_short)}</strong>" "{r.reason.clone()}</p>
            })}
            {(!r.changes.is_empty()).then(|| view! {
                <p class="preserve-lines"><strong>{t!(i18n, feedback.changes_short)}</strong>" "{r.changes.clone()}</p>
            })}
            {(!r.follow_up.is_empty()).then(|| view! {
                <p class="small">{t!(i18n, feedback.follow_up_on, date = r.follow_up.clone())}</p>
            })}
            {matches!(status, Some(ResponseStatus::Adopted | ResponseStatus::Partly)).then(|| view! {
                <ProgressTrack id position=r.position updates=r.progress.clone() may_track action />
            })}
        </li>
    }
}

/// What became of an adopted recommendation: its dated updates, newest first, and for
/// the owner and the coordinators (until it is done or stopped) the form to add one.
#[component]
fn ProgressTrack(
    id: i64,
    position: i64,
    updates: Vec<ProgressUpdate>,
    may_track: bool,
    action: ServerAction<UpdateProgress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let finished = updates.last().is_some_and(|u| u.state.is_final());
    let latest = updates.last().cloned();
    let saved = crate::components::form::sent_ok(&format!("form-progress-{position}"));
    view! {
        <div class="progress-track">
            <h3 class="progress-track__heading">{t!(i18n, feedback.progress_heading)}</h3>
            {if updates.is_empty() {
                view! { <p class="small">{t!(i18n, feedback.progress_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="progress-track__updates">
                        {updates.into_iter().rev().map(|u| view! { <ProgressEntry update=u /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <SuccessNote show=Signal::derive(move || saved)>{t!(i18n, feedback.progress_saved)}</SuccessNote>
            {(may_track && !finished).then(|| view! { <ProgressForm id position latest action /> })}
        </div>
    }
}

/// One dated update.
#[component]
fn ProgressEntry(update: ProgressUpdate) -> impl IntoView {
    let i18n = use_i18n();
    let state = update.state;
    view! {
        <li>
            <p>
                <span class=format!("status-tag progress-tag progress-tag--{}", state.as_str())>
                    <span aria-hidden="true">{state.icon()}</span>" "{move || progress_word(i18n, state)}
                </span>
                " "<span class="small">{t!(i18n, feedback.progress_update)}" "{update.on.clone()}</span>
            </p>
            <p class="preserve-lines">{update.note.clone()}</p>
            {update.expected.clone().map(|d| view! { <p class="small">{t!(i18n, feedback.progress_expected, date = d)}</p> })}
            {update.on_behalf.then(|| view! { <p class="small">{t!(i18n, feedback.progress_on_behalf)}</p> })}
        </li>
    }
}

/// The form for a new update on recommendation `position`, folded away until opened (and
/// open when it came back refused, with what was typed).
#[component]
fn ProgressForm(
    id: i64,
    position: i64,
    /// The newest update: its state is chosen and its expected day filled in.
    latest: Option<ProgressUpdate>,
    action: ServerAction<UpdateProgress>,
) -> impl IntoView {
    use crate::components::form::{came_back, remembered};
    let i18n = use_i18n();
    let error = action_error(action);
    let form_id = format!("form-progress-{position}");
    let open = came_back(&form_id);
    let state_id = format!("progress-{position}");
    let expected_id = format!("expected-on-{position}");
    let note_id = format!("note-{position}");
    let refused = numbered_problem(error, format!("update_{position}"));
    let state_problem = numbered_problem(error, format!("progress_{position}"));
    let expected_problem = numbered_problem(error, format!("expected_on_{position}"));
    let note_problem = numbered_problem(error, format!("note_{position}"));
    let latest_state = latest.as_ref().map(|u| u.state);
    // The expected day as the date field wants it (`dd-mm-yyyy` back to `yyyy-mm-dd`).
    let expected = latest
        .and_then(|u| u.expected)
        .map(|d| d.split('-').rev().collect::<Vec<_>>().join("-"))
        .unwrap_or_default();
    view! {
        <details class="inline-details progress-track__form" open=open>
            <summary>{t!(i18n, feedback.progress_add)}</summary>
            {open.then(|| view! { <ErrorBox error /> })}
            <PostForm action id=form_id attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="position" value=position.to_string() />
                <FieldError problem=refused id=format!("update-{position}-error") />
                {move || {
                    let kept = remembered("progress")
                        .or_else(|| latest_state.map(|s| s.as_str().to_string()));
                    view! {
                        <div class="field" class:field--invalid=move || state_problem.get().is_some()>
                            <label for=state_id.clone()>{t!(i18n, feedback.progress_state_label)}</label>
                            <FieldError problem=state_problem id=format!("{state_id}-error") />
                            <select id=state_id.clone() name="progress">
                                {Progress::ALL.into_iter().map(|p| view! {
                                    <option value=p.as_str() selected=kept.as_deref() == Some(p.as_str())>{p.icon()}" "{move || progress_word(i18n, p)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }}
                <div class="field" class:field--invalid=move || expected_problem.get().is_some()>
                    <label for=expected_id.clone()>{t!(i18n, feedback.progress_expected_label)}</label>
                    <p class="field__hint">{t!(i18n, feedback.progress_expected_hint)}</p>
                    <FieldError problem=expected_problem id=format!("{expected_id}-error") />
                    <input id=expected_id name="expected_on" type="date" value=remembered("expected_on").unwrap_or(expected) />
                </div>
                <div class="field" class:field--invalid=move || note_problem.get().is_some()>
                    <label for=note_id.clone()>{t!(i18n, feedback.progress_note_label)}</label>
                    <p class="field__hint">{t!(i18n, feedback.progress_note_hint)}</p>
                    <FieldError problem=note_problem id=format!("{note_id}-error") />
                    <textarea id=note_id name="note" rows="3">{remembered("note").unwrap_or_default()}</textarea>
                </div>
                <button type="submit" class="button button--primary">{t!(i18n, feedback.progress_save)}</button>
            </PostForm>
        </details>
    }
}

/// "Was dit duidelijk?": 1 to 5 with an optional comment.
#[component]
pub fn RatingForm(id: i64, mine: Option<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let rate = ServerAction::<RateFeedback>::new();
    let error = action_error(rate);
    let done = action_done(rate);
    let (score, comment) = mine.unwrap_or((0, String::new()));
    view! {
        <PostForm action=rate attr:class="form rating-form" attr:novalidate=true>
            <input type="hidden" name="id" value=id.to_string() />
            <fieldset class="field" class:field--invalid=move || error.get().and_then(|e| e.problem_for("score")).is_some()>
                <legend>{t!(i18n, feedback.rate_question)}</legend>
                <p class="field__hint">{t!(i18n, feedback.rate_hint)}</p>
                <FieldError problem=field_problem(error, "score") id="score-error".to_string() />
                <div class="rating-scale">
                    {(1..=5).map(|n| {
                        let radio = format!("score-{n}");
                        view! {
                            <span class="rating-scale__choice">
                                <input type="radio" id=radio.clone() name="score" value=n.to_string()
                                    checked=crate::components::form::remembered_choice("score", &n.to_string()).unwrap_or(score == n) />
                                <label for=radio>{n}</label>
                            </span>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for="rating-comment">{t!(i18n, feedback.rate_comment)}</label>
                <textarea id="rating-comment" name="comment" rows="2">{crate::components::form::remembered("comment").unwrap_or(comment)}</textarea>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, feedback.rate_send)}</button>
            <SuccessNote show=done>{t!(i18n, feedback.rate_thanks)}</SuccessNote>
        </PostForm>
    }
}

/// The coordinator edits the infographic's texts, picks a colour theme, previews it and
/// publishes it.
#[component]
pub fn InfographicEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let save = ServerAction::<SaveInfographic>::new();
    // The preview reloads after a successful save only: a refused save keeps the form as
    // typed.
    let saved = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(
        move || (id(), saved.get()),
        |(id, _)| crate::api::load_infographic_editor(id),
    );
    let error = action_error(save);
    let outcome = crate::components::form::action_output(save);
    view! {
        <Title text=t_string!(i18n, feedback.editor_title).to_string() />
        <section class="page">
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        crate::pages::respond_not_found();
                        view! { <ErrorBox error=Some(e) /> }.into_any()
                    }
                    Ok(ed) => {
                        let id = id();
                        let published = ed.published.clone();
                        let theme = ed.theme;
                        let quote = ed.quote_input_id;
                        view! {
                            <p class="small"><A href=format!("/questions/{id}")>{t!(i18n, feedback.back_to_question)}</A></p>
                            <h1>{t!(i18n, feedback.editor_heading)}</h1>
                            <p class="lead">{ed.title.clone()}</p>
                            {published.clone().map(|d| view! {
                                <p class="notice notice--info">
                                    <span class="notice__icon" aria-hidden="true">"i"</span>
                                    <span>{t!(i18n, feedback.published_on, date = d)}" "<a href=ed.public_path.clone()>{t!(i18n, feedback.public_link)}</a></span>
                                </p>
                            })}
                            {(!ed.feedback_submitted).then(|| view! {
                                <p class="notice notice--info">
                                    <span class="notice__icon" aria-hidden="true">"i"</span>
                                    <span>{t!(i18n, feedback.waiting_for_answers)}</span>
                                </p>
                            })}
                            <div class="editor">
                                <div class="editor__form">
                                    <ErrorBox error />
                                    <div role="status" aria-live="polite">
                                        {move || outcome.get().map(|published| view! {
                                            <p class="notice notice--success">
                                                <span class="notice__icon" aria-hidden="true">"✓"</span>
                                                <span>{if published { t_string!(i18n, feedback.published) } else { t_string!(i18n, feedback.preview_updated) }}</span>
                                            </p>
                                        })}
                                    </div>
                                    <PostForm action=save attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <TextArea
                                            name="question_line"
                                            label=Signal::derive(move || t_string!(i18n, feedback.question_line_label).to_string())
                                            hint=Signal::derive(move || t_string!(i18n, feedback.question_line_hint).to_string())
                                            value=ed.question_line.clone()
                                            rows=2
                                            problem=field_problem(error, "question_line")
                                        />
                                        <TextArea
                                            name="said"
                                            label=Signal::derive(move || t_string!(i18n, feedback.said_label).to_string())
                                            value=ed.said.clone()
                                            rows=5
                                            problem=field_problem(error, "said")
                                        />
                                        <QuoteChoice quotable=ed.quotable.clone() quote error />
                                        <TextArea
                                            name="meaning"
                                            label=Signal::derive(move || t_string!(i18n, feedback.meaning_label).to_string())
                                            hint=Signal::derive(move || t_string!(i18n, feedback.meaning_hint).to_string())
                                            value=ed.meaning.clone()
                                            rows=5
                                            problem=field_problem(error, "meaning")
                                        />
                                        <ThemeChoice theme />
                                        <div class="button-row">
                                            {published.is_none().then(|| view! {
                                                <button type="submit" class="button">{t!(i18n, feedback.save_preview)}</button>
                                            })}
                                            <button type="submit" class="button button--primary" name="publish" value="yes" disabled=!ed.feedback_submitted>
                                                {let again = published.is_some(); move || if again { t_string!(i18n, feedback.republish) } else { t_string!(i18n, feedback.publish) }}
                                            </button>
                                        </div>
                                    </PostForm>
                                </div>
                                <div class="editor__preview">
                                    <h2 class="visually-hidden">{t!(i18n, feedback.preview)}</h2>
                                    <p class="small">{t!(i18n, feedback.preview_note)}</p>
                                    <InfographicView graphic=ed.preview.clone() />
                                </div>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

fn theme_name(i18n: I18nContext<Locale>, theme: ColourTheme) -> String {
    match theme {
        ColourTheme::Ocean => t_string!(i18n, feedback.theme_ocean),
        ColourTheme::Forest => t_string!(i18n, feedback.theme_forest),
        ColourTheme::Sunset => t_string!(i18n, feedback.theme_sunset),
        ColourTheme::Berry => t_string!(i18n, feedback.theme_berry),
    }
    .to_string()
}

/// A published infographic at its stable address, for anyone; its PNG is the page's
/// social preview. Members of the panel can rate it here.
#[component]
pub fn PublicInfographicPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = id_param();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // The downloads speak the language the page is read in.
    let download = move |id: i64, extension: &str| match i18n.get_locale() {
        Locale::en => format!("/infographics/{id}.{extension}?lang=en"),
        _ => format!("/infographics/{id}.{extension}"),
    };
    let data = Resource::new(
        move || (slug(), id()),
        |(slug, id)| crate::api::load_public_infographic(slug, id),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(e) => {
                    crate::pages::respond_not_found();
                    view! { <section class="page"><ErrorBox error=Some(e) /></section> }.into_any()
                }
                Ok(p) => {
                    let g = p.infographic.clone();
                    let title = format!("{} · {}", g.title, g.panel_name);
                    let description = g.question.clone();
                    let id = g.question_id;
                    let (slug, panel_name) = (g.panel_slug.clone(), g.panel_name.clone());
                    view! {
                        <Title text=title.clone() />
                        {crate::describe_page(description.clone())}
                        <Meta property="og:type" content="article" />
                        <Meta property="og:title" content=title.clone() />
                        <Meta property="og:description" content=description />
                        <Meta property="og:url" content=p.page_url.clone() />
                        <Meta property="og:image" content=p.image_url.clone() />
                        <Meta property="og:image:alt" content=format!("{} {}", t_string!(i18n, feedback.ig_heading), title) />
                        <Meta name="twitter:card" content="summary_large_image" />
                        <section class="page page--infographic">
                            <p class="small no-print"><A href=format!("/p/{slug}")>{panel_name}</A></p>
                            <InfographicView graphic=g />
                            <p class="button-row no-print">
                                <a class="button" href=move || download(id, "png") download=format!("terugkoppeling-{id}.png")>{t!(i18n, feedback.download_png)}</a>
                                <a class="button" href=move || download(id, "svg") download=format!("terugkoppeling-{id}.svg")>{t!(i18n, feedback.download_svg)}</a>
                            </p>
                            {p.may_rate.then(|| view! {
                                <section class="section no-print" aria-labelledby="rate-heading">
                                    <h2 id="rate-heading">{t!(i18n, feedback.rate_heading)}</h2>
                                    <RatingForm id mine=p.my_rating.clone() />
                                </section>
                            })}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The one input quoted on the infographic (only inputs whose author allowed quoting), or
/// none.
#[component]
fn QuoteChoice(
    quotable: Vec<QuotableInput>,
    quote: Option<i64>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field" class:field--invalid=move || error.get().and_then(|e| e.problem_for("quote")).is_some()>
            <legend>{t!(i18n, feedback.quote_label)}</legend>
            <p class="field__hint">{t!(i18n, feedback.quote_hint)}</p>
            <FieldError problem=field_problem(error, "quote") id="quote-error".to_string() />
            <div class="check">
                <input type="radio" id="quote-none" name="quote" value="" checked=quote.is_none() />
                <label for="quote-none">{t!(i18n, feedback.no_quote)}</label>
            </div>
            {quotable.iter().map(|q| {
                let radio = format!("quote-{}", q.id);
                view! {
                    <div class="check">
                        <input type="radio" id=radio.clone() name="quote" value=q.id.to_string() checked=quote == Some(q.id) />
                        <label for=radio>{format!("#{} ", q.number)}{q.body.clone()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The infographic's colour theme, each with a swatch.
#[component]
fn ThemeChoice(theme: ColourTheme) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field">
            <legend>{t!(i18n, feedback.theme_label)}</legend>
            <div class="theme-choices">
                {ColourTheme::ALL.into_iter().map(|t| {
                    let radio = format!("theme-{}", t.as_str());
                    let swatch = format!("swatch swatch--{}", t.as_str());
                    view! {
                        <span class="check">
                            <input type="radio" id=radio.clone() name="theme" value=t.as_str() checked=theme == t />
                            <label for=radio><span class=swatch aria-hidden="true"></span>{move || theme_name(i18n, t)}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
