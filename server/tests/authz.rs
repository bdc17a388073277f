//! The authorisation table: every server function, called over HTTP by an anonymous
//! visitor, a member, a policy maker, a coordinator of another panel and a coordinator of
//! the panel, with the outcome each must get. The test fails when a server function is
//! missing from the table, so a new one cannot slip in unchecked.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::accounts::setup::{self, CoordinatorSpec};
use app::backend::accounts::{self, invitations::InviteForm};
use app::backend::{accounts::demo, platform::store};
use common::TestDb;
use reqwest::header::ACCEPT;
use std::collections::BTreeSet;

/// What a caller must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Past the checks: a success or redirect, or an answer about the input or the link
    /// (422, 410, 429): the function ran for this caller. Not 400: that would mean the
    /// request never reached it.
    Allowed,
    /// 401: not logged in.
    Login,
    /// 403: logged in, wrong role.
    Forbidden,
    /// 404: another panel's record (it does not exist for them).
    NotFound,
    /// A fixed status for everyone (public functions given a bad token, say).
    Status(u16),
}

use Expect::{Allowed as A, Forbidden as F, Login as L, NotFound as N};

/// One row: endpoint, form fields, and what each caller (in `CALLERS` order) must get.
type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, [Expect; 5]);

const CALLERS: [&str; 5] = [
    "anonymous",
    "member",
    "policy maker",
    "coordinator of another panel",
    "coordinator",
];

fn check(expect: Expect, status: u16) -> bool {
    match expect {
        Expect::Allowed => (200..400).contains(&status) || [410, 422, 429].contains(&status),
        Expect::Login => status == 401,
        Expect::Forbidden => status == 403,
        Expect::NotFound => status == 404,
        Expect::Status(s) => status == s,
    }
}

/// The app on port 0 over a seeded database, one client per caller (in `CALLERS` order),
/// and the table of every server function with the fields of a well-formed call.
struct Fixture {
    base: String,
    clients: [reqwest::Client; 5],
    table: Vec<OwnedRow>,
    _app: common::TestApp,
}

type OwnedRow = (String, Vec<(String, String)>, [Expect; 5]);

