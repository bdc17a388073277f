//! E-mail that cannot get lost: mail is written to the `outbox` table in the same
//! transaction as the change that causes it, and a worker (on every app instance) claims
//! due rows with a lease, sends them, and marks them sent — or, after repeated failure,
//! dead. Claiming is one conditional `UPDATE … RETURNING`, so when several instances share
//! one PostgreSQL, each mail is claimed by exactly one of them.

pub mod templates;

use super::db::{now, Db};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use sqlx::AnyConnection;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Notify;

pub use templates::{render, DigestLine, Mail, Rendered};

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum TransportSettings {
    Smtp {
        host: String,
        port: u16,
        security: SmtpSecurity,
        username: Option<String>,
        password: Option<SecretString>,
    },
    /// Each mail is written as an `.eml` file into this folder (the embedded default).
    Files(PathBuf),
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The sender, e.g. `Klankbord <klankbord@example.nl>`.
    pub from: String,
    pub transport: TransportSettings,
    /// The first retry waits this long; each next one twice as long (at most an hour).
    pub retry_base_secs: i64,
    /// After this many failed attempts a mail is marked dead.
    pub max_attempts: i64,
    /// How often the worker looks for due mail when nothing wakes it.
    pub poll: Duration,
}

impl MailSettings {
    /// Files under `dir`, with the production retry schedule.
    pub fn files(dir: impl Into<PathBuf>) -> Self {
        Self {
            from: "Klankbord <klankbord@localhost>".into(),
            transport: TransportSettings::Files(dir.into()),
            retry_base_secs: 60,
            max_attempts: 8,
            poll: Duration::from_secs(5),
        }
    }
}

/// A claimed lease lasts this long; a worker that dies mid-send frees the mail after it.
const LEASE_SECS: i64 = 300;
/// Longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the sender address {0:?} is not valid: {1}")]
    From(String, String),
    #[error("the SMTP settings are not valid: {0}")]
    Smtp(String),
    #[error("a mail catalogue cannot be read: {0}")]
    Catalogue(String),
    #[error("cannot create the mail folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

enum Sender {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Sends what the outbox holds.
pub struct Mailer {
    from: Mailbox,
    sender: Sender,
    retry_base_secs: i64,
    max_attempts: i64,
    poll: Duration,
}

/// Why one attempt failed, and whether trying again can help.
struct SendFailure {
    message: String,
    permanent: bool,
}

/// Wakes the workers of this process at once (after a commit that queued mail).
pub fn wake() {
    waker().notify_waiters();
}

fn waker() -> &'static Notify {
    static WAKE: OnceLock<Notify> = OnceLock::new();
    WAKE.get_or_init(Notify::new)
}

