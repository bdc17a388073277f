//! Test databases on both backends: a fresh SQLite file, or a fresh PostgreSQL database
//! that is dropped again when the test ends (also when it fails).

#![allow(dead_code)]

use app::backend::platform::db::{Db, DbOptions};
use app::backend::platform::store;
use app::domain::Problem;
use app::error::AppError;
use app::model::CurrentUser;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

pub enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Option<Cleanup>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Where the test PostgreSQL server is; override with KLANKBORD_TEST_POSTGRES.
pub fn postgres_base() -> String {
    std::env::var("KLANKBORD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
        .trim_end_matches('/')
        .to_string()
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/klankbord.db", dir.path().display());
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("sqlite connects");
        db.migrate().await.expect("sqlite migrates");
        TestDb {
            db,
            url,
            cleanup: Some(Cleanup::Sqlite(dir)),
        }
    }

    /// A new, empty PostgreSQL database. `None` when PostgreSQL is unreachable outside CI
    /// (the test then says it skipped); under CI=true that is a failure.
    pub async fn postgres() -> Option<TestDb> {
        let base = postgres_base();
        let admin_url = format!("{base}/postgres");
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if !in_ci() => {
                eprintln!("SKIPPED: PostgreSQL at {base} is not reachable ({e})");
                return None;
            }
            Err(e) => panic!("PostgreSQL at {base} is not reachable and CI=true: {e}"),
        };
        let name = format!(
            "klankbord_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = format!("{base}/{name}");
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("postgres connects");
        db.migrate().await.expect("postgres migrates");
        Some(TestDb {
            db,
            url,
            cleanup: Some(Cleanup::Postgres { admin_url, name }),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(Cleanup::Postgres { admin_url, name }) = self.cleanup.take() {
            // Drop runs outside async; a short-lived runtime on its own thread drops the
            // database, forcing out connections the pool still holds.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs a story on SQLite and, when reachable, on PostgreSQL, printing which ran.
#[macro_export]
macro_rules! on_both_backends {
    ($sqlite:ident, $postgres:ident, $story:path) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let test_db = common::TestDb::sqlite().await;
            eprintln!("story on SQLite");
            $story(&test_db).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            if let Some(test_db) = common::TestDb::postgres().await {
                eprintln!("story on PostgreSQL");
                $story(&test_db).await;
            }
        }
    };
}

/// A real SMTP server (Python's aiosmtpd, installed by scripts/toolchain.sh into
/// .tools/venv) on a loopback port, storing what it receives in a Maildir.
pub struct SmtpReceiver {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

/// One received mail, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An attached iCalendar object (`text/calendar`), if any.
    pub calendar: String,
}

impl ReceivedMail {
    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        let rest = &self.text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

fn python() -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python");
    path.exists().then_some(path)
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl SmtpReceiver {
    /// Starts the receiver on `port` (0: any free port). `None` when aiosmtpd is not
    /// installed outside CI; under CI=true that is a failure.
    pub async fn start(port: u16) -> Option<SmtpReceiver> {
        let Some(python) = python() else {
            if in_ci() {
                panic!("aiosmtpd is not installed (.tools/venv) and CI=true");
            }
            eprintln!("SKIPPED: no SMTP receiver; run scripts/test.sh once to install aiosmtpd");
            return None;
        };
        let port = if port == 0 { free_port() } else { port };
        let maildir = tempfile::tempdir().expect("maildir");
        let mut receiver = SmtpReceiver {
            port,
            maildir,
            child: None,
        };
        receiver.spawn(&python);
        Some(receiver)
    }

    fn spawn(&mut self, python: &std::path::Path) {
        let child = std::process::Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        // Ready when it accepts connections.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Stops the receiver (mail sent now fails) without losing what it received.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        let python = python().expect("python");
        self.spawn(&python);
    }

    /// Everything received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let dir = self.maildir.path().join("mail/new");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|raw| parse_mail(&raw))
            .collect()
    }

    /// Waits until at least `n` mails arrived (at most 20 seconds).
    pub async fn wait_for(&self, n: usize) -> Vec<ReceivedMail> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let got = self.messages();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn parse_mail(raw: &[u8]) -> ReceivedMail {
    use mailparse::MailHeaderMap;
    let parsed = mailparse::parse_mail(raw).expect("a parsable mail");
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let mut text = String::new();
    let mut html = String::new();
    let mut calendar = String::new();
    for part in parsed.parts() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().unwrap_or_default(),
            "text/html" => html = part.get_body().unwrap_or_default(),
            "text/calendar" => calendar = part.get_body().unwrap_or_default(),
            _ => {}
        }
    }
    ReceivedMail {
        to: header("To"),
        subject: header("Subject"),
        text,
        html,
        calendar,
    }
}

/// Mail settings that deliver to a receiver on `port`, retrying after one second.
pub fn smtp_settings(port: u16) -> app::backend::platform::mail::MailSettings {
    use app::backend::platform::mail::{MailSettings, SmtpSecurity, TransportSettings};
    MailSettings {
        from: "Klankbord <klankbord@test.klankbord>".into(),
        transport: TransportSettings::Smtp {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        },
        retry_base_secs: 1,
        max_attempts: 5,
        poll: std::time::Duration::from_millis(200),
    }
}

/// The person with this e-mail address, as the services see them once logged in.
pub async fn user(t: &TestDb, email: &str) -> CurrentUser {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(t.db.read())
        .await
        .unwrap();
    store::current_user(t.db.read(), id).await.unwrap().unwrap()
}

/// The (field, problem) pairs of a refusal of bad input; panics on any other error.
pub fn fields(error: AppError) -> Vec<(String, Problem)> {
    match error {
        AppError::Invalid(list) => list.into_iter().map(|p| (p.field, p.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

/// The real app on a free loopback port, over this test's database, until dropped.
pub struct TestApp {
    pub base: String,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    /// Starts it with the command line's settings plus `extra` options (for example
    /// `["--client-ip-header", "X-Forwarded-For"]`).
    pub async fn start(t: &TestDb, extra: &[&str]) -> TestApp {
        use clap::Parser;
        let mut args = vec![
            "klankbord",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &t.url,
        ];
        args.extend_from_slice(extra);
        let cli = klankbord_server::config::Cli::try_parse_from(args).unwrap();
        let router = klankbord_server::startup::router(t.db.clone(), &cli.settings).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(klankbord_server::startup::serve(
            listener,
            router,
            async move {
                let _ = rx.await;
            },
        ));
        TestApp {
            base,
            _shutdown: tx,
        }
    }
}

/// A question form of `owner`'s panel with this title, its first theme and municipality,
/// filled in enough to submit.
pub async fn question_form(
    t: &TestDb,
    owner: &CurrentUser,
    title: &str,
) -> app::backend::questions::write::QuestionForm {
    let data = app::backend::views::question_page::form_data(&t.db, owner, None)
        .await
        .unwrap();
    app::backend::questions::write::QuestionForm {
        title: title.into(),
        question: "Wat helpt tijdens het wachten?".into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "advise".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    }
}

/// The question `form`, saved and submitted by `owner`, accepted and opened for input by
/// `coordinator`.
pub async fn open_question(
    t: &TestDb,
    owner: &CurrentUser,
    coordinator: &CurrentUser,
    form: &app::backend::questions::write::QuestionForm,
) -> i64 {
    use app::backend::{participation, questions};
    use app::lifecycle::Action;
    const URL: &str = "http://k";
    let id = questions::write::save(&t.db, URL, owner, None, form)
        .await
        .unwrap();
    questions::write::act(&t.db, URL, owner, id, Action::Submit, "")
        .await
        .unwrap();
    questions::write::act(&t.db, URL, coordinator, id, Action::Accept, "")
        .await
        .unwrap();
    participation::inputs::transition(&t.db, URL, coordinator, id, Action::OpenInput, "")
        .await
        .unwrap();
    id
}

/// Each caller comes from its own network address (through a trusted proxy header), so
/// one caller's failed link checks do not rate-limit the next.
pub async fn client_for(base: &str, n: u8, login: Option<(&str, &str)>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", format!("203.0.113.{n}").parse().unwrap());
    let c = reqwest::Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    if let Some((email, password)) = login {
        let r = c
            .post(format!("{base}/api/login"))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "login {email}: {}",
            r.status()
        );
    }
    c
}
