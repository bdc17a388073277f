use crate::components::form::ErrorBox;
use crate::i18n::*;
use crate::model::PublicPanel;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    let landing = Resource::new(|| (), |_| crate::api::load_landing());

    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(i18n, landing.title)}</h1>
            <p class="hero__lead">{t!(i18n, tagline)}</p>
            <p>{t!(i18n, landing.intro)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                landing
                    .get()
                    .map(|result| match result {
                        Ok(landing) => {
                            view! {
                                {landing
                                    .setup_pending
                                    .then(|| {
                                        view! {
                                            <p class="notice notice--info">
                                                <span class="notice__icon" aria-hidden="true">"i"</span>
                                                {t!(i18n, landing.setup_pending)}
                                            </p>
                                        }
                                    })}
                                <section class="section" aria-labelledby="panels-heading">
                                    <h2 id="panels-heading">{t!(i18n, landing.panels_heading)}</h2>
                                    {if landing.panels.is_empty() {
                                        view! { <p class="empty">{t!(i18n, landing.no_panels)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="card-list">
                                                {landing.panels.into_iter().map(|p| view! { <PanelCard panel=p /> }).collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
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
        <section class="section" aria-labelledby="how-heading">
            <h2 id="how-heading">{t!(i18n, landing.how_heading)}</h2>
            <ol class="steps">
                <li>{t!(i18n, landing.how_1)}</li>
                <li>{t!(i18n, landing.how_2)}</li>
                <li>{t!(i18n, landing.how_3)}</li>
                <li>{t!(i18n, landing.how_4)}</li>
            </ol>
        </section>
    }
}

#[component]
fn PanelCard(panel: PublicPanel) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/p/{}", panel.panel.slug);
    view! {
        <li class="card">
            <h3 class="card__title">
                <a href=href>{panel.panel.name.clone()}</a>
            </h3>
            <p class="card__meta">
                {panel.panel.region.clone()}
                {panel.is_demo.then(|| view! { " " <span class="badge badge--demo">{t!(i18n, landing.demo_badge)}</span> })}
            </p>
            <p class="card__meta">
                {t!(i18n, panel.municipalities)}": "{panel.municipalities.len()}
                " · "
                {t!(i18n, panel.members)}": "{panel.member_count}
            </p>
        </li>
    }
}
