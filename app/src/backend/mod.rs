//! Server-only code: database, passwords and sessions, use cases.

pub mod accounts;
pub mod advice;
pub mod auth;
pub mod compensation;
pub mod db;
pub mod demo;
pub mod error;
pub mod feedback;
pub mod form_memory;
pub mod ical;
pub mod infographic_render;
pub mod limits;
pub mod mail;
pub mod meetings;
pub mod minutes;
pub mod notify;
pub mod paging;
pub mod questions;
pub mod rich_text;
pub mod search;
pub mod second_factor;
pub mod services;
pub mod state;
pub mod store;
pub mod themes;
pub mod views;
