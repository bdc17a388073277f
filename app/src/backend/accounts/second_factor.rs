//! The optional second factor: a six-digit code from an authenticator app (TOTP, RFC
//! 6238: SHA-1, 30-second steps, one step of clock drift allowed). A code works once: the
//! last used step is stored, so a code seen over someone's shoulder cannot be replayed.

use super::audit::audit;
use super::passwords;
use crate::backend::platform::auth::{self, Pending};
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::error::fault;
use crate::backend::platform::limits;
use crate::domain::{Problem, Role};
use crate::error::AppError;
use crate::model::{AuditEvent, CurrentUser, Enrolment};
use totp_rs::{Algorithm, TOTP};

const ISSUER: &str = "Klankbord";
const STEP: i64 = 30;

/// Base32 (RFC 4648, no padding), as authenticator apps expect secrets.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

fn totp(secret_b32: &str) -> Result<TOTP, AppError> {
    let secret = from_base32(secret_b32).ok_or_else(|| fault("second factor: bad secret"))?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP as u64, secret)
        .map_err(|e| fault(&format!("second factor: {e}")))
}

/// The time step a code belongs to (one step either side of now), if it is right.
fn matching_step(secret_b32: &str, code: &str, at: i64) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret_b32)?;
    let current = at / STEP;
    for step in [current, current - 1, current + 1] {
        let expected = totp.generate(u64::try_from(step * STEP).unwrap_or_default());
        // Both are six ASCII digits; compare without an early exit.
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same {
            return Ok(Some(step));
        }
    }
    Ok(None)
}

/// The code an app shows at `at` (Unix seconds), for a secret as shown to people (spaces
/// allowed). For tests.
pub fn code_at(secret: &str, at: i64) -> Result<String, AppError> {
    let secret: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(totp(&secret)?.generate(u64::try_from(at).unwrap_or_default()))
}

/// Whether the panel makes this role use a second factor.
pub async fn required(db: &Db, panel_id: i64, role: Role) -> Result<bool, AppError> {
    if role == Role::Member {
        return Ok(false);
    }
    let (required,): (i64,) = sqlx::query_as("SELECT require_totp FROM panels WHERE id = $1")
        .bind(panel_id)
        .fetch_one(db.read())
        .await?;
    Ok(required == 1)
}

/// What a session must do after a right password: nothing, give a code, or set up the
/// second factor first.
pub async fn after_password(db: &Db, user_id: i64) -> Result<Pending, AppError> {
    let (panel_id, role, secret): (i64, String, Option<String>) =
        sqlx::query_as("SELECT panel_id, role, totp_secret FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db.read())
            .await?;
    if secret.is_some() {
        return Ok(Pending::Code);
    }
    let role = Role::from_db(&role).ok_or(AppError::Unexpected)?;
    if required(db, panel_id, role).await? {
        Ok(Pending::Enrolment)
    } else {
        Ok(Pending::Nothing)
    }
}

/// The secret to scan while setting up the second factor; it counts only once a code from
/// it is confirmed. Opening the page again (a reload, a second tab) shows the same secret,
/// so the QR code someone is scanning stays valid. Someone who has a second factor already
/// gets `SecondFactorOn`: replacing it goes through [`replace`], which asks for the
/// password or the current code.
pub async fn start(db: &Db, user_id: i64) -> Result<Enrolment, AppError> {
    let (secret, pending): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT totp_secret, totp_pending FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db.read())
            .await?;
    if secret.is_some() {
        return Err(AppError::invalid(
            "second_factor_current",
            Problem::SecondFactorOn,
        ));
    }
    match pending {
        Some(pending) => enrolment(db, user_id, &pending).await,
        None => new_pending(db, user_id, false).await,
    }
}

