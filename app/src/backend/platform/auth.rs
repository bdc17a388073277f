//! Passwords, random tokens and database-backed sessions.

use super::db::{now, Db};
use super::error;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::{CurrentUser, PanelSummary};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Name of the session cookie over plain http (development on localhost).
pub const SESSION_COOKIE: &str = "klankbord_session";
/// Name of the session cookie over https: the `__Host-` prefix makes the browser accept
/// it only with `Secure`, `Path=/` and no `Domain`, so no other (sub)domain can set it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-klankbord_session";

/// The session cookie's name: with the `__Host-` prefix when served over https.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The `Set-Cookie` value for the session cookie (an empty value with a zero age ends it).
pub fn session_cookie(value: &str, max_age: Option<time::Duration>, secure: bool) -> String {
    let mut c = cookie::Cookie::build((session_cookie_name(secure), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure);
    if let Some(age) = max_age {
        c = c.max_age(age);
    }
    c.build().to_string()
}
/// A session ends after this long without use.
pub const SESSION_IDLE_SECS: i64 = 7 * 24 * 3600;
/// A session ends this long after login, used or not.
pub const SESSION_ABSOLUTE_SECS: i64 = 30 * 24 * 3600;
/// `last_seen_at` is written at most this often, so reading pages does not write.
const TOUCH_EVERY_SECS: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("hashing task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("semaphore closed")]
    Closed,
    /// Too many passwords are being checked right now; the caller should try again soon.
    #[error("too many password hashes at once")]
    Busy,
}

/// A full password-hashing queue is a short wait for the user (`RateLimited`, HTTP 429);
/// anything else is a fault, logged with the place of the `?` that met it.
impl From<AuthError> for AppError {
    #[track_caller]
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Busy => {
                tracing::warn!("too many password hashes at once");
                AppError::RateLimited { minutes: 1 }
            }
            error => error::fault(&error.to_string()),
        }
    }
}

/// argon2id with explicit OWASP parameters (19 MiB, 2 passes, 1 lane).
fn hasher() -> Argon2<'static> {
    // These constants are valid by construction; Params::new only fails for out-of-range values.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Bounds the password hashing: a few hashes run at once (each takes 19 MiB and a CPU
/// core for a while) and a few more may wait their turn, briefly. Anything beyond that is
/// refused at once with [`AuthError::Busy`] instead of queueing thousands of hashes.
pub struct HashQueue {
    /// Hashes running or waiting.
    admitted: Semaphore,
    /// Hashes running.
    running: Semaphore,
    /// How long an admitted hash waits for its turn at most.
    wait: Duration,
}

/// A place in the [`HashQueue`]; hashing may start while it is held.
pub struct HashPermit<'a> {
    _admitted: SemaphorePermit<'a>,
    _running: SemaphorePermit<'a>,
}

impl HashQueue {
    pub fn new(running: usize, waiting: usize, wait: Duration) -> Self {
        let running = running.max(1);
        HashQueue {
            admitted: Semaphore::new(running + waiting),
            running: Semaphore::new(running),
            wait,
        }
    }

    /// A turn to hash, or `Busy` when too many wait already or the turn does not come
    /// within the wait.
    pub async fn enter(&self) -> Result<HashPermit<'_>, AuthError> {
        let admitted = self.admitted.try_acquire().map_err(|_| AuthError::Busy)?;
        let running = tokio::time::timeout(self.wait, self.running.acquire())
            .await
            .map_err(|_| AuthError::Busy)?
            .map_err(|_| AuthError::Closed)?;
        Ok(HashPermit {
            _admitted: admitted,
            _running: running,
        })
    }
}

/// The app's one hash queue: as many hashes at once as there are CPU cores, four times
/// as many waiting, for at most five seconds.
fn hash_queue() -> &'static HashQueue {
    static QUEUE: OnceLock<HashQueue> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HashQueue::new(cores, cores * 4, Duration::from_secs(5))
    })
}

pub async fn hash_password(password: SecretString) -> Result<String, AuthError> {
    let _permit = hash_queue().enter().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Hash(e.to_string()))
    })
    .await?
}

/// A hash of a password nobody knows: verifying against it costs as much as a real check,
/// so an unknown e-mail address takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(random_token().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Checks a password against a stored hash, or against the dummy hash when there is no
/// account, so both paths take the same time.
pub async fn verify_password(
    password: SecretString,
    stored: Option<String>,
) -> Result<bool, AuthError> {
    let _permit = hash_queue().enter().await?;
    let known = stored.is_some();
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(false);
        };
        let ok = hasher()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await?
}

