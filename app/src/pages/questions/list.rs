//! The panel's questions, filtered and searched.

use super::state_name;
use crate::components::form::ErrorBox;
use crate::domain::lengths;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::lifecycle::State;
use crate::model::{QuestionList, QuestionSummary};
use crate::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;

/// The panel's questions, filtered by state; policy makers start a new one here.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let param = move |name: &'static str| query.read().get(name).unwrap_or_default();
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
            <QuestionFilters list />
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
                                    {items.into_iter().map(|q| view! { <QuestionRow q /> }).collect_view()}
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

/// The filter bar: state, theme, municipality and words. A plain GET form, so it works
/// without script; the theme and municipality choices come with the list.
#[component]
fn QuestionFilters(list: Resource<Result<QuestionList, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &'static str| query.read().get(name).unwrap_or_default();
    let state = move || param("state");
    view! {
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
                <input id="filter-q" name="q" type="search" maxlength=lengths::SEARCH
                    placeholder=move || t_string!(i18n, questions.search_hint).to_string()
                    prop:value=move || param("q") />
            </div>
            <button type="submit" class="button">{t!(i18n, people.filter)}</button>
        </form>
    }
}

/// One question in the list: its title, state, theme, municipalities and due date.
#[component]
fn QuestionRow(q: QuestionSummary) -> impl IntoView {
    let i18n = use_i18n();
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
}
