use crate::components::form::ErrorBox;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A panel's public page: who they are and which municipalities they advise.
#[component]
pub fn PanelPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let panel = Resource::new(slug, crate::api::load_panel);
    let query = use_query_map();
    let param = move |name: &'static str| query.read().get(name).unwrap_or_default();
    let feedback = Resource::new(
        move || {
            (
                slug(),
                param("theme"),
                param("municipality"),
                param("year"),
                param("q"),
            )
        },
        |(slug, theme, municipality, year, q)| {
            crate::api::load_panel_feedback(slug, theme, municipality, year, q)
        },
    );

    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                panel
                    .get()
                    .map(|result| match result {
                        Ok(p) => {
                            let title = p.panel.name.clone();
                            crate::describe_page(format!(
                                "{} ({}): {}",
                                p.panel.name,
                                p.panel.region,
                                t_string!(i18n, tagline)
                            ));
                            view! {
                                <Title text=title />
                                <section class="hero">
                                    <h1>{p.panel.name.clone()}</h1>
                                    <p class="hero__lead">{t!(i18n, tagline)}</p>
                                </section>
                                <dl class="facts">
                                    <div>
                                        <dt>{t!(i18n, panel.region)}</dt>
                                        <dd>{p.panel.region.clone()}</dd>
                                    </div>
                                    <div>
                                        <dt>{t!(i18n, panel.members)}</dt>
                                        <dd>{p.member_count}</dd>
                                    </div>
                                </dl>
                                <section class="section" aria-labelledby="municipalities-heading">
                                    <h2 id="municipalities-heading">{t!(i18n, panel.municipalities)}</h2>
                                    {if p.municipalities.is_empty() {
                                        view! { <p class="empty">{t!(i18n, panel.no_municipalities)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="tag-list">
                                                {p.municipalities.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </section>
                                <section class="section" aria-labelledby="gallery-heading">
                                    <h2 id="gallery-heading">{t!(i18n, panel.gallery_heading)}</h2>
                                    <p>{t!(i18n, panel.gallery_intro)}</p>
                                    {move || feedback.get().map(|f| view! { <PublicFeedback slug=p.panel.slug.clone() feedback=f /> })}
                                </section>
                                <p class="notice notice--info">
                                    <span class="notice__icon" aria-hidden="true">"i"</span>
                                    {t!(i18n, panel.invitation_only)}
                                </p>
                            }
                                .into_any()
                        }
                        Err(AppError::NotFound) => {
                            super::respond_not_found();
                            view! {
                                <Title text=t_string!(i18n, panel.not_found_title).to_string() />
                                <section class="page page--narrow">
                                    <h1>{t!(i18n, panel.not_found_title)}</h1>
                                    <p>{t!(i18n, panel.not_found_text)}</p>
                                    <p><a class="button" href="/">{t!(i18n, errors.back_home)}</a></p>
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                    })
            }}
        </Suspense>
    }
}

/// The panel's account to the public: its figures, the filters, and the published
/// infographics that match (each with the day of its newest update, if any).
#[component]
fn PublicFeedback(
    slug: String,
    feedback: Result<crate::api::PanelFeedback, AppError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let f = match feedback {
        Ok(f) => f,
        Err(AppError::Invalid(list)) => {
            crate::pages::respond_error(&AppError::Invalid(list.clone()));
            return view! {
                <div role="alert">
                    {list.into_iter().map(|p| view! {
                        <p class="notice notice--error">
                            <span class="notice__icon" aria-hidden="true">"!"</span>
                            <span>{crate::components::form::problem_view(i18n, p.problem)}</span>
                        </p>
                    }).collect_view()}
                </div>
                <p><a href=format!("/p/{slug}#gallery-heading")>{t!(i18n, panel.all_feedback)}</a></p>
            }
            .into_any();
        }
        Err(e) => return view! { <ErrorBox error=Some(e) /> }.into_any(),
    };
    let none = || "–".to_string();
    let fig = f.figures.clone();
    let query = leptos_router::hooks::use_query_map();
    let given = move |name: &'static str| query.read_untracked().get(name).unwrap_or_default();
    let (theme, municipality, year) = (given("theme"), given("municipality"), given("year"));
    let filtered =
        [&theme, &municipality, &year].iter().any(|v| !v.is_empty()) || !given("q").is_empty();
    view! {
        <form method="get" action=format!("/p/{slug}") class="form filters impact__filters" role="search">
            <div class="field">
                <label for="gallery-q">{t!(i18n, panel.search)}</label>
                <input id="gallery-q" name="q" type="search" value=given("q") maxlength="100" />
            </div>
            <div class="field">
                <label for="gallery-theme">{t!(i18n, impact.theme)}</label>
                <select id="gallery-theme" name="theme">
                    <option value="">{t!(i18n, impact.all_themes)}</option>
                    {f.filters.themes.iter().map(|t| view! {
                        <option value=t.id.to_string() selected=theme == t.id.to_string()>{t.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="gallery-municipality">{t!(i18n, impact.municipality)}</label>
                <select id="gallery-municipality" name="municipality">
                    <option value="">{t!(i18n, impact.all_municipalities)}</option>
                    {f.filters.municipalities.iter().map(|m| view! {
                        <option value=m.id.to_string() selected=municipality == m.id.to_string()>{m.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="gallery-year">{t!(i18n, panel.year)}</label>
                <select id="gallery-year" name="year">
                    <option value="">{t!(i18n, panel.all_years)}</option>
                    {f.years.iter().map(|y| view! {
                        <option value=y.to_string() selected=year == y.to_string()>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, impact.show)}</button>
        </form>
        <dl class="facts" id="public-figures">
            <div><dt>{t!(i18n, panel.figure_published)}</dt><dd>{fig.published}</dd></div>
            <div><dt>{t!(i18n, panel.figure_adopted)}</dt><dd>{fig.adoption_percent.map_or_else(none, |p| format!("{p}%"))}</dd></div>
            <div><dt>{t!(i18n, panel.figure_on_time)}</dt><dd>{fig.on_time_percent.map_or_else(none, |p| format!("{p}%"))}</dd></div>
            <div><dt>{t!(i18n, panel.figure_done)}</dt><dd>{fig.done}</dd></div>
        </dl>
        {if f.gallery.is_empty() && filtered {
            view! { <p class="empty">{t!(i18n, panel.gallery_none_found)}</p> }.into_any()
        } else if f.gallery.is_empty() {
            view! { <p class="empty">{t!(i18n, panel.gallery_empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="gallery">
                    {f.gallery.iter().map(|g| view! {
                        <li class="gallery__item">
                            <a href=format!("/p/{slug}/feedback/{}", g.id)>{g.title.clone()}</a>
                            <span class="small">
                                {t!(i18n, panel.gallery_published, date = g.published.clone())}
                                {g.theme.clone().map(|t| view! { " · "{t} })}
                            </span>
                            {g.updated.clone().map(|d| view! {
                                <span class="small gallery__updated">{t!(i18n, panel.gallery_updated, date = d)}</span>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p class="small" id="overdue-count">{t!(i18n, panel.overdue, n = f.overdue)}</p>
    }
    .into_any()
}
