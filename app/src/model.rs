//! Serialisable types shared by browser and server.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// The logged-in person, as the interface needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    pub panel: PanelSummary,
    /// Set for policy makers: the municipality they work for.
    pub municipality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelSummary {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub slug: String,
}

/// What anyone may see of a panel, without logging in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPanel {
    pub panel: PanelSummary,
    pub municipalities: Vec<String>,
    pub member_count: i64,
    pub is_demo: bool,
}

/// The deployment's front page: its panels, and whether first-run setup is still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landing {
    pub panels: Vec<PublicPanel>,
    pub setup_pending: bool,
}

/// The home page of a logged-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub user: CurrentUser,
    pub municipalities: Vec<String>,
    pub coordinators: Vec<String>,
    pub members: i64,
    pub policy_makers: i64,
}
