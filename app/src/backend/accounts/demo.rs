//! A realistic demo panel, so a newcomer sees a living platform in one command.
//! Every demo account shares one password, printed at start; never use `--demo` for a
//! real panel.

use super::setup;
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::store::{self, NewPanel, NewUser};
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
    let mut tx = db.begin().await?;
    if store::panel_id_by_slug(&mut tx, DEMO_SLUG).await?.is_some() {
        return Ok(false);
    }
    let password_hash = auth::hash_password(SecretString::from(DEMO_PASSWORD)).await?;
    let municipalities: Vec<String> = HART_VAN_BRABANT.iter().map(|m| m.to_string()).collect();
    let at = now();
    let panel_id = setup::create_panel(
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
    .await?;
    for (email, name, role, municipality) in DEMO_PEOPLE {
        let municipality_id = match municipality {
            Some(m) => store::municipality_id(&mut tx, panel_id, m).await?,
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
        .await?;
    }
    // Group agreements, accepted by the demo members; the coordinator says how to reach her.
    sqlx::query("UPDATE panels SET agreements = $1, agreements_updated_at = $2 WHERE id = $3")
        .bind(DEMO_AGREEMENTS)
        .bind(at)
        .bind(panel_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE users SET agreements_accepted_at = $1 WHERE panel_id = $2 AND role = 'member'",
    )
    .bind(at)
    .bind(panel_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET contact_info = $1 WHERE panel_id = $2 AND role = 'coordinator'")
        .bind("App of bel me: 06-12345678 (di, wo en do, 10-17 uur).")
        .bind(panel_id)
        .execute(&mut *tx)
        .await?;
    // The last panel evening, two weeks ago (Tuesday 19:00-21:00 Amsterdam time), with
    // its agenda; its attendance and minutes are still to be written.
    let (y, m, d, _, _) = crate::domain::clock::local_parts(at - 14 * 86_400);
    let back = (crate::domain::clock::weekday(y, m, d) + 5) % 7; // days since Tuesday
    let (y, m, d) = crate::domain::clock::plus_days(y, m, d, -back);
    let (meeting_id,): (i64,) = sqlx::query_as(
        "INSERT INTO meetings (panel_id, starts_at, ends_at, location, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(panel_id)
    .bind(crate::domain::clock::amsterdam_moment(y, m, d, 19 * 60))
    .bind(crate::domain::clock::amsterdam_moment(y, m, d, 21 * 60))
    .bind("Jongerenhuis Tilburg, Piusplein 5")
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO agenda_items (meeting_id, position, title, duration_minutes, created_at)
         VALUES ($1, 1, 'Kennismaken en afspraken', 30, $2)",
    )
    .bind(meeting_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The demo panel's group agreements.
pub const DEMO_AGREEMENTS: &str = "We luisteren naar elkaar en laten elkaar uitpraten.\n\n\
Wat iemand vertelt over zijn eigen ervaring, blijft in de groep.\n\n\
Je hoeft niets te delen wat je niet wilt. Even niet meedoen mag altijd.\n\n\
We zijn kritisch op plannen, niet op personen.\n\n\
Voel je je niet prettig? Zeg het tegen je contactpersoon.";