/// `noor@example.nl` -> `n***@example.nl`: enough to tell mails apart in a log, not
/// enough to learn who is on the panel.
pub fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// Queues a mail inside the caller's transaction: it is sent only if that commits.
pub async fn enqueue(
    conn: &mut AnyConnection,
    recipient: &str,
    mail: &Rendered,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox (recipient, subject, body_text, body_html, calendar, created_at,
                             next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(recipient)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(&mail.calendar)
    .bind(at)
    .fetch_one(conn)
    .await?;
    tracing::info!(outbox_id = id, to = %mask(recipient), "mail queued");
    Ok(id)
}

/// A mail taken from the outbox with a lease, to be sent now.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i64,
    calendar: Option<String>,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| {
                MailError::From(settings.from.clone(), e.to_string())
            })?;
        let sender = match &settings.transport {
            TransportSettings::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| MailError::Folder {
                    path: dir.display().to_string(),
                    source,
                })?;
                Sender::Files(dir.clone())
            }
            TransportSettings::Smtp {
                host,
                port,
                security,
                username,
                password,
            } => {
                let tls = |host: &str| {
                    TlsParameters::new(host.to_string()).map_err(|e| MailError::Smtp(e.to_string()))
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(*port)
                    .timeout(Some(Duration::from_secs(30)));
                builder = match security {
                    SmtpSecurity::None => builder.tls(Tls::None),
                    SmtpSecurity::Starttls => builder.tls(Tls::Required(tls(host)?)),
                    SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls(host)?)),
                };
                if let Some(user) = username {
                    let password = password
                        .as_ref()
                        .map(|p| p.expose_secret().to_string())
                        .unwrap_or_default();
                    builder = builder.credentials(Credentials::new(user.clone(), password));
                }
                Sender::Smtp(builder.build())
            }
        };
        templates::load().map_err(MailError::Catalogue)?;
        Ok(Self {
            from,
            sender,
            retry_base_secs: settings.retry_base_secs.max(1),
            max_attempts: settings.max_attempts.max(1),
            poll: settings.poll,
        })
    }

    /// Sends every mail that is due now; returns how many were sent.
    pub async fn deliver_due(&self, db: &Db) -> Result<usize, sqlx::Error> {
        let mut sent = 0;
        while let Some(row) = claim(db).await? {
            let (id, recipient, attempts) = (row.id, &row.recipient, row.attempts);
            match self.send(&row).await {
                Ok(()) => {
                    sqlx::query(
                        "UPDATE outbox SET sent_at = $1, locked_until = NULL, last_error = NULL
                         WHERE id = $2",
                    )
                    .bind(now())
                    .bind(id)
                    .execute(db.write())
                    .await?;
                    tracing::info!(outbox_id = id, to = %mask(recipient), attempts, "mail sent");
                    sent += 1;
                }
                Err(failure) => self.failed(db, id, recipient, attempts, failure).await?,
            }
        }
        Ok(sent)
    }

    async fn failed(
        &self,
        db: &Db,
        id: i64,
        recipient: &str,
        attempts: i64,
        failure: SendFailure,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let error: String = failure.message.chars().take(500).collect();
        if failure.permanent || attempts >= self.max_attempts {
            sqlx::query(
                "UPDATE outbox SET dead_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3",
            )
            .bind(at)
            .bind(&error)
            .bind(id)
            .execute(db.write())
            .await?;
            tracing::error!(outbox_id = id, to = %mask(recipient), attempts, %error, "mail could not be delivered; given up");
        } else {
            let wait = backoff(self.retry_base_secs, attempts);
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = $1, locked_until = NULL, last_error = $2
                 WHERE id = $3",
            )
            .bind(at + wait)
            .bind(&error)
            .bind(id)
            .execute(db.write())
            .await?;
            tracing::warn!(outbox_id = id, to = %mask(recipient), attempts, retry_in_secs = wait, %error, "mail not sent; will retry");
        }
        Ok(())
    }

    async fn send(&self, row: &Claimed) -> Result<(), SendFailure> {
        let Claimed {
            id,
            recipient,
            subject,
            body_text: text,
            body_html: html,
            calendar,
            ..
        } = row;
        let permanent = |message: String| SendFailure {
            message,
            permanent: true,
        };
        let to: Mailbox = recipient
            .parse()
            .map_err(|e: lettre::address::AddressError| permanent(e.to_string()))?;
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(html.clone()),
            );
        // A meeting travels as an attachment too, so any calendar program can add it.
        let body = match calendar {
            Some(ics) => {
                let method = ics
                    .lines()
                    .find_map(|l| l.strip_prefix("METHOD:"))
                    .unwrap_or("PUBLISH")
                    .trim();
                let kind =
                    ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                        .map_err(|e| permanent(e.to_string()))?;
                MultiPart::mixed()
                    .multipart(alternative)
                    .singlepart(Attachment::new("klankbord.ics".into()).body(ics.clone(), kind))
            }
            None => alternative,
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| permanent(e.to_string()))?;
        match &self.sender {
            Sender::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendFailure {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
            }
            Sender::Files(dir) => {
                let path = dir.join(format!("{id:08}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| SendFailure {
                        message: format!("{}: {e}", path.display()),
                        permanent: false,
                    })
            }
        }
    }

    /// Sends due mail until the process ends: at once when woken, otherwise every
    /// `poll`. Database trouble is logged and retried on the next round.
    pub async fn run(self, db: Db) {
        loop {
            if let Err(error) = self.deliver_due(&db).await {
                tracing::error!(%error, "mail worker could not read the outbox");
            }
            tokio::select! {
                _ = waker().notified() => {}
                _ = tokio::time::sleep(self.poll) => {}
            }
        }
    }
}

/// The wait before the next attempt after `attempts` failures: base, 2×base, 4×base, …
/// up to an hour.
pub fn backoff(base: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(0);
    base.saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_SECS)
}

/// Takes the next due mail with a lease, or `None`. The conditions are repeated outside
/// the sub-select so that on PostgreSQL a second instance racing for the same row finds
/// it leased already and updates nothing.
async fn claim(db: &Db) -> Result<Option<Claimed>, sqlx::Error> {
    let at = now();
    sqlx::query_as(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1
         WHERE id = (SELECT id FROM outbox
                     WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $2
                       AND (locked_until IS NULL OR locked_until <= $2)
                     ORDER BY next_attempt_at, id LIMIT 1)
           AND sent_at IS NULL AND dead_at IS NULL
           AND (locked_until IS NULL OR locked_until <= $2)
         RETURNING id, recipient, subject, body_text, body_html, attempts, calendar",
    )
    .bind(at + LEASE_SECS)
    .bind(at)
    .fetch_optional(db.write())
    .await
}

/// Counts of the outbox by state, for operators and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    pub waiting: i64,
    pub sent: i64,
    pub dead: i64,
}

pub async fn counts(db: &Db) -> Result<OutboxCounts, sqlx::Error> {
    let (waiting, sent, dead): (i64, i64, i64) = sqlx::query_as(
        "SELECT
           COALESCE(SUM(CASE WHEN sent_at IS NULL AND dead_at IS NULL THEN 1 ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN dead_at IS NOT NULL THEN 1 ELSE 0 END), 0)
         FROM outbox",
    )
    .fetch_one(db.read())
    .await?;
    Ok(OutboxCounts {
        waiting,
        sent,
        dead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked() {
        assert_eq!(mask("noor@example.nl"), "n***@example.nl");
        assert_eq!(mask("geen-adres"), "***");
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(60, 1), 60);
        assert_eq!(backoff(60, 2), 120);
        assert_eq!(backoff(60, 4), 480);
        assert_eq!(backoff(60, 30), 3600);
        assert_eq!(backoff(1, 0), 1);
    }
}
