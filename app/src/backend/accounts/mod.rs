//! Accounts: setting up a panel and logging in, invitations, group agreements,
//! passwords, the second factor, people management, one's own profile, the audit log,
//! and the demo panel. Each use case checks what it needs, then changes the database in
//! one transaction (mail goes into the outbox inside that transaction). Callers have
//! already checked the session and role; every query is still limited to the caller's
//! own panel.

pub mod agreements;
pub mod audit;
pub mod demo;
pub mod invitations;
pub mod passwords;
pub mod people;
pub mod profile;
pub mod second_factor;
pub mod setup;
