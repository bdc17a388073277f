//! The panel and its people, as every domain reads them: panels, municipalities,
//! accounts and the current user, the home page's facts, and the first-run setup link.
//! Plain SQL that runs unchanged on SQLite and PostgreSQL.

use super::auth::{person, PersonRow, PERSON_COLUMNS};
use super::db;
use crate::domain::{Language, Role};
use crate::model::{Contact, CurrentUser, Municipality, PanelSummary, PublicPanel};
use sqlx::{AnyConnection, AnyPool};

#[derive(sqlx::FromRow)]
struct PanelRow {
    id: i64,
    name: String,
    region: String,
    slug: String,
    is_demo: i64,
}

fn summary(row: PanelRow) -> (PanelSummary, bool) {
    (
        PanelSummary {
            id: row.id,
            name: row.name,
            region: row.region,
            slug: row.slug,
        },
        row.is_demo == 1,
    )
}

pub async fn panels(pool: &AnyPool) -> Result<Vec<PublicPanel>, sqlx::Error> {
    let rows: Vec<PanelRow> =
        sqlx::query_as("SELECT id, name, region, slug, is_demo FROM panels ORDER BY is_demo, name")
            .fetch_all(pool)
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (panel, is_demo) = summary(row);
        out.push(public_panel(pool, panel, is_demo).await?);
    }
    Ok(out)
}

