//! Server functions for panel meetings. Each checks the session; the service checks role,
//! panel and (for policy makers) whether they are a guest of the meeting.

use crate::error::AppError;
use crate::model::{MeetingView, MeetingsPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::views::meeting_page;
#[cfg(feature = "ssr")]
use crate::backend::{meetings, platform::state};

/// The caller's meetings: upcoming, past, and their attendance record.
#[server(endpoint = "meetings")]
pub async fn load_meetings() -> Result<MeetingsPage, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meeting_page::page(&st.db, &user).await
        }
        .await,
    )
}

/// One meeting with agenda and answers.
#[server(endpoint = "meeting")]
pub async fn load_meeting(id: i64) -> Result<MeetingView, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meeting_page::detail(&st.db, &user, id).await
        }
        .await,
    )
}

/// The policy makers of the caller's panel (coordinators only), for inviting a guest.
#[server(endpoint = "meeting_guests")]
pub async fn load_guest_choices() -> Result<Vec<(i64, String)>, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::store::policy_makers(&st.db, &user).await
        }
        .await,
    )
}

/// The coordinator plans a series of meetings.
#[server(endpoint = "create_series")]
pub async fn create_series(
    date: String,
    starts: String,
    ends: String,
    #[server(default)] location: String,
    #[server(default)] online_url: String,
    every_weeks: String,
    until: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let when = meetings::series::When {
                date,
                starts,
                ends,
                location,
                online_url,
            };
            meetings::series::create_series(&st.db, &user, &when, &every_weeks, &until).await?;
            leptos_axum::redirect("/meetings");
            Ok(())
        }
        .await,
    )
}

/// The coordinator adds a single meeting.
#[server(endpoint = "add_meeting")]
pub async fn add_meeting(
    date: String,
    starts: String,
    ends: String,
    #[server(default)] location: String,
    #[server(default)] online_url: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let when = meetings::series::When {
                date,
                starts,
                ends,
                location,
                online_url,
            };
            let id = meetings::series::add_meeting(&st.db, &user, &when).await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator moves a meeting; everyone invited is told.
#[server(endpoint = "move_meeting")]
pub async fn move_meeting(
    id: i64,
    date: String,
    starts: String,
    ends: String,
    #[server(default)] location: String,
    #[server(default)] online_url: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let when = meetings::series::When {
                date,
                starts,
                ends,
                location,
                online_url,
            };
            meetings::series::move_meeting(&st.db, &st.settings.public_url, &user, id, &when)
                .await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator cancels a meeting with a reason; everyone invited is told.
#[server(endpoint = "cancel_meeting")]
pub async fn cancel_meeting(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::series::cancel_meeting(&st.db, &st.settings.public_url, &user, id, &reason)
                .await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator adds an agenda item, optionally about a question and with a guest.
#[server(endpoint = "add_agenda_item")]
pub async fn add_agenda_item(
    meeting_id: i64,
    #[server(default)] title: String,
    #[server(default)] duration_minutes: String,
    #[server(default)] question_id: String,
    #[server(default)] guest_id: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let form = meetings::agenda::ItemForm {
                title,
                duration_minutes,
                question_id,
                guest_id,
            };
            meetings::agenda::add_item(&st.db, &st.settings.public_url, &user, meeting_id, &form)
                .await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator removes an agenda item.
#[server(endpoint = "remove_agenda_item")]
pub async fn remove_agenda_item(meeting_id: i64, item_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::agenda::remove_item(&st.db, &user, item_id).await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// Whether the caller comes: "yes", "no" or "maybe".
#[server(endpoint = "answer_meeting")]
pub async fn answer_meeting(id: i64, answer: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::rsvp::answer(&st.db, &user, id, &answer).await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator records who came.
#[server(endpoint = "record_attendance")]
pub async fn record_attendance(
    id: i64,
    #[server(default)] present: Vec<String>,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::domain::at_most(&present, crate::domain::FORM_LIST_MAX)
                .map_err(|p| AppError::invalid("present", p))?;
            let mut ids = Vec::with_capacity(present.len());
            for p in &present {
                ids.push(p.trim().parse::<i64>().map_err(|_| {
                    AppError::invalid("present", crate::domain::Problem::InvalidChoice)
                })?);
            }
            meetings::rsvp::record_attendance(&st.db, &user, id, &ids).await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Whether the caller has a calendar feed address.
#[server(endpoint = "calendar_feed")]
pub async fn calendar_feed_status() -> Result<bool, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::feed::has_calendar_link(&st.db, &user).await
        }
        .await,
    )
}

/// Makes a new calendar feed address for the caller (the old one stops working) and
/// returns it; it is shown once.
#[server(endpoint = "new_calendar_feed")]
pub async fn new_calendar_feed() -> Result<String, AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::feed::new_calendar_link(&st.db, &st.settings.public_url, &user).await
        }
        .await,
    )
}

