use crate::components::form::ErrorBox;
use crate::components::layout::RoleName;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{Contact, QuestionSummary};
use crate::pages::meetings::NextMeetings;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The start page after login: the person's role, their panel and contact person, and
/// what waits for them.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| crate::api::load_home());

    view! {
        <Title text=t_string!(i18n, nav.home).to_string() />
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                home.get()
                    .map(|result| match result {
                        Ok(home) if home.must_accept_agreements => {
                            view! { <Redirect path="/agreements" /> }.into_any()
                        }
                        Ok(home) => {
                            let user = home.user.clone();
                            let role = user.role;
                            view! {
                                <section class="hero">
                                    <p class="hero__kicker">{user.panel.name.clone()}</p>
                                    <h1>{t!(i18n, home.greeting, name = user.display_name.clone())}</h1>
                                    <p>
                                        <span class="badge"><RoleName role /></span>
                                        {user.municipality.clone().map(|m| view! { " " <span class="badge badge--quiet">{t!(i18n, home.municipality, name = m.clone())}</span> })}
                                    </p>
                                </section>
                                {(home.overdue_feedback > 0).then(|| view! {
                                    <p class="notice notice--error" id="overdue-feedback">
                                        <span class="notice__icon" aria-hidden="true">"!"</span>
                                        <span>
                                            {t!(i18n, home.overdue_feedback, n = home.overdue_feedback)}" "
                                            <a href="/questions?state=advice_sent">{t!(i18n, home.overdue_feedback_link)}</a>
                                        </span>
                                    </p>
                                })}
                                <div class="grid">
                                    <Waiting role waiting=home.waiting.clone() />
                                    <NextMeetings meetings=home.meetings.clone() />
                                    <section class="panel-box" aria-labelledby="role-heading">
                                        <h2 id="role-heading">{t!(i18n, home.your_role)}</h2>
                                        <p>
                                            {move || match role {
                                                Role::Member => t_string!(i18n, home.role_member),
                                                Role::PolicyMaker => t_string!(i18n, home.role_policy_maker),
                                                Role::Coordinator => t_string!(i18n, home.role_coordinator),
                                            }}
                                        </p>
                                    </section>
                                    <ContactBox contact=home.contact.clone() coordinators=home.coordinators.clone() />
                                    <section class="panel-box" aria-labelledby="panel-heading">
                                        <h2 id="panel-heading">{t!(i18n, home.panel_heading)}</h2>
                                        <dl class="facts facts--compact">
                                            <div>
                                                <dt>{t!(i18n, home.members)}</dt>
                                                <dd>{home.members}</dd>
                                            </div>
                                            <div>
                                                <dt>{t!(i18n, home.policy_makers)}</dt>
                                                <dd>{home.policy_makers}</dd>
                                            </div>
                                            <div>
                                                <dt>{t!(i18n, home.municipalities)}</dt>
                                                <dd>{home.municipalities.len()}</dd>
                                            </div>
                                        </dl>
                                    </section>
                                </div>
                            }
                                .into_any()
                        }
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                    })
            }}
        </Suspense>
    }
}

/// The questions waiting for this person, or what their role does next.
#[component]
fn Waiting(role: Role, waiting: Vec<QuestionSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel-box" aria-labelledby="next-heading">
            <h2 id="next-heading">{t!(i18n, home.next_heading)}</h2>
            {if waiting.is_empty() {
                view! {
                    <p class="empty">
                        {move || match role {
                            Role::Member => t_string!(i18n, home.next_member),
                            Role::PolicyMaker => t_string!(i18n, home.next_policy_maker),
                            Role::Coordinator => t_string!(i18n, home.next_coordinator),
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="plain-list waiting">
                        {waiting
                            .iter()
                            .map(|q| {
                                let href = format!("/questions/{}", q.id);
                                let st = q.state;
                                view! {
                                    <li>
                                        <a href=href>{q.title.clone()}</a>
                                        " "
                                        <span class="badge">
                                            {move || crate::pages::questions::state_name(i18n, st)}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(role == Role::PolicyMaker).then(|| view! {
                <p><a class="button" href="/questions/new">{t!(i18n, questions.new)}</a></p>
            })}
        </section>
    }
}

/// Who to contact: a member's own contact person, otherwise the panel's coordinators.
#[component]
fn ContactBox(contact: Option<Contact>, coordinators: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel-box" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{t!(i18n, home.contact_heading)}</h2>
            {if let Some(c) = contact {
                let mailto = format!("mailto:{}", c.email);
                view! {
                    <p class="contact">
                        <strong>{c.display_name.clone()}</strong>
                        " (" <RoleName role=Role::Coordinator /> ")"
                    </p>
                    <p><a href=mailto>{c.email.clone()}</a></p>
                    {(!c.how.is_empty()).then(|| view! { <p class="preserve-lines">{c.how.clone()}</p> })}
                    <p class="small">{t!(i18n, home.contact_text)}</p>
                }
                    .into_any()
            } else if coordinators.is_empty() {
                view! { <p class="empty">{t!(i18n, home.no_contact)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {coordinators.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
