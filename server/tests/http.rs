//! The real app on port 0 with its own database, spoken to over HTTP, on both backends.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::accounts::setup;
use app::domain::HART_VAN_BRABANT;
use common::{TestApp, TestDb};
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, REFERER, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

async fn spawn(t: &TestDb) -> TestApp {
    TestApp::start(t, &[]).await
}

/// A page's HTML as a browser asks for it, without the markers between text pieces.
async fn page(c: &reqwest::Client, url: String) -> String {
    let response = c.get(url).header(ACCEPT, "text/html").send().await.unwrap();
    response.text().await.unwrap().replace("<!>", "")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap()
}

/// Calls a server function the way the browser's JavaScript does.
async fn call(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    c.post(format!("{base}/api/{endpoint}"))
        .header(ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn web_story(t: &TestDb) {
    let app = spawn(t).await;
    let base = app.base.as_str();
    let c = client();

    // Health.
    let health = c.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let headers = health.headers();
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
    assert!(headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");

    // Before setup the landing page says so, in Dutch, without JavaScript.
    let landing = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    let csp = landing
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = landing.text().await.unwrap().replace("<!>", "");
    assert!(html.contains("lang=\"nl\""), "html lang is Dutch");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the page's nonce"
    );
    assert!(html.contains("Klankbord is nog niet ingericht"), "{html}");
    // Even for a browser that prefers English, Dutch is the default.
    let english = c
        .get(format!("{base}/"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(english
        .text()
        .await
        .unwrap()
        .replace("<!>", "")
        .contains("Zo werkt het"));

    // Setup through the server function.
    let token = setup::issue_setup_token(&t.db).await.unwrap().unwrap();
    let setup_page = page(&c, format!("{base}/setup/{token}")).await;
    assert!(setup_page.contains("name=\"panel_name\""));
    let bad_page = page(&c, format!("{base}/setup/verzonnen")).await;
    assert!(bad_page.contains("Deze link werkt niet"));

    let municipalities = HART_VAN_BRABANT.join("\n");
    let mut fields = vec![
        ("token", token.as_str()),
        ("panel_name", "Jongerenpanel Hart van Brabant"),
        ("region", "Hart van Brabant"),
        ("slug", "hart-van-brabant"),
        ("municipalities", municipalities.as_str()),
        ("display_name", "Noor"),
        ("email", "noor@example.nl"),
        ("password", "kort"),
        ("password_repeat", "kort"),
    ];
    let refused = call(&c, base, "complete_setup", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["field"], "password");
    fields[7] = ("password", "een lange zin als wachtwoord");
    fields[8] = ("password_repeat", "een lange zin als wachtwoord");
    let done = call(&c, base, "complete_setup", &fields).await;
    assert_eq!(done.status(), StatusCode::OK);
    let cookie = done
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("klankbord_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http on localhost");
    let reused = call(&c, base, "complete_setup", &fields).await;
    assert_eq!(reused.status(), StatusCode::GONE);

    // Logged in after setup: the home page greets the coordinator.
    let home = page(&c, format!("{base}/home")).await;
    assert!(home.contains("Hoi Noor"), "{home}");
    assert!(home.contains("Coördinator"));
    let data: serde_json::Value = call(&c, base, "home", &[]).await.json().await.unwrap();
    assert_eq!(data["coordinators"], serde_json::json!(["Noor"]), "{data}");
    assert_eq!(
        (data["members"].clone(), data["policy_makers"].clone()),
        (0.into(), 0.into())
    );

    // The landing page and the panel page now show the panel, before any JavaScript.
    let html = page(&c, format!("{base}/")).await;
    assert!(html.contains("Jongerenpanel Hart van Brabant"));
    let panel = c
        .get(format!("{base}/p/hart-van-brabant"))
        .send()
        .await
        .unwrap();
    assert_eq!(panel.status(), StatusCode::OK);
    let panel = panel.text().await.unwrap().replace("<!>", "");
    assert!(panel.contains("Loon op Zand"));
    let missing = c
        .get(format!("{base}/p/bestaat-niet"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing
        .text()
        .await
        .unwrap()
        .replace("<!>", "")
        .contains("Dit panel bestaat niet"));
    let nowhere = c.get(format!("{base}/nergens")).send().await.unwrap();
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);

    // Logout ends the session on the server: the old cookie is worth nothing.
    let session = cookie.split(';').next().unwrap().to_string();
    let out = call(&c, base, "logout", &[]).await;
    assert_eq!(out.status(), StatusCode::OK);
    let anonymous = call(&c, base, "home", &[]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let replay = client()
        .post(format!("{base}/api/home"))
        .header(ACCEPT, "application/json")
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = replay.json().await.unwrap();
    assert_eq!(body, serde_json::json!("NotLoggedIn"));
    // Without a session, /home sends the visitor to the login page.
    let home = c
        .get(format!("{base}/home"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::FOUND);
    assert_eq!(home.headers().get(LOCATION).unwrap(), "/login");

    // Login with JavaScript: a wrong password is a 401 with a reason that reveals nothing.
    let wrong = call(
        &c,
        base,
        "login",
        &[("email", "noor@example.nl"), ("password", "fout")],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let unknown = call(
        &c,
        base,
        "login",
        &[("email", "x@example.nl"), ("password", "fout")],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());

    // Login without JavaScript: a plain form post, answered with redirects.
    // A form on another website cannot log anyone in or out.
    let forged = client()
        .post(format!("{base}/api/logout"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains("geweigerd"));
    let own = c
        .post(format!("{base}/api/me"))
        .header(ACCEPT, "application/json")
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);

    let plain = client();
    let form_post = |email: &'static str, password: &'static str| {
        plain
            .post(format!("{base}/api/login"))
            .header(ACCEPT, "text/html")
            .header(REFERER, format!("{base}/login"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("email={email}&password={password}"))
            .send()
    };
    let failed = form_post("noor%40example.nl", "fout").await.unwrap();
    assert!(failed.status().is_redirection());
    let back = failed
        .headers()
        .get(LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        back.starts_with(&format!("{base}/login?")) && back.contains("__err="),
        "{back}"
    );
    let login_page = page(&plain, back.clone()).await;
    assert!(
        login_page.contains("horen niet bij elkaar"),
        "the error shows without JavaScript"
    );
    let ok = form_post("noor%40example.nl", "een+lange+zin+als+wachtwoord")
        .await
        .unwrap();
    assert!(ok.status().is_redirection());
    assert_eq!(ok.headers().get(LOCATION).unwrap(), "/home");
    let home = page(&plain, format!("{base}/home")).await;
    assert!(home.contains("Hoi Noor"));
}

on_both_backends!(web_on_sqlite, web_on_postgres, web_story);

/// Requests the server cannot read or will not take get 400 or 413 with a message the
/// page translates and no internal field names, never 500; a plain HTML form post goes
/// back to its form, which shows the message (issue 12, items 8 and 15).
async fn refusals_story(t: &TestDb) {
    let app = spawn(t).await;
    let base = app.base.as_str();
    let c = client();

    // A field missing, a letter where a number belongs: 400, and the body names nothing
    // internal.
    for (endpoint, form) in [
        ("login", vec![("email", "a@example.nl")]),
        ("question", vec![("id", "abc")]),
        ("question", vec![("id", "99999999999999999999999")]),
        ("answer_meeting", vec![("id", "1")]),
    ] {
        let r = call(&c, base, endpoint, &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{endpoint} {form:?}");
        assert_eq!(r.text().await.unwrap(), "\"BadRequest\"");
    }
    // Not a form at all.
    let r = c
        .post(format!("{base}/api/login"))
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"email\": [1, 2]}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // A value given twice, a NUL character: never a server error.
    let r = call(
        &c,
        base,
        "login",
        &[
            ("email", "a@example.nl"),
            ("email", "b@example.nl"),
            ("password", "x"),
        ],
    )
    .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = call(
        &c,
        base,
        "login",
        &[("email", "a\0@example.nl"), ("password", "x")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // 5 MB to the login: 413 before any work, with the message's key.
    let huge = "x".repeat(5 * 1024 * 1024);
    let r = call(&c, base, "login", &[("email", &huge), ("password", "x")]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.text().await.unwrap(), "\"TooLarge\"");
    // One field over the field limit, inside the body limit.
    let long = "x".repeat(klankbord_server::security::FIELD_MAX_CHARS + 1);
    let r = call(&c, base, "login", &[("email", &long), ("password", "x")]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A body without a length (chunked) that grows past the limit.
    let status_line = chunked_post(base, "/api/login", 400 * 1024).await;
    assert!(status_line.starts_with("HTTP/1.1 413"), "{status_line}");
    // The larger limit holds only where a form needs it.
    let part = "x".repeat(15_000);
    let mut big = vec![("meeting_id", "1"), ("comment_days", "7")];
    big.extend(std::iter::repeat_n(("notes[]", part.as_str()), 20));
    let r = call(&c, base, "save_minutes", &big).await;
    assert_ne!(
        r.status(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "save_minutes takes up to 1 MB"
    );
    assert!(r.status().is_client_error());

    // Without JavaScript: back to the form, which says what went wrong in Dutch.
    let plain = client();
    for (body, message) in [
        (
            "email=a%40example.nl".to_string(),
            "Dit verzoek konden we niet lezen",
        ),
        (
            format!("email={huge}&password=x"),
            "Wat je stuurde is te groot",
        ),
    ] {
        let r = plain
            .post(format!("{base}/api/login"))
            .header(ACCEPT, "text/html")
            .header(REFERER, format!("{base}/login"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FOUND);
        let back = r
            .headers()
            .get(LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(back.starts_with(&format!("{base}/login?")), "{back}");
        let login_page = page(&plain, back).await;
        assert!(login_page.contains(message), "{message}");
    }

    // The server still answers.
    let health = c.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

/// Posts `size` bytes in chunks without a length, as a raw HTTP/1.1 client; returns the
/// status line of the answer.
async fn chunked_post(base: &str, path: &str, size: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = "a".repeat(16 * 1024);
    let mut sent = 0;
    while sent < size {
        // The server may answer and close before everything is sent.
        if stream
            .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
            .await
            .is_err()
        {
            break;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

on_both_backends!(refusals_on_sqlite, refusals_on_postgres, refusals_story);

/// Pages and downloads asked for with odd addresses and query strings, anonymously and as
/// each role: never a server error.
async fn odd_addresses_story(t: &TestDb) {
    use app::backend::accounts::demo;
    demo::seed(&t.db).await.unwrap();
    let app = spawn(t).await;
    let base = app.base.as_str();
    let odd = [
        "%00",
        "-1",
        "abc",
        "99999999999999999999",
        "%F0%9F%98%80",
        "1.5",
        "%27%3B--",
    ];
    let mut paths = vec![
        "/questions?q=%00".to_string(),
        "/questions?q=%25%25%25&state=%00&theme=abc&municipality=-1&page=-5".to_string(),
        "/questions?page=99999999999999999999&q=".to_string() + &"wacht%20".repeat(200),
        "/people?query=%00&role=x&status=y".to_string(),
    ];
    for v in odd {
        for pattern in [
            "/p/{}",
            "/p/demo/feedback/{}",
            "/setup/{}",
            "/invite/{}",
            "/reset/{}",
            "/email/{}",
            "/questions/{}",
            "/questions/{}/edit",
            "/questions/{}/feedback",
            "/questions/{}/infographic",
            "/meetings/{}",
            "/meetings/{}/ics",
            "/calendar/{}",
            "/calendar/{}.ics",
            "/infographics/{}.svg",
            "/infographics/{}.png",
            "/export/compensation.csv?from={}&to={}",
            "/questions?state={}&page={}",
        ] {
            paths.push(pattern.replace("{}", v));
        }
    }
    let mut failures = Vec::new();
    for who in [
        None,
        Some("sam@demo.klankbord.test"),
        Some("beleid@demo.klankbord.test"),
        Some("coordinator@demo.klankbord.test"),
    ] {
        let c = client();
        if let Some(email) = who {
            let r = call(
                &c,
                base,
                "login",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
            assert!(r.status().is_success() || r.status().is_redirection());
        }
        for path in &paths {
            let status = c
                .get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .status();
            if status.is_server_error() {
                failures.push(format!("{path} as {who:?}: {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_backends!(
    odd_addresses_on_sqlite,
    odd_addresses_on_postgres,
    odd_addresses_story
);

/// A theme a member proposed: the policy maker's serialised answer names no one; the
/// coordinator and the members see who proposed it (issue 12, item 2).
async fn theme_proposer_story(t: &TestDb) {
    use app::backend::{accounts::demo, platform::store, questions::themes};
    demo::seed(&t.db).await.unwrap();
    let (sam_id,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'sam@demo.klankbord.test'")
            .fetch_one(t.db.read())
            .await
            .unwrap();
    sqlx::query("UPDATE users SET display_name = 'Zefanja Quist' WHERE id = $1")
        .bind(sam_id)
        .execute(t.db.write())
        .await
        .unwrap();
    let sam = store::current_user(t.db.read(), sam_id)
        .await
        .unwrap()
        .unwrap();
    themes::propose(
        &t.db,
        "http://k",
        &sam,
        "Vrije tijd",
        "Wat doe je na school?",
    )
    .await
    .unwrap();
    let app = spawn(t).await;
    let base = app.base.as_str();
    let as_who = |email: &'static str| async move {
        let c = client();
        let r = call(
            &c,
            base,
            "login",
            &[("email", email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
        assert!(r.status().is_success() || r.status().is_redirection());
        let r = call(&c, base, "themes", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let body = r.text().await.unwrap();
        let page = c.get(format!("{base}/themes")).send().await.unwrap();
        (body, page.text().await.unwrap())
    };
    let (json, html) = as_who("beleid@demo.klankbord.test").await;
    assert!(json.contains("Vrije tijd"), "{json}");
    for text in [&json, &html] {
        assert!(
            !text.contains("Zefanja"),
            "a member's name reached a policy maker: {text}"
        );
        assert!(!text.contains("sam@demo"), "{text}");
    }
    let (json, _) = as_who("coordinator@demo.klankbord.test").await;
    assert!(
        json.contains("Zefanja Quist"),
        "the coordinator sees who proposed it"
    );
}

on_both_backends!(
    theme_proposer_on_sqlite,
    theme_proposer_on_postgres,
    theme_proposer_story
);

#[tokio::test]
async fn health_reports_an_unreachable_database() {
    let t = TestDb::sqlite().await;
    let app = spawn(&t).await;
    t.db.close().await;
    let health = client()
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}

/// Forms are sent without JavaScript: a refused form comes back with what was typed
/// (once, never a password), an accepted one with its confirmation.
async fn form_memory_story(t: &TestDb) {
    use app::backend::accounts::demo;
    demo::seed(&t.db).await.unwrap();
    let app = spawn(t).await;
    let base = app.base.as_str();
    let c = client();
    let post =
        |endpoint: &'static str, page: &'static str, form: Vec<(&'static str, &'static str)>| {
            let c = c.clone();
            async move {
                c.post(format!("{base}/api/{endpoint}"))
                    .header(ACCEPT, "text/html")
                    .header(REFERER, format!("{base}{page}"))
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            }
        };
    // A wrong password: the address is kept for the form, the password is not.
    let r = post(
        "login",
        "/login",
        vec![
            ("__form", "form-login"),
            ("email", "beleid@demo.klankbord.test"),
            ("password", "niet het wachtwoord"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let (fields,): (String,) = sqlx::query_as("SELECT fields FROM form_memories")
        .fetch_one(t.db.read())
        .await
        .unwrap();
    assert!(fields.contains("beleid@demo.klankbord.test"), "{fields}");
    assert!(!fields.contains("niet het wachtwoord"), "{fields}");
    let login_page = page(&c, format!("{base}/login")).await;
    assert!(login_page.contains("value=\"beleid@demo.klankbord.test\""));
    assert!(!login_page.contains("niet het wachtwoord"));

    let r = call(
        &c,
        base,
        "login",
        &[
            ("email", "beleid@demo.klankbord.test"),
            ("password", demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert!(r.status().is_success());
    // A half-written question without a title comes back whole, with the message.
    let background = "Mijn halve vraag over wachtlijsten in de jeugdzorg";
    let r = post(
        "save_question",
        "/questions/new",
        vec![
            ("__form", "form-save-question"),
            ("title", ""),
            ("question", "Hoe maken we de wachttijd korter?"),
            ("background", background),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r
        .headers()
        .get(LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.contains("/questions/new"), "{location}");
    assert!(
        location.ends_with("#form-save-question"),
        "back at the form: {location}"
    );
    assert!(r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("klankbord_form=")));
    let back = page(&c, location.clone()).await;
    assert!(back.contains(background), "the typed background is lost");
    assert!(back.contains("Hoe maken we de wachttijd korter?"));
    assert!(back.contains("Vul dit in"), "the message is missing");
    // Shown once: the next view is a fresh form.
    let again = page(&c, format!("{base}/questions/new")).await;
    assert!(!again.contains(background));
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM form_memories")
        .fetch_one(t.db.read())
        .await
        .unwrap();
    assert_eq!(left, 0, "memories are taken once");

    // An accepted form: its confirmation shows, and its fields are empty again.
    let r = post(
        "save_profile",
        "/profile",
        vec![
            ("display_name", "Bea Leid"),
            ("language", "nl"),
            ("notify", "weekly"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let profile = page(&c, format!("{base}/profile")).await;
    assert!(
        profile.contains("notice--success"),
        "no confirmation after saving"
    );
}

on_both_backends!(
    form_memory_on_sqlite,
    form_memory_on_postgres,
    form_memory_story
);

/// Two forms of one kind on a page (a member's two inputs, each with its own change
/// form): a refused change comes back in the form that was sent, standing open with what
/// was typed, and the other form keeps its own text.
async fn same_kind_forms_story(t: &TestDb) {
    use app::backend::{accounts::demo, participation};
    demo::seed(&t.db).await.unwrap();
    let db = &t.db;
    let marco = common::user(t, "beleid@demo.klankbord.test").await;
    let noor = common::user(t, "coordinator@demo.klankbord.test").await;
    let sam = common::user(t, "sam@demo.klankbord.test").await;
    let form = common::question_form(t, &marco, "Wat helpt bij wachten?").await;
    let id = common::open_question(t, &marco, &noor, &form).await;
    let first = "Eerste mening: bel terug binnen een week.";
    let second = "Tweede mening: een vaste contactpersoon.";
    participation::inputs::give_input(db, &sam, id, first, false, false)
        .await
        .unwrap();
    let second_id = participation::inputs::give_input(db, &sam, id, second, false, false)
        .await
        .unwrap();

    let app = spawn(t).await;
    let base = app.base.as_str();
    let c = client();
    let r = call(
        &c,
        base,
        "login",
        &[
            ("email", "sam@demo.klankbord.test"),
            ("password", demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert!(r.status().is_success());
    // Too long by one character: refused, with what was typed and the ticked box kept.
    let typed = format!("Toch anders: {}", "z".repeat(app::domain::lengths::INPUT));
    let form_id = format!("form-update-input-{second_id}");
    let second_id = second_id.to_string();
    let r = c
        .post(format!("{base}/api/update_input"))
        .header(ACCEPT, "text/html")
        .header(REFERER, format!("{base}/questions/{id}"))
        .form(&[
            ("__form", form_id.as_str()),
            ("input_id", second_id.as_str()),
            ("edit_body", typed.as_str()),
            ("show_name", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers().get(LOCATION).unwrap().to_str().unwrap();
    assert!(location.ends_with(&format!("#{form_id}")), "{location}");
    let html = page(&c, format!("{base}/questions/{id}")).await;
    let at = html.find(&format!("id=\"{form_id}\"")).expect("the form");
    let (before, after) = html.split_at(at);
    // The refused form: its text, its box, its message, and its <details> open.
    let own = &after[..after.find("</form>").unwrap()];
    assert!(own.contains(&typed), "the typed text is lost");
    assert!(
        own.contains("name=\"show_name\" value=\"1\" checked"),
        "{own}"
    );
    let opening = &before[before.rfind("<details").unwrap()..];
    let opening = &opening[..opening.find('>').unwrap()];
    assert!(opening.contains(" open"), "{opening}");
    // The other input's form: its own text, not ticked, closed.
    let other = &before[before.find("name=\"edit_body\"").unwrap()..];
    let other = &other[..other.find("</textarea>").unwrap()];
    assert!(other.contains(first), "{other}");
    assert!(!other.contains("Toch anders"));
    let open_details = html
        .split("<details")
        .skip(1)
        .filter(|tag| tag[..tag.find('>').unwrap()].contains(" open"))
        .count();
    assert_eq!(open_details, 1, "only the refused form stands open");
    // Nothing was saved.
    let (body,): (String,) = sqlx::query_as("SELECT body FROM inputs WHERE id = $1")
        .bind(second_id.parse::<i64>().unwrap())
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(body, second);
}

on_both_backends!(
    same_kind_forms_on_sqlite,
    same_kind_forms_on_postgres,
    same_kind_forms_story
);
