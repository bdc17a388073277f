//! Use cases around accounts: invitations, group agreements, password reset and change,
//! sessions, people management, the audit log and one's own profile. Each checks what it
//! needs, then changes the database in one transaction (mail goes into the outbox inside
//! that transaction). Callers have already checked the session and role; every query here
//! is still limited to the caller's own panel.

// Query rows are tuples whose shape is the SELECT list written right beside them.
#![allow(clippy::type_complexity)]

use super::auth;
use super::db::{now, Db};
use super::limits;
use super::mail::{self, Mail};

use crate::domain::lengths;
use crate::domain::{
    clock, long_text, BirthYear, DisplayName, Email, Language, NewPassword, NotifyPreference,
    Problem, Role,
};
use crate::error::{AppError, Checks};
use crate::model::{
    Agreements, AuditEntry, AuditEvent, CurrentUser, InvitationInfo, OlderPages, OpenInvitation,
    People, Person, Profile,
};
use secrecy::SecretString;
use sqlx::AnyConnection;

pub const INVITATION_DAYS: i64 = 7;
pub const RESET_MINUTES: i64 = 60;
pub const EMAIL_CHANGE_HOURS: i64 = 24;

/// Writes one line of the audit log.
pub async fn audit(
    conn: &mut AnyConnection,
    panel_id: Option<i64>,
    actor_id: Option<i64>,
    subject_id: Option<i64>,
    event: AuditEvent,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (panel_id, actor_id, subject_id, event, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(panel_id)
    .bind(actor_id)
    .bind(subject_id)
    .bind(event.as_str())
    .bind(detail)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A password that is long enough, the same twice, and not on the list of common ones.
pub fn new_password(password: &str, repeated: &str) -> Result<NewPassword, Problem> {
    let password = NewPassword::parse(password, repeated)?;
    if auth::is_common_password(password.expose()) {
        return Err(Problem::CommonPassword);
    }
    Ok(password)
}

async fn hash(password: &NewPassword) -> Result<String, AppError> {
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

async fn email_in_use(conn: &mut AnyConnection, email: &str) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

// ---------------------------------------------------------------- invitations

/// What a coordinator fills in to invite someone.
#[derive(Debug, Clone)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
    /// Id of a municipality of the panel; needed for policy makers.
    pub municipality: String,
    pub language: String,
}

struct ValidInvite {
    email: Email,
    role: Role,
    municipality_id: Option<i64>,
    language: Language,
}

async fn validate_invite(
    conn: &mut AnyConnection,
    panel_id: i64,
    form: &InviteForm,
) -> Result<ValidInvite, AppError> {
    let mut checks = Checks::default();
    let email = checks.check("email", Email::parse(&form.email));
    let role = checks.check("role", form.role.parse::<Role>());
    let language = checks.check("language", Language::parse(&form.language));
    let mut municipality_id = None;
    if role == Some(Role::PolicyMaker) {
        let id: Option<i64> = form.municipality.trim().parse().ok();
        let found = match id {
            Some(id) => sqlx::query_as::<_, (i64,)>(
                "SELECT id FROM municipalities WHERE id = $1 AND panel_id = $2",
            )
            .bind(id)
            .bind(panel_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|(id,)| id),
            None => None,
        };
        municipality_id = checks.check("municipality", found.ok_or(Problem::MunicipalityRequired));
    }
    if let Some(email) = &email {
        if email_in_use(conn, email.as_str()).await? {
            checks.check::<()>("email", Err(Problem::Taken));
        } else {
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM invitations WHERE email = $1 AND panel_id = $2
                   AND accepted_at IS NULL AND revoked_at IS NULL",
            )
            .bind(email.as_str())
            .bind(panel_id)
            .fetch_one(&mut *conn)
            .await?;
            if open > 0 {
                checks.check::<()>("email", Err(Problem::AlreadyInvited));
            }
        }
    }
    checks.finish()?;
    match (email, role, language) {
        (Some(email), Some(role), Some(language)) => Ok(ValidInvite {
            email,
            role,
            municipality_id,
            language,
        }),
        _ => Err(AppError::Unexpected),
    }
}

fn invitation_mail(
    public_url: &str,
    actor: &CurrentUser,
    role: Role,
    token: &str,
    language: Language,
) -> mail::Rendered {
    let link = format!("{public_url}/invite/{token}");
    mail::render(
        &Mail::Invitation {
            panel: &actor.panel.name,
            inviter: &actor.display_name,
            role,
            link: &link,
            days: INVITATION_DAYS,
        },
        language,
    )
}

/// Invites someone to the coordinator's panel; the mail goes out with the same commit.
pub async fn invite(
    db: &Db,
    public_url: &str,
    actor: &CurrentUser,
    form: &InviteForm,
) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    let valid = validate_invite(&mut tx, actor.panel.id, form).await?;
    let token = auth::random_token();
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invitations (panel_id, email, role, municipality_id, invited_by, language,
                                  token_hash, created_at, sent_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
    )
    .bind(actor.panel.id)
    .bind(valid.email.as_str())
    .bind(valid.role.as_str())
    .bind(valid.municipality_id)
    .bind(actor.id)
    .bind(valid.language.as_str())
    .bind(auth::token_hash(&token))
    .bind(at)
    .bind(at + INVITATION_DAYS * 86_400)
    .fetch_one(&mut *tx)
    .await?;
    let message = invitation_mail(public_url, actor, valid.role, &token, valid.language);
    mail::enqueue(&mut tx, valid.email.as_str(), &message, at).await?;
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        None,
        AuditEvent::InvitationSent,
        &format!("{} ({})", valid.email.as_str(), valid.role.as_str()),
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(id)
}

