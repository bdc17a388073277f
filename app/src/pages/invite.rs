use crate::api::AcceptInvitation;
use crate::components::form::PostForm;
use crate::components::form::{action_error, field_problem, ErrorBox, TextField};
use crate::components::layout::RoleName;
use crate::domain::DisplayName;
use crate::domain::Role;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The link in an invitation mail leads here: the invitee chooses a name and password
/// (members also give their birth year) and is logged in.
#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptInvitation>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, crate::api::load_invitation);
    let error = action_error(accept);
    let problem = move |field: &'static str| field_problem(error, field);
    let pending = accept.pending();
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));

    view! {
        <Title text=t_string!(i18n, invite.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, invite.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    info.get()
                        .map(|info| match info {
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(info) => {
                                let is_member = info.role == Role::Member;
                                view! {
                                    <p class="lead">
                                        {t!(i18n, invite.intro, panel = info.panel_name.clone())}
                                    </p>
                                    <dl class="facts facts--compact">
                                        <div>
                                            <dt>{t!(i18n, invite.role)}</dt>
                                            <dd><RoleName role=info.role /></dd>
                                        </div>
                                        {info.municipality.clone().map(|m| view! {
                                            <div>
                                                <dt>{t!(i18n, invite.municipality)}</dt>
                                                <dd>{m}</dd>
                                            </div>
                                        })}
                                        <div>
                                            <dt>{t!(i18n, invite.email)}</dt>
                                            <dd>{info.email.clone()}</dd>
                                        </div>
                                    </dl>
                                    <ErrorBox error />
                                    <PostForm action=accept attr:class="form" attr:novalidate=true>
                                        <input type="hidden" name="token" value=token() />
                                        <TextField
                                            name="display_name"
                                            autocomplete="nickname"
                                            label=label(|i| t_string!(i, invite.display_name).to_string())
                                            hint=label(|i| t_string!(i, invite.display_name_hint).to_string())
                                            maxlength=DisplayName::MAX
                                            problem=problem("display_name")
                                        />
                                        {is_member.then(|| view! {
                                            <TextField
                                                name="birth_year"
                                                kind="text"
                                                autocomplete="bday-year"
                                                label=label(|i| t_string!(i, invite.birth_year).to_string())
                                                hint=label(|i| t_string!(i, invite.birth_year_hint).to_string())
                                                maxlength=4
                                                problem=problem("birth_year")
                                            />
                                        })}
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
                                        <input type="hidden" name="email" autocomplete="username" value=info.email.clone() />
                                        <button type="submit" class="button button--primary" disabled=move || pending.get()>
                                            {move || if pending.get() { t_string!(i18n, setup.busy) } else { t_string!(i18n, invite.submit) }}
                                        </button>
                                    </PostForm>
                                    <p class="small">{t!(i18n, invite.privacy)}</p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}
