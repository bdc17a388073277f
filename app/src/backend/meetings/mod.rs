//! Panel meetings: scheduling series and single meetings, telling invitees, the agenda
//! with policy makers as guests, answers and attendance, reminders, calendar downloads
//! and feeds, the minutes, and travel compensation.

pub mod agenda;
pub mod compensation;
pub mod feed;
pub mod minutes;
pub mod notices;
pub mod reminders;
pub mod rsvp;
pub mod series;
pub mod store;
