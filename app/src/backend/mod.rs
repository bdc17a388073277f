//! Server-only code, one folder per concern (`docs/architecture.md`):
//! - `platform/`: what every domain uses (database, sessions, mail, notices, search,
//!   limits, the panel and its people); it imports no domain;
//! - one folder per domain (`accounts/`, `questions/`, `participation/`, `feedback/`,
//!   `meetings/`), each with its use cases and the reads other domains may share;
//! - `views/`: pages that combine several domains; nothing imports from it.
//!
//! `app/tests/structure.rs` keeps these rules and fails on any import cycle.

pub mod accounts;
pub mod feedback;
pub mod meetings;
pub mod participation;
pub mod platform;
pub mod questions;
pub mod views;
