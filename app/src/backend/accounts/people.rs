//! The coordinator's people overview: who is on the panel, their role, and switching an
//! account's role or turning it off (never the panel's last active coordinator).

use super::audit::audit;
use super::invitations::open_invitations;
use crate::backend::platform::auth;
use crate::backend::platform::db::Db;
use crate::backend::platform::store;

use crate::domain::{clock, Problem, Role};
use crate::error::AppError;
use crate::model::{AuditEvent, CurrentUser, People, Person};
use sqlx::AnyConnection;

/// Which people the coordinator wants to see.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub query: String,
    /// `member`, `policy_maker`, `coordinator`, or empty for all.
    pub role: String,
    /// `active`, `inactive`, or empty for all.
    pub status: String,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    display_name: String,
    email: String,
    role: String,
    municipality: Option<String>,
    active: i64,
    last_login_at: Option<i64>,
    created_at: i64,
    has_second_factor: i64,
}

pub async fn people(
    db: &Db,
    actor: &CurrentUser,
    filter: &PeopleFilter,
) -> Result<People, AppError> {
    let query = filter.query.trim().to_lowercase();
    let pattern = format!("%{}%", query.replace(['%', '_'], ""));
    let role = filter
        .role
        .parse::<Role>()
        .ok()
        .map(Role::as_str)
        .unwrap_or("");
    let status = match filter.status.as_str() {
        "active" => 1,
        "inactive" => 0,
        _ => -1,
    };
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, m.name AS municipality, u.active,
                u.last_login_at, u.created_at,
                CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS has_second_factor
             FROM users u LEFT JOIN municipalities m ON m.id = u.municipality_id
             WHERE u.panel_id = $1
               AND (LOWER(u.display_name) LIKE $2 OR u.email LIKE $2)
               AND ($3 = '' OR u.role = $3)
               AND ($4 < 0 OR u.active = $4)
             ORDER BY u.active DESC, LOWER(u.display_name), u.id
             LIMIT 500",
    )
    .bind(actor.panel.id)
    .bind(&pattern)
    .bind(role)
    .bind(status)
    .fetch_all(db.read())
    .await?;
    let people = rows
        .into_iter()
        .filter_map(|r| {
            Some(Person {
                id: r.id,
                display_name: r.display_name,
                email: r.email,
                role: Role::from_db(&r.role)?,
                municipality: r.municipality,
                active: r.active == 1,
                last_login: r.last_login_at.map(clock::date_time),
                joined: clock::date(r.created_at),
                second_factor: r.has_second_factor == 1,
                is_me: r.id == actor.id,
            })
        })
        .collect();
    let (require, feedback_weeks, escalation_days): (i64, i64, i64) = sqlx::query_as(
        "SELECT require_totp, feedback_weeks, escalation_days FROM panels WHERE id = $1",
    )
    .bind(actor.panel.id)
    .fetch_one(db.read())
    .await?;
    Ok(People {
        people,
        invitations: open_invitations(db, actor.panel.id).await?,
        municipalities: store::municipalities(db, actor.panel.id).await?,
        require_second_factor: require == 1,
        feedback_weeks,
        escalation_days,
    })
}

/// A person of the actor's panel, or `NotFound` (also for another panel's people).
async fn panel_person(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    user_id: i64,
) -> Result<(Role, bool, String), AppError> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT role, active, display_name FROM users WHERE id = $1 AND panel_id = $2",
    )
    .bind(user_id)
    .bind(actor.panel.id)
    .fetch_optional(conn)
    .await?;
    let (role, active, name) = row.ok_or(AppError::NotFound)?;
    Ok((
        Role::from_db(&role).ok_or(AppError::Unexpected)?,
        active == 1,
        name,
    ))
}

async fn other_active_coordinators(
    conn: &mut AnyConnection,
    panel_id: i64,
    user_id: i64,
) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE panel_id = $1 AND role = 'coordinator' AND active = 1 AND id <> $2",
    )
    .bind(panel_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Gives a person of the panel another role (policy makers need a municipality). The panel
/// always keeps at least one active coordinator.
pub async fn change_role(
    db: &Db,
    actor: &CurrentUser,
    user_id: i64,
    role: &str,
    municipality: &str,
) -> Result<(), AppError> {
    let role = role
        .parse::<Role>()
        .map_err(|p| AppError::invalid("role", p))?;
    let mut tx = db.begin().await?;
    let (old, _, name) = panel_person(&mut tx, actor, user_id).await?;
    let municipality_id = if role == Role::PolicyMaker {
        let id: i64 = municipality
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("municipality", Problem::MunicipalityRequired))?;
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM municipalities WHERE id = $1 AND panel_id = $2")
                .bind(id)
                .bind(actor.panel.id)
                .fetch_optional(&mut *tx)
                .await?;
        Some(
            found
                .ok_or(AppError::invalid(
                    "municipality",
                    Problem::MunicipalityRequired,
                ))?
                .0,
        )
    } else {
        None
    };
    if old == Role::Coordinator
        && role != Role::Coordinator
        && other_active_coordinators(&mut tx, actor.panel.id, user_id).await? == 0
    {
        return Err(AppError::invalid("role", Problem::LastCoordinator));
    }
    sqlx::query("UPDATE users SET role = $1, municipality_id = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(municipality_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        Some(user_id),
        AuditEvent::RoleChanged,
        &format!("{name}: {} -> {}", old.as_str(), role.as_str()),
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Deactivates (ends every session at once) or reactivates a person of the panel. Nobody
/// deactivates themselves, and the last active coordinator stays.
pub async fn set_active(
    db: &Db,
    actor: &CurrentUser,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let (role, _, name) = panel_person(&mut tx, actor, user_id).await?;
    if !active {
        if user_id == actor.id {
            return Err(AppError::invalid("user", Problem::NotYourself));
        }
        if role == Role::Coordinator
            && other_active_coordinators(&mut tx, actor.panel.id, user_id).await? == 0
        {
            return Err(AppError::invalid("user", Problem::LastCoordinator));
        }
    }
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if !active {
        auth::end_user_sessions(&mut tx, user_id, None).await?;
    }
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        Some(user_id),
        if active {
            AuditEvent::Reactivated
        } else {
            AuditEvent::Deactivated
        },
        &name,
    )
    .await?;
    Ok(tx.commit().await?)
}
