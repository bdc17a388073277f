//! The feedback loop: the owner answers every recommendation of the panel's advice
//! (comply or explain), reminders and escalation when the answer is late, the
//! infographic that tells young people what was done with their advice (and its SVG and
//! PNG drawing), their rating of it, the follow-through on what was adopted, and the
//! rule that a question closes only once its infographic is published.

pub mod impact;
pub mod infographic;
pub mod progress;
pub mod ratings;
pub mod reminders;
pub mod render;
pub mod responses;
pub mod transparency;
