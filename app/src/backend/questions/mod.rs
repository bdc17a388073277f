//! Questions to the panel: writing, submitting, accepting or returning, listing and
//! showing them with their timeline, and the panel's themes. Every change is checked
//! against the lifecycle table (`crate::lifecycle`) and limited to the actor's panel.
//! `store` holds what the other domains read about a question.

pub mod list;
pub mod store;
pub mod themes;
pub mod write;
