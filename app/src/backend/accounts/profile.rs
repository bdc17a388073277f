//! One's own profile: name, birth year, language, notification preference, and a
//! changed e-mail address that takes effect only once the new address confirms it.

use super::audit::audit;
use super::invitations::email_in_use;
use super::passwords::recheck_password;
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::limits;
use crate::backend::platform::mail::{self, Mail};

use crate::domain::lengths;
use crate::domain::{long_text, DisplayName, Email, Language, NotifyPreference, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::{AuditEvent, CurrentUser, Profile};

pub const EMAIL_CHANGE_HOURS: i64 = 24;
pub async fn profile(
    db: &Db,
    user: &CurrentUser,
    session_token: Option<&str>,
) -> Result<Profile, AppError> {
    let (display_name, email, language, notify, contact_info, totp): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT display_name, email, language, notify, contact_info, totp_secret FROM users WHERE id = $1",
    )
    .bind(user.id)
    .fetch_one(db.read())
    .await?;
    let keep = session_token.map(auth::token_hash).unwrap_or_default();
    let (other_sessions,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND token_hash <> $2 AND expires_at > $3",
    )
    .bind(user.id)
    .bind(keep)
    .bind(now())
    .fetch_one(db.read())
    .await?;
    let pending: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT new_email FROM account_tokens
         WHERE user_id = $1 AND purpose = 'email_change' AND used_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user.id)
    .bind(now())
    .fetch_optional(db.read())
    .await?;
    Ok(Profile {
        display_name,
        email,
        role: user.role,
        language: Language::from_db(&language),
        notify: NotifyPreference::from_db(&notify),
        contact_info: (user.role == Role::Coordinator).then_some(contact_info),
        second_factor: totp.is_some(),
        other_sessions,
        pending_email: pending.and_then(|(e,)| e),
    })
}

#[derive(Debug, Clone)]
pub struct ProfileForm {
    pub display_name: String,
    pub language: String,
    pub notify: String,
    pub contact_info: String,
}

pub async fn update_profile(
    db: &Db,
    user: &CurrentUser,
    form: &ProfileForm,
) -> Result<(), AppError> {
    let mut checks = Checks::default();
    let display_name = checks.check("display_name", DisplayName::parse(&form.display_name));
    let language = checks.check("language", Language::parse(&form.language));
    let notify = checks.check("notify", NotifyPreference::parse(&form.notify));
    let contact_info = if user.role == Role::Coordinator {
        checks.check(
            "contact_info",
            long_text(&form.contact_info, lengths::CONTACT_INFO),
        )
    } else {
        Some(String::new())
    };
    checks.finish()?;
    let (Some(display_name), Some(language), Some(notify), Some(contact_info)) =
        (display_name, language, notify, contact_info)
    else {
        return Err(AppError::Unexpected);
    };
    sqlx::query(
        "UPDATE users SET display_name = $1, language = $2, notify = $3, contact_info = $4 WHERE id = $5",
    )
    .bind(display_name.as_str())
    .bind(language.as_str())
    .bind(notify.as_str())
    .bind(&contact_info)
    .bind(user.id)
    .execute(db.write())
    .await?;
    Ok(())
}

/// Sends a confirmation link to a new address; the address changes only when it is used.
pub async fn request_email_change(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    new_email: &str,
    password: &str,
) -> Result<(), AppError> {
    let (stored, current, language): (String, String, String) =
        sqlx::query_as("SELECT password_hash, email, language FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(db.read())
            .await?;
    let mut checks = Checks::default();
    let email = checks.check("new_email", Email::parse(new_email));
    if !recheck_password(db, &current, stored, password).await? {
        checks.check::<()>("email_password", Err(Problem::WrongPassword));
    }
    checks.finish()?;
    let Some(email) = email else {
        return Err(AppError::Unexpected);
    };
    let mut tx = db.begin().await?;
    if email.as_str() == current || email_in_use(&mut tx, email.as_str()).await? {
        return Err(AppError::invalid("new_email", Problem::Taken));
    }
    let token = auth::random_token();
    let at = now();
    sqlx::query(
        "DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'email_change' AND used_at IS NULL",
    )
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at)
         VALUES ($1, $2, 'email_change', $3, $4, $5)",
    )
    .bind(auth::token_hash(&token))
    .bind(user.id)
    .bind(email.as_str())
    .bind(at)
    .bind(at + EMAIL_CHANGE_HOURS * 3600)
    .execute(&mut *tx)
    .await?;
    let link = format!("{public_url}/email/{token}");
    let message = mail::render(
        &Mail::EmailChange {
            link: &link,
            hours: EMAIL_CHANGE_HOURS,
        },
        Language::from_db(&language),
    )?;
    mail::enqueue(&mut tx, email.as_str(), &message, at).await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// Uses an e-mail confirmation link: the account's address becomes the new one.
pub async fn confirm_email_change(db: &Db, token: &str, client: &str) -> Result<(), AppError> {
    let attempt = limits::hit(db, limits::LINK_ADDRESS, client).await?;
    let at = now();
    let mut tx = db.begin().await?;
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = 'email_change' AND used_at IS NULL AND expires_at > $1
         RETURNING user_id, new_email",
    )
    .bind(at)
    .bind(auth::token_hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, Some(new_email))) = row else {
        return Err(AppError::LinkInvalid);
    };
    if email_in_use(&mut tx, &new_email).await? {
        return Err(AppError::LinkInvalid);
    }
    let (panel_id, old): (i64, String) =
        sqlx::query_as("SELECT panel_id, email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(&new_email)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(panel_id),
        Some(user_id),
        Some(user_id),
        AuditEvent::EmailChanged,
        &format!("{} -> {}", mail::mask(&old), mail::mask(&new_email)),
    )
    .await?;
    tx.commit().await?;
    limits::forget(db, attempt).await
}
