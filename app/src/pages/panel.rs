use crate::components::form::ErrorBox;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A panel's public page: who they are and which municipalities they advise.
#[component]
pub fn PanelPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let panel = Resource::new(slug, crate::api::load_panel);
    let feedback = Resource::new(slug, crate::api::load_panel_feedback);

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
                                    {move || feedback.get().and_then(Result::ok).map(|f| {
                                        let slug = p.panel.slug.clone();
                                        view! {
                                            {if f.gallery.is_empty() {
                                                view! { <p class="empty">{t!(i18n, panel.gallery_empty)}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ul class="gallery">
                                                        {f.gallery.iter().map(|g| view! {
                                                            <li class="gallery__item">
                                                                <a href=format!("/p/{slug}/feedback/{}", g.id)>{g.title.clone()}</a>
                                                                <span class="small">{t!(i18n, panel.gallery_published, date = g.published.clone())}</span>
                                                            </li>
                                                        }).collect_view()}
                                                    </ul>
                                                }.into_any()
                                            }}
                                            <p class="small" id="overdue-count">
                                                {t!(i18n, panel.overdue, n = f.overdue)}
                                            </p>
                                        }
                                    })}
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
