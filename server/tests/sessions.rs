//! Sessions and the second factor, on both backends: a password reset and an accepted
//! invitation end half-way like a login, the token changes when the second factor is done,
//! opening the set-up page keeps the secret being scanned, and rate limits hold under
//! parallel attempts.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::accounts::setup::{self, CoordinatorSpec};
use app::backend::platform::auth::{self, Pending};
use app::backend::platform::db::now;
use app::backend::{accounts, accounts::second_factor, platform::store};
use app::domain::Problem;
use app::error::AppError;
use app::model::CurrentUser;
use common::{TestApp, TestDb};
use reqwest::header::{ACCEPT, COOKIE, LOCATION, REFERER, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

const URL: &str = "https://klankbord.test";
const PASSWORD: &str = "een lange zin als wachtwoord";
const CLIENT: &str = "192.0.2.9";

async fn spawn(t: &TestDb) -> TestApp {
    TestApp::start(t, &[]).await
}

/// No cookie store: each request carries exactly the cookie the test gives it.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A plain HTML form post (no JavaScript): answered with a redirect.
async fn form_post(
    base: &str,
    endpoint: &str,
    from: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client()
        .post(format!("{base}/api/{endpoint}"))
        .header(ACCEPT, "text/html")
        .header(REFERER, format!("{base}{from}"))
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.unwrap()
}

/// A server-function call as the browser's JavaScript makes it.
async fn call(base: &str, endpoint: &str, cookie: &str, form: &[(&str, &str)]) -> StatusCode {
    client()
        .post(format!("{base}/api/{endpoint}"))
        .header(ACCEPT, "application/json")
        .header(COOKIE, cookie)
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
}

/// `klankbord_session=…` from the response's Set-Cookie.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("klankbord_session="))
        .unwrap_or_else(|| panic!("no session cookie in {:?}", response.headers()))
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

fn token_in(cookie: &str) -> &str {
    cookie.trim_start_matches("klankbord_session=")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("no redirect: {}", response.status()))
        .to_str()
        .unwrap()
        .to_string()
}

