//! Young people's participation in a question: their input and endorsements, and the
//! panel's advice built on it.

pub mod advice;
pub mod inputs;
