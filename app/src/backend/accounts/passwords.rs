//! Passwords: the rules for a new one, rechecking the current one before a sensitive
//! change, reset by e-mail, change, and logging out everywhere.

use super::audit::audit;
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::limits;
use crate::backend::platform::mail::{self, Mail};

use crate::domain::{Email, Language, NewPassword, Problem};
use crate::error::{AppError, Checks};
use crate::model::{AuditEvent, CurrentUser};
use secrecy::SecretString;

pub const RESET_MINUTES: i64 = 60;
/// A password that is long enough, the same twice, and not on the list of common ones.
pub fn new_password(password: &str, repeated: &str) -> Result<NewPassword, Problem> {
    let password = NewPassword::parse(password, repeated)?;
    if auth::is_common_password(password.expose()) {
        return Err(Problem::CommonPassword);
    }
    Ok(password)
}

pub(crate) async fn hash(password: &NewPassword) -> Result<String, AppError> {
    Ok(auth::hash_password(SecretString::from(password.expose())).await?)
}

/// Checks the account's own password again (before a sensitive change). The attempt is
/// counted against the account's login limit first, and taken back when it is right.
pub async fn recheck_password(
    db: &Db,
    email: &str,
    stored: String,
    password: &str,
) -> Result<bool, AppError> {
    let attempt = limits::hit(db, limits::LOGIN_ACCOUNT, email).await?;
    let checked = auth::verify_password(SecretString::from(password), Some(stored)).await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(e) => {
            limits::forget(db, attempt).await?;
            return Err(e.into());
        }
    };
    if ok {
        limits::forget(db, attempt).await?;
    }
    Ok(ok)
}
/// Asks for a password reset link. Answers the same, in the same time, whether or not the
/// address has an account: the lookup and the mail happen after the answer.
pub async fn request_reset(
    db: &Db,
    public_url: &str,
    email: &str,
    client: &str,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|p| AppError::invalid("email", p))?;
    let from_address = limits::hit(db, limits::RESET_ADDRESS, client).await?;
    if let Err(e) = limits::hit(db, limits::RESET_ACCOUNT, email.as_str()).await {
        limits::forget(db, from_address).await?;
        return Err(e);
    }
    let db = db.clone();
    let public_url = public_url.to_string();
    tokio::spawn(async move {
        if let Err(error) = send_reset(&db, &public_url, email.as_str()).await {
            tracing::error!(?error, "password reset mail not queued");
        }
    });
    Ok(())
}

async fn send_reset(db: &Db, public_url: &str, email: &str) -> Result<(), AppError> {
    let row: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT id, panel_id, language FROM users WHERE email = $1 AND active = 1")
            .bind(email)
            .fetch_optional(db.read())
            .await?;
    let Some((user_id, panel_id, language)) = row else {
        tracing::info!(to = %mail::mask(email), "password reset asked for an unknown address");
        return Ok(());
    };
    let token = auth::random_token();
    let at = now();
    let mut tx = db.begin().await?;
    // Only the newest link works.
    sqlx::query(
        "DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, 'password_reset', $3, $4)",
    )
    .bind(auth::token_hash(&token))
    .bind(user_id)
    .bind(at)
    .bind(at + RESET_MINUTES * 60)
    .execute(&mut *tx)
    .await?;
    let link = format!("{public_url}/reset/{token}");
    let message = mail::render(
        &Mail::PasswordReset {
            link: &link,
            minutes: RESET_MINUTES,
        },
        Language::from_db(&language),
    )?;
    mail::enqueue(&mut tx, email, &message, at).await?;
    audit(
        &mut tx,
        Some(panel_id),
        None,
        Some(user_id),
        AuditEvent::PasswordResetRequested,
        "",
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// Whether a reset link can still be used (for the page, before the form is filled in).
pub async fn reset_link_valid(db: &Db, token: &str, client: &str) -> Result<(), AppError> {
    let attempt = limits::hit(db, limits::LINK_ADDRESS, client).await?;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM account_tokens
         WHERE token_hash = $1 AND purpose = 'password_reset' AND used_at IS NULL AND expires_at > $2",
    )
    .bind(auth::token_hash(token))
    .bind(now())
    .fetch_one(db.read())
    .await?;
    if n == 1 {
        limits::forget(db, attempt).await
    } else {
        Err(AppError::LinkInvalid)
    }
}

/// Sets a new password from a reset link; ends every session of the account. Returns the
/// user id (the caller logs them in).
pub async fn reset_password(
    db: &Db,
    token: &str,
    password: &str,
    repeated: &str,
    client: &str,
) -> Result<i64, AppError> {
    reset_link_valid(db, token, client).await?;
    let password =
        new_password(password, repeated).map_err(|p| AppError::invalid("password", p))?;
    let password_hash = hash(&password).await?;
    let at = now();
    let mut tx = db.begin().await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = 'password_reset' AND used_at IS NULL AND expires_at > $1
         RETURNING user_id",
    )
    .bind(at)
    .bind(auth::token_hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id,)) = row else {
        return Err(AppError::LinkInvalid);
    };
    let (panel_id, email, language, panel): (i64, String, String, String) = sqlx::query_as(
        "UPDATE users SET password_hash = $1 WHERE id = $2
         RETURNING panel_id, email, language, (SELECT name FROM panels WHERE id = users.panel_id)",
    )
    .bind(&password_hash)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    auth::end_user_sessions(&mut tx, user_id, None).await?;
    let message = mail::render(
        &Mail::PasswordChanged { panel: &panel },
        Language::from_db(&language),
    )?;
    mail::enqueue(&mut tx, &email, &message, at).await?;
    audit(
        &mut tx,
        Some(panel_id),
        Some(user_id),
        Some(user_id),
        AuditEvent::PasswordReset,
        "",
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    limits::clear(db, limits::LOGIN_ACCOUNT, &email).await?;
    Ok(user_id)
}

/// Changes one's own password (the current one is asked again); other sessions end.
pub async fn change_password(
    db: &Db,
    user: &CurrentUser,
    current: &str,
    password: &str,
    repeated: &str,
    session_token: Option<&str>,
) -> Result<(), AppError> {
    let (stored, email, language): (String, String, String) =
        sqlx::query_as("SELECT password_hash, email, language FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(db.read())
            .await?;
    let mut checks = Checks::default();
    if !recheck_password(db, &email, stored, current).await? {
        checks.check::<()>("current_password", Err(Problem::WrongPassword));
    }
    let password = checks.check("password", new_password(password, repeated));
    checks.finish()?;
    let Some(password) = password else {
        return Err(AppError::Unexpected);
    };
    let password_hash = hash(&password).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&password_hash)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    let ended = auth::end_user_sessions(&mut tx, user.id, session_token).await?;
    let message = mail::render(
        &Mail::PasswordChanged {
            panel: &user.panel.name,
        },
        Language::from_db(&language),
    )?;
    mail::enqueue(&mut tx, &email, &message, now()).await?;
    audit(
        &mut tx,
        Some(user.panel.id),
        Some(user.id),
        Some(user.id),
        AuditEvent::PasswordChanged,
        &format!("{ended} other sessions ended"),
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// Ends every session of the account, this one included.
pub async fn log_out_everywhere(db: &Db, user: &CurrentUser) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    let ended = auth::end_user_sessions(&mut tx, user.id, None).await?;
    audit(
        &mut tx,
        Some(user.panel.id),
        Some(user.id),
        Some(user.id),
        AuditEvent::SessionsEnded,
        &ended.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}
