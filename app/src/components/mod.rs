//! Reusable view pieces. No data access here.

pub mod form;
pub mod infographic;
pub mod layout;