/// Sends an open invitation again with a new link (the old link stops working) and a new
/// expiry date.
pub async fn resend_invitation(
    db: &Db,
    public_url: &str,
    actor: &CurrentUser,
    id: i64,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT email, role, language FROM invitations
         WHERE id = $1 AND panel_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(actor.panel.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((email, role, language)) = row else {
        return Err(AppError::NotFound);
    };
    let role = Role::from_db(&role).ok_or(AppError::Unexpected)?;
    let token = auth::random_token();
    let at = now();
    sqlx::query(
        "UPDATE invitations SET token_hash = $1, sent_at = $2, expires_at = $3 WHERE id = $4",
    )
    .bind(auth::token_hash(&token))
    .bind(at)
    .bind(at + INVITATION_DAYS * 86_400)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let message = invitation_mail(
        public_url,
        actor,
        role,
        &token,
        Language::from_db(&language),
    );
    mail::enqueue(&mut tx, &email, &message, at).await?;
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        None,
        AuditEvent::InvitationResent,
        &email,
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(())
}

/// Withdraws an open invitation: its link stops working at once.
pub async fn revoke_invitation(db: &Db, actor: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE invitations SET revoked_at = $1
         WHERE id = $2 AND panel_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL
         RETURNING email",
    )
    .bind(now())
    .bind(id)
    .bind(actor.panel.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((email,)) = row else {
        return Err(AppError::NotFound);
    };
    audit(
        &mut tx,
        Some(actor.panel.id),
        Some(actor.id),
        None,
        AuditEvent::InvitationRevoked,
        &email,
    )
    .await?;
    Ok(tx.commit().await?)
}

async fn open_invitations(db: &Db, panel_id: i64) -> Result<Vec<OpenInvitation>, AppError> {
    let rows: Vec<(
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        i64,
        i64,
    )> = sqlx::query_as(
        "SELECT i.id, i.email, i.role, m.name, u.display_name, i.sent_at, i.expires_at,
                    (SELECT COUNT(*) FROM outbox o
                      WHERE o.recipient = i.email AND o.dead_at IS NOT NULL
                        AND o.created_at >= i.sent_at)
             FROM invitations i
             LEFT JOIN municipalities m ON m.id = i.municipality_id
             LEFT JOIN users u ON u.id = i.invited_by
             WHERE i.panel_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
             ORDER BY i.sent_at DESC, i.id DESC",
    )
    .bind(panel_id)
    .fetch_all(db.read())
    .await?;
    let at = now();
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, email, role, municipality, invited_by, sent, expires, dead)| {
                Some(OpenInvitation {
                    id,
                    email,
                    role: Role::from_db(&role)?,
                    municipality,
                    invited_by,
                    sent: clock::date_time(sent),
                    expires: clock::date_time(expires),
                    expired: expires <= at,
                    mail_failed: dead > 0,
                })
            },
        )
        .collect())
}

