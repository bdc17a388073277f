//! The panel's group agreements: a coordinator edits them, and every member accepts the
//! current version before using the panel.

use super::audit::audit;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::store;

use crate::domain::lengths;
use crate::domain::{clock, long_text, Role};
use crate::error::AppError;
use crate::model::{Agreements, AuditEvent, CurrentUser};

pub async fn agreements(db: &Db, user: &CurrentUser) -> Result<Agreements, AppError> {
    let (text, updated, accepted): (String, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT p.agreements, p.agreements_updated_at, u.agreements_accepted_at
         FROM users u JOIN panels p ON p.id = u.panel_id WHERE u.id = $1",
    )
    .bind(user.id)
    .fetch_one(db.read())
    .await?;
    Ok(Agreements {
        panel_name: user.panel.name.clone(),
        text,
        updated: updated.map(clock::date),
        accepted: accepted.map(clock::date),
        can_edit: user.role == Role::Coordinator,
    })
}

/// Whether a member still has to accept the panel's agreements (only when there are any).
pub fn must_accept_agreements(user: &CurrentUser, facts: &store::HomeFacts) -> bool {
    user.role == Role::Member && facts.agreements_open
}

pub async fn accept_agreements(db: &Db, user: &CurrentUser) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET agreements_accepted_at = $1 WHERE id = $2")
        .bind(now())
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(user.panel.id),
        Some(user.id),
        Some(user.id),
        AuditEvent::AgreementsAccepted,
        "",
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The coordinator changes the agreements. Members accept them again only if `ask_again`.
pub async fn update_agreements(
    db: &Db,
    actor: &CurrentUser,
    text: &str,
    ask_again: bool,
) -> Result<(), AppError> {
    let text =
        long_text(text, lengths::AGREEMENTS).map_err(|p| AppError::invalid("agreements", p))?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE panels SET agreements = $1, agreements_updated_at = $2 WHERE id = $3")
        .bind(&text)
        .bind(now())
        .bind(actor.panel.id)
        .execute(&mut *tx)
        .await?;
    if ask_again {
        sqlx::query("UPDATE users SET agreements_accepted_at = NULL WHERE panel_id = $1")
            .bind(actor.panel.id)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        None,
        AuditEvent::AgreementsChanged,
        if ask_again { "ask_again" } else { "" },
    )
    .await?;
    Ok(tx.commit().await?)
}
