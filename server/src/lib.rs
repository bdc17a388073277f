//! The Klankbord server: configuration, start-up and the command line.

// The release build instantiates the whole app's view types when it lists the routes;
// with the feedback pages that nests deeper than rustc's default query depth.
#![recursion_limit = "512"]

pub mod assets;
pub mod config;
pub mod downloads;
pub mod drawing;
pub mod finish;
pub mod forms;
pub mod security;
pub mod startup;