/// A new secret for someone who has a second factor already (a new phone). The password
/// or a code from the current app is asked first; the old factor keeps working until a
/// code from the new secret is confirmed.
pub async fn replace(db: &Db, user: &CurrentUser, current: &str) -> Result<Enrolment, AppError> {
    const FIELD: &str = "second_factor_current";
    let (stored, email, secret): (String, String, Option<String>) =
        sqlx::query_as("SELECT password_hash, email, totp_secret FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(db.read())
            .await?;
    if secret.is_none() {
        return start(db, user.id).await;
    }
    let digits: String = current.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        verify(db, user.id, &digits).await.map_err(|e| match e {
            AppError::Invalid(_) => AppError::invalid(FIELD, Problem::WrongCode),
            e => e,
        })?;
    } else if !passwords::recheck_password(db, &email, stored, current).await? {
        return Err(AppError::invalid(FIELD, Problem::WrongPassword));
    }
    new_pending(db, user.id, true).await
}

/// Stores a fresh pending secret (only when none is pending, unless `overwrite`).
async fn new_pending(db: &Db, user_id: i64, overwrite: bool) -> Result<Enrolment, AppError> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let secret = base32(&bytes);
    // Two first visits at once: the update is the arbiter, the other one shows its secret.
    let done = sqlx::query(
        "UPDATE users SET totp_pending = $1 WHERE id = $2 AND (totp_pending IS NULL OR $3 = 1)",
    )
    .bind(&secret)
    .bind(user_id)
    .bind(i64::from(overwrite))
    .execute(db.write())
    .await?;
    if done.rows_affected() == 1 {
        return enrolment(db, user_id, &secret).await;
    }
    let (pending,): (Option<String>,) =
        sqlx::query_as("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db.write())
            .await?;
    let pending = pending.ok_or_else(|| fault("second factor: pending secret gone"))?;
    enrolment(db, user_id, &pending).await
}

/// What the page shows for a secret: QR code, link for the app, and the key to type.
async fn enrolment(db: &Db, user_id: i64, secret: &str) -> Result<Enrolment, AppError> {
    let (email,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db.read())
        .await?;
    let uri = format!(
        "otpauth://totp/{ISSUER}:{}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30",
        email.replace('@', "%40")
    );
    let (qr_path, qr_size) = qr_path(&uri)?;
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Enrolment {
        secret: grouped,
        uri,
        qr_path,
        qr_size,
    })
}

/// The QR code of `text` as one SVG path (one unit per module) and its size with margin.
fn qr_path(text: &str) -> Result<(String, u32), AppError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|e| fault(&format!("QR code: {e}")))?;
    let border = 4;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok((path, u32::try_from(qr.size() + 2 * border).unwrap_or(0)))
}

/// Confirms enrolment with a code from the new secret.
pub async fn confirm(db: &Db, user_id: i64, panel_id: i64, code: &str) -> Result<(), AppError> {
    let key = user_id.to_string();
    let attempt = limits::hit(db, limits::SECOND_FACTOR, &key).await?;
    let (pending,): (Option<String>,) =
        sqlx::query_as("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db.read())
            .await?;
    let Some(secret) = pending else {
        return Err(AppError::invalid("code", Problem::WrongCode));
    };
    let Some(step) = matching_step(&secret, code, now())? else {
        return Err(AppError::invalid("code", Problem::WrongCode));
    };
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1
         WHERE id = $2",
    )
    .bind(step)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(panel_id),
        Some(user_id),
        Some(user_id),
        AuditEvent::SecondFactorOn,
        "",
    )
    .await?;
    tx.commit().await?;
    limits::forget(db, attempt).await?;
    limits::clear(db, limits::SECOND_FACTOR, &key).await
}