pub async fn panel_by_slug(pool: &AnyPool, slug: &str) -> Result<Option<PublicPanel>, sqlx::Error> {
    // What cannot be a slug names no panel (and a NUL would not even reach PostgreSQL).
    if crate::domain::Slug::parse(slug).is_err() {
        return Ok(None);
    }
    let row: Option<PanelRow> =
        sqlx::query_as("SELECT id, name, region, slug, is_demo FROM panels WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await?;
    match row {
        Some(row) => {
            let (panel, is_demo) = summary(row);
            Ok(Some(public_panel(pool, panel, is_demo).await?))
        }
        None => Ok(None),
    }
}

async fn public_panel(
    pool: &AnyPool,
    panel: PanelSummary,
    is_demo: bool,
) -> Result<PublicPanel, sqlx::Error> {
    let municipalities = municipality_names(pool, panel.id).await?;
    let member_count = count_users(pool, panel.id, Role::Member).await?;
    Ok(PublicPanel {
        panel,
        municipalities,
        member_count,
        is_demo,
    })
}

pub async fn municipality_names(pool: &AnyPool, panel_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM municipalities WHERE panel_id = $1 ORDER BY name")
            .bind(panel_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

pub async fn count_users(pool: &AnyPool, panel_id: i64, role: Role) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE panel_id = $1 AND role = $2 AND active = 1",
    )
    .bind(panel_id)
    .bind(role.as_str())
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// What a home page tells of its person's panel, read in one query: the coordinators by
/// name and how many members and policy makers there are (active accounts), the
/// municipalities, the person's fixed point of contact (the coordinator who invited them,
/// else the first), and whether they still have the panel's agreements to accept.
pub struct HomeFacts {
    pub coordinators: Vec<String>,
    pub members: i64,
    pub policy_makers: i64,
    pub municipalities: Vec<String>,
    pub contact: Option<Contact>,
    /// The agreements have text and this person has not accepted it.
    pub agreements_open: bool,
}

#[derive(sqlx::FromRow)]
struct HomeFactsRow {
    agreements: String,
    accepted: Option<i64>,
    members: i64,
    policy_makers: i64,
    coordinators: Option<String>,
    municipalities: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_how: Option<String>,
}

pub async fn home_facts(pool: &AnyPool, user_id: i64) -> Result<Option<HomeFacts>, sqlx::Error> {
    let row: Option<HomeFactsRow> = sqlx::query_as(&format!(
        "SELECT f.agreements, f.accepted, f.members, f.policy_makers, f.coordinators,
                f.municipalities, c.display_name AS contact_name, c.email AS contact_email,
                c.contact_info AS contact_how
         FROM (SELECT p.agreements, u.agreements_accepted_at AS accepted,
                 (SELECT COUNT(*) FROM users x
                   WHERE x.panel_id = p.id AND x.active = 1 AND x.role = 'member') AS members,
                 (SELECT COUNT(*) FROM users x
                   WHERE x.panel_id = p.id AND x.active = 1 AND x.role = 'policy_maker')
                   AS policy_makers,
                 (SELECT string_agg(x.display_name, '{sep}' ORDER BY x.display_name)
                    FROM users x
                   WHERE x.panel_id = p.id AND x.active = 1 AND x.role = 'coordinator')
                   AS coordinators,
                 (SELECT string_agg(m.name, '{sep}' ORDER BY m.name) FROM municipalities m
                   WHERE m.panel_id = p.id) AS municipalities,
                 (SELECT k.id FROM users k
                   WHERE k.panel_id = p.id AND k.role = 'coordinator' AND k.active = 1
                   ORDER BY CASE WHEN k.id = (SELECT contact_id FROM users WHERE id = $1)
                                 THEN 0 ELSE 1 END, k.id
                   LIMIT 1) AS contact_id
               FROM users u JOIN panels p ON p.id = u.panel_id
               WHERE u.id = $1) f
         LEFT JOIN users c ON c.id = f.contact_id",
        sep = db::JOINED,
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| HomeFacts {
        coordinators: db::split_joined(r.coordinators),
        members: r.members,
        policy_makers: r.policy_makers,
        municipalities: db::split_joined(r.municipalities),
        contact: match (r.contact_name, r.contact_email, r.contact_how) {
            (Some(display_name), Some(email), how) => Some(Contact {
                display_name,
                email,
                how: how.unwrap_or_default(),
            }),
            _ => None,
        },
        agreements_open: !r.agreements.trim().is_empty() && r.accepted.is_none(),
    }))
}

/// Whether the deployment still waits for its first real panel.
pub async fn setup_pending(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM panels WHERE is_demo = 0")
        .fetch_one(pool)
        .await?;
    Ok(n == 0)
}

pub async fn slug_taken(conn: &mut AnyConnection, slug: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM panels WHERE slug = $1")
        .bind(slug)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn email_taken(conn: &mut AnyConnection, email: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub struct NewPanel<'a> {
    pub name: &'a str,
    pub region: &'a str,
    pub slug: &'a str,
    pub is_demo: bool,
    pub municipalities: &'a [String],
}

pub async fn insert_panel(
    conn: &mut AnyConnection,
    panel: &NewPanel<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO panels (name, region, slug, is_demo, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(panel.name)
    .bind(panel.region)
    .bind(panel.slug)
    .bind(i64::from(panel.is_demo))
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    for name in panel.municipalities {
        sqlx::query(
            "INSERT INTO municipalities (panel_id, name) VALUES ($1, $2)
             ON CONFLICT (panel_id, name) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn panel_id_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM panels WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn municipality_id(
    conn: &mut AnyConnection,
    panel_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM municipalities WHERE panel_id = $1 AND name = $2")
            .bind(panel_id)
            .bind(name)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

pub struct NewUser<'a> {
    pub panel_id: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub municipality_id: Option<i64>,
    pub password_hash: &'a str,
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    user: &NewUser<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (panel_id, email, display_name, role, municipality_id, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(user.panel_id)
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.municipality_id)
    .bind(user.password_hash)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The stored hash of an active account, for login.
pub async fn login_candidate(
    pool: &AnyPool,
    email: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1 AND active = 1")
        .bind(email)
        .fetch_optional(pool)
        .await
}

pub async fn record_login(pool: &AnyPool, user_id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn current_user(
    pool: &AnyPool,
    user_id: i64,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<PersonRow> = sqlx::query_as(&format!(
        "SELECT {PERSON_COLUMNS}
             FROM users u
             JOIN panels p ON p.id = u.panel_id
             LEFT JOIN municipalities m ON m.id = u.municipality_id
             WHERE u.id = $1 AND u.active = 1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(person))
}

/// Replaces any earlier setup link by a new one (only its hash is kept).
pub async fn replace_setup_token(
    pool: &AnyPool,
    token_hash: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn setup_token_valid(pool: &AnyPool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .fetch_one(pool)
    .await?;
    Ok(n == 1)
}

/// Marks the setup link used; true only for the one caller that used it first.
pub async fn consume_setup_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(at)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
/// The panel's municipalities, by name.
pub async fn municipalities(db: &db::Db, panel_id: i64) -> Result<Vec<Municipality>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM municipalities WHERE panel_id = $1 ORDER BY name")
            .bind(panel_id)
            .fetch_all(db.read())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Municipality { id, name })
        .collect())
}

/// The language someone chose for interface and e-mail (Dutch for an unknown account).
pub async fn language_of(
    conn: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: i64,
) -> Result<Language, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(l,)| Language::from_db(&l)).unwrap_or_default())
}
