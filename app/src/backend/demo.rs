//! A realistic demo panel, so a newcomer sees a living platform in one command.
//! Every demo account shares one password, printed at start; never use `--demo` for a
//! real panel.

use super::auth;
use super::db::{now, Db};
use super::services::unexpected;
use super::store::{self, NewPanel, NewUser};
use crate::domain::Role;
use crate::domain::HART_VAN_BRABANT;
use crate::error::AppError;
use secrecy::SecretString;

pub const DEMO_SLUG: &str = "demo";
pub const DEMO_PASSWORD: &str = "klankbord-demo";

/// (e-mail, display name, role, municipality)
pub const DEMO_PEOPLE: [(&str, &str, Role, Option<&str>); 6] = [
    (
        "coordinator@demo.klankbord.test",
        "Noor de Vries",
        Role::Coordinator,
        None,
    ),
    (
        "beleid@demo.klankbord.test",
        "Marco Jansen",
        Role::PolicyMaker,
        Some("Tilburg"),
    ),
    ("sam@demo.klankbord.test", "Sam", Role::Member, None),
    ("jay@demo.klankbord.test", "Jay", Role::Member, None),
    ("lina@demo.klankbord.test", "Lina", Role::Member, None),
    ("daan@demo.klankbord.test", "Daan", Role::Member, None),
];

/// Creates the demo panel unless it exists. Returns whether it was created.
pub async fn seed(db: &Db) -> Result<bool, AppError> {
    let mut tx = db
        .write()
        .begin()
        .await
        .map_err(|e| unexpected("begin", e))?;
    if store::panel_id_by_slug(&mut tx, DEMO_SLUG)
        .await
        .map_err(|e| unexpected("finding demo", e))?
        .is_some()
    {
        return Ok(false);
    }
    let password_hash = auth::hash_password(SecretString::from(DEMO_PASSWORD))
        .await
        .map_err(|e| unexpected("hashing demo password", e))?;
    let municipalities: Vec<String> = HART_VAN_BRABANT.iter().map(|m| m.to_string()).collect();
    let at = now();
    let panel_id = store::insert_panel(
        &mut tx,
        &NewPanel {
            name: "Jongerenpanel Hart van Brabant (demo)",
            region: "Hart van Brabant",
            slug: DEMO_SLUG,
            is_demo: true,
            municipalities: &municipalities,
        },
        at,
    )
    .await
    .map_err(|e| unexpected("creating demo panel", e))?;
    for (email, name, role, municipality) in DEMO_PEOPLE {
        let municipality_id = match municipality {
            Some(m) => store::municipality_id(&mut tx, panel_id, m)
                .await
                .map_err(|e| unexpected("finding municipality", e))?,
            None => None,
        };
        store::insert_user(
            &mut tx,
            &NewUser {
                panel_id,
                email,
                display_name: name,
                role,
                municipality_id,
                password_hash: &password_hash,
            },
            at,
        )
        .await
        .map_err(|e| unexpected("creating demo account", e))?;
    }
    tx.commit()
        .await
        .map_err(|e| unexpected("commit demo", e))?;
    Ok(true)
}
