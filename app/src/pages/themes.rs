use crate::api::{DecideTheme, EndorseTheme, ProposeTheme};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SuccessNote, TextArea, TextField,
};
use crate::domain::lengths;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::ThemeView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The panel's themes, set together: proposals with their support, the coordinator's
/// decisions, and a form to propose one.
#[component]
pub fn ThemesPage() -> impl IntoView {
    let i18n = use_i18n();
    let propose = ServerAction::<ProposeTheme>::new();
    let endorse = ServerAction::<EndorseTheme>::new();
    let decide = ServerAction::<DecideTheme>::new();
    let page = Resource::new(
        move || {
            (
                propose.version().get(),
                endorse.version().get(),
                decide.version().get(),
            )
        },
        |_| crate::api::load_themes(),
    );
    let propose_error = action_error(propose);
    let proposed = action_done(propose);
    let list_error = Signal::derive(move || {
        action_error(endorse)
            .get()
            .or_else(|| action_error(decide).get())
    });
    let label = move |text: fn(leptos_i18n::I18nContext<Locale>) -> String| {
        Signal::derive(move || text(i18n))
    };
    view! {
        <Title text=t_string!(i18n, themes.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, themes.title)}</h1>
            <p class="lead">{t!(i18n, themes.intro)}</p>
            <ErrorBox error=list_error />
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    page.get().map(|result| match result {
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                        Ok(p) => {
                            let tools = ThemeTools {
                                may_endorse: p.may_endorse,
                                may_decide: p.may_decide,
                                endorse,
                                decide,
                            };
                            let of = |status: &str| -> Vec<ThemeView> {
                                p.themes.iter().filter(|t| t.status == status).cloned().collect()
                            };
                            let (adopted, proposals, archived) = (of("adopted"), of("proposed"), of("archived"));
                            view! {
                                <section class="section" aria-labelledby="adopted-heading">
                                    <h2 id="adopted-heading">{t!(i18n, themes.adopted_heading)}</h2>
                                    {if adopted.is_empty() {
                                        view! { <p class="empty">{t!(i18n, themes.none_adopted)}</p> }.into_any()
                                    } else {
                                        view! { <ul class="row-list" id="themes-adopted">{adopted.into_iter().map(|t| view! { <ThemeRow theme=t tools /> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="section" aria-labelledby="proposed-heading">
                                    <h2 id="proposed-heading">{t!(i18n, themes.proposed_heading)}</h2>
                                    {if proposals.is_empty() {
                                        view! { <p class="empty">{t!(i18n, themes.none_proposed)}</p> }.into_any()
                                    } else {
                                        view! { <ul class="row-list" id="themes-proposed">{proposals.into_iter().map(|t| view! { <ThemeRow theme=t tools /> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                {(!archived.is_empty()).then(|| view! {
                                    <section class="section" aria-labelledby="archived-heading">
                                        <h2 id="archived-heading">{t!(i18n, themes.archived_heading)}</h2>
                                        <ul class="row-list" id="themes-archived">{archived.into_iter().map(|t| view! { <ThemeRow theme=t tools /> }).collect_view()}</ul>
                                    </section>
                                })}
                            }
                                .into_any()
                        }
                    })
                }}
            </Suspense>
            // Outside the list, so what was typed stays when the list reloads.
            <section class="section panel-box" aria-labelledby="propose-heading">
                <h2 id="propose-heading">{t!(i18n, themes.propose_heading)}</h2>
                <SuccessNote show=proposed>{t!(i18n, themes.proposed_thanks)}</SuccessNote>
                <PostForm action=propose attr:class="form" attr:novalidate=true>
                    <TextField name="name" label=label(|i| t_string!(i, themes.field_name).to_string())
                        hint=label(|i| t_string!(i, themes.field_name_hint).to_string())
                        maxlength=lengths::THEME_NAME problem=field_problem(propose_error, "name") />
                    <TextArea name="description" label=label(|i| t_string!(i, themes.field_description).to_string())
                        hint=label(|i| t_string!(i, themes.field_description_hint).to_string())
                        rows=3 problem=field_problem(propose_error, "description") />
                    <button type="submit" class="button button--primary">{t!(i18n, themes.propose)}</button>
                </PostForm>
            </section>
        </section>
    }
}

#[derive(Clone, Copy)]
struct ThemeTools {
    may_endorse: bool,
    may_decide: bool,
    endorse: ServerAction<EndorseTheme>,
    decide: ServerAction<DecideTheme>,
}

#[component]
fn ThemeRow(theme: ThemeView, tools: ThemeTools) -> impl IntoView {
    let i18n = use_i18n();
    let id = theme.id.to_string();
    let id_endorse = id.clone();
    let proposed = theme.status == "proposed";
    let (support, questions) = (theme.endorsements, theme.questions);
    let decisions: Vec<&'static str> = match theme.status.as_str() {
        "proposed" => vec!["adopt", "archive"],
        "adopted" => vec!["archive"],
        _ => vec!["adopt"],
    };
    let archived = theme.status == "archived";
    view! {
        <li class="row">
            <div class="row__main">
                <p class="row__title">{theme.name.clone()}</p>
                {(!theme.description.is_empty()).then(|| view! { <p class="preserve-lines">{theme.description.clone()}</p> })}
                <p class="row__meta">
                    {proposed.then(|| view! { <span>{t!(i18n, themes.supporters, n = support)}</span>" · " })}
                    <span>{t!(i18n, themes.questions_count, n = questions)}</span>
                    {theme.proposed_by.clone().map(|name| view! { " · " <span>{t!(i18n, themes.by, name = name.clone())}</span> })}
                </p>
            </div>
            <div class="row__actions">
                {(proposed && tools.may_endorse).then(|| if theme.endorsed_by_me {
                    view! { <span class="badge">"✓ " {t!(i18n, themes.endorsed)}</span> }.into_any()
                } else {
                    view! {
                        <PostForm action=tools.endorse id=format!("form-endorse-theme-{id_endorse}") attr:class="inline-form">
                            <input type="hidden" name="theme_id" value=id_endorse.clone() />
                            <button type="submit" class="button button--small">{t!(i18n, themes.endorse)}</button>
                        </PostForm>
                    }.into_any()
                })}
                {tools.may_decide.then(|| decisions.into_iter().map(|d| {
                    let id = id.clone();
                    view! {
                        <PostForm action=tools.decide id=format!("form-{d}-theme-{id}") attr:class="inline-form">
                            <input type="hidden" name="theme_id" value=id.clone() />
                            <input type="hidden" name="decision" value=d />
                            <button type="submit" class=if d == "adopt" { "button button--small button--primary" } else { "button button--small button--quiet" }>
                                {move || match d {
                                    "adopt" if archived => t_string!(i18n, themes.readopt).to_string(),
                                    "adopt" => t_string!(i18n, themes.adopt).to_string(),
                                    _ => t_string!(i18n, themes.archive).to_string(),
                                }}
                            </button>
                        </PostForm>
                    }
                }).collect_view())}
            </div>
        </li>
    }
}