/// Checks a login code: right, not used before, and within the rate limit.
pub async fn verify(db: &Db, user_id: i64, code: &str) -> Result<(), AppError> {
    let key = user_id.to_string();
    let attempt = limits::hit(db, limits::SECOND_FACTOR, &key).await?;
    let (secret, last): (Option<String>, Option<i64>) =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(db.read())
            .await?;
    let secret = secret.ok_or(AppError::Forbidden)?;
    let step = matching_step(&secret, code, now())?;
    // Only a later step than the last one used counts; the update is the arbiter when
    // two requests race with the same code.
    let accepted = match step {
        Some(step) if last.is_none_or(|l| step > l) => {
            let done = sqlx::query(
                "UPDATE users SET totp_last_step = $1
                 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(user_id)
            .execute(db.write())
            .await?;
            done.rows_affected() == 1
        }
        _ => false,
    };
    if accepted {
        limits::forget(db, attempt).await?;
        limits::clear(db, limits::SECOND_FACTOR, &key).await
    } else {
        Err(AppError::invalid("code", Problem::WrongCode))
    }
}

/// Turns the second factor off (the password is asked again), unless the panel requires
/// it for this role.
pub async fn disable(db: &Db, user: &CurrentUser, password: &str) -> Result<(), AppError> {
    if required(db, user.panel.id, user.role).await? {
        return Err(AppError::invalid(
            "second_factor_password",
            Problem::SecondFactorRequired,
        ));
    }
    let (stored, email): (String, String) =
        sqlx::query_as("SELECT password_hash, email FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(db.read())
            .await?;
    if !passwords::recheck_password(db, &email, stored, password).await? {
        return Err(AppError::invalid(
            "second_factor_password",
            Problem::WrongPassword,
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
    )
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user.panel.id),
        Some(user.id),
        Some(user.id),
        AuditEvent::SecondFactorOff,
        "",
    )
    .await?;
    Ok(tx.commit().await?)
}

/// A coordinator turns off someone's second factor (a lost phone). Their sessions end; if
/// the panel requires it, they set up a new one at their next login.
pub async fn reset_for(db: &Db, actor: &CurrentUser, user_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL
         WHERE id = $1 AND panel_id = $2 RETURNING display_name",
    )
    .bind(user_id)
    .bind(actor.panel.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name,)) = row else {
        return Err(AppError::NotFound);
    };
    auth::end_user_sessions(&mut tx, user_id, None).await?;
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        Some(user_id),
        AuditEvent::SecondFactorReset,
        &name,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The coordinator's panel setting. Switching it on needs the coordinator's own second
/// factor first (otherwise they would lock themselves out of the setting).
pub async fn set_required(db: &Db, actor: &CurrentUser, required: bool) -> Result<(), AppError> {
    if required {
        let (secret,): (Option<String>,) =
            sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
                .bind(actor.id)
                .fetch_one(db.read())
                .await?;
        if secret.is_none() {
            return Err(AppError::invalid(
                "require_second_factor",
                Problem::EnrolFirst,
            ));
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE panels SET require_totp = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(actor.panel.id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        None,
        AuditEvent::SecondFactorRequired,
        if required { "on" } else { "off" },
    )
    .await?;
    Ok(tx.commit().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_and_matches_rfc4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("MZXW6YTBOI").unwrap(), b"foobar");
        let bytes: Vec<u8> = (0..20).collect();
        assert_eq!(from_base32(&base32(&bytes)).unwrap(), bytes);
        assert!(from_base32("abc!").is_none());
    }

    #[test]
    fn codes_match_rfc6238_and_allow_one_step_of_drift() {
        // RFC 6238 test secret "12345678901234567890", SHA-1, at 59 s: 287082 (6 digits).
        let secret = base32(b"12345678901234567890");
        assert_eq!(matching_step(&secret, "287082", 59).unwrap(), Some(1));
        assert_eq!(matching_step(&secret, "287 082", 59 + 30).unwrap(), Some(1));
        assert_eq!(matching_step(&secret, "287082", 59 + 90).unwrap(), None);
        assert_eq!(matching_step(&secret, "12345", 59).unwrap(), None);
        assert_eq!(matching_step(&secret, "abcdef", 59).unwrap(), None);
    }
}
