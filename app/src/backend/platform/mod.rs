//! What every domain uses: the database and its transactions, sessions and passwords,
//! the request state, limits, mail and its outbox, in-app notices, search, paging,
//! calendar text, rich text, form memory, and the panel with its people. A platform
//! module imports only platform modules.

pub mod auth;
pub mod db;
pub mod error;
pub mod form_memory;
pub mod ical;
pub mod limits;
pub mod mail;
pub mod notify;
pub mod paging;
pub mod rich_text;
pub mod search;
pub mod state;
pub mod store;