async fn coordinator(t: &TestDb, email: &str) -> CurrentUser {
    let id = setup::create_coordinator(
        &t.db,
        &CoordinatorSpec {
            slug: "hart-van-brabant".into(),
            panel_name: Some("Panel".into()),
            region: Some("Hart van Brabant".into()),
            municipalities: vec!["Tilburg".into()],
            display_name: "Noor".into(),
            email: email.into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    store::current_user(t.db.read(), id).await.unwrap().unwrap()
}

/// Turns the second factor on for a user; returns the secret.
async fn enrol(t: &TestDb, user: &CurrentUser) -> String {
    let secret = second_factor::start(&t.db, user.id).await.unwrap().secret;
    let code = second_factor::code_at(&secret, now() - 30).unwrap();
    second_factor::confirm(&t.db, user.id, user.panel.id, &code)
        .await
        .unwrap();
    secret
}

/// The link token in the newest outbox mail that holds `path`, waiting for it (a reset
/// mail is queued after the answer).
async fn link_in_outbox(t: &TestDb, path: &str) -> String {
    for _ in 0..100 {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT body_text FROM outbox ORDER BY id DESC")
            .fetch_all(t.db.read())
            .await
            .unwrap();
        if let Some(start) = rows.iter().find_map(|(text,)| {
            text.find(path)
                .map(|i| text[i + path.len()..i + path.len() + 64].to_string())
        }) {
            return start;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail with {path}");
}

/// Item 5 and 6: a password reset ends half-way like a login (the code is still asked);
/// giving the code swaps the token. An invitation to a panel that requires a second factor
/// ends at setting it up; confirming it swaps the token too.
async fn half_way_story(t: &TestDb) {
    let db = &t.db;
    let app = spawn(t).await;
    let base = app.base.as_str();
    let noor = coordinator(t, "noor@example.nl").await;
    let secret = enrol(t, &noor).await;

    // Reset: the new password alone opens nothing.
    accounts::passwords::request_reset(db, URL, "noor@example.nl", CLIENT)
        .await
        .unwrap();
    let token = link_in_outbox(t, "/reset/").await;
    let new_password = "een nieuwe lange zin voor noor";
    let reset = form_post(
        base,
        "reset_password",
        &format!("/reset/{token}"),
        None,
        &[
            ("token", &token),
            ("password", new_password),
            ("password_repeat", new_password),
        ],
    )
    .await;
    assert!(reset.status().is_redirection(), "{}", reset.status());
    assert_eq!(location(&reset), "/login/code");
    let half = session_cookie(&reset);
    assert_eq!(
        auth::session_state(db, token_in(&half)).await.unwrap(),
        Some((noor.id, Pending::Code))
    );
    assert_eq!(
        call(base, "home", &half, &[]).await,
        StatusCode::UNAUTHORIZED,
        "a reset alone is no login"
    );

    // The code: a new cookie; the half-way token stops working.
    let code = second_factor::code_at(&secret, now() + 30).unwrap();
    let done = form_post(
        base,
        "login_code",
        "/login/code",
        Some(&half),
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&done), "/home");
    let full = session_cookie(&done);
    assert_ne!(full, half);
    assert_eq!(call(base, "home", &full, &[]).await, StatusCode::OK);
    assert_eq!(
        call(base, "home", &half, &[]).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        auth::session_state(db, token_in(&half)).await.unwrap(),
        None
    );

    // An invitation to a panel that requires the second factor: set it up first.
    second_factor::set_required(db, &noor, true).await.unwrap();
    let tilburg = store::municipalities(db, noor.panel.id).await.unwrap()[0].id;
    accounts::invitations::invite(
        db,
        URL,
        &noor,
        &accounts::invitations::InviteForm {
            email: "beleid@tilburg.nl".into(),
            role: "policy_maker".into(),
            municipality: tilburg.to_string(),
            language: "nl".into(),
        },
    )
    .await
    .unwrap();
    let invitation = link_in_outbox(t, "/invite/").await;
    let accepted = form_post(
        base,
        "accept_invitation",
        &format!("/invite/{invitation}"),
        None,
        &[
            ("token", &invitation),
            ("display_name", "Marco"),
            ("password", PASSWORD),
            ("password_repeat", PASSWORD),
        ],
    )
    .await;
    assert!(accepted.status().is_redirection(), "{}", accepted.status());
    assert_eq!(location(&accepted), "/second-factor");
    let enrolling = session_cookie(&accepted);
    let (marco, pending) = auth::session_state(db, token_in(&enrolling))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending, Pending::Enrolment);
    assert_eq!(
        call(base, "home", &enrolling, &[]).await,
        StatusCode::UNAUTHORIZED
    );

    // Setting it up from that session: a new cookie, the old one is dead.
    let enrolment = second_factor::start(db, marco).await.unwrap();
    let code = second_factor::code_at(&enrolment.secret, now()).unwrap();
    let confirmed = form_post(
        base,
        "confirm_second_factor",
        "/second-factor",
        Some(&enrolling),
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&confirmed), "/home");
    let marco_full = session_cookie(&confirmed);
    assert_ne!(marco_full, enrolling);
    assert_eq!(call(base, "home", &marco_full, &[]).await, StatusCode::OK);
    assert_eq!(
        call(base, "home", &enrolling, &[]).await,
        StatusCode::UNAUTHORIZED
    );
}

on_both_backends!(half_way_sqlite, half_way_postgres, half_way_story);

/// Item 6 in the backend: completing swaps the token, once; a full session is not swapped.
async fn rotation_story(t: &TestDb) {
    let db = &t.db;
    let noor = coordinator(t, "noor@example.nl").await;
    let half = auth::create_session_with(db, noor.id, Pending::Code)
        .await
        .unwrap();
    let fresh = auth::complete_session(db, &half).await.unwrap().unwrap();
    assert_ne!(fresh, half);
    assert_eq!(
        auth::session_user(db, &fresh)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(noor.id)
    );
    assert_eq!(auth::session_state(db, &half).await.unwrap(), None);
    assert_eq!(auth::complete_session(db, &half).await.unwrap(), None);
    assert_eq!(auth::complete_session(db, &fresh).await.unwrap(), None);
    assert_eq!(
        auth::session_user(db, &fresh)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(noor.id)
    );
}

on_both_backends!(rotation_sqlite, rotation_postgres, rotation_story);

/// Item 7: opening the set-up page again keeps the secret being scanned; replacing a
/// confirmed second factor asks for the password or the current code.
async fn enrolment_story(t: &TestDb) {
    let db = &t.db;
    let noor = coordinator(t, "noor@example.nl").await;
    let first = second_factor::start(db, noor.id).await.unwrap();
    let again = second_factor::start(db, noor.id).await.unwrap();
    assert_eq!(first.secret, again.secret, "a reload keeps the QR code");
    assert_eq!(first.uri, again.uri);
    let code = second_factor::code_at(&first.secret, now()).unwrap();
    second_factor::confirm(db, noor.id, noor.panel.id, &code)
        .await
        .unwrap();

    // On now: the page no longer hands out a secret by itself.
    assert_eq!(
        second_factor::start(db, noor.id).await.map(|_| ()),
        Err(AppError::invalid(
            "second_factor_current",
            Problem::SecondFactorOn
        ))
    );
    assert_eq!(
        second_factor::replace(db, &noor, "fout wachtwoord")
            .await
            .map(|_| ()),
        Err(AppError::invalid(
            "second_factor_current",
            Problem::WrongPassword
        ))
    );
    let wrong_code = if second_factor::code_at(&first.secret, now() + 30).unwrap() == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        second_factor::replace(db, &noor, wrong_code)
            .await
            .map(|_| ()),
        Err(AppError::invalid(
            "second_factor_current",
            Problem::WrongCode
        ))
    );
    // The password works; so does the current code.
    let by_password = second_factor::replace(db, &noor, PASSWORD).await.unwrap();
    assert_ne!(by_password.secret, first.secret);
    let current = second_factor::code_at(&first.secret, now() + 30).unwrap();
    let by_code = second_factor::replace(db, &noor, &current).await.unwrap();
    assert_ne!(by_code.secret, by_password.secret);
    // The old factor stays until the new one is confirmed.
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
            .bind(noor.id)
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(stored.unwrap(), first.secret.replace(' ', ""));
    let code = second_factor::code_at(&by_code.secret, now()).unwrap();
    second_factor::confirm(db, noor.id, noor.panel.id, &code)
        .await
        .unwrap();
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
            .bind(noor.id)
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(stored.unwrap(), by_code.secret.replace(' ', ""));
}

