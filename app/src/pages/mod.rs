//! One module per page.

pub mod agreements;
pub mod feedback;
pub mod home;
pub mod impact;
pub mod invite;
pub mod landing;
pub mod login;
pub mod meetings;
pub mod not_found;
pub mod notifications;
pub mod panel;
pub mod people;
pub mod profile;
pub mod questions;
pub mod reset;
pub mod second_factor;
pub mod setup;
pub mod themes;

/// Gives the HTTP response a 404 status when rendered on the server.
pub fn respond_not_found() {
    respond_error(&crate::error::AppError::NotFound);
}

/// Gives the HTTP response the status of the error a page met loading what it shows
/// (403 for a page the person may not see, 410 for a used link, ...), when rendered on
/// the server, like the server function that refused.
pub fn respond_error(error: &crate::error::AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(crate::backend::platform::state::status_of(error));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}
