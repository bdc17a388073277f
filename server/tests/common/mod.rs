//! Test databases on both backends: a fresh SQLite file, or a fresh PostgreSQL database
//! that is dropped again when the test ends (also when it fails).

#![allow(dead_code)]

use app::backend::db::{Db, DbOptions};
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