/// What an invitation link offers, or `InvitationInvalid`. Failed lookups count against
/// the caller's network address.
pub async fn invitation_info(
    db: &Db,
    token: &str,
    client: &str,
) -> Result<InvitationInfo, AppError> {
    let attempt = limits::hit(db, limits::LINK_ADDRESS, client).await?;
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT p.name, i.email, i.role, m.name FROM invitations i
         JOIN panels p ON p.id = i.panel_id
         LEFT JOIN municipalities m ON m.id = i.municipality_id
         WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.expires_at > $2",
    )
    .bind(auth::token_hash(token))
    .bind(now())
    .fetch_optional(db.read())
    .await?;
    match row.and_then(|(panel_name, email, role, municipality)| {
        Some(InvitationInfo {
            panel_name,
            email,
            role: Role::from_db(&role)?,
            municipality,
        })
    }) {
        Some(info) => {
            limits::forget(db, attempt).await?;
            Ok(info)
        }
        None => Err(AppError::InvitationInvalid),
    }
}

/// What the invitee fills in.
#[derive(Clone)]
pub struct AcceptForm {
    pub display_name: String,
    pub password: String,
    pub password_repeat: String,
    /// Members only.
    pub birth_year: String,
}

/// Makes the account an invitation offers, once. Returns the new user's id.
pub async fn accept_invitation(
    db: &Db,
    token: &str,
    form: &AcceptForm,
    client: &str,
) -> Result<i64, AppError> {
    let info = invitation_info(db, token, client).await?;
    let mut checks = Checks::default();
    let display_name = checks.check("display_name", DisplayName::parse(&form.display_name));
    let password = checks.check(
        "password",
        new_password(&form.password, &form.password_repeat),
    );
    let birth_year = if info.role == Role::Member {
        checks.check(
            "birth_year",
            BirthYear::parse(&form.birth_year, clock::year(now())),
        )
    } else {
        None
    };
    checks.finish()?;
    let (Some(display_name), Some(password)) = (display_name, password) else {
        return Err(AppError::Unexpected);
    };
    let password_hash = hash(&password).await?;

    let at = now();
    let mut tx = db.begin().await?;
    // Taking the invitation is the first write: of two racing acceptances one wins.
    let row: Option<(i64, i64, String, String, Option<i64>, Option<i64>, String)> =
        sqlx::query_as(
            "UPDATE invitations SET accepted_at = $1
             WHERE token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
             RETURNING id, panel_id, email, role, municipality_id, invited_by, language",
        )
        .bind(at)
        .bind(auth::token_hash(token))
        .fetch_optional(&mut *tx)
        .await?;
    let Some((invitation_id, panel_id, email, role, municipality_id, invited_by, language)) = row
    else {
        return Err(AppError::InvitationInvalid);
    };
    if email_in_use(&mut tx, &email).await? {
        return Err(AppError::invalid("email", Problem::Taken));
    }
    let role = Role::from_db(&role).ok_or(AppError::Unexpected)?;
    // A member's fixed contact: the coordinator who invited them, else any coordinator.
    let contact_id: Option<i64> = if role == Role::Member {
        sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM users WHERE panel_id = $1 AND role = 'coordinator' AND active = 1
             ORDER BY CASE WHEN id = $2 THEN 0 ELSE 1 END, id LIMIT 1",
        )
        .bind(panel_id)
        .bind(invited_by.unwrap_or(0))
        .fetch_optional(&mut *tx)
        .await?
        .map(|(id,)| id)
    } else {
        None
    };
    let (user_id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (panel_id, email, display_name, role, municipality_id, password_hash,
                            active, created_at, birth_year, language, contact_id)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10) RETURNING id",
    )
    .bind(panel_id)
    .bind(&email)
    .bind(display_name.as_str())
    .bind(role.as_str())
    .bind(municipality_id)
    .bind(&password_hash)
    .bind(at)
    .bind(birth_year.map(|y| i64::from(y.value())))
    .bind(&language)
    .bind(contact_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE invitations SET user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(invitation_id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(panel_id),
        Some(user_id),
        Some(user_id),
        AuditEvent::InvitationAccepted,
        role.as_str(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id, panel_id, "invitation accepted");
    Ok(user_id)
}

// ---------------------------------------------------------------- agreements

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
pub fn must_accept_agreements(user: &CurrentUser, facts: &super::store::HomeFacts) -> bool {
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

// ---------------------------------------------------------------- passwords

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
    );
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
    );
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
    );
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