/// Stops the caller's calendar feed.
#[server(endpoint = "revoke_calendar_feed")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            meetings::feed::revoke_calendar_link(&st.db, &user).await
        }
        .await,
    )
}

/// The coordinator saves the minutes (per agenda item, aligned lists) as a draft open for
/// comments for `comment_days` days; group input goes to the linked questions.
#[server(endpoint = "save_minutes")]
pub async fn save_minutes(
    meeting_id: i64,
    #[server(default)] item_id: Vec<String>,
    #[server(default)] minutes: Vec<String>,
    #[server(default)] group_input: Vec<String>,
    #[server(default)] comment_days: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            for list in [&item_id, &minutes, &group_input] {
                crate::domain::at_most(list, crate::domain::FORM_LIST_MAX)
                    .map_err(|p| AppError::invalid("minutes", p))?;
            }
            let mut items = Vec::with_capacity(item_id.len());
            for (i, id) in item_id.iter().enumerate() {
                items.push(crate::backend::meetings::minutes::ItemMinutes {
                    item_id: id.trim().parse().map_err(|_| AppError::NotFound)?,
                    minutes: minutes.get(i).cloned().unwrap_or_default(),
                    group_input: group_input.get(i).cloned().unwrap_or_default(),
                });
            }
            crate::backend::meetings::minutes::save(
                &st.db,
                &user,
                meeting_id,
                &items,
                &comment_days,
            )
            .await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// A member comments on draft minutes.
#[server(endpoint = "comment_minutes")]
pub async fn comment_minutes(
    meeting_id: i64,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::meetings::minutes::comment(&st.db, &user, meeting_id, &comment).await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator publishes the minutes after the comment period.
#[server(endpoint = "publish_minutes")]
pub async fn publish_minutes(meeting_id: i64) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::meetings::minutes::publish(&st.db, &user, meeting_id).await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// A member claims travel costs for a meeting.
#[server(endpoint = "claim_travel")]
pub async fn claim_travel(
    meeting_id: i64,
    #[server(default)] amount: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::meetings::compensation::claim(
                &st.db,
                &user,
                meeting_id,
                &amount,
                &description,
            )
            .await?;
            leptos_axum::redirect(&format!("/meetings/{meeting_id}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator approves or rejects a travel claim.
#[server(endpoint = "decide_claim")]
pub async fn decide_claim(claim_id: i64, decision: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            let meeting =
                crate::backend::meetings::compensation::decide(&st.db, &user, claim_id, &decision)
                    .await?;
            leptos_axum::redirect(&format!("/meetings/{meeting}"));
            Ok(())
        }
        .await,
    )
}

/// The coordinator sets the hourly rate for attendance.
#[server(endpoint = "hourly_rate")]
pub async fn set_hourly_rate(hourly_rate: String) -> Result<(), AppError> {
    state::respond(
        async move {
            let st = state::state()?;
            let user = state::require_user(&st).await?;
            crate::backend::meetings::compensation::set_rate(&st.db, &user, &hourly_rate).await?;
            leptos_axum::redirect("/meetings");
            Ok(())
        }
        .await,
    )
}