/// 32 random bytes from the operating system, hex-encoded (64 characters).
pub fn random_token() -> String {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Tokens are stored only as their SHA-256, so a copy of the database opens no session.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// What a session still waits for before it opens anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// A full session.
    Nothing = 0,
    /// The password was right; the code from the authenticator app is next.
    Code = 1,
    /// The panel requires a second factor and this account has none yet: setting it up
    /// is all this session may do.
    Enrolment = 2,
}

impl Pending {
    /// Where the browser goes next: home, the code page, or setting up the second factor.
    pub fn next_page(self) -> &'static str {
        match self {
            Pending::Nothing => "/home",
            Pending::Code => "/login/code",
            Pending::Enrolment => "/second-factor",
        }
    }

    fn from_db(value: i64) -> Option<Self> {
        match value {
            0 => Some(Pending::Nothing),
            1 => Some(Pending::Code),
            2 => Some(Pending::Enrolment),
            _ => None,
        }
    }
}

/// A half-way session lasts only this long.
const PENDING_SECS: i64 = 15 * 60;

/// Starts a full session for a user and returns the token for the cookie.
pub async fn create_session(db: &Db, user_id: i64) -> Result<String, AuthError> {
    create_session_with(db, user_id, Pending::Nothing).await
}

/// Starts a session that may still wait for a second factor.
pub async fn create_session_with(
    db: &Db,
    user_id: i64,
    pending: Pending,
) -> Result<String, AuthError> {
    let token = random_token();
    let at = now();
    let lifetime = if pending == Pending::Nothing {
        SESSION_ABSOLUTE_SECS
    } else {
        PENDING_SECS
    };
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, pending_second_factor)
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(at)
    .bind(at + lifetime)
    .bind(pending as i64)
    .execute(db.write())
    .await?;
    Ok(token)
}

/// The user and what the session waits for, for a live session of an active account.
pub async fn session_state(db: &Db, token: &str) -> Result<Option<(i64, Pending)>, AuthError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let at = now();
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT s.user_id, s.pending_second_factor FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = 1",
    )
    .bind(token_hash(token))
    .bind(at)
    .bind(at - SESSION_IDLE_SECS)
    .fetch_optional(db.read())
    .await?;
    Ok(row.and_then(|(user, pending)| Some((user, Pending::from_db(pending)?))))
}

/// Makes a half-way session a full one (after the second factor) under a new token: the
/// token that only knew the password stops working. Returns the new token, or `None` when
/// this token is no half-way session (any more).
pub async fn complete_session(db: &Db, token: &str) -> Result<Option<String>, AuthError> {
    let at = now();
    let fresh = random_token();
    let done = sqlx::query(
        "UPDATE sessions SET token_hash = $1, pending_second_factor = 0, last_seen_at = $2,
                             expires_at = $3
         WHERE token_hash = $4 AND pending_second_factor <> 0 AND expires_at > $2",
    )
    .bind(token_hash(&fresh))
    .bind(at)
    .bind(at + SESSION_ABSOLUTE_SECS)
    .bind(token_hash(token))
    .execute(db.write())
    .await?;
    Ok((done.rows_affected() == 1).then_some(fresh))
}

/// A [`CurrentUser`] as stored, read with [`PERSON_COLUMNS`] by `store::current_user`
/// and [`session_person`].
#[derive(sqlx::FromRow)]
pub struct PersonRow {
    user_id: i64,
    display_name: String,
    role: String,
    panel_id: i64,
    panel_name: String,
    region: String,
    slug: String,
    municipality: Option<String>,
}

/// The columns of a [`PersonRow`], from `users u JOIN panels p` and
/// `LEFT JOIN municipalities m`.
pub const PERSON_COLUMNS: &str = "u.id AS user_id, u.display_name, u.role, p.id AS panel_id,
    p.name AS panel_name, p.region, p.slug, m.name AS municipality";

/// The person, unless their stored role is not one the code knows.
pub fn person(row: PersonRow) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.user_id,
        display_name: row.display_name,
        role: Role::from_db(&row.role)?,
        panel: PanelSummary {
            id: row.panel_id,
            name: row.panel_name,
            region: row.region,
            slug: row.slug,
        },
        municipality: row.municipality,
    })
}

/// The person behind a live session, as every logged-in page asks first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPerson {
    pub user: CurrentUser,
    /// Their notices not yet read, for the header.
    pub unread: i64,
    pub last_seen: i64,
}

