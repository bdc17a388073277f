use crate::components::layout::OlderPager;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{NoticeKind, NotificationView};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};

/// A notification as one sentence in the current language.
pub fn notice_text(i18n: I18nContext<Locale>, kind: NoticeKind, subject: String) -> AnyView {
    let s = move || subject.clone();
    match kind {
        NoticeKind::QuestionSubmitted => {
            t!(i18n, notifications.kind_question_submitted, subject = s).into_any()
        }
        NoticeKind::QuestionAccepted => {
            t!(i18n, notifications.kind_question_accepted, subject = s).into_any()
        }
        NoticeKind::QuestionReturned => {
            t!(i18n, notifications.kind_question_returned, subject = s).into_any()
        }
        NoticeKind::InputOpen => t!(i18n, notifications.kind_input_open, subject = s).into_any(),
        NoticeKind::DraftReady => t!(i18n, notifications.kind_draft_ready, subject = s).into_any(),
        NoticeKind::AdviceSent => t!(i18n, notifications.kind_advice_sent, subject = s).into_any(),
        NoticeKind::SubjectProposed => {
            t!(i18n, notifications.kind_subject_proposed, subject = s).into_any()
        }
        NoticeKind::SubjectAssigned => {
            t!(i18n, notifications.kind_subject_assigned, subject = s).into_any()
        }
        NoticeKind::ThemeProposed => {
            t!(i18n, notifications.kind_theme_proposed, subject = s).into_any()
        }
        NoticeKind::FeedbackSubmitted => {
            t!(i18n, notifications.kind_feedback_submitted, subject = s).into_any()
        }
        NoticeKind::FeedbackReminder => {
            t!(i18n, notifications.kind_feedback_reminder, subject = s).into_any()
        }
        NoticeKind::FeedbackOverdue => {
            t!(i18n, notifications.kind_feedback_overdue, subject = s).into_any()
        }
        NoticeKind::FeedbackEscalated => {
            t!(i18n, notifications.kind_feedback_escalated, subject = s).into_any()
        }
        NoticeKind::FeedbackPublished => {
            t!(i18n, notifications.kind_feedback_published, subject = s).into_any()
        }
        NoticeKind::FeedbackFollowUp => {
            t!(i18n, notifications.kind_feedback_follow_up, subject = s).into_any()
        }
        NoticeKind::RecommendationDone => {
            t!(i18n, notifications.kind_recommendation_done, subject = s).into_any()
        }
        NoticeKind::RecommendationStopped => {
            t!(i18n, notifications.kind_recommendation_stopped, subject = s).into_any()
        }
        NoticeKind::ProgressOverdue => {
            t!(i18n, notifications.kind_progress_overdue, subject = s).into_any()
        }
    }
}

/// The person's notifications, newest first. Opening the list marks them read; the ones
/// that were new say so (with a word, not only a colour).
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let at = move || query.read().get("at").unwrap_or_default();
    let list = Resource::new(at, crate::api::load_notifications);
    view! {
        <Title text=t_string!(i18n, notifications.title).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, notifications.title)}</h1>
            <p class="lead">{t!(i18n, notifications.intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || list.get().map(|result| match result {
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        crate::pages::respond_error(&e);
                        view! { <crate::components::form::ErrorBox error=Some(e) /> }.into_any()
                    }
                    Ok(page) if page.items.is_empty() && at().is_empty() => view! { <p class="empty">{t!(i18n, notifications.none)}</p> }.into_any(),
                    Ok(page) => view! {
                        <ul class="row-list" id="notifications">
                            {page.items.into_iter().map(|n: NotificationView| {
                                let (kind, subject) = (n.kind, n.subject.clone());
                                view! {
                                    <li class="row" class:row--new=n.new>
                                        <div class="row__main">
                                            <p class="row__title">
                                                {n.new.then(|| view! { <span class="badge badge--new">{t!(i18n, notifications.new)}</span>" " })}
                                                <A href=n.href.clone()>{notice_text(i18n, kind, subject.clone())}</A>
                                            </p>
                                            <p class="row__meta">{n.at.clone()}</p>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <OlderPager path="/notifications" older=page.older at_start=at().is_empty() />
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
