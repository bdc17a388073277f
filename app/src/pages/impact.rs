//! The impact overview: what the panel's advice changed, per period, theme and
//! municipality. Charts are SVG drawn on the server, each with its numbers in a table
//! beside it; every figure links to the questions behind it.

use crate::components::form::{problem_view, ErrorBox};
use crate::components::infographic::{progress_word, status_word};
use crate::components::layout::encode_query_value;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{ImpactFigure, ImpactFigures, ImpactPage, Progress, ResponseStatus};
use crate::pages::questions::state_name;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// The overview's filters as given, to keep them in the figures' links.
fn filter_query(page: &ImpactPage) -> String {
    let mut parts = vec![format!("period={}", encode_query_value(&page.period))];
    if page.period == "custom" {
        parts.push(format!("from={}&to={}", page.from, page.to));
    }
    if let Some(t) = page.theme {
        parts.push(format!("theme={t}"));
    }
    if let Some(m) = page.municipality {
        parts.push(format!("municipality={m}"));
    }
    parts.join("&")
}

fn figure_name(i18n: I18nContext<Locale>, figure: ImpactFigure) -> String {
    match figure {
        ImpactFigure::Received => t_string!(i18n, impact.received).to_string(),
        ImpactFigure::Advised => t_string!(i18n, impact.advised).to_string(),
        ImpactFigure::Answered => t_string!(i18n, impact.answered).to_string(),
        ImpactFigure::Closed => t_string!(i18n, impact.closed).to_string(),
        ImpactFigure::Overdue => t_string!(i18n, impact.overdue).to_string(),
        ImpactFigure::Answer(s) => status_word(i18n, s),
        ImpactFigure::Progress(Some(p)) => progress_word(i18n, p),
        ImpactFigure::Progress(None) => t_string!(i18n, impact.no_update).to_string(),
    }
}

/// One row of a chart and its table: the figure, its name and its number.
type Row = (ImpactFigure, String, i64);

fn flow_rows(i18n: I18nContext<Locale>, f: &ImpactFigures) -> Vec<Row> {
    [
        (ImpactFigure::Received, f.received),
        (ImpactFigure::Advised, f.advised),
        (ImpactFigure::Answered, f.answered),
        (ImpactFigure::Closed, f.closed),
    ]
    .into_iter()
    .map(|(fig, n)| (fig, figure_name(i18n, fig), n))
    .collect()
}

fn answer_rows(i18n: I18nContext<Locale>, f: &ImpactFigures) -> Vec<Row> {
    [
        (ResponseStatus::Adopted, f.adopted),
        (ResponseStatus::Partly, f.partly),
        (ResponseStatus::NotAdopted, f.not_adopted),
        (ResponseStatus::StillOpen, f.still_open),
    ]
    .into_iter()
    .map(|(s, n)| (ImpactFigure::Answer(s), status_word(i18n, s), n))
    .collect()
}

fn progress_rows(i18n: I18nContext<Locale>, f: &ImpactFigures) -> Vec<Row> {
    [
        (None, f.no_update),
        (Some(Progress::Planned), f.planned),
        (Some(Progress::InProgress), f.in_progress),
        (Some(Progress::Done), f.done),
        (Some(Progress::Stopped), f.stopped),
    ]
    .into_iter()
    .map(|(p, n)| {
        let fig = ImpactFigure::Progress(p);
        (fig, figure_name(i18n, fig), n)
    })
    .collect()
}

