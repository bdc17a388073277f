//! Panel meetings: the list (upcoming, past, one's own attendance, the calendar feed) and
//! the meeting page (agenda, answers, and the coordinator's planning tools).

use crate::api::{
    AddAgendaItem, AddMeeting, AnswerMeeting, CancelMeeting, ClaimTravel, CommentMinutes,
    CreateSeries, DecideClaim, MoveMeeting, NewCalendarFeed, PublishMinutes, RecordAttendance,
    RemoveAgendaItem, RevokeCalendarFeed, SaveMinutes, SetHourlyRate,
};
use crate::components::form::PostForm;
use crate::components::form::{
    action_error, field_problem, ErrorBox, SelectField, TextArea, TextField,
};
use crate::domain::clock;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AgendaItemView, MeetingSummary, MeetingView, MinutesState};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_params_map;

fn weekday_name(i18n: I18nContext<Locale>, epoch: i64) -> String {
    match clock::local_weekday(epoch) {
        1 => t_string!(i18n, meetings.monday),
        2 => t_string!(i18n, meetings.tuesday),
        3 => t_string!(i18n, meetings.wednesday),
        4 => t_string!(i18n, meetings.thursday),
        5 => t_string!(i18n, meetings.friday),
        6 => t_string!(i18n, meetings.saturday),
        _ => t_string!(i18n, meetings.sunday),
    }
    .to_string()
}

/// `dinsdag 20-10-2026, 19:00–21:00`
pub fn when_text(i18n: I18nContext<Locale>, starts_at: i64, ends_at: i64) -> String {
    format!(
        "{} {}, {}–{}",
        weekday_name(i18n, starts_at),
        clock::date(starts_at),
        clock::time(starts_at),
        clock::time(ends_at)
    )
}

fn answer_name(i18n: I18nContext<Locale>, answer: &str) -> String {
    match answer {
        "yes" => t_string!(i18n, meetings.answer_yes),
        "no" => t_string!(i18n, meetings.answer_no),
        "maybe" => t_string!(i18n, meetings.answer_maybe),
        _ => t_string!(i18n, meetings.answer_none),
    }
    .to_string()
}

