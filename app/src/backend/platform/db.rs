//! Connections to SQLite (embedded default) or PostgreSQL, through sqlx's `Any` driver so
//! the same SQL text runs on both. Backend-specific SQL lives only in the migrations.

use super::error;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Each variant's message is one line that tells an operator what to fix.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL is not valid: {0}. Use sqlite://path/to/file.db or postgres://user@host:5432/database")]
    InvalidUrl(String),
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot reach the {backend} database at {target}: {source}. Check that it runs and that DATABASE_URL is right")]
    Unreachable {
        backend: &'static str,
        target: String,
        source: sqlx::Error,
    },
    #[error("the database schema could not be brought up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// The database. On SQLite, writes go through a single connection (SQLite allows one
/// writer at a time; queueing in the pool beats `SQLITE_BUSY`), reads through several.
/// On PostgreSQL both handles are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    read: AnyPool,
    write: AnyPool,
    hints: Hints,
}

/// Facts an instance read from its database that only choose how to ask, never what the
/// answer is (how common a search word is), kept for [`HINT_FOR`] so a page need not
/// count again. Stale for a while, they make a query slower at worst, never wrong.
#[derive(Clone, Debug, Default)]
pub struct Hints(std::sync::Arc<std::sync::Mutex<HashMap<String, (bool, Instant)>>>);

/// How long a hint is kept.
pub const HINT_FOR: Duration = Duration::from_secs(300);
/// Hints kept at most; past this they are all forgotten at once.
const HINTS_MAX: usize = 10_000;

impl Hints {
    /// The hint under `key`, if it is younger than [`HINT_FOR`].
    pub fn get(&self, key: &str) -> Option<bool> {
        let hints = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        hints
            .get(key)
            .filter(|(_, at)| at.elapsed() < HINT_FOR)
            .map(|(value, _)| *value)
    }

    pub fn set(&self, key: &str, value: bool) {
        let mut hints = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if hints.len() >= HINTS_MAX {
            hints.clear();
        }
        hints.insert(key.to_string(), (value, Instant::now()));
    }
}

/// Connection settings an operator can tune.
#[derive(Clone, Debug)]
pub struct DbOptions {
    pub max_connections: u32,
    pub connect_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// Shows a database URL without its password, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            if credentials.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_string(),
    }
}

fn backend_of(url: &str) -> Result<Backend, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(DbError::InvalidUrl(format!(
            "\"{}\" names no supported database",
            redact_url(url)
        )))
    }
}

/// `sqlite://data/klankbord.db` -> the file path, and the URL with `mode=rwc` so the file
/// is created on first start.
fn sqlite_target(url: &str) -> Result<(String, String), DbError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    if path.is_empty() || path == ":memory:" {
        return Err(DbError::InvalidUrl(
            "a SQLite URL needs a file path, e.g. sqlite://data/klankbord.db".into(),
        ));
    }
    let url = match query {
        Some(q) if q.contains("mode=") => url.to_string(),
        Some(_) => format!("{url}&mode=rwc"),
        None => format!("{url}?mode=rwc"),
    };
    Ok((path.to_string(), url))
}

impl Db {
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        match backend_of(url)? {
            Backend::Sqlite => Self::connect_sqlite(url, options).await,
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.connect_timeout)
                    .connect(url)
                    .await
                    .map_err(|source| connect_error(Backend::Postgres, url, source))?;
                Ok(Db {
                    backend: Backend::Postgres,
                    read: pool.clone(),
                    write: pool,
                    hints: Hints::default(),
                })
            }
        }
    }

    async fn connect_sqlite(url: &str, options: &DbOptions) -> Result<Db, DbError> {
        let (path, url) = sqlite_target(url)?;
        if let Some(parent) = Path::new(&path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|source| DbError::DataDir {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        }
        let pool_options = || {
            AnyPoolOptions::new()
                .acquire_timeout(options.connect_timeout)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                        Ok(())
                    })
                })
        };
        let write = pool_options()
            .max_connections(1)
            .connect(&url)
            .await
            .map_err(|source| connect_error(Backend::Sqlite, &url, source))?;
        let read = pool_options()
            .max_connections(options.max_connections.max(2))
            .connect(&url)
            .await
            .map_err(|source| connect_error(Backend::Sqlite, &url, source))?;
        Ok(Db {
            backend: Backend::Sqlite,
            read,
            write,
            hints: Hints::default(),
        })
    }

    /// A transaction on the write pool; `tx.commit().await?` ends it.
    pub async fn begin(&self) -> Result<error::Tx, sqlx::Error> {
        self.write.begin().await
    }

    /// This instance's hints about the database (see [`Hints`]).
    pub fn hints(&self) -> &Hints {
        &self.hints
    }

    /// Brings the schema up to date. Safe to run at every start and from several
    /// instances at once (sqlx takes a lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For queries that only read.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// For anything that writes, and for transactions.
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn connect_error(backend: Backend, url: &str, source: sqlx::Error) -> DbError {
    match source {
        sqlx::Error::Configuration(e) => DbError::InvalidUrl(e.to_string()),
        source => DbError::Unreachable {
            backend: backend.name(),
            target: redact_url(url),
            source,
        },
    }
}

/// Separates the parts of a list joined in SQL with `string_agg(x, '\u{1f}' ORDER BY …)`,
/// which runs the same on SQLite (3.44 and later) and PostgreSQL: the ASCII unit
/// separator, which no stored name or title holds (text fields refuse control characters).
pub const JOINED: char = '\u{1f}';

/// The parts of a list joined with [`JOINED`]; none for NULL (no rows).
pub fn split_joined(joined: Option<String>) -> Vec<String> {
    joined
        .map(|j| j.split(JOINED).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Seconds since the Unix epoch, the way every time is stored.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_kept_per_database_and_forgotten_all_at_once_when_full() {
        let hints = Hints::default();
        assert_eq!(hints.get("common-word:vraag"), None);
        hints.set("common-word:vraag", true);
        hints.set("common-word:wacht", false);
        assert_eq!(hints.get("common-word:vraag"), Some(true));
        assert_eq!(hints.get("common-word:wacht"), Some(false));
        assert_eq!(Hints::default().get("common-word:vraag"), None);
        for i in 0..HINTS_MAX {
            hints.set(&i.to_string(), true);
        }
        assert_eq!(hints.get("common-word:vraag"), None, "forgotten when full");
        assert_eq!(hints.get(&(HINTS_MAX - 1).to_string()), Some(true));
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://klank:geheim@db:5432/k"),
            "postgres://klank:***@db:5432/k"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1:5432"),
            "postgres://postgres@127.0.0.1:5432"
        );
        assert_eq!(redact_url("sqlite://data/k.db"), "sqlite://data/k.db");
    }

    #[test]
    fn backends_are_recognised() {
        assert_eq!(backend_of("sqlite://data/k.db").ok(), Some(Backend::Sqlite));
        assert_eq!(backend_of("postgres://h/db").ok(), Some(Backend::Postgres));
        assert_eq!(
            backend_of("postgresql://h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(backend_of("mysql://h/db").is_err());
        assert!(backend_of("data/k.db").is_err());
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        let (path, url) = sqlite_target("sqlite://data/k.db").unwrap();
        assert_eq!(path, "data/k.db");
        assert_eq!(url, "sqlite://data/k.db?mode=rwc");
        let (_, url) = sqlite_target("sqlite://data/k.db?mode=ro").unwrap();
        assert_eq!(url, "sqlite://data/k.db?mode=ro");
        assert!(sqlite_target("sqlite::memory:").is_err());
        assert!(sqlite_target("sqlite://").is_err());
    }
}
