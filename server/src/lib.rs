//! The Klankbord server: configuration, start-up and the command line.

pub mod calendar;
pub mod config;
pub mod security;
pub mod startup;
