//! Invitations: a coordinator invites a member, policy maker or coordinator by e-mail;
//! the link can be resent or revoked, and accepting it creates the account.

use super::audit::audit;
use super::passwords::{hash, new_password};
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::limits;
use crate::backend::platform::mail::{self, Mail};

use crate::domain::{clock, BirthYear, DisplayName, Email, Language, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::{AuditEvent, CurrentUser, InvitationInfo, OpenInvitation};
use sqlx::AnyConnection;

pub const INVITATION_DAYS: i64 = 7;
pub(crate) async fn email_in_use(conn: &mut AnyConnection, email: &str) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

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
) -> Result<mail::Rendered, AppError> {
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
    let message = invitation_mail(public_url, actor, valid.role, &token, valid.language)?;
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
    )?;
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

#[derive(sqlx::FromRow)]
struct OpenRow {
    id: i64,
    email: String,
    role: String,
    municipality: Option<String>,
    invited_by: Option<String>,
    sent_at: i64,
    expires_at: i64,
    dead_mails: i64,
}

pub(crate) async fn open_invitations(
    db: &Db,
    panel_id: i64,
) -> Result<Vec<OpenInvitation>, AppError> {
    let rows: Vec<OpenRow> = sqlx::query_as(
        "SELECT i.id, i.email, i.role, m.name AS municipality, u.display_name AS invited_by,
                i.sent_at, i.expires_at,
                    (SELECT COUNT(*) FROM outbox o
                      WHERE o.recipient = i.email AND o.dead_at IS NOT NULL
                        AND o.created_at >= i.sent_at) AS dead_mails
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
        .filter_map(|r| {
            Some(OpenInvitation {
                id: r.id,
                email: r.email,
                role: Role::from_db(&r.role)?,
                municipality: r.municipality,
                invited_by: r.invited_by,
                sent: clock::date_time(r.sent_at),
                expires: clock::date_time(r.expires_at),
                expired: r.expires_at <= at,
                mail_failed: r.dead_mails > 0,
            })
        })
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

#[derive(sqlx::FromRow)]
struct TakenInvitation {
    id: i64,
    panel_id: i64,
    email: String,
    role: String,
    municipality_id: Option<i64>,
    invited_by: Option<i64>,
    language: String,
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
    let row: Option<TakenInvitation> =
        sqlx::query_as(
            "UPDATE invitations SET accepted_at = $1
             WHERE token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
             RETURNING id, panel_id, email, role, municipality_id, invited_by, language",
        )
        .bind(at)
        .bind(auth::token_hash(token))
        .fetch_optional(&mut *tx)
        .await?;
    let Some(TakenInvitation {
        id: invitation_id,
        panel_id,
        email,
        role,
        municipality_id,
        invited_by,
        language,
    }) = row
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