/// The person behind a live, completed session (hash of its token), with their unread
/// notices and when the session was last seen: one query.
pub async fn session_person(
    pool: &AnyPool,
    token_hash: &str,
    at: i64,
    idle_since: i64,
) -> Result<Option<SessionPerson>, sqlx::Error> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT s.last_seen_at,
                (SELECT COUNT(*) FROM notifications n
                  WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread,
                {PERSON_COLUMNS}
             FROM sessions s
             JOIN users u ON u.id = s.user_id
             JOIN panels p ON p.id = u.panel_id
             LEFT JOIN municipalities m ON m.id = u.municipality_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3
               AND u.active = 1 AND s.pending_second_factor = 0"
    ))
    .bind(token_hash)
    .bind(at)
    .bind(idle_since)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|row| {
        Some(SessionPerson {
            user: person(row.person)?,
            unread: row.unread,
            last_seen: row.last_seen_at,
        })
    }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    last_seen_at: i64,
    unread: i64,
    #[sqlx(flatten)]
    person: PersonRow,
}

/// The person behind a session token, if the session is alive and the account active.
pub async fn session_user(db: &Db, token: &str) -> Result<Option<SessionPerson>, AuthError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let at = now();
    let Some(found) = session_person(db.read(), &hash, at, at - SESSION_IDLE_SECS).await? else {
        return Ok(None);
    };
    if at - found.last_seen > TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(&hash)
            .execute(db.write())
            .await?;
    }
    Ok(Some(found))
}

/// Ends one session on the server; the cookie alone is worth nothing afterwards.
pub async fn end_session(db: &Db, token: &str) -> Result<(), AuthError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db.write())
        .await?;
    Ok(())
}

/// Ends every session of a user, except (optionally) the one with this token: after a
/// password change, "log out everywhere", or deactivation.
pub async fn end_user_sessions(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    except_token: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let keep = except_token.map(token_hash).unwrap_or_default();
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Whether a password is on the bundled list of common and breached passwords
/// (`app/data/common-passwords.txt`), compared without regard to case.
pub fn is_common_password(password: &str) -> bool {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("../../../data/common-passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });
    list.contains(password.trim().to_lowercase().as_str())
}

/// Removes sessions that can no longer be used.
pub async fn purge_expired_sessions(db: &Db) -> Result<u64, AuthError> {
    let at = now();
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(at)
        .bind(at - SESSION_IDLE_SECS)
        .execute(db.write())
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn common_passwords_are_recognised_without_regard_to_case() {
        assert!(is_common_password("password1"));
        assert!(is_common_password("Wachtwoord"));
        assert!(is_common_password(" iloveyou "));
        assert!(!is_common_password("paars fietsje op de dijk"));
        assert!(!is_common_password("klankbord-demo"));
    }

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password(SecretString::from("een lang wachtwoord"))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(
            SecretString::from("een lang wachtwoord"),
            Some(hash.clone())
        )
        .await
        .unwrap());
        assert!(
            !verify_password(SecretString::from("fout wachtwoord"), Some(hash))
                .await
                .unwrap()
        );
        // No account: never true, whatever the password.
        assert!(
            !verify_password(SecretString::from("een lang wachtwoord"), None)
                .await
                .unwrap()
        );
    }

    #[test]
    fn the_session_cookie_has_the_host_prefix_over_https() {
        let secure = session_cookie("abc", Some(time::Duration::hours(1)), true);
        assert!(
            secure.starts_with("__Host-klankbord_session=abc"),
            "{secure}"
        );
        assert!(secure.contains("Secure"));
        assert!(secure.contains("Path=/"));
        assert!(!secure.contains("Domain"));
        assert!(secure.contains("HttpOnly"));
        let plain = session_cookie("abc", None, false);
        assert!(plain.starts_with("klankbord_session=abc"), "{plain}");
        assert!(!plain.contains("Secure"));
        assert_eq!(session_cookie_name(true), SECURE_SESSION_COOKIE);
    }

    #[tokio::test]
    async fn the_hash_queue_refuses_what_does_not_fit() {
        // One hash at a time, two waiting: the fourth is refused at once, not queued.
        let queue = HashQueue::new(1, 2, Duration::from_millis(200));
        let first = queue.enter().await.unwrap();
        let (second, third, fourth) = tokio::join!(
            async {
                let started = std::time::Instant::now();
                let result = queue.enter().await.map(|_| ());
                (result, started.elapsed())
            },
            async { queue.enter().await.map(|_| ()) },
            async {
                tokio::task::yield_now().await;
                let started = std::time::Instant::now();
                let result = queue.enter().await.map(|_| ());
                (result, started.elapsed())
            },
        );
        // The waiting ones give up after the wait (the first still hashes); the one that
        // did not fit got no place at all.
        assert!(matches!(second.0, Err(AuthError::Busy)));
        assert!(second.1 >= Duration::from_millis(150));
        assert!(matches!(third, Err(AuthError::Busy)));
        assert!(matches!(fourth.0, Err(AuthError::Busy)));
        assert!(
            fourth.1 < Duration::from_millis(100),
            "refused without waiting"
        );
        drop(first);
        // Free again: a turn comes at once.
        assert!(queue.enter().await.is_ok());
    }
}
