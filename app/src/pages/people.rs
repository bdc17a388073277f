use crate::api::{
    ChangeRole, Invite, ResendInvitation, ResetSecondFactor, RevokeInvitation, SetActive,
    SetFeedbackWeeks, SetSecondFactorRequired,
};
use crate::components::form::PostForm;
use crate::components::form::{
    action_done, action_error, field_problem, ErrorBox, SelectField, SuccessNote, TextField,
};
use crate::components::layout::RoleName;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AuditEvent, Municipality, OpenInvitation, Person};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;

fn role_options(i18n: I18nContext<Locale>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        vec![
            (
                "member".to_string(),
                t_string!(i18n, roles.member).to_string(),
            ),
            (
                "policy_maker".to_string(),
                t_string!(i18n, roles.policy_maker).to_string(),
            ),
            (
                "coordinator".to_string(),
                t_string!(i18n, roles.coordinator).to_string(),
            ),
        ]
    })
}

fn municipality_options(
    i18n: I18nContext<Locale>,
    list: Vec<Municipality>,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut options = vec![(
            String::new(),
            t_string!(i18n, people.no_municipality).to_string(),
        )];
        options.extend(list.iter().map(|m| (m.id.to_string(), m.name.clone())));
        options
    })
}

/// Coordinators: invite people, follow open invitations, and manage who is on the panel.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let invite = ServerAction::<Invite>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let change_role = ServerAction::<ChangeRole>::new();
    let set_active = ServerAction::<SetActive>::new();
    let require = ServerAction::<SetSecondFactorRequired>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    let filter = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("role").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    };
    let people = Resource::new(
        move || {
            (
                filter(),
                invite.version().get(),
                resend.version().get(),
                revoke.version().get(),
                change_role.version().get(),
                set_active.version().get(),
                require.version().get(),
                reset.version().get(),
            )
        },
        |((q, role, status), ..)| crate::api::load_people(q, role, status),
    );
    let row_error = Signal::derive(move || {
        action_error(resend)
            .get()
            .or_else(|| action_error(revoke).get())
            .or_else(|| action_error(change_role).get())
            .or_else(|| action_error(set_active).get())
            .or_else(|| action_error(reset).get())
    });
    view! {
        <Title text=t_string!(i18n, people.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, people.title)}</h1>
            <p><A href="/people/log">{t!(i18n, people.to_log)}</A></p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    people
                        .get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(data) => {
                                let (q, role, status) = filter();
                                let municipalities = data.municipalities.clone();
                                view! {
                                    <div class="grid grid--wide">
                                        <InviteBox municipalities=data.municipalities.clone() invite />
                                        <section class="panel-box" aria-labelledby="open-heading">
                                            <h2 id="open-heading">{t!(i18n, people.open_heading)}</h2>
                                            {if data.invitations.is_empty() {
                                                view! { <p class="empty">{t!(i18n, people.no_open)}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ul class="row-list">
                                                        {data.invitations.iter().cloned().map(|inv| view! {
                                                            <InvitationRow inv resend revoke />
                                                        }).collect_view()}
                                                    </ul>
                                                }
                                                    .into_any()
                                            }}
                                        </section>
                                    </div>
                                    <PanelSettings weeks=data.feedback_weeks escalation_days=data.escalation_days />
                                    <SecuritySettings required=data.require_second_factor require />
                                    <section class="section" aria-labelledby="people-heading">
                                        <h2 id="people-heading">{t!(i18n, people.list_heading)}</h2>
                                        <PeopleFilter q role status />
                                        <ErrorBox error=row_error />
                                        {if data.people.is_empty() {
                                            view! { <p class="empty">{t!(i18n, people.nobody)}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="row-list">
                                                    {data.people.iter().cloned().map(|person| {
                                                        let municipalities = municipalities.clone();
                                                        view! { <PersonRow person municipalities change_role set_active reset /> }
                                                    }).collect_view()}
                                                </ul>
                                            }
                                                .into_any()
                                        }}
                                    </section>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn InvitationRow(
    inv: OpenInvitation,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = inv.id.to_string();
    let id_resend = id.clone();
    let sent = inv.sent.clone();
    let expires = inv.expires.clone();
    view! {
        <li class="row">
            <div class="row__main">
                <p class="row__title">{inv.email.clone()}</p>
                <p class="row__meta">
                    <span class="badge"><RoleName role=inv.role /></span>
                    {inv.municipality.clone().map(|m| view! { " " <span class="badge badge--quiet">{m}</span> })}
                </p>
                <p class="row__meta">
                    {t!(i18n, people.sent_on, date = sent.clone())} " · "
                    {if inv.expired {
                        view! { <strong>{t!(i18n, people.expired)}</strong> }.into_any()
                    } else {
                        view! { <span>{t!(i18n, people.expires_on, date = expires.clone())}</span> }.into_any()
                    }}
                </p>
                {inv.mail_failed.then(|| view! {
                    <p class="row__warning">
                        <span aria-hidden="true">"! "</span>{t!(i18n, people.mail_failed)}
                    </p>
                })}
            </div>
            <div class="row__actions">
                <PostForm action=resend id=format!("form-resend-{id}") attr:class="inline-form">
                    <input type="hidden" name="id" value=id_resend />
                    <button type="submit" class="button button--small">{t!(i18n, people.resend)}</button>
                </PostForm>
                <PostForm action=revoke id=format!("form-revoke-{id}") attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="button button--small button--quiet">{t!(i18n, people.revoke)}</button>
                </PostForm>
            </div>
        </li>
    }
}

#[component]
fn PersonRow(
    person: Person,
    municipalities: Vec<Municipality>,
    change_role: ServerAction<ChangeRole>,
    set_active: ServerAction<SetActive>,
    reset: ServerAction<ResetSecondFactor>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = person.id.to_string();
    let id_active = id.clone();
    let id_reset = id.clone();
    let role_id = format!("role-{}", person.id);
    let municipality_id = format!("municipality-{}", person.id);
    let last_login = person.last_login.clone();
    let joined = person.joined.clone();
    let current_municipality = person
        .municipality
        .as_ref()
        .and_then(|name| municipalities.iter().find(|m| &m.name == name))
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    let role = person.role;
    view! {
        <li class="row" class:row--inactive=!person.active>
            <div class="row__main">
                <p class="row__title">
                    {person.display_name.clone()}
                    {person.is_me.then(|| view! { " " <span class="badge badge--quiet">{t!(i18n, people.you)}</span> })}
                </p>
                <p class="row__meta">{person.email.clone()}</p>
                <p class="row__meta">
                    <span class="badge"><RoleName role=person.role /></span>
                    {person.municipality.clone().map(|m| view! { " " <span class="badge badge--quiet">{m}</span> })}
                    " "
                    {if person.active {
                        view! { <span class="status status--ok">{t!(i18n, people.active)}</span> }.into_any()
                    } else {
                        view! { <span class="status status--off">{t!(i18n, people.inactive)}</span> }.into_any()
                    }}
                </p>
                <p class="row__meta">
                    {match last_login.clone() {
                        Some(d) => view! { <span>{t!(i18n, people.last_login, date = d.clone())}</span> }.into_any(),
                        None => view! { <span>{t!(i18n, people.never_logged_in)}</span> }.into_any(),
                    }}
                    " · " {t!(i18n, people.joined, date = joined.clone())}
                </p>
                {person.second_factor.then(|| view! { <p class="row__meta">{t!(i18n, people.has_second_factor)}</p> })}
            </div>
            <div class="row__actions">
                <PostForm action=change_role id=format!("form-change-role-{id}") attr:class="inline-form role-form">
                    <input type="hidden" name="user_id" value=id.clone() />
                    <label for=role_id.clone() class="visually-hidden">{t!(i18n, people.role)}</label>
                    <select id=role_id.clone() name="role">
                        <option value="member" selected=role == Role::Member>{t!(i18n, roles.member)}</option>
                        <option value="policy_maker" selected=role == Role::PolicyMaker>{t!(i18n, roles.policy_maker)}</option>
                        <option value="coordinator" selected=role == Role::Coordinator>{t!(i18n, roles.coordinator)}</option>
                    </select>
                    <label for=municipality_id.clone() class="visually-hidden">{t!(i18n, people.municipality)}</label>
                    <select id=municipality_id.clone() name="municipality">
                        <option value="">{t!(i18n, people.no_municipality)}</option>
                        {municipalities.iter().map(|m| {
                            let selected = m.id.to_string() == current_municipality;
                            view! { <option value=m.id.to_string() selected=selected>{m.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button--small">{t!(i18n, people.change_role)}</button>
                </PostForm>
                {(person.second_factor && !person.is_me).then(|| view! {
                    <PostForm action=reset id=format!("form-reset-second-factor-{id_reset}") attr:class="inline-form">
                        <input type="hidden" name="user_id" value=id_reset.clone() />
                        <button type="submit" class="button button--small button--quiet">{t!(i18n, people.reset_second_factor)}</button>
                    </PostForm>
                })}
                {(!person.is_me).then(|| {
                    let active = person.active;
                    view! {
                        <PostForm action=set_active id=format!("form-set-active-{id_active}") attr:class="inline-form">
                            <input type="hidden" name="user_id" value=id_active.clone() />
                            <input type="hidden" name="active" value=(!active).to_string() />
                            <button type="submit" class="button button--small button--quiet">
                                {if active { t!(i18n, people.deactivate).into_any() } else { t!(i18n, people.reactivate).into_any() }}
                            </button>
                        </PostForm>
                    }
                })}
            </div>
        </li>
    }
}

/// Coordinators: what happened on the panel that matters for security.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let at = move || query.read().get("at").unwrap_or_default();
    let log = Resource::new(at, crate::api::load_audit_log);
    view! {
        <Title text=t_string!(i18n, audit.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, audit.title)}</h1>
            <p>{t!(i18n, audit.intro)}</p>
            <p><A href="/people">{t!(i18n, audit.back)}</A></p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    log.get()
                        .map(|result| match result {
                            Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                            Ok(page) if page.items.is_empty() && at().is_empty() => view! { <p class="empty">{t!(i18n, audit.empty)}</p> }.into_any(),
                            Ok(page) => view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, audit.when)}</th>
                                                <th scope="col">{t!(i18n, audit.what)}</th>
                                                <th scope="col">{t!(i18n, audit.who)}</th>
                                                <th scope="col">{t!(i18n, audit.about)}</th>
                                                <th scope="col">{t!(i18n, audit.detail)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.items.into_iter().map(|e| {
                                                let event = e.event;
                                                view! {
                                                    <tr>
                                                        <td>{e.at}</td>
                                                        <td>{move || event_name(i18n, event)}</td>
                                                        <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                        <td>{e.subject.unwrap_or_else(|| "—".into())}</td>
                                                        <td>{e.detail}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <crate::components::layout::OlderPager path="/people/log" older=page.older at_start=at().is_empty() />
                            }
                                .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

fn event_name(i18n: I18nContext<Locale>, event: AuditEvent) -> String {
    match event {
        AuditEvent::InvitationSent => t_string!(i18n, audit.invitation_sent),
        AuditEvent::InvitationResent => t_string!(i18n, audit.invitation_resent),
        AuditEvent::InvitationRevoked => t_string!(i18n, audit.invitation_revoked),
        AuditEvent::InvitationAccepted => t_string!(i18n, audit.invitation_accepted),
        AuditEvent::RoleChanged => t_string!(i18n, audit.role_changed),
        AuditEvent::Deactivated => t_string!(i18n, audit.deactivated),
        AuditEvent::Reactivated => t_string!(i18n, audit.reactivated),
        AuditEvent::LoginFailed => t_string!(i18n, audit.login_failed),
        AuditEvent::PasswordResetRequested => t_string!(i18n, audit.password_reset_requested),
        AuditEvent::PasswordReset => t_string!(i18n, audit.password_reset),
        AuditEvent::PasswordChanged => t_string!(i18n, audit.password_changed),
        AuditEvent::EmailChanged => t_string!(i18n, audit.email_changed),
        AuditEvent::SessionsEnded => t_string!(i18n, audit.sessions_ended),
        AuditEvent::AgreementsChanged => t_string!(i18n, audit.agreements_changed),
        AuditEvent::AgreementsAccepted => t_string!(i18n, audit.agreements_accepted),
        AuditEvent::SecondFactorOn => t_string!(i18n, audit.second_factor_on),
        AuditEvent::SecondFactorOff => t_string!(i18n, audit.second_factor_off),
        AuditEvent::SecondFactorRequired => t_string!(i18n, audit.second_factor_required),
        AuditEvent::SecondFactorReset => t_string!(i18n, audit.second_factor_reset),
    }
    .to_string()
}

/// Panel settings: how many weeks policy makers have to answer an advice. Has its own
/// action, so the page does not reload around what was typed.
#[component]
fn PanelSettings(weeks: i64, escalation_days: i64) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetFeedbackWeeks>::new();
    let error = action_error(save);
    let saved = action_done(save);
    let save_days = ServerAction::<crate::api::SetEscalationDays>::new();
    let days_error = action_error(save_days);
    let days_saved = action_done(save_days);
    view! {
        <section class="section" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{t!(i18n, people.settings_heading)}</h2>
            <ErrorBox error />
            <SuccessNote show=saved>{t!(i18n, people.settings_saved)}</SuccessNote>
            <PostForm action=save attr:class="form" attr:novalidate=true>
                <TextField name="feedback_weeks" kind="number"
                    label=Signal::derive(move || t_string!(i18n, people.feedback_weeks).to_string())
                    hint=Signal::derive(move || t_string!(i18n, people.feedback_weeks_hint).to_string())
                    value=weeks.to_string() problem=field_problem(error, "feedback_weeks") />
                <button type="submit" class="button">{t!(i18n, people.save_settings)}</button>
            </PostForm>
            <ErrorBox error=days_error />
            <SuccessNote show=days_saved>{t!(i18n, people.settings_saved)}</SuccessNote>
            <PostForm action=save_days attr:class="form" attr:novalidate=true>
                <TextField name="escalation_days" kind="number"
                    label=Signal::derive(move || t_string!(i18n, people.escalation_days).to_string())
                    hint=Signal::derive(move || t_string!(i18n, people.escalation_days_hint).to_string())
                    value=escalation_days.to_string() problem=field_problem(days_error, "escalation_days") />
                <button type="submit" class="button">{t!(i18n, people.save_settings)}</button>
            </PostForm>
        </section>
    }
}

/// The form to invite someone, with the role, municipality and mail language.
#[component]
fn InviteBox(municipalities: Vec<Municipality>, invite: ServerAction<Invite>) -> impl IntoView {
    let i18n = use_i18n();
    let invite_error = action_error(invite);
    let label = move |text: fn(I18nContext<Locale>) -> String| Signal::derive(move || text(i18n));
    view! {
        <section class="panel-box" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t!(i18n, people.invite_heading)}</h2>
            <p>{t!(i18n, people.invite_intro)}</p>
            <ErrorBox error=invite_error />
            <SuccessNote show=action_done(invite)>{t!(i18n, people.invited)}</SuccessNote>
            <PostForm action=invite attr:class="form" attr:novalidate=true>
                <TextField
                    name="email"
                    kind="email"
                    autocomplete="off"
                    label=label(|i| t_string!(i, login.email).to_string())
                    problem=field_problem(invite_error, "email")
                />
                <SelectField
                    name="role"
                    label=label(|i| t_string!(i, people.role).to_string())
                    options=role_options(i18n)
                    selected="member".to_string()
                    problem=field_problem(invite_error, "role")
                />
                <SelectField
                    name="municipality"
                    label=label(|i| t_string!(i, people.municipality).to_string())
                    hint=label(|i| t_string!(i, people.municipality_hint).to_string())
                    options=municipality_options(i18n, municipalities)
                    problem=field_problem(invite_error, "municipality")
                />
                <SelectField
                    name="language"
                    label=label(|i| t_string!(i, people.mail_language).to_string())
                    options=Signal::derive(|| vec![
                        ("nl".to_string(), "Nederlands".to_string()),
                        ("en".to_string(), "English".to_string()),
                    ])
                    selected="nl".to_string()
                    problem=field_problem(invite_error, "language")
                />
                <button type="submit" class="button button--primary">{t!(i18n, people.send_invitation)}</button>
            </PostForm>
        </section>
    }
}

/// Whether everyone on the panel must use a second factor.
#[component]
fn SecuritySettings(
    required: bool,
    require: ServerAction<SetSecondFactorRequired>,
) -> impl IntoView {
    let i18n = use_i18n();
    let require_error = action_error(require);
    view! {
        <section class="section" aria-labelledby="security-heading">
            <h2 id="security-heading">{t!(i18n, people.security_heading)}</h2>
            <ErrorBox error=require_error />
            <PostForm action=require attr:class="form">
                <div class="check">
                    <input
                        type="checkbox"
                        id="require_second_factor"
                        name="require_second_factor"
                        value="1"
                        checked=crate::components::form::remembered_choice("require_second_factor", "1").unwrap_or(required)
                        aria-describedby="require-hint"
                    />
                    <label for="require_second_factor">{t!(i18n, people.require_second_factor)}</label>
                </div>
                <p class="field__hint" id="require-hint">{t!(i18n, people.require_second_factor_hint)}</p>
                <button type="submit" class="button">{t!(i18n, people.save_security)}</button>
            </PostForm>
        </section>
    }
}

/// Search and filter the panel's people (a plain GET form, so it works without script).
#[component]
fn PeopleFilter(q: String, role: String, status: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/people" class="filter-bar" role="search">
            <div class="field">
                <label for="q">{t!(i18n, people.search)}</label>
                <input id="q" name="q" type="search" value=q />
            </div>
            <div class="field">
                <label for="filter-role">{t!(i18n, people.role)}</label>
                <select id="filter-role" name="role">
                    <option value="" selected=role.is_empty()>{t!(i18n, people.all)}</option>
                    <option value="member" selected=role == "member">{t!(i18n, roles.member)}</option>
                    <option value="policy_maker" selected=role == "policy_maker">{t!(i18n, roles.policy_maker)}</option>
                    <option value="coordinator" selected=role == "coordinator">{t!(i18n, roles.coordinator)}</option>
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{t!(i18n, people.status)}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=status.is_empty()>{t!(i18n, people.all)}</option>
                    <option value="active" selected=status == "active">{t!(i18n, people.active)}</option>
                    <option value="inactive" selected=status == "inactive">{t!(i18n, people.inactive)}</option>
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, people.filter)}</button>
        </form>
    }
}
