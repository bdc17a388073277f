use crate::api::CompleteSetup;
use crate::components::form::PostForm;
use crate::components::form::{ErrorBox, TextArea, TextField};
use crate::domain::{DisplayName, PanelName, Region, Slug};
use crate::domain::{Problem, HART_VAN_BRABANT};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// First-run setup: the one-time link from the server log leads here.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = ServerAction::<CompleteSetup>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, crate::api::setup_link_valid);
    let error = Signal::derive(move || setup.value().get().and_then(Result::err));
    let problem = move |field: &'static str| -> Signal<Option<Problem>> {
        Signal::derive(move || error.get().and_then(|e| e.problem_for(field)))
    };
    let pending = setup.pending();
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));

    view! {
        <Title text=t_string!(i18n, setup.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, setup.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    valid
                        .get()
                        .map(|valid| {
                            if valid != Ok(true) {
                                return view! {
                                    <p class="notice notice--error" role="alert">
                                        <span class="notice__icon" aria-hidden="true">"!"</span>
                                        {t!(i18n, setup.invalid_link)}
                                    </p>
                                }
                                    .into_any();
                            }
                            view! {
                                <p>{t!(i18n, setup.intro)}</p>
                                <ErrorBox error />
                                <PostForm action=setup attr:class="form" attr:novalidate=true>
                                    <input type="hidden" name="token" value=token() />
                                    <fieldset>
                                        <legend>{t!(i18n, setup.panel_heading)}</legend>
                                        <TextField
                                            name="panel_name"
                                            label=label(|i| t_string!(i, setup.panel_name).to_string())
                                            hint=label(|i| t_string!(i, setup.panel_name_hint).to_string())
                                            maxlength=PanelName::MAX
                                            problem=problem("panel_name")
                                        />
                                        <TextField
                                            name="region"
                                            label=label(|i| t_string!(i, setup.region).to_string())
                                            value="Hart van Brabant"
                                            maxlength=Region::MAX
                                            problem=problem("region")
                                        />
                                        <TextField
                                            name="slug"
                                            label=label(|i| t_string!(i, setup.slug).to_string())
                                            hint=label(|i| t_string!(i, setup.slug_hint).to_string())
                                            maxlength=Slug::MAX
                                            problem=problem("slug")
                                        />
                                        <TextArea
                                            name="municipalities"
                                            label=label(|i| t_string!(i, setup.municipalities).to_string())
                                            hint=label(|i| t_string!(i, setup.municipalities_hint).to_string())
                                            value=HART_VAN_BRABANT.join("\n")
                                            rows=11
                                            problem=problem("municipalities")
                                        />
                                    </fieldset>
                                    <fieldset>
                                        <legend>{t!(i18n, setup.account_heading)}</legend>
                                        <TextField
                                            name="display_name"
                                            autocomplete="name"
                                            label=label(|i| t_string!(i, setup.display_name).to_string())
                                            maxlength=DisplayName::MAX
                                            problem=problem("display_name")
                                        />
                                        <TextField
                                            name="email"
                                            kind="email"
                                            autocomplete="email"
                                            label=label(|i| t_string!(i, setup.email).to_string())
                                            problem=problem("email")
                                        />
                                        <TextField
                                            name="password"
                                            kind="password"
                                            autocomplete="new-password"
                                            label=label(|i| t_string!(i, setup.password).to_string())
                                            hint=label(|i| t_string!(i, setup.password_hint).to_string())
                                            problem=problem("password")
                                        />
                                        <TextField
                                            name="password_repeat"
                                            kind="password"
                                            autocomplete="new-password"
                                            label=label(|i| t_string!(i, setup.password_repeat).to_string())
                                            problem=Signal::derive(|| None)
                                        />
                                    </fieldset>
                                    <button type="submit" class="button button--primary" disabled=move || pending.get()>
                                        {move || if pending.get() { t_string!(i18n, setup.busy) } else { t_string!(i18n, setup.submit) }}
                                    </button>
                                </PostForm>
                            }
                                .into_any()
                        })
                }}
            </Suspense>
        </section>
    }
}
