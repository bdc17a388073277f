use crate::api::{AcceptAgreements, SaveAgreements};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SuccessNote, TextArea,
};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The panel's group agreements ("afspraken"): members accept them before anything else
/// and can read them back here; coordinators write them.
#[component]
pub fn AgreementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptAgreements>::new();
    let save = ServerAction::<SaveAgreements>::new();
    let agreements = Resource::new(
        move || (accept.version().get(), save.version().get()),
        |_| crate::api::load_agreements(),
    );
    let accept_error = action_error(accept);
    let save_error = action_error(save);
    let saved = action_done(save);

    view! {
        <Title text=t_string!(i18n, agreements.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, agreements.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    agreements
                        .get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(a) => {
                                let empty = a.text.trim().is_empty();
                                let paragraphs: Vec<String> = a
                                    .text
                                    .split("\n\n")
                                    .map(|p| p.trim().to_string())
                                    .filter(|p| !p.is_empty())
                                    .collect();
                                let text = a.text.clone();
                                view! {
                                    <p class="lead">{t!(i18n, agreements.intro, panel = a.panel_name.clone())}</p>
                                    {if empty {
                                        view! { <p class="empty">{t!(i18n, agreements.none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <div class="panel-box agreements">
                                                {paragraphs
                                                    .into_iter()
                                                    .map(|p| view! { <p class="preserve-lines">{p}</p> })
                                                    .collect_view()}
                                                {a.updated.clone().map(|d| view! {
                                                    <p class="small">{t!(i18n, agreements.updated, date = d.clone())}</p>
                                                })}
                                            </div>
                                        }
                                            .into_any()
                                    }}
                                    {match (&a.accepted, empty) {
                                        (Some(date), _) => {
                                            let date = date.clone();
                                            view! {
                                                <p class="notice notice--success">
                                                    <span class="notice__icon" aria-hidden="true">"✓"</span>
                                                    <span>{t!(i18n, agreements.accepted_on, date = date.clone())}</span>
                                                </p>
                                            }
                                                .into_any()
                                        }
                                        (None, false) => {
                                            view! {
                                                <ErrorBox error=accept_error />
                                                <PostForm action=accept attr:class="form">
                                                    <p>{t!(i18n, agreements.accept_text)}</p>
                                                    <button type="submit" class="button button--primary">
                                                        {t!(i18n, agreements.accept)}
                                                    </button>
                                                </PostForm>
                                            }
                                                .into_any()
                                        }
                                        (None, true) => ().into_any(),
                                    }}
                                    {a.can_edit.then(|| view! {
                                        <section class="section" aria-labelledby="edit-heading">
                                            <h2 id="edit-heading">{t!(i18n, agreements.edit_heading)}</h2>
                                            <ErrorBox error=save_error />
                                            <SuccessNote show=saved>{t!(i18n, agreements.saved)}</SuccessNote>
                                            <PostForm action=save attr:class="form" attr:novalidate=true>
                                                <TextArea
                                                    name="agreements"
                                                    label=Signal::derive(move || t_string!(i18n, agreements.text_label).to_string())
                                                    hint=Signal::derive(move || t_string!(i18n, agreements.text_hint).to_string())
                                                    value=text.clone()
                                                    rows=12
                                                    problem=field_problem(save_error, "agreements")
                                                />
                                                <div class="check">
                                                    <input type="checkbox" id="ask_again" name="ask_again" value="1" />
                                                    <label for="ask_again">{t!(i18n, agreements.ask_again)}</label>
                                                </div>
                                                <button type="submit" class="button button--primary">
                                                    {t!(i18n, agreements.save)}
                                                </button>
                                            </PostForm>
                                        </section>
                                    })}
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}