/// A horizontal bar chart (SVG, drawn here on the server) with its numbers as a table
/// beside it; each number links to the questions behind it.
#[component]
fn Chart(id: &'static str, heading: String, rows: Vec<Row>, link: String) -> impl IntoView {
    const ROW_H: usize = 34;
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    let height = rows.len() * ROW_H + 8;
    let summary = rows
        .iter()
        .map(|(_, name, n)| format!("{name}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let title_id = format!("{id}-chart");
    let labelled_by = title_id.clone();
    view! {
        <section class="impact__part" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            <div class="impact__chart">
                <svg class="chart" viewBox=format!("0 0 360 {height}") role="img" aria-labelledby=labelled_by>
                    <title id=title_id>{summary}</title>
                    {rows.iter().enumerate().map(|(i, (fig, name, n))| {
                        let y = i * ROW_H + 4;
                        let width = usize::try_from(*n * 180 / max).unwrap_or(0);
                        view! {
                            <text x="0" y=(y + 21).to_string() class="chart__label">{name.clone()}</text>
                            <rect x="150" y=(y + 6).to_string() width=width.max(1).to_string() height="20" rx="3"
                                class=format!("chart__bar chart__bar--{}", fig.key()) />
                            <text x=(156 + width).to_string() y=(y + 21).to_string() class="chart__value">{n.to_string()}</text>
                        }
                    }).collect_view()}
                </svg>
                <table class="impact__table">
                    <tbody>
                        {rows.iter().map(|(fig, name, n)| view! {
                            <tr>
                                <th scope="row">{name.clone()}</th>
                                <td><a href=format!("/impact?{link}&figure={}#behind", fig.key())>{n.to_string()}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The key numbers: adoption, speed, what is late, who took part.
#[component]
fn KeyNumbers(figures: ImpactFigures, link: String) -> impl IntoView {
    let i18n = use_i18n();
    let f = figures;
    let none = || "–".to_string();
    let percent = f.adoption_percent.map_or_else(none, |p| format!("{p}%"));
    let days = f.median_days.map_or_else(none, |d| d.to_string());
    let rating = f
        .rating_tenths
        .map_or_else(none, |r| format!("{},{}", r / 10, r % 10));
    view! {
        <section class="impact__part" aria-labelledby="impact-numbers">
            <h2 id="impact-numbers">{t!(i18n, impact.numbers)}</h2>
            <dl class="impact__numbers">
                <div><dt>{t!(i18n, impact.adoption)}</dt><dd id="impact-adoption">{percent}</dd></div>
                <div><dt>{t!(i18n, impact.median_days)}</dt><dd id="impact-median">{days}</dd></div>
                <div><dt>{t!(i18n, impact.overdue)}</dt><dd id="impact-overdue"><a href=format!("/impact?{link}&figure=overdue#behind")>{f.overdue_now}</a></dd></div>
                <div><dt>{t!(i18n, impact.members)}</dt><dd id="impact-members">{f.members}</dd></div>
                <div><dt>{t!(i18n, impact.meetings)}</dt><dd id="impact-meetings">{f.meetings}</dd></div>
                <div><dt>{t!(i18n, impact.ratings, n = f.ratings)}</dt><dd id="impact-rating">{rating}</dd></div>
            </dl>
        </section>
    }
}

/// The filter form: period (a year, a quarter or two days), theme and municipality. A
/// plain GET form.
#[component]
fn ImpactFilters(page: ImpactPage) -> impl IntoView {
    let i18n = use_i18n();
    let p = page;
    let custom = p.period == "custom";
    let periods: Vec<String> = p
        .years
        .iter()
        .flat_map(|y| {
            std::iter::once(y.to_string()).chain((1..=4).map(move |q| format!("{y}-q{q}")))
        })
        .collect();
    view! {
        <form method="get" action="/impact" class="form filters impact__filters">
            <div class="field">
                <label for="period">{t!(i18n, impact.period)}</label>
                <select id="period" name="period">
                    {periods.into_iter().map(|v| {
                        let selected = v == p.period;
                        let label = v.replace("-q", " K");
                        view! { <option value=v.clone() selected=selected>{label}</option> }
                    }).collect_view()}
                    <option value="custom" selected=custom>{t!(i18n, impact.custom)}</option>
                </select>
            </div>
            <div class="field">
                <label for="from">{t!(i18n, impact.from)}</label>
                <input id="from" name="from" type="date" value=custom.then(|| p.from.clone()) />
            </div>
            <div class="field">
                <label for="to">{t!(i18n, impact.to)}</label>
                <input id="to" name="to" type="date" value=custom.then(|| p.to.clone()) />
            </div>
            <div class="field">
                <label for="theme">{t!(i18n, impact.theme)}</label>
                <select id="theme" name="theme">
                    <option value="">{t!(i18n, impact.all_themes)}</option>
                    {p.filters.themes.iter().map(|t| view! {
                        <option value=t.id.to_string() selected=p.theme == Some(t.id)>{t.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="municipality">{t!(i18n, impact.municipality)}</label>
                <select id="municipality" name="municipality">
                    <option value="">{t!(i18n, impact.all_municipalities)}</option>
                    {p.filters.municipalities.iter().map(|m| view! {
                        <option value=m.id.to_string() selected=p.municipality == Some(m.id)>{m.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, impact.show)}</button>
        </form>
    }
}

/// The overview's body for one answer of the server.
fn overview(i18n: I18nContext<Locale>, page: ImpactPage) -> impl IntoView {
    let link = filter_query(&page);
    let f = page.figures.clone();
    let from = crate::domain::clock::iso_to_display(&page.from);
    let to = crate::domain::clock::iso_to_display(&page.to);
    let behind = page.figure.map(|fig| (fig, page.behind.clone()));
    let hidden = page.hidden;
    view! {
        <ImpactFilters page=page.clone() />
        <p class="lead" id="impact-period">{t!(i18n, impact.period_shown, from = from, to = to)}</p>
        <Chart id="impact-flow" heading=t_string!(i18n, impact.flow_heading).to_string() rows=flow_rows(i18n, &f) link=link.clone() />
        <Chart id="impact-answers" heading=t_string!(i18n, impact.answers_heading).to_string() rows=answer_rows(i18n, &f) link=link.clone() />
        <Chart id="impact-progress" heading=t_string!(i18n, impact.progress_heading).to_string() rows=progress_rows(i18n, &f) link=link.clone() />
        <KeyNumbers figures=f link />
        {behind.map(|(fig, questions)| view! {
            <section class="impact__part" id="behind" aria-labelledby="behind-heading">
                <h2 id="behind-heading">{t!(i18n, impact.behind, figure = figure_name(i18n, fig), n = questions.len())}</h2>
                {(hidden > 0).then(|| view! { <p class="small">{t!(i18n, impact.hidden, n = hidden)}</p> })}
                {if questions.is_empty() {
                    view! { <p class="empty">{t!(i18n, impact.behind_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="row-list">
                            {questions.into_iter().map(|q| {
                                let state = q.state;
                                view! {
                                    <li><a href=format!("/questions/{}", q.id)>{q.title}</a>" "
                                        <span class="small">{move || state_name(i18n, state)}</span></li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// `/impact`: for coordinators and policy makers.
#[component]
pub fn ImpactOverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &'static str| query.read().get(name).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                param("period"),
                param("from"),
                param("to"),
                param("theme"),
                param("municipality"),
                param("figure"),
            )
        },
        |(period, from, to, theme, municipality, figure)| {
            crate::api::load_impact(period, from, to, theme, municipality, figure)
        },
    );
    view! {
        <Title text=t_string!(i18n, impact.title).to_string() />
        <section class="page impact">
            <h1>{t!(i18n, impact.title)}</h1>
            <p>{t!(i18n, impact.intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        crate::pages::respond_error(&e);
                        // A filter that is not understood: say which and why.
                        let problems = match &e {
                            AppError::Invalid(list) => list.iter().map(|p| p.problem).collect(),
                            _ => Vec::new(),
                        };
                        view! {
                            {if problems.is_empty() {
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            } else {
                                view! {
                                    <div role="alert">
                                        {problems.into_iter().map(|p| view! {
                                            <p class="notice notice--error">
                                                <span class="notice__icon" aria-hidden="true">"!"</span>
                                                <span>{problem_view(i18n, p)}</span>
                                            </p>
                                        }).collect_view()}
                                    </div>
                                }.into_any()
                            }}
                            <p><a href="/impact">{t!(i18n, impact.reset)}</a></p>
                        }.into_any()
                    }
                    Ok(page) => overview(i18n, page).into_any(),
                })}
            </Suspense>
        </section>
    }
}
