//! The store story: the same assertions against SQLite and PostgreSQL.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::accounts::setup::{self, CoordinatorSpec, SetupForm};
use app::backend::{accounts::demo, platform::auth, platform::store};
use app::domain::{Problem, HART_VAN_BRABANT};
use app::error::AppError;
use common::TestDb;

fn setup_form() -> SetupForm {
    SetupForm {
        panel_name: "Jongerenpanel Hart van Brabant".into(),
        region: "Hart van Brabant".into(),
        slug: "hart-van-brabant".into(),
        municipalities: HART_VAN_BRABANT.join("\n"),
        display_name: "Noor".into(),
        email: "Noor@Example.nl".into(),
        password: "een lange zin als wachtwoord".into(),
        password_repeat: "een lange zin als wachtwoord".into(),
    }
}

async fn setup_and_login_story(t: &TestDb) {
    let db = &t.db;
    // Migrating again is harmless.
    db.migrate().await.unwrap();
    assert!(db.ping().await);

    // An empty database waits for setup and hands out a link.
    assert!(store::setup_pending(db.read()).await.unwrap());
    let first = setup::issue_setup_token(db).await.unwrap().unwrap();
    let token = setup::issue_setup_token(db).await.unwrap().unwrap();
    assert!(
        !store::setup_token_valid(db.read(), &auth::token_hash(&first))
            .await
            .unwrap(),
        "a new link replaces the old one"
    );
    assert!(
        store::setup_token_valid(db.read(), &auth::token_hash(&token))
            .await
            .unwrap()
    );

    // A forged link changes nothing.
    let forged = setup::complete_setup(db, &auth::random_token(), &setup_form()).await;
    assert_eq!(forged, Err(AppError::SetupLinkInvalid));

    // Bad fields are all reported, and nothing is created.
    let mut bad = setup_form();
    bad.email = "noor".into();
    bad.password_repeat = "iets anders".into();
    let Err(AppError::Invalid(problems)) = setup::complete_setup(db, &token, &bad).await else {
        panic!("expected validation errors");
    };
    assert_eq!(problems.len(), 2);
    assert!(store::setup_pending(db.read()).await.unwrap());
    assert!(
        store::setup_token_valid(db.read(), &auth::token_hash(&token))
            .await
            .unwrap()
    );

    // The real setup creates panel, municipalities and coordinator.
    let user_id = setup::complete_setup(db, &token, &setup_form())
        .await
        .unwrap();
    assert!(!store::setup_pending(db.read()).await.unwrap());
    assert_eq!(setup::issue_setup_token(db).await.unwrap(), None);

    // The link cannot be used twice.
    let mut again = setup_form();
    again.slug = "tweede".into();
    again.email = "ander@example.nl".into();
    assert_eq!(
        setup::complete_setup(db, &token, &again).await,
        Err(AppError::SetupLinkInvalid)
    );

    let panels = store::panels(db.read()).await.unwrap();
    assert_eq!(panels.len(), 1);
    assert_eq!(panels[0].panel.name, "Jongerenpanel Hart van Brabant");
    assert_eq!(panels[0].municipalities.len(), 11);
    assert!(!panels[0].is_demo);
    let user = store::current_user(db.read(), user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Noor");
    assert_eq!(user.role, app::domain::Role::Coordinator);
    assert_eq!(user.panel.slug, "hart-van-brabant");

    // Login: e-mail is case-insensitive; wrong password and unknown address look the same.
    let wrong = setup::login(db, "noor@example.nl", "niet het wachtwoord", "192.0.2.1").await;
    assert_eq!(wrong, Err(AppError::WrongCredentials));
    let unknown = setup::login(
        db,
        "niemand@example.nl",
        "een lange zin als wachtwoord",
        "192.0.2.1",
    )
    .await;
    assert_eq!(unknown, Err(AppError::WrongCredentials));
    let malformed = setup::login(db, "geen adres", "x", "192.0.2.1").await;
    assert_eq!(malformed, Err(AppError::WrongCredentials));
    let (logged_in, session) = setup::login(
        db,
        " NOOR@example.nl ",
        "een lange zin als wachtwoord",
        "192.0.2.1",
    )
    .await
    .unwrap();
    assert_eq!(logged_in, user_id);
    assert_eq!(
        auth::session_user(db, &session)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(user_id)
    );
    // The same query counts the person's unread notices, for the page header.
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, subject, created_at, read_at)
         VALUES ($1, 'input_open', 'Nieuw', 1, NULL), ($1, 'input_open', 'Gelezen', 2, 3)",
    )
    .bind(user_id)
    .execute(db.write())
    .await
    .unwrap();
    let person = auth::session_user(db, &session).await.unwrap().unwrap();
    assert_eq!(person.unread, 1);
    assert_eq!(
        auth::session_user(db, "nep")
            .await
            .unwrap()
            .map(|p| p.user.id),
        None
    );
    assert_eq!(
        auth::session_user(db, &auth::random_token()).await.unwrap(),
        None
    );

    // The database holds only the token's hash.
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions LIMIT 1")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_ne!(stored, session);

    // Logout ends the session on the server.
    auth::end_session(db, &session).await.unwrap();
    assert_eq!(
        auth::session_user(db, &session)
            .await
            .unwrap()
            .map(|p| p.user.id),
        None
    );

    // Deactivating an account ends its sessions and refuses login.
    let (_, session) = setup::login(
        db,
        "noor@example.nl",
        "een lange zin als wachtwoord",
        "192.0.2.1",
    )
    .await
    .unwrap();
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(user_id)
        .execute(db.write())
        .await
        .unwrap();
    assert_eq!(
        auth::session_user(db, &session)
            .await
            .unwrap()
            .map(|p| p.user.id),
        None
    );
    assert_eq!(
        setup::login(
            db,
            "noor@example.nl",
            "een lange zin als wachtwoord",
            "192.0.2.1"
        )
        .await,
        Err(AppError::WrongCredentials)
    );

    // Expired sessions are purged.
    sqlx::query("UPDATE sessions SET expires_at = 0")
        .execute(db.write())
        .await
        .unwrap();
    assert!(auth::purge_expired_sessions(db).await.unwrap() >= 1);
}

