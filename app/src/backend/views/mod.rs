//! Pages built out of several domains. Domains never import from here, so a page can
//! combine them without tying them to each other.

pub mod meeting_page;
pub mod question_page;