async fn fixture(t: &TestDb) -> Fixture {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let other_id = setup::create_coordinator(
        db,
        &CoordinatorSpec {
            slug: "ander-panel".into(),
            panel_name: Some("Ander panel".into()),
            region: Some("Elders".into()),
            municipalities: vec!["Breda".into()],
            display_name: "Kim".into(),
            email: "kim@example.nl".into(),
            password: "een lange zin als wachtwoord".into(),
        },
    )
    .await
    .unwrap();
    assert!(other_id > 0);
    let (coordinator_id,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'coordinator@demo.klankbord.test'")
            .fetch_one(db.read())
            .await
            .unwrap();
    let (member_id,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'jay@demo.klankbord.test'")
            .fetch_one(db.read())
            .await
            .unwrap();
    let coordinator = store::current_user(db.read(), coordinator_id)
        .await
        .unwrap()
        .unwrap();
    let mut invitation_ids = Vec::new();
    for email in ["open1@example.nl", "open2@example.nl"] {
        invitation_ids.push(
            accounts::invitations::invite(
                db,
                "http://test",
                &coordinator,
                &InviteForm {
                    email: email.into(),
                    role: "member".into(),
                    municipality: String::new(),
                    language: "nl".into(),
                },
            )
            .await
            .unwrap()
            .to_string(),
        );
    }
    let random = app::backend::platform::auth::random_token();
    // Two submitted questions of the demo panel's policy maker.
    let (pm_id,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'beleid@demo.klankbord.test'")
            .fetch_one(db.read())
            .await
            .unwrap();
    let pm = store::current_user(db.read(), pm_id)
        .await
        .unwrap()
        .unwrap();
    let form_data = app::backend::views::question_page::form_data(db, &pm, None)
        .await
        .unwrap();
    let mut question_ids = Vec::new();
    for title in ["Eerste vraag", "Tweede vraag"] {
        let form = app::backend::questions::write::QuestionForm {
            title: title.into(),
            question: "Wat vinden jullie?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: form_data.themes[0].id.to_string(),
            municipalities: vec![form_data.municipalities[0].id.to_string()],
            ..Default::default()
        };
        let id = app::backend::questions::write::save(db, "http://k", &pm, None, &form)
            .await
            .unwrap();
        app::backend::questions::write::act(
            db,
            "http://k",
            &pm,
            id,
            app::lifecycle::Action::Submit,
            "",
        )
        .await
        .unwrap();
        question_ids.push(id.to_string());
    }
    let (q1, q2) = (question_ids[0].as_str(), question_ids[1].as_str());
    let theme = form_data.themes[0].id.to_string();
    // A third, open for input, with input from Jay (which Sam may endorse).
    let q3_id = {
        use app::backend::{participation, questions};
        use app::lifecycle::Action;
        let form = questions::write::QuestionForm {
            title: "Derde vraag".into(),
            question: "Wat vinden jullie?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: form_data.themes[0].id.to_string(),
            municipalities: vec![form_data.municipalities[0].id.to_string()],
            ..Default::default()
        };
        let id = questions::write::save(db, "http://k", &pm, None, &form)
            .await
            .unwrap();
        questions::write::act(db, "http://k", &pm, id, Action::Submit, "")
            .await
            .unwrap();
        questions::write::act(db, "http://k", &coordinator, id, Action::Accept, "")
            .await
            .unwrap();
        participation::inputs::transition(db, "http://k", &coordinator, id, Action::OpenInput, "")
            .await
            .unwrap();
        id
    };
    let jay = store::current_user(db.read(), member_id)
        .await
        .unwrap()
        .unwrap();
    let input_id = app::backend::participation::inputs::give_input(
        db,
        &jay,
        q3_id,
        "Mijn mening.",
        false,
        false,
    )
    .await
    .unwrap()
    .to_string();
    let q3 = q3_id.to_string();
    let (sam_id,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'sam@demo.klankbord.test'")
            .fetch_one(db.read())
            .await
            .unwrap();
    let sam = store::current_user(db.read(), sam_id)
        .await
        .unwrap()
        .unwrap();
    let sam_input =
        app::backend::participation::inputs::give_input(db, &sam, q3_id, "Van Sam.", false, false)
            .await
            .unwrap()
            .to_string();

    // A meeting of the demo panel with one agenda item (no guest: the policy maker is not
    // invited, so the meeting does not exist for them).
    let when = app::backend::meetings::series::When {
        date: "2199-01-06".into(),
        starts: "19:00".into(),
        ends: "21:00".into(),
        location: "Stadskantoor".into(),
        online_url: String::new(),
    };
    let meeting_id = app::backend::meetings::series::add_meeting(db, &coordinator, &when)
        .await
        .unwrap();
    let item_id = app::backend::meetings::agenda::add_item(
        db,
        "http://k",
        &coordinator,
        meeting_id,
        &app::backend::meetings::agenda::ItemForm {
            title: "Rondvraag".into(),
            duration_minutes: "15".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .to_string();
    let meeting = meeting_id.to_string();
    // A travel claim by Jay for the demo's past evening, for the coordinator to decide.
    let (past_meeting,): (i64,) = sqlx::query_as(
        "SELECT id FROM meetings WHERE panel_id = $1 AND ends_at < $2 ORDER BY id LIMIT 1",
    )
    .bind(coordinator.panel.id)
    .bind(app::backend::platform::db::now())
    .fetch_one(db.read())
    .await
    .unwrap();
    app::backend::meetings::compensation::claim(db, &jay, past_meeting, "4,60", "Bus")
        .await
        .unwrap();
    let (claim_id,): (i64,) = sqlx::query_as("SELECT id FROM travel_claims")
        .fetch_one(db.read())
        .await
        .unwrap();
    let claim = claim_id.to_string();

    let app = common::TestApp::start(t, &["--client-ip-header", "X-Forwarded-For"]).await;
    let base = app.base.clone();

    let pw = demo::DEMO_PASSWORD;
    let clients = [
        common::client_for(&base, 1, None).await,
        common::client_for(&base, 2, Some(("sam@demo.klankbord.test", pw))).await,
        common::client_for(&base, 3, Some(("beleid@demo.klankbord.test", pw))).await,
        common::client_for(
            &base,
            4,
            Some(("kim@example.nl", "een lange zin als wachtwoord")),
        )
        .await,
        common::client_for(&base, 5, Some(("coordinator@demo.klankbord.test", pw))).await,
    ];

    let member = member_id.to_string();
    let (inv1, inv2) = (invitation_ids[0].as_str(), invitation_ids[1].as_str());
    let all = |e: Expect| [e; 5];
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        ("landing", vec![], all(A)),
        ("public_panel", vec![("slug", "demo")], all(A)),
        ("me", vec![], all(A)),
        ("home", vec![], [L, A, A, A, A]),
        ("login", vec![("email", "niemand@example.nl"), ("password", "fout wachtwoord")], all(Expect::Status(401))),
        ("setup_link_valid", vec![("token", &random)], all(A)),
        ("complete_setup", vec![("token", &random), ("panel_name", "x"), ("region", "x"), ("slug", "x"), ("municipalities", ""), ("display_name", "x"), ("email", "x@example.nl"), ("password", "x"), ("password_repeat", "x")], all(Expect::Status(410))),
        // Coordinators only; another panel's records do not exist for them.
        ("people", vec![("query", ""), ("role", ""), ("status", "")], [L, F, F, A, A]),
        ("invite", vec![("email", "nieuw@example.nl"), ("role", "member"), ("municipality", ""), ("language", "nl")], [L, F, F, A, A]),
        ("resend_invitation", vec![("id", inv1)], [L, F, F, N, A]),
        ("revoke_invitation", vec![("id", inv2)], [L, F, F, N, A]),
        ("change_role", vec![("user_id", &member), ("role", "member"), ("municipality", "")], [L, F, F, N, A]),
        ("set_active", vec![("user_id", &member), ("active", "true")], [L, F, F, N, A]),
        ("audit_log", vec![], [L, F, F, A, A]),
        ("save_agreements", vec![("agreements", "Samen afspreken.")], [L, F, F, A, A]),
        // Anyone logged in, for their own account and panel.
        ("agreements", vec![], [L, A, A, A, A]),
        ("accept_agreements", vec![], [L, A, A, A, A]),
        ("profile", vec![], [L, A, A, A, A]),
        ("save_profile", vec![("display_name", "Iemand"), ("language", "nl"), ("notify", "weekly"), ("contact_info", "")], [L, A, A, A, A]),
        ("change_password", vec![("current_password", "fout"), ("password", "een nieuwe lange zin"), ("password_repeat", "een nieuwe lange zin")], [L, A, A, A, A]),
        ("request_email_change", vec![("new_email", "nieuw-adres@example.nl"), ("email_password", "fout")], [L, A, A, A, A]),
        // Links from e-mail: anyone with the link; a forged one is gone (410).
        ("invitation", vec![("token", &random)], all(Expect::Status(410))),
        ("accept_invitation", vec![("token", &random), ("display_name", "x"), ("password", "een lange zin"), ("password_repeat", "een lange zin"), ("birth_year", "2005")], all(Expect::Status(410))),
        ("request_reset", vec![("email", "niemand@example.nl")], all(A)),
        ("reset_link", vec![("token", &random)], all(Expect::Status(410))),
        ("reset_password", vec![("token", &random), ("password", "een lange zin"), ("password_repeat", "een lange zin")], all(Expect::Status(410))),
        ("confirm_email", vec![("token", &random)], all(Expect::Status(410))),
        // Second factor: the login code needs a session that waits for it.
        ("login_code", vec![("code", "000000")], all(L)),
        ("start_second_factor", vec![], [L, A, A, A, A]),
        ("confirm_second_factor", vec![("code", "000000")], [L, A, A, A, A]),
        ("replace_second_factor", vec![("second_factor_current", "fout")], [L, A, A, A, A]),
        ("disable_second_factor", vec![("second_factor_password", "fout")], [L, A, A, A, A]),
        ("require_second_factor", vec![("require_second_factor", "1")], [L, F, F, A, A]),
        ("reset_second_factor", vec![("user_id", &member)], [L, F, F, N, A]),
        // Questions: what each may see and do depends on role, ownership and state.
        ("questions", vec![("state", ""), ("at", "o1700000000.1")], [L, A, A, A, A]),
        ("question", vec![("id", q1)], [L, N, A, N, A]),
        // Policy makers write questions; members and coordinators raise subjects.
        ("question_form", vec![("id", "")], [L, A, A, A, A]),
        ("save_question", vec![("id", ""), ("title", ""), ("question", ""), ("open_to_influence", ""), ("needed_by", ""), ("participation", "")], [L, A, A, A, A]),
        ("move_question", vec![("id", q1), ("step", "Submit")], [L, F, A, N, F]),
        ("move_question", vec![("id", q1), ("step", "Accept")], [L, F, F, N, A]),
        ("move_question", vec![("id", q2), ("step", "Return"), ("reason", "Graag concreter.")], [L, F, F, N, A]),
        // Input and advice.
        ("move_question", vec![("id", q1), ("step", "OpenInput")], [L, F, F, N, A]),
        ("give_input", vec![("id", q1), ("body", "Ik denk mee.")], [L, A, F, N, F]),
        ("endorse_input", vec![("input_id", &input_id)], [L, A, F, N, F]),
        ("update_input", vec![("input_id", &sam_input), ("edit_body", "Anders gezegd.")], [L, A, F, N, F]),
        // The member (second caller) withdraws it; after that it is gone for everyone.
        ("withdraw_input", vec![("input_id", &sam_input)], [L, A, N, N, N]),
        ("hide_input", vec![("input_id", &input_id), ("hide_reason", "Te persoonlijk.")], [L, F, F, N, A]),
        ("record_group_input", vec![("id", &q3), ("group_body", "Uit de bijeenkomst.")], [L, F, F, N, A]),
        ("move_question", vec![("id", &q3), ("step", "DraftAdvice")], [L, F, F, N, A]),
        ("save_advice", vec![("id", &q3), ("summary", "Samengevat."), ("recommendations[]", "Doe dit."), ("supported_by[]", "1")], [L, F, F, N, A]),
        ("review_recommendation", vec![("id", &q3), ("position", "1"), ("agrees", "yes"), ("comment", "Goed zo.")], [L, A, F, N, F]),
        ("move_question", vec![("id", &q3), ("step", "SendAdvice")], [L, F, F, N, A]),
        ("move_question", vec![("id", &q3), ("step", "ReopenInput")], [L, F, F, N, A]),
        // q1 is open for input by now.
        ("set_input_closing", vec![("id", q1), ("closes_on", "")], [L, F, F, N, A]),
        ("move_question", vec![("id", q1), ("step", "Acknowledge")], [L, F, A, N, F]),
        ("assign_question", vec![("id", q1), ("policy_maker", "")], [L, F, F, N, A]),
        ("feedback_weeks", vec![("feedback_weeks", "6")], [L, F, F, A, A]),
        // The feedback loop on q3, whose advice is sent by now: the owner answers, the
        // coordinator publishes the infographic, members rate it, the coordinator closes.
        ("feedback_form", vec![("id", &q3)], [L, A, A, N, A]),
        ("save_feedback", vec![("id", &q3), ("message", "Dank jullie."), ("status[]", "adopted"), ("explanation[]", "Dat doen we."), ("submit", "1")], [L, F, A, N, F]),
        // The owner, or a coordinator on their behalf, follows the adopted recommendation.
        ("update_progress", vec![("id", &q3), ("position", "1"), ("progress", "in_progress"), ("expected_on", "2199-01-01"), ("note", "Gestart.")], [L, F, A, N, A]),
        ("escalation_email", vec![("id", &q3), ("escalation_email", "chef@example.nl")], [L, F, F, N, A]),
        ("escalation_days", vec![("escalation_days", "14")], [L, F, F, A, A]),
        // The impact overview: coordinators and policy makers, each of their own panel.
        ("impact", vec![("period", "2026"), ("figure", "answered")], [L, F, A, A, A]),
        ("infographic_editor", vec![("id", &q3)], [L, F, F, N, A]),
        ("save_infographic", vec![("id", &q3), ("question_line", "Wat vinden jullie?"), ("said", "Samengevat."), ("meaning", "Het wordt beter."), ("quote", ""), ("theme", "ocean"), ("publish", "1")], [L, F, F, N, A]),
        // Public: the published infographic at its own panel's address only.
        ("public_infographic", vec![("slug", "demo"), ("id", &q3)], all(A)),
        ("public_infographic", vec![("slug", "ander-panel"), ("id", &q3)], all(N)),
        ("panel_feedback", vec![("slug", "demo")], all(A)),
        ("panel_feedback", vec![("slug", "bestaat-niet")], all(N)),
        ("panel_feedback", vec![("slug", "demo"), ("theme", "999999"), ("year", "2026"), ("q", "wacht")], all(Expect::Status(422))),
        ("rate_feedback", vec![("id", &q3), ("score", "4"), ("comment", "")], [L, A, F, F, F]),
        ("close_question", vec![("id", &q3)], [L, F, F, N, A]),
        // Themes: everyone proposes, members support, coordinators decide.
        ("themes", vec![], [L, A, A, A, A]),
        ("propose_theme", vec![("name", "")], [L, A, A, A, A]),
        ("endorse_theme", vec![("theme_id", &theme)], [L, A, F, F, F]),
        ("decide_theme", vec![("theme_id", &theme), ("decision", "archive")], [L, F, F, N, A]),
        ("notifications", vec![], [L, A, A, A, A]),
        ("unread", vec![], all(A)),
        // Meetings: the panel sees them, policy makers only as guests, coordinators plan.
        ("meetings", vec![], [L, A, A, A, A]),
        ("meeting", vec![("id", &meeting)], [L, A, N, N, A]),
        ("meeting_guests", vec![], [L, F, F, A, A]),
        ("create_series", vec![("date", "2199-01-05"), ("starts", "19:00"), ("ends", "21:00"), ("location", "Zaal"), ("every_weeks", "3"), ("until", "2199-03-01")], [L, F, F, A, A]),
        ("add_meeting", vec![("date", "2199-02-05"), ("starts", "19:00"), ("ends", "21:00"), ("location", "Zaal")], [L, F, F, A, A]),
        ("move_meeting", vec![("id", &meeting), ("date", "2199-01-07"), ("starts", "19:00"), ("ends", "21:00"), ("location", "Zaal")], [L, F, F, N, A]),
        ("add_agenda_item", vec![("meeting_id", &meeting), ("title", "Kennismaken"), ("duration_minutes", "10")], [L, F, F, N, A]),
        ("remove_agenda_item", vec![("meeting_id", &meeting), ("item_id", &item_id)], [L, F, F, N, A]),
        ("answer_meeting", vec![("id", &meeting), ("answer", "yes")], [L, A, N, N, A]),
        ("record_attendance", vec![("id", &meeting)], [L, F, F, N, A]),
        ("save_minutes", vec![("meeting_id", &meeting), ("comment_days", "7")], [L, F, F, N, A]),
        ("comment_minutes", vec![("meeting_id", &meeting), ("comment", "Klopt.")], [L, A, F, N, A]),
        ("publish_minutes", vec![("meeting_id", &meeting)], [L, F, F, N, A]),
        ("claim_travel", vec![("meeting_id", &meeting), ("amount", "5"), ("description", "Bus")], [L, A, F, F, F]),
        ("decide_claim", vec![("claim_id", &claim), ("decision", "approve")], [L, F, F, N, A]),
        ("hourly_rate", vec![("hourly_rate", "10,00")], [L, F, F, A, A]),
        ("cancel_meeting", vec![("id", &meeting), ("reason", "De zaal is niet vrij.")], [L, F, F, N, A]),
        ("calendar_feed", vec![], [L, A, A, A, A]),
        ("new_calendar_feed", vec![], [L, A, A, A, A]),
        ("revoke_calendar_feed", vec![], [L, A, A, A, A]),
        // Last: these end the caller's session.
        ("log_out_everywhere", vec![], [L, A, A, A, A]),
        ("logout", vec![], all(A)),
    ];

    let table = table
        .into_iter()
        .map(|(endpoint, form, expected)| {
            let form = form
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (endpoint.to_string(), form, expected)
        })
        .collect();
    Fixture {
        base,
        clients,
        table,
        _app: app,
    }
}

async fn table_story(t: &TestDb) {
    let Fixture {
        base,
        clients,
        table,
        _app,
    } = fixture(t).await;

    // Every registered server function is in the table, and nothing else.
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = table.iter().map(|(e, ..)| e.to_string()).collect();
    assert_eq!(
        registered, listed,
        "the authorisation table must list exactly the registered server functions"
    );

    let mut failures = Vec::new();
    for (endpoint, form, expected) in &table {
        for (i, client) in clients.iter().enumerate() {
            let response = client
                .post(format!("{base}/api/{endpoint}"))
                .header(ACCEPT, "application/json")
                .form(form)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            if !check(expected[i], status) {
                let body = response.text().await.unwrap_or_default();
                failures.push(format!(
                    "{endpoint} as {}: expected {:?}, got {status} {body}",
                    CALLERS[i], expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation table:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(
    authorisation_table_sqlite,
    authorisation_table_postgres,
    table_story
);

/// A small seeded generator, so a failing payload can be found again from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A value of the wrong kind, size or alphabet for a field.
fn odd_value(rng: &mut Rng) -> String {
    let values = [
        String::new(),
        " ".into(),
        "abc".into(),
        "-1".into(),
        "0".into(),
        "-9223372036854775809".into(),
        "9223372036854775807".into(),
        "99999999999999999999999".into(),
        "1.5e308".into(),
        "NaN".into(),
        "true".into(),
        "null".into(),
        "[1,2]".into(),
        "2199-13-45".into(),
        "25:61".into(),
        "😀 één ß \u{202e}omgekeerd \u{200b}".into(),
        "\u{0000}".into(),
        "a\u{0001}\u{001b}[31m".into(),
        "<script>alert(1)</script>".into(),
        "'; DROP TABLE users; --".into(),
        "%00%ff".into(),
        "x".repeat(9_000),
        "é".repeat(15_000),
        "y".repeat(30_000),
    ];
    values[rng.below(values.len())].clone()
}

/// One malformed body for a form with these fields: a field missing, of the wrong kind,
/// huge, repeated, renamed to a list, an unknown one, or not a form at all.
fn malformed(rng: &mut Rng, form: &[(String, String)]) -> (String, String) {
    let encode = |pairs: &[(String, String)]| {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            out.append_pair(k, v);
        }
        out.finish()
    };
    let form_type = "application/x-www-form-urlencoded".to_string();
    let mut pairs = form.to_vec();
    match rng.below(9) {
        0 if !pairs.is_empty() => {
            pairs.remove(rng.below(pairs.len()));
        }
        1 => pairs.clear(),
        2 | 3 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            pairs[i].1 = odd_value(rng);
        }
        4 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            let extra = (pairs[i].0.clone(), odd_value(rng));
            pairs.push(extra);
        }
        5 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            pairs[i].0 = format!("{}[]", pairs[i].0.trim_end_matches("[]"));
            pairs[i].1 = odd_value(rng);
        }
        6 => pairs.push(("onbekend_veld".into(), odd_value(rng))),
        7 => {
            let bodies = [
                "{\"email\": 1}".to_string(),
                "%zz=%%%&&&==".into(),
                "\u{0}\u{1}\u{2}".into(),
                "a=".repeat(100_000),
            ];
            let body = bodies[rng.below(bodies.len())].clone();
            let kind = if rng.below(2) == 0 {
                "application/json".to_string()
            } else {
                form_type
            };
            return (kind, body);
        }
        _ => {
            for pair in pairs.iter_mut() {
                pair.1 = odd_value(rng);
            }
        }
    }
    (form_type, encode(&pairs))
}

/// Panics anywhere in this test process (the app runs in it), counted by a hook.
static PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Every registered server function, called by each of the five callers with malformed
/// bodies: never a 5xx, never a panic, never a decoder's message naming internal fields;
/// afterwards the server still answers and the database is intact.
async fn malformed_story(t: &TestDb) {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        default_hook(info);
    }));
    let Fixture {
        base,
        clients,
        table,
        _app,
    } = fixture(t).await;
    let seed: u64 = std::env::var("KLANKBORD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b6c_616e_6b62_6f72);
    eprintln!("malformed requests with seed {seed} (set KLANKBORD_FUZZ_SEED to repeat another)");
    let mut rng = Rng(seed);
    let rounds: usize = std::env::var("KLANKBORD_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut sent = 0usize;
    for (endpoint, form, _) in &table {
        for (i, client) in clients.iter().enumerate() {
            for _ in 0..rounds {
                let (content_type, body) = malformed(&mut rng, form);
                let html = rng.below(4) == 0;
                let mut request = client
                    .post(format!("{base}/api/{endpoint}"))
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(body.clone());
                request = if html {
                    // A plain HTML form post, as a browser without JavaScript sends it.
                    request
                        .header(ACCEPT, "text/html")
                        .header(reqwest::header::REFERER, format!("{base}/home"))
                } else {
                    request.header(ACCEPT, "application/json")
                };
                let response = request.send().await.unwrap();
                sent += 1;
                let status = response.status().as_u16();
                *statuses.entry(status).or_default() += 1;
                let text = response.text().await.unwrap_or_default();
                let leaks = [
                    "missing field",
                    "deserializ",
                    "invalid type",
                    "invalid digit",
                ]
                .iter()
                .any(|w| text.to_lowercase().contains(w));
                if status >= 500 || leaks {
                    let shown: String = body.chars().take(120).collect();
                    failures.push(format!(
                        "{endpoint} as {} ({content_type}, html={html}): {status} {text} — body {shown:?}",
                        CALLERS[i]
                    ));
                }
            }
        }
    }
    eprintln!("{sent} malformed requests sent; answers by status: {statuses:?}");
    assert!(
        failures.is_empty(),
        "{} of {sent} malformed requests were answered 5xx or named internal fields:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        PANICS.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the server panicked"
    );
    // The server still answers, and the database is intact.
    let health = clients[0]
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    match t.db.backend() {
        app::backend::platform::db::Backend::Sqlite => {
            let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                .fetch_one(t.db.read())
                .await
                .unwrap();
            assert_eq!(check, "ok");
            let broken: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(t.db.read())
                    .await
                    .unwrap();
            assert!(broken.is_empty(), "foreign keys broken in {broken:?}");
        }
        _ => {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(t.db.read())
                .await
                .unwrap();
            assert!(n > 0);
        }
    }
}

on_both_backends!(
    malformed_requests_sqlite,
    malformed_requests_postgres,
    malformed_story
);