// ---------------------------------------------------------------- people

/// Which people the coordinator wants to see.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub query: String,
    /// `member`, `policy_maker`, `coordinator`, or empty for all.
    pub role: String,
    /// `active`, `inactive`, or empty for all.
    pub status: String,
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
    let rows: Vec<(
        i64,
        String,
        String,
        String,
        Option<String>,
        i64,
        Option<i64>,
        i64,
        i64,
    )> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, m.name, u.active, u.last_login_at,
                    u.created_at, CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END
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
        .filter_map(
            |(id, display_name, email, role, municipality, active, last, joined, totp)| {
                Some(Person {
                    id,
                    display_name,
                    email,
                    role: Role::from_db(&role)?,
                    municipality,
                    active: active == 1,
                    last_login: last.map(clock::date_time),
                    joined: clock::date(joined),
                    second_factor: totp == 1,
                    is_me: id == actor.id,
                })
            },
        )
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
        municipalities: super::store::municipalities(db, actor.panel.id).await?,
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

/// Entries of the audit log per page.
pub const AUDIT_PER_PAGE: i64 = 100;

/// A page of the panel's audit log, newest first, starting after `cursor` (empty: the
/// newest entries).
pub async fn audit_log(
    db: &Db,
    actor: &CurrentUser,
    cursor: &str,
) -> Result<OlderPages<AuditEntry>, AppError> {
    let (at, id) = super::paging::older_bounds(cursor);
    let mut rows: Vec<(i64, i64, String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT a.id, a.at, a.event, actor.display_name, subject.display_name, a.detail
         FROM audit_log a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users subject ON subject.id = a.subject_id
         WHERE a.panel_id = $1 AND (a.at < $2 OR (a.at = $2 AND a.id < $3))
         ORDER BY a.at DESC, a.id DESC
         LIMIT $4",
    )
    .bind(actor.panel.id)
    .bind(at)
    .bind(id)
    .bind(AUDIT_PER_PAGE + 1)
    .fetch_all(db.read())
    .await?;
    let more = super::paging::cut_to_page(&mut rows, AUDIT_PER_PAGE);
    let older = rows
        .last()
        .filter(|_| more)
        .map(|r| super::paging::Cursor::older_than(r.1, r.0));
    let items = rows
        .into_iter()
        .filter_map(|(_, at, event, actor, subject, detail)| {
            let Some(event) = AuditEvent::from_db(&event) else {
                tracing::warn!(event, "unknown audit event left out");
                return None;
            };
            Some(AuditEntry {
                at: clock::date_time(at),
                event,
                actor,
                subject,
                detail,
            })
        })
        .collect();
    Ok(OlderPages { items, older })
}

// ---------------------------------------------------------------- profile

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
    );
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

/// The language someone chose for interface and e-mail.
pub async fn language_of(db: &Db, user_id: i64) -> Result<Language, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.read())
        .await?;
    Ok(row.map(|(l,)| Language::from_db(&l)).unwrap_or_default())
}

/// Used by login: writes a failed login into its panel's audit log when the address
/// belongs to an account (the rate limits counted the attempt before the check).
pub async fn audit_failed_login(db: &Db, email: &str) -> Result<(), AppError> {
    let email: String = email
        .trim()
        .to_lowercase()
        .chars()
        .take(limits::MAX_KEY_CHARS)
        .collect();
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT id, panel_id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db.read())
        .await?;
    if let Some((user_id, panel_id)) = row {
        let mut conn = db.write().acquire().await?;
        audit(
            &mut conn,
            Some(panel_id),
            None,
            Some(user_id),
            AuditEvent::LoginFailed,
            "",
        )
        .await?;
    }
    Ok(())
}

pub async fn clear_login_limit(db: &Db, email: &str) -> Result<(), AppError> {
    limits::clear(db, limits::LOGIN_ACCOUNT, email).await
}