fn place(location: &str, online: &str) -> String {
    [location, online]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One meeting in a list.
#[component]
pub fn MeetingRow(meeting: MeetingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/meetings/{}", meeting.id);
    let when = when_text(i18n, meeting.starts_at, meeting.ends_at);
    let answer = meeting.my_answer.clone();
    view! {
        <li class="row" class:row--muted=meeting.cancelled>
            <div class="row__main">
                <p class="row__title"><A href=href>{when}</A></p>
                <p class="row__meta">
                    {place(&meeting.location, &meeting.online_url)}
                    {(!meeting.agenda.is_empty()).then(|| view! { " · " <span>{meeting.agenda.join(", ")}</span> })}
                </p>
            </div>
            <div class="row__actions">
                {if meeting.cancelled {
                    view! { <span class="badge badge--warning">{t!(i18n, meetings.cancelled_badge)}</span> }.into_any()
                } else if let Some(was) = meeting.attended {
                    view! { <span class="badge">{move || if was { t_string!(i18n, meetings.was_there_badge).to_string() } else { t_string!(i18n, meetings.was_not_there_badge).to_string() }}</span> }.into_any()
                } else if meeting.past {
                    ().into_any()
                } else if answer.is_empty() {
                    view! { <span class="badge badge--new">{t!(i18n, meetings.not_answered)}</span> }.into_any()
                } else {
                    view! { <span class="badge">{move || answer_name(i18n, &answer)}</span> }.into_any()
                }}
            </div>
        </li>
    }
}

/// Upcoming and past meetings; coordinators plan them here.
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let series = ServerAction::<CreateSeries>::new();
    let single = ServerAction::<AddMeeting>::new();
    let page = Resource::new(
        move || (series.version().get(), single.version().get()),
        |_| crate::api::load_meetings(),
    );
    view! {
        <Title text=t_string!(i18n, meetings.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, meetings.title)}</h1>
            <p class="lead">{t!(i18n, meetings.intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    page.get().map(|result| match result {
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                                crate::pages::respond_error(&e);
                                view! { <ErrorBox error=Some(e) /> }.into_any()
                            }
                        Ok(p) => {
                            let may_plan = p.may_plan;
                            view! {
                                <section class="section" aria-labelledby="upcoming-heading">
                                    <h2 id="upcoming-heading">{t!(i18n, meetings.upcoming_heading)}</h2>
                                    {if p.upcoming.is_empty() {
                                        view! { <p class="empty">{if may_plan { t!(i18n, meetings.none_upcoming_coordinator).into_any() } else { t!(i18n, meetings.none_upcoming).into_any() }}</p> }.into_any()
                                    } else {
                                        view! { <ul class="row-list" id="meetings-upcoming">{p.upcoming.into_iter().map(|m| view! { <MeetingRow meeting=m /> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                {may_plan.then(|| view! { <PlanForms series single /> })}
                                {may_plan.then(|| view! { <CompensationSection hourly_rate=p.hourly_rate.clone() open_claims=p.open_claims.clone() year=p.year /> })}
                                <section class="section" aria-labelledby="past-heading">
                                    <h2 id="past-heading">{t!(i18n, meetings.past_heading)}</h2>
                                    {(p.attendance_recorded > 0).then(|| view! {
                                        <p id="my-attendance">{t!(i18n, meetings.my_attendance, attended = p.attended, recorded = p.attendance_recorded)}</p>
                                    })}
                                    {if p.past.is_empty() {
                                        view! { <p class="empty">{t!(i18n, meetings.none_past)}</p> }.into_any()
                                    } else {
                                        view! { <ul class="row-list" id="meetings-past">{p.past.into_iter().map(|m| view! { <MeetingRow meeting=m /> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            }
                                .into_any()
                        }
                    })
                }}
            </Suspense>
            <CalendarFeed />
        </section>
    }
}

fn label(i18n: I18nContext<Locale>, key: fn(I18nContext<Locale>) -> String) -> Signal<String> {
    Signal::derive(move || key(i18n))
}

/// The coordinator's forms: a series, or one meeting.
#[component]
fn PlanForms(
    series: ServerAction<CreateSeries>,
    single: ServerAction<AddMeeting>,
) -> impl IntoView {
    let i18n = use_i18n();
    let series_error = action_error(series);
    let single_error = action_error(single);
    view! {
        <section class="section panel-box" aria-labelledby="series-heading">
            <h2 id="series-heading">{t!(i18n, meetings.series_heading)}</h2>
            <p>{t!(i18n, meetings.series_intro)}</p>
            <ErrorBox error=series_error />
            <PostForm action=series attr:class="form" attr:novalidate=true id="series-form">
                <TextField name="date" kind="date" label=label(i18n, |i| t_string!(i, meetings.field_first_date).to_string())
                    hint=label(i18n, |i| t_string!(i, meetings.field_first_date_hint).to_string())
                    problem=field_problem(series_error, "date") />
                <div class="field-row">
                    <TextField name="starts" kind="time" value="19:00".to_string() label=label(i18n, |i| t_string!(i, meetings.field_starts).to_string()) problem=field_problem(series_error, "starts") />
                    <TextField name="ends" kind="time" value="21:00".to_string() label=label(i18n, |i| t_string!(i, meetings.field_ends).to_string()) problem=field_problem(series_error, "ends") />
                </div>
                <TextField name="every_weeks" kind="number" value="3".to_string() label=label(i18n, |i| t_string!(i, meetings.field_every_weeks).to_string()) problem=field_problem(series_error, "every_weeks") />
                <TextField name="until" kind="date" label=label(i18n, |i| t_string!(i, meetings.field_until).to_string())
                    hint=label(i18n, |i| t_string!(i, meetings.field_until_hint).to_string())
                    problem=field_problem(series_error, "until") />
                <TextField name="location" required=false label=label(i18n, |i| t_string!(i, meetings.field_location).to_string())
                    hint=label(i18n, |i| t_string!(i, meetings.field_location_hint).to_string())
                    problem=field_problem(series_error, "location") />
                <TextField name="online_url" kind="url" required=false label=label(i18n, |i| t_string!(i, meetings.field_online_url).to_string()) problem=field_problem(series_error, "online_url") />
                <button type="submit" class="button button--primary">{t!(i18n, meetings.create_series)}</button>
            </PostForm>
            // Open when the form came back refused, so its messages are in view.
            <details class="inline-details" open=move || single_error.get().is_some()>
                <summary>{t!(i18n, meetings.single_heading)}</summary>
                <ErrorBox error=single_error />
                <PostForm action=single attr:class="form" attr:novalidate=true id="single-form">
                    <TextField name="date" id="single-date" kind="date" label=label(i18n, |i| t_string!(i, meetings.field_date).to_string()) problem=field_problem(single_error, "date") />
                    <div class="field-row">
                        <TextField name="starts" id="single-starts" kind="time" value="19:00".to_string() label=label(i18n, |i| t_string!(i, meetings.field_starts).to_string()) problem=field_problem(single_error, "starts") />
                        <TextField name="ends" id="single-ends" kind="time" value="21:00".to_string() label=label(i18n, |i| t_string!(i, meetings.field_ends).to_string()) problem=field_problem(single_error, "ends") />
                    </div>
                    <TextField name="location" id="single-location" required=false label=label(i18n, |i| t_string!(i, meetings.field_location).to_string()) problem=field_problem(single_error, "location") />
                    <TextField name="online_url" id="single-online_url" kind="url" required=false label=label(i18n, |i| t_string!(i, meetings.field_online_url).to_string()) problem=field_problem(single_error, "online_url") />
                    <button type="submit" class="button">{t!(i18n, meetings.add_single)}</button>
                </PostForm>
            </details>
        </section>
    }
}

/// The personal calendar feed: made on request, shown once, revocable.
#[component]
fn CalendarFeed() -> impl IntoView {
    let i18n = use_i18n();
    let make = ServerAction::<NewCalendarFeed>::new();
    let stop = ServerAction::<RevokeCalendarFeed>::new();
    let status = Resource::new(
        move || (make.version().get(), stop.version().get()),
        |_| crate::api::calendar_feed_status(),
    );
    let made = crate::components::form::action_output(make);
    let fresh = move || made.get();
    view! {
        <section class="section panel-box" aria-labelledby="feed-heading">
            <h2 id="feed-heading">{t!(i18n, meetings.feed_heading)}</h2>
            <p>{t!(i18n, meetings.feed_intro)}</p>
            {move || fresh().map(|url| view! {
                <p class="notice notice--success" role="status">
                    <span class="notice__icon" aria-hidden="true">"✓"</span>
                    <span>{t!(i18n, meetings.feed_made)}</span>
                </p>
                <p><input class="copy-field" id="feed-url" type="text" readonly value=url aria-label=move || t_string!(i18n, meetings.feed_heading).to_string() /></p>
            })}
            <Suspense fallback=|| ()>
                {move || status.get().map(|has| {
                    let has = matches!(has, Ok(true));
                    view! {
                        <div class="button-row">
                            <PostForm action=make attr:class="inline-form">
                                <button type="submit" class="button">{move || if has { t_string!(i18n, meetings.feed_renew).to_string() } else { t_string!(i18n, meetings.feed_make).to_string() }}</button>
                            </PostForm>
                            {has.then(|| view! {
                                <PostForm action=stop attr:class="inline-form">
                                    <button type="submit" class="button button--quiet">{t!(i18n, meetings.feed_stop)}</button>
                                </PostForm>
                            })}
                        </div>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One meeting: when and where, the agenda, who is coming, and the planning tools.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let tools = MeetingTools {
        answer: ServerAction::<AnswerMeeting>::new(),
        add_item: ServerAction::<AddAgendaItem>::new(),
        remove_item: ServerAction::<RemoveAgendaItem>::new(),
        moved: ServerAction::<MoveMeeting>::new(),
        cancel: ServerAction::<CancelMeeting>::new(),
        attendance: ServerAction::<RecordAttendance>::new(),
        minutes: ServerAction::<SaveMinutes>::new(),
        comment: ServerAction::<CommentMinutes>::new(),
        publish: ServerAction::<PublishMinutes>::new(),
        claim: ServerAction::<ClaimTravel>::new(),
        decide: ServerAction::<DecideClaim>::new(),
    };
    let meeting = Resource::new(
        move || {
            (
                id(),
                tools.answer.version().get(),
                tools.add_item.version().get(),
                tools.remove_item.version().get(),
                tools.moved.version().get(),
                tools.cancel.version().get(),
                tools.attendance.version().get(),
                (
                    tools.minutes.version().get(),
                    tools.comment.version().get(),
                    tools.publish.version().get(),
                    tools.claim.version().get(),
                    tools.decide.version().get(),
                ),
            )
        },
        |(id, ..)| crate::api::load_meeting(id),
    );
    view! {
        <Title text=t_string!(i18n, meetings.meeting_title).to_string() />
        <section class="page">
            <p><A href="/meetings">{t!(i18n, meetings.back)}</A></p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    meeting.get().map(|result| match result {
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                            crate::pages::respond_error(&e);
                            view! { <h1>{t!(i18n, meetings.meeting_title)}</h1><ErrorBox error=Some(e) /> }.into_any()
                        }
                        Ok(m) => view! { <MeetingBody meeting=m tools /> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

#[derive(Clone, Copy)]
struct MeetingTools {
    answer: ServerAction<AnswerMeeting>,
    add_item: ServerAction<AddAgendaItem>,
    remove_item: ServerAction<RemoveAgendaItem>,
    moved: ServerAction<MoveMeeting>,
    cancel: ServerAction<CancelMeeting>,
    attendance: ServerAction<RecordAttendance>,
    minutes: ServerAction<SaveMinutes>,
    comment: ServerAction<CommentMinutes>,
    publish: ServerAction<PublishMinutes>,
    claim: ServerAction<ClaimTravel>,
    decide: ServerAction<DecideClaim>,
}

#[component]
fn MeetingBody(meeting: MeetingView, tools: MeetingTools) -> impl IntoView {
    let i18n = use_i18n();
    let m = meeting;
    let id = m.id.to_string();
    let when = when_text(i18n, m.starts_at, m.ends_at);
    let answer_error = action_error(tools.answer);
    let counts = m.counts;
    let my_answer = m.my_answer.clone();
    let ics = format!("/meetings/{}/ics", m.id);
    let planning = m.may_plan && !m.cancelled && !m.past;
    let agenda_editable = m.may_plan && !m.cancelled && m.minutes_state != MinutesState::Published;
    let attendance = m.may_plan && !m.cancelled && m.started;
    view! {
        <h1>{t!(i18n, meetings.meeting_title)}</h1>
        <p class="lead" id="meeting-when">{when}</p>
        {m.cancelled.then(|| {
            let reason = m.cancel_reason.clone();
            view! {
                <p class="notice notice--error" id="meeting-cancelled">
                    <span class="notice__icon" aria-hidden="true">"!"</span>
                    <span>{t!(i18n, meetings.cancelled_notice, reason = reason.clone())}</span>
                </p>
            }
        })}
        <dl class="facts facts--compact">
            {(!m.location.is_empty()).then(|| view! { <dt>{t!(i18n, meetings.field_location)}</dt><dd>{m.location.clone()}</dd> })}
            {(!m.online_url.is_empty()).then(|| view! { <dt>{t!(i18n, meetings.field_online_url)}</dt><dd><a href=m.online_url.clone() rel="noopener noreferrer">{m.online_url.clone()}</a></dd> })}
        </dl>
        <p><a href=ics class="button button--small" download="">{t!(i18n, meetings.download_ics)}</a></p>
        {m.may_answer.then(|| view! {
            <section class="section panel-box" aria-labelledby="answer-heading">
                <h2 id="answer-heading">{t!(i18n, meetings.answer_heading)}</h2>
                {(!my_answer.is_empty()).then(|| {
                    let a = my_answer.clone();
                    view! { <p id="my-answer">{t!(i18n, meetings.your_answer, answer = move || answer_name(i18n, &a))}</p> }
                })}
                <ErrorBox error=answer_error />
                <div class="button-row">
                    {["yes", "maybe", "no"].into_iter().map(|a| {
                        let id = id.clone();
                        let chosen = my_answer == a;
                        view! {
                            <PostForm action=tools.answer id=format!("form-answer-{a}") attr:class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="answer" value=a />
                                <button type="submit" class=if chosen { "button button--primary" } else { "button" } aria-pressed=if chosen { "true" } else { "false" }>
                                    {move || match a {
                                        "yes" => t_string!(i18n, meetings.say_yes).to_string(),
                                        "maybe" => t_string!(i18n, meetings.say_maybe).to_string(),
                                        _ => t_string!(i18n, meetings.say_no).to_string(),
                                    }}
                                </button>
                            </PostForm>
                        }
                    }).collect_view()}
                </div>
            </section>
        })}
        <section class="section" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{t!(i18n, meetings.agenda_heading)}</h2>
            {if m.agenda.is_empty() {
                view! { <p class="empty">{t!(i18n, meetings.agenda_empty)}</p> }.into_any()
            } else {
                let items = m.agenda.clone();
                let meeting_id = id.clone();
                view! {
                    <ol class="agenda" id="agenda">
                        {items.into_iter().map(|item| view! {
                            <AgendaItem item meeting_id=meeting_id.clone() editable=agenda_editable remove=tools.remove_item />
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {agenda_editable.then(|| view! { <AgendaForm meeting=m.clone() action=tools.add_item /> })}
        <section class="section" aria-labelledby="who-heading">
            <h2 id="who-heading">{t!(i18n, meetings.who_heading)}</h2>
            <p id="answer-counts">{t!(i18n, meetings.counts, yes = counts.yes, maybe = counts.maybe, no = counts.no, open = counts.open)}</p>
            {(!m.invitees.is_empty()).then(|| view! {
                <ul class="plain-list" id="invitees">
                    {m.invitees.iter().map(|p| {
                        let answer = p.answer.clone();
                        let guest = p.guest;
                        let attended = p.attended;
                        view! {
                            <li>
                                {p.name.clone()}
                                {guest.then(|| view! { " (" {t!(i18n, meetings.guest_label)} ")" })}
                                ": "
                                // Afterwards, who came is what matters.
                                {move || match attended {
                                    Some(true) => t_string!(i18n, meetings.was_there).to_string(),
                                    Some(false) => t_string!(i18n, meetings.was_not_there).to_string(),
                                    None => answer_name(i18n, &answer),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
        {attendance.then(|| view! { <AttendanceForm meeting=m.clone() action=tools.attendance /> })}
        <MinutesSection meeting=m.clone() tools />
        <TravelSection meeting=m.clone() tools />
        {planning.then(|| view! { <ChangeForms meeting=m.clone() moved=tools.moved cancel=tools.cancel /> })}
    }
}

#[component]
fn AgendaForm(meeting: MeetingView, action: ServerAction<AddAgendaItem>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let guests = Resource::new(|| (), |_| crate::api::load_guest_choices());
    let invite = !meeting.past;
    let mut question_options = vec![(
        String::new(),
        t_string!(i18n, meetings.no_question).to_string(),
    )];
    question_options.extend(meeting.questions.iter().map(|q| {
        let owner = q
            .owner
            .clone()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default();
        (q.id.to_string(), format!("{}{owner}", q.title))
    }));
    view! {
        <section class="section panel-box" aria-labelledby="item-heading">
            <h2 id="item-heading">{t!(i18n, meetings.add_item_heading)}</h2>
            <ErrorBox error=error />
            <PostForm action attr:class="form" attr:novalidate=true id="agenda-form">
                <input type="hidden" name="meeting_id" value=meeting.id.to_string() />
                <SelectField name="question_id" label=label(i18n, |i| t_string!(i, meetings.field_question).to_string())
                    hint=label(i18n, |i| t_string!(i, meetings.field_question_hint).to_string())
                    options=Signal::derive(move || question_options.clone()) problem=field_problem(error, "question_id") />
                <TextField name="title" required=false label=label(i18n, |i| t_string!(i, meetings.field_item_title).to_string())
                    hint=label(i18n, |i| t_string!(i, meetings.field_item_title_hint).to_string())
                    problem=field_problem(error, "title") />
                <TextField name="duration_minutes" kind="number" value="30".to_string() label=label(i18n, |i| t_string!(i, meetings.field_duration).to_string()) problem=field_problem(error, "duration_minutes") />
                <Suspense fallback=|| ()>
                    {move || guests.get().filter(|_| invite).map(|list| {
                        let mut options = vec![(String::new(), t_string!(i18n, meetings.no_guest).to_string())];
                        options.extend(list.unwrap_or_default().into_iter().map(|(id, name)| (id.to_string(), name)));
                        view! {
                            <SelectField name="guest_id" label=label(i18n, |i| t_string!(i, meetings.field_guest).to_string())
                                hint=label(i18n, |i| t_string!(i, meetings.field_guest_hint).to_string())
                                options=Signal::derive(move || options.clone()) problem=field_problem(error, "guest_id") />
                        }
                    })}
                </Suspense>
                <button type="submit" class="button button--primary">{t!(i18n, meetings.add_item)}</button>
            </PostForm>
        </section>
    }
}

#[component]
fn AttendanceForm(meeting: MeetingView, action: ServerAction<RecordAttendance>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="section panel-box" aria-labelledby="attendance-heading">
            <h2 id="attendance-heading">{t!(i18n, meetings.attendance_heading)}</h2>
            <ErrorBox error=error />
            <PostForm action attr:class="form" id="attendance-form">
                <input type="hidden" name="id" value=meeting.id.to_string() />
                <fieldset class="field">
                    <legend>{t!(i18n, meetings.attendance_legend)}</legend>
                    {meeting.invitees.iter().map(|p| {
                        let field = format!("present-{}", p.user_id);
                        let checked = crate::components::form::remembered_choice("present[]", &p.user_id.to_string())
                            .unwrap_or_else(|| p.attended.unwrap_or(p.answer == "yes"));
                        view! {
                            <div class="check">
                                <input type="checkbox" id=field.clone() name="present[]" value=p.user_id.to_string() checked=checked />
                                <label for=field>{p.name.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button--primary">{t!(i18n, meetings.save_attendance)}</button>
            </PostForm>
        </section>
    }
}

#[component]
fn ChangeForms(
    meeting: MeetingView,
    moved: ServerAction<MoveMeeting>,
    cancel: ServerAction<CancelMeeting>,
) -> impl IntoView {
    let i18n = use_i18n();
    let move_error = action_error(moved);
    let cancel_error = action_error(cancel);
    let id_move = meeting.id.to_string();
    let id_cancel = meeting.id.to_string();
    view! {
        <section class="section" aria-labelledby="change-heading">
            <h2 id="change-heading">{t!(i18n, meetings.change_heading)}</h2>
            <details class="inline-details">
                <summary>{t!(i18n, meetings.move_meeting)}</summary>
                <ErrorBox error=move_error />
                <PostForm action=moved attr:class="form" attr:novalidate=true id="move-form">
                    <input type="hidden" name="id" value=id_move />
                    <TextField name="date" kind="date" value=meeting.date_iso.clone() label=label(i18n, |i| t_string!(i, meetings.field_date).to_string()) problem=field_problem(move_error, "date") />
                    <div class="field-row">
                        <TextField name="starts" kind="time" value=meeting.starts_time.clone() label=label(i18n, |i| t_string!(i, meetings.field_starts).to_string()) problem=field_problem(move_error, "starts") />
                        <TextField name="ends" kind="time" value=meeting.ends_time.clone() label=label(i18n, |i| t_string!(i, meetings.field_ends).to_string()) problem=field_problem(move_error, "ends") />
                    </div>
                    <TextField name="location" required=false value=meeting.location.clone() label=label(i18n, |i| t_string!(i, meetings.field_location).to_string()) problem=field_problem(move_error, "location") />
                    <TextField name="online_url" kind="url" required=false value=meeting.online_url.clone() label=label(i18n, |i| t_string!(i, meetings.field_online_url).to_string()) problem=field_problem(move_error, "online_url") />
                    <button type="submit" class="button">{t!(i18n, meetings.move_submit)}</button>
                </PostForm>
            </details>
            <details class="inline-details">
                <summary>{t!(i18n, meetings.cancel)}</summary>
                <ErrorBox error=cancel_error />
                <PostForm action=cancel attr:class="form" attr:novalidate=true id="cancel-form">
                    <input type="hidden" name="id" value=id_cancel />
                    <TextArea name="reason" rows=3 label=label(i18n, |i| t_string!(i, meetings.field_reason).to_string())
                        hint=label(i18n, |i| t_string!(i, meetings.field_reason_hint).to_string())
                        problem=field_problem(cancel_error, "reason") />
                    <button type="submit" class="button button--danger">{t!(i18n, meetings.cancel_submit)}</button>
                </PostForm>
            </details>
        </section>
    }
}

/// The next meetings on a home page.
#[component]
pub fn NextMeetings(meetings: Vec<MeetingSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel-box" aria-labelledby="next-meetings-heading">
            <h2 id="next-meetings-heading">{t!(i18n, meetings.next_heading)}</h2>
            {if meetings.is_empty() {
                view! { <p class="empty">{t!(i18n, meetings.none_upcoming)}</p> }.into_any()
            } else {
                view! { <ul class="row-list" id="next-meetings">{meetings.into_iter().map(|m| view! { <MeetingRow meeting=m /> }).collect_view()}</ul> }.into_any()
            }}
            <p><A href="/meetings">{t!(i18n, meetings.all)}</A></p>
        </section>
    }
}

/// The minutes: their state, the coordinator's form, publishing, and members' comments.
#[component]
fn MinutesSection(meeting: MeetingView, tools: MeetingTools) -> impl IntoView {
    let i18n = use_i18n();
    let m = meeting;
    let writing =
        m.may_plan && m.started && !m.cancelled && m.minutes_state != MinutesState::Published;
    let shown = m.minutes_state != MinutesState::NotWritten || writing;
    let save_error = action_error(tools.minutes);
    let comment_error = action_error(tools.comment);
    let publish_error = action_error(tools.publish);
    let id = m.id.to_string();
    let (id_save, id_comment, id_publish) = (id.clone(), id.clone(), id);
    let until = m.minutes_comments_until;
    let state = m.minutes_state;
    shown.then(move || view! {
        <section class="section" aria-labelledby="minutes-heading">
            <h2 id="minutes-heading">{t!(i18n, meetings.minutes_heading)}</h2>
            <p id="minutes-state">{match (state, until) {
                (MinutesState::Draft, Some(u)) if m.may_comment => t!(i18n, meetings.minutes_draft_until, date = clock::date_time(u)).into_any(),
                (MinutesState::Draft, _) => t!(i18n, meetings.minutes_draft_closed).into_any(),
                (MinutesState::Published, _) => t!(i18n, meetings.minutes_published).into_any(),
                (MinutesState::NotWritten, _) => t!(i18n, meetings.minutes_none).into_any(),
            }}</p>
            {writing.then(|| {
                let items = m.agenda.clone();
                view! {
                    <ErrorBox error=save_error />
                    <PostForm action=tools.minutes attr:class="form panel-box" attr:novalidate=true id="minutes-form">
                        <input type="hidden" name="meeting_id" value=id_save.clone() />
                        {items.into_iter().enumerate().map(|(i, item)| {
                            let kept = |name: &str, stored: &str| crate::components::form::remembered_nth(name, i).unwrap_or_else(|| stored.to_string());
                            let minutes_id = format!("minutes-{}", item.id);
                            let group_id = format!("group-{}", item.id);
                            let minutes_problem = field_problem_dyn(save_error, minutes_id.clone());
                            let group_problem = field_problem_dyn(save_error, group_id.clone());
                            let title = item.title.clone();
                            view! {
                                <fieldset class="field">
                                    <legend>{item.title.clone()}</legend>
                                    <input type="hidden" name="item_id[]" value=item.id.to_string() />
                                    <label for=minutes_id.clone()>{t!(i18n, meetings.field_minutes, title = title.clone())}</label>
                                    <textarea id=minutes_id name="minutes[]" rows="4">{kept("minutes[]", &item.minutes)}</textarea>
                                    {move || minutes_problem.get().map(|p| view! { <p class="field__error">{crate::components::form::problem_view(i18n, p)}</p> })}
                                    {if item.question_open {
                                        view! {
                                            <label for=group_id.clone()>{t!(i18n, meetings.field_group_input)}</label>
                                            <p class="field__hint">{t!(i18n, meetings.field_group_input_hint)}</p>
                                            <textarea id=group_id name="group_input[]" rows="3">{kept("group_input[]", &item.group_input)}</textarea>
                                            {move || group_problem.get().map(|p| view! { <p class="field__error">{crate::components::form::problem_view(i18n, p)}</p> })}
                                        }.into_any()
                                    } else {
                                        view! { <input type="hidden" name="group_input[]" value="" /> }.into_any()
                                    }}
                                </fieldset>
                            }
                        }).collect_view()}
                        <TextField name="comment_days" kind="number" value="7".to_string()
                            label=label(i18n, |i| t_string!(i, meetings.field_comment_days).to_string())
                            hint=label(i18n, |i| t_string!(i, meetings.field_comment_days_hint).to_string())
                            problem=field_problem(save_error, "comment_days") />
                        <button type="submit" class="button button--primary">{t!(i18n, meetings.save_minutes)}</button>
                    </PostForm>
                }
            })}
            {(m.may_plan && m.minutes_state == MinutesState::Draft).then(|| view! {
                <ErrorBox error=publish_error />
                <PostForm action=tools.publish attr:class="inline-form">
                    <input type="hidden" name="meeting_id" value=id_publish.clone() />
                    <button type="submit" class="button">{t!(i18n, meetings.publish_minutes)}</button>
                </PostForm>
            })}
            {(!m.comments.is_empty()).then(|| view! {
                <h3>{t!(i18n, meetings.comments_heading)}</h3>
                <ul class="plain-list" id="minutes-comments">
                    {m.comments.iter().map(|c| view! {
                        <li><strong>{c.name.clone()}</strong>" (" {clock::date_time(c.at)} "): " <span class="preserve-lines">{c.body.clone()}</span></li>
                    }).collect_view()}
                </ul>
            })}
            {m.may_comment.then(|| {
                // Emptied after each comment that was saved (not after a refusal).
                let sent = Memo::new(move |before: Option<&usize>| {
                    let before = before.copied().unwrap_or(0);
                    match tools.comment.value().get() {
                        Some(Ok(())) => before + 1,
                        _ => before,
                    }
                });
                let problem = field_problem(comment_error, "comment");
                view! {
                    <PostForm action=tools.comment attr:class="form" attr:novalidate=true id="comment-form">
                        <input type="hidden" name="meeting_id" value=id_comment.clone() />
                        <div class="field" class:field--invalid=move || problem.get().is_some()>
                            <label for="comment">{t!(i18n, meetings.field_comment)}</label>
                            <textarea id="comment" name="comment" rows="3" aria-describedby="comment-error"
                                prop:value=move || { sent.get(); String::new() }>{crate::components::form::remembered("comment")}</textarea>
                            <p class="field__error" id="comment-error" hidden=move || problem.get().is_none()>
                                {move || problem.get().map(|p| crate::components::form::problem_view(i18n, p))}
                            </p>
                        </div>
                        <button type="submit" class="button">{t!(i18n, meetings.send_comment)}</button>
                    </PostForm>
                }
            })}
        </section>
    })
}

/// A field's problem when the field name is made at run time (one per agenda item).
fn field_problem_dyn(
    error: Signal<Option<AppError>>,
    field: String,
) -> Signal<Option<crate::domain::Problem>> {
    Signal::derive(move || error.get().and_then(|e| e.problem_for(&field)))
}

/// Travel costs: a member's claim, the coordinator's decisions.
#[component]
fn TravelSection(meeting: MeetingView, tools: MeetingTools) -> impl IntoView {
    let i18n = use_i18n();
    let m = meeting;
    let claim_error = action_error(tools.claim);
    let decide_error = action_error(tools.decide);
    let shown = m.may_claim || (m.may_plan && !m.claims.is_empty());
    let id = m.id.to_string();
    let status_name = move |status: &str| match status {
        "approved" => t_string!(i18n, meetings.claim_approved).to_string(),
        "rejected" => t_string!(i18n, meetings.claim_rejected).to_string(),
        _ => t_string!(i18n, meetings.claim_submitted).to_string(),
    };
    let may_change = !m.claims.iter().any(|c| c.status != "submitted");
    shown.then(move || view! {
        <section class="section" aria-labelledby="travel-heading">
            <h2 id="travel-heading">{t!(i18n, meetings.travel_heading)}</h2>
            <ErrorBox error=decide_error />
            {(!m.claims.is_empty()).then(|| view! {
                <ul class="row-list" id="claims">
                    {m.claims.iter().map(|c| {
                        let status = c.status.clone();
                        let claim_id = c.id.to_string();
                        let open = c.status == "submitted" && m.may_plan;
                        view! {
                            <li class="row">
                                <div class="row__main">
                                    <p class="row__title">{c.name.clone()}": € "{c.amount.clone()}</p>
                                    <p class="row__meta">{c.description.clone()}" · "{move || status_name(&status)}</p>
                                </div>
                                {open.then(|| {
                                    let (a, r) = (claim_id.clone(), claim_id.clone());
                                    view! {
                                        <div class="row__actions">
                                            <PostForm action=tools.decide id=format!("form-approve-claim-{a}") attr:class="inline-form">
                                                <input type="hidden" name="claim_id" value=a.clone() />
                                                <input type="hidden" name="decision" value="approve" />
                                                <button type="submit" class="button button--small button--primary">{t!(i18n, meetings.approve)}</button>
                                            </PostForm>
                                            <PostForm action=tools.decide id=format!("form-reject-claim-{r}") attr:class="inline-form">
                                                <input type="hidden" name="claim_id" value=r.clone() />
                                                <input type="hidden" name="decision" value="reject" />
                                                <button type="submit" class="button button--small button--quiet">{t!(i18n, meetings.reject)}</button>
                                            </PostForm>
                                        </div>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(m.may_claim && may_change).then(|| view! {
                <ErrorBox error=claim_error />
                <PostForm action=tools.claim attr:class="form" attr:novalidate=true id="claim-form">
                    <input type="hidden" name="meeting_id" value=id.clone() />
                    <TextField name="amount" kind="text" label=label(i18n, |i| t_string!(i, meetings.field_amount).to_string())
                        hint=label(i18n, |i| t_string!(i, meetings.field_amount_hint).to_string())
                        problem=field_problem(claim_error, "amount") />
                    <TextField name="description" label=label(i18n, |i| t_string!(i, meetings.field_travel).to_string())
                        hint=label(i18n, |i| t_string!(i, meetings.field_travel_hint).to_string())
                        problem=field_problem(claim_error, "description") />
                    <button type="submit" class="button">{t!(i18n, meetings.claim)}</button>
                </PostForm>
            })}
        </section>
    })
}

/// The coordinator's compensation tools: the hourly rate, open claims, the CSV export.
#[component]
fn CompensationSection(
    hourly_rate: String,
    open_claims: Vec<(i64, i64, i64)>,
    year: u16,
) -> impl IntoView {
    let i18n = use_i18n();
    let rate = ServerAction::<SetHourlyRate>::new();
    let rate_error = action_error(rate);
    view! {
        <section class="section panel-box" aria-labelledby="compensation-heading">
            <h2 id="compensation-heading">{t!(i18n, meetings.compensation_heading)}</h2>
            <p>{t!(i18n, meetings.compensation_intro)}</p>
            <PostForm action=rate attr:class="form" attr:novalidate=true id="rate-form">
                <TextField name="hourly_rate" value=hourly_rate label=label(i18n, |i| t_string!(i, meetings.field_rate).to_string()) problem=field_problem(rate_error, "hourly_rate") />
                <button type="submit" class="button">{t!(i18n, meetings.save_rate)}</button>
            </PostForm>
            {(!open_claims.is_empty()).then(|| view! {
                <h3>{t!(i18n, meetings.open_claims_heading)}</h3>
                <ul class="plain-list" id="open-claims">
                    {open_claims.into_iter().map(|(id, starts, n)| view! {
                        <li><A href=format!("/meetings/{id}")>{clock::date(starts)}</A>": " {t!(i18n, meetings.open_claims, n = n)}</li>
                    }).collect_view()}
                </ul>
            })}
            <h3>{t!(i18n, meetings.export_heading)}</h3>
            <form method="get" action="/export/compensation.csv" class="form" id="export-form">
                <div class="field-row">
                    <div class="field">
                        <label for="export-from">{t!(i18n, meetings.field_from)}</label>
                        <input type="date" id="export-from" name="from" value=format!("{year}-01-01") />
                    </div>
                    <div class="field">
                        <label for="export-to">{t!(i18n, meetings.field_to)}</label>
                        <input type="date" id="export-to" name="to" value=format!("{year}-12-31") />
                    </div>
                </div>
                <button type="submit" class="button">{t!(i18n, meetings.export)}</button>
            </form>
        </section>
    }
}

/// One item of the agenda: its title and length, the question it is about with its
/// background, the guest, the minutes, and (while the agenda may change) removing it.
#[component]
fn AgendaItem(
    item: AgendaItemView,
    meeting_id: String,
    editable: bool,
    remove: ServerAction<RemoveAgendaItem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let item_id = item.id.to_string();
    let minutes = item.duration_minutes;
    view! {
        <li class="agenda__item">
            <p class="row__title">{item.title.clone()}" "<span class="row__meta">{t!(i18n, meetings.minutes, n = minutes)}</span></p>
            {item.question_id.map(|q| {
                let title = item.question_title.clone().unwrap_or_default();
                view! { <p>{t!(i18n, meetings.about_question)}" "<A href=format!("/questions/{q}")>{title}</A></p> }
            })}
            {item.guest.clone().map(|g| view! { <p class="row__meta">{t!(i18n, meetings.guest, name = g.clone())}</p> })}
            {(!item.minutes.is_empty()).then(|| view! {
                <div class="minutes">
                    <p class="row__meta">{t!(i18n, meetings.minutes_label)}</p>
                    <p class="preserve-lines">{item.minutes.clone()}</p>
                </div>
            })}
            {(!item.question_background_html.is_empty()).then(|| view! {
                <details class="inline-details">
                    <summary>{t!(i18n, meetings.read_background)}</summary>
                    <div class="rich-text" inner_html=item.question_background_html.clone()></div>
                </details>
            })}
            {editable.then(|| view! {
                <PostForm action=remove id=format!("form-remove-item-{item_id}") attr:class="inline-form">
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <input type="hidden" name="item_id" value=item_id />
                    <button type="submit" class="button button--small button--quiet">{t!(i18n, meetings.remove_item)}</button>
                </PostForm>
            })}
        </li>
    }
}