async fn coordinator_story(t: &TestDb) {
    let db = &t.db;
    let spec = |slug: &str, email: &str| CoordinatorSpec {
        slug: slug.into(),
        panel_name: Some("Panel Midden".into()),
        region: Some("Midden".into()),
        municipalities: vec!["Dongen".into(), "Goirle".into()],
        display_name: "Kim".into(),
        email: email.into(),
        password: "wachtwoord van kim".into(),
    };
    // Creates the panel when it does not exist...
    setup::create_coordinator(db, &spec("midden", "kim@example.nl"))
        .await
        .unwrap();
    let panel = store::panel_by_slug(db.read(), "midden")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(panel.municipalities, vec!["Dongen", "Goirle"]);
    // ...and adds to it when it does.
    let lou = setup::create_coordinator(db, &spec("midden", "lou@example.nl"))
        .await
        .unwrap();
    let people = store::home_facts(db.read(), lou).await.unwrap().unwrap();
    assert_eq!(people.coordinators.len(), 2);
    assert_eq!((people.members, people.policy_makers), (0, 0));
    assert_eq!(people.municipalities, vec!["Dongen", "Goirle"]);
    assert!(people.contact.is_some() && !people.agreements_open);
    // An e-mail address is used once.
    let taken = setup::create_coordinator(db, &spec("midden", "KIM@example.nl")).await;
    let Err(AppError::Invalid(problems)) = taken else {
        panic!("expected taken")
    };
    assert_eq!(problems[0].field, "email");
    assert_eq!(problems[0].problem, Problem::Taken);
    // A new panel needs a name.
    let mut nameless = spec("zonder-naam", "nieuw@example.nl");
    nameless.panel_name = None;
    assert!(matches!(
        setup::create_coordinator(db, &nameless).await,
        Err(AppError::Invalid(_))
    ));
    // Setup is closed once a coordinator exists.
    assert_eq!(setup::issue_setup_token(db).await.unwrap(), None);
}

async fn demo_story(t: &TestDb) {
    let db = &t.db;
    assert!(demo::seed(db).await.unwrap());
    assert!(
        !demo::seed(db).await.unwrap(),
        "seeding twice changes nothing"
    );
    let panel = store::panel_by_slug(db.read(), demo::DEMO_SLUG)
        .await
        .unwrap()
        .unwrap();
    assert!(panel.is_demo);
    assert_eq!(panel.municipalities.len(), 11);
    assert_eq!(panel.member_count, 4);
    // A demo panel is no real panel: setup stays open.
    assert!(store::setup_pending(db.read()).await.unwrap());
    // The policy maker belongs to Tilburg; every demo account can log in.
    let (id, _) = setup::login(
        db,
        "beleid@demo.klankbord.test",
        demo::DEMO_PASSWORD,
        "192.0.2.1",
    )
    .await
    .unwrap();
    let user = store::current_user(db.read(), id).await.unwrap().unwrap();
    assert_eq!(user.municipality.as_deref(), Some("Tilburg"));
}

/// Two people use the same setup link at the same moment: exactly one panel is made.
async fn setup_race_story(t: &TestDb) {
    let db = t.db.clone();
    let token = setup::issue_setup_token(&db).await.unwrap().unwrap();
    let mut second = setup_form();
    second.slug = "ander-panel".into();
    second.email = "ander@example.nl".into();
    let first = setup_form();
    let (a, b) = tokio::join!(
        setup::complete_setup(&db, &token, &first),
        setup::complete_setup(&db, &token, &second)
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
    assert_eq!(store::panels(db.read()).await.unwrap().len(), 1);
}

on_both_backends!(
    setup_and_login_on_sqlite,
    setup_and_login_on_postgres,
    setup_and_login_story
);
on_both_backends!(
    coordinator_on_sqlite,
    coordinator_on_postgres,
    coordinator_story
);
on_both_backends!(demo_on_sqlite, demo_on_postgres, demo_story);
on_both_backends!(
    setup_race_on_sqlite,
    setup_race_on_postgres,
    setup_race_story
);

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let t = TestDb::sqlite().await;
    for pool in [t.db.read(), t.db.write()] {
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let (timeout,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(timeout, 5000);
    }
}

#[tokio::test]
async fn bad_database_urls_get_one_clear_line() {
    use app::backend::platform::db::{Db, DbOptions};
    let err = Db::connect("mysql://x/y", &DbOptions::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("DATABASE_URL is not valid"), "{err}");
    assert!(!err.contains('\n'));
    let options = DbOptions {
        connect_timeout: std::time::Duration::from_secs(2),
        ..DbOptions::default()
    };
    let err = Db::connect("postgres://nobody:secret@127.0.0.1:1/none", &options)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot reach the PostgreSQL database"),
        "{err}"
    );
    assert!(
        !err.contains("secret"),
        "the password must not be shown: {err}"
    );
}