on_both_backends!(enrolment_sqlite, enrolment_postgres, enrolment_story);

/// Item 9: parallel wrong passwords for one account get at most the limit's worth of
/// "wrong" answers; the rest are told to wait. The same holds for second-factor codes.
async fn parallel_limit_story(t: &TestDb) {
    let db = &t.db;
    let noor = coordinator(t, "noor@example.nl").await;
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                setup::login(&db, "noor@example.nl", "fout wachtwoord", CLIENT).await
            })
        })
        .collect();
    let (mut wrong, mut limited) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Err(AppError::WrongCredentials) => wrong += 1,
            Err(AppError::RateLimited { .. }) => limited += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    eprintln!("30 parallel wrong passwords: {wrong} wrong, {limited} limited");
    assert_eq!(
        wrong, 5,
        "exactly the first 5 are answered, on both databases"
    );
    assert_eq!(wrong + limited, 30);

    let secret = enrol(t, &noor).await;
    let bad = if second_factor::code_at(&secret, now()).unwrap() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let db = db.clone();
            let id = noor.id;
            tokio::spawn(async move { second_factor::verify(&db, id, bad).await })
        })
        .collect();
    let mut wrong = 0;
    for task in tasks {
        match task.await.unwrap() {
            Err(AppError::Invalid(_)) => wrong += 1,
            Err(AppError::RateLimited { .. }) => {}
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(wrong <= 5, "{wrong} code guesses got past a limit of 5");

    // Whatever is typed as the e-mail address, no more than 254 characters are stored.
    let long = format!("{}@example.nl", "x".repeat(10_000));
    assert_eq!(
        setup::login(db, &long, "fout", "198.51.100.4").await,
        Err(AppError::WrongCredentials)
    );
    let (longest,): (i64,) = sqlx::query_as("SELECT MAX(LENGTH(bucket)) FROM attempts")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert!(longest <= 254 + "login-ip:".len() as i64, "{longest}");
}

on_both_backends!(
    parallel_limit_sqlite,
    parallel_limit_postgres,
    parallel_limit_story
);

/// Item 9 from outside: parallel wrong passwords over HTTP get at most 5 answers of 401;
/// the rest are 429.
async fn parallel_http_story(t: &TestDb) {
    let app = spawn(t).await;
    coordinator(t, "noor@example.nl").await;
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let base = app.base.clone();
            tokio::spawn(async move {
                client()
                    .post(format!("{base}/api/login"))
                    .header(ACCEPT, "application/json")
                    .form(&[
                        ("email", "noor@example.nl"),
                        ("password", "fout wachtwoord"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let (mut wrong, mut limited) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    eprintln!("30 parallel wrong passwords over HTTP: {wrong} 401, {limited} 429");
    assert!(wrong <= 5, "{wrong} answers of 401 got past a limit of 5");
    assert_eq!(wrong + limited, 30);
}

on_both_backends!(
    parallel_http_sqlite,
    parallel_http_postgres,
    parallel_http_story
);
