//! The privacy sweep: consent travels with the words. One rich scenario (a question with
//! input, endorsements, a theme, a subject the panel raised, a meeting with minutes,
//! advice with reactions, feedback and a published infographic), then every view a
//! policy maker, a second policy maker and an anonymous visitor can reach — server
//! functions, pages, files and every mail queued to a policy maker or to an outside
//! address — is searched for the members' names and e-mail addresses, and the public
//! views and outside mail also for the words of members who did not allow quoting. The one name a member chose to show must appear
//! next to that input (so the sweep can fail), and nowhere else.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::feedback::{self, infographic::InfographicForm, responses::ResponseForm};
use app::backend::meetings::minutes::{self, ItemMinutes};
use app::backend::meetings::{self, agenda::ItemForm, series::When};
use app::backend::participation::{self, advice::RecommendationForm};
use app::backend::questions::{self, write::QuestionForm};
use app::backend::views::question_page;
use app::backend::{accounts::demo, platform::notify, platform::store, questions::themes};
use app::domain::{clock, Role};
use app::lifecycle::Action;
use common::{user, TestDb};
use reqwest::header::ACCEPT;

const URL: &str = "https://klankbord.example";

/// The demo members get names and addresses no page would hold by chance:
/// (old e-mail, new e-mail, display name, the parts of the name searched for).
const MEMBERS: [(&str, &str, &str, [&str; 2]); 4] = [
    (
        "sam@demo.klankbord.test",
        "zefanja.quist@jongeren.test",
        "Zefanja Quist",
        ["Zefanja", "Quist"],
    ),
    (
        "jay@demo.klankbord.test",
        "ilse.vermeulen@jongeren.test",
        "Ilse Vermeulen-Oort",
        ["Ilse Verm", "Vermeulen"],
    ),
    (
        "lina@demo.klankbord.test",
        "bartholomeus.ydema@jongeren.test",
        "Bartholomeus Ydema",
        ["Bartholomeus", "Ydema"],
    ),
    (
        "daan@demo.klankbord.test",
        "fenneke.wouterse@jongeren.test",
        "Fenneke Wouterse",
        ["Fenneke", "Wouterse"],
    ),
];

/// The name Bartholomeus chose to show next to his input on the question.
const SHOWN_NAME: &str = "Bartholomeus Ydema";

/// Zefanja's input: without name, may be quoted.
const QUOTABLE_TEXT: &str = "Een vast aanspreekpunt terwijl ik wacht op hulp.";
/// Ilse's input: without name, not to be quoted.
const SECRET_TEXT: &str = "Bij mijn pleeggezin in Kwintelooijen mocht ik nooit bellen.";
/// Bartholomeus's input: with his name, not to be quoted.
const NAMED_TEXT: &str = "Eerlijk vertellen hoe lang het wachten nog duurt, elke maand.";
/// Ilse's comment on the draft minutes.
const COMMENT_TEXT: &str = "In het verslag mist mijn verhaal over de wachtkamer in Oisterwijk.";
/// Ilse's reaction to the draft advice.
const REACTION_TEXT: &str = "Deze aanbeveling is te zwak voor jongeren zonder netwerk.";
/// Zefanja's comment on the published feedback.
const RATING_TEXT: &str = "Fijn dat de gemeente luisterde naar ons over het wachten.";
/// Fenneke's input on the second question: without name, not to be quoted.
const SECOND_TEXT: &str = "In de wachtkamer van de GGZ voelde ik me een nummer.";
/// Ilse's input on the question whose answer is late: not to be quoted.
const LATE_TEXT: &str = "Ik durfde niemand te vertellen over mijn schulden bij de telefoonwinkel.";
/// The outside address the coordinator chose for a late answer.
const OUTSIDER: &str = "chef@gemeente.example";
/// Bartholomeus's input on Ilse's subject: without name, may be quoted.
const SUBJECT_INPUT: &str = "Ik wachtte vier maanden op mijn eerste gesprek.";
/// Ilse's subject for the panel.
const SUBJECT_TEXT: &str = "Jongeren wachten maanden op een eerste gesprek met het wijkteam.";

/// What a view must not show.
struct Forbidden {
    /// Names, their parts and e-mail addresses of every member (lower case).
    personal: Vec<String>,
    /// Words of members who did not allow quoting (for the public only).
    unquotable: Vec<&'static str>,
}

fn leaks(body: &str, words: &[String]) -> Vec<String> {
    let lower = body.to_lowercase();
    words
        .iter()
        .filter(|w| lower.contains(w.as_str()))
        .cloned()
        .collect()
}

/// One view's response.
struct Seen {
    who: &'static str,
    view: String,
    body: String,
}

struct Scenario {
    question: i64,
    subject: i64,
    meeting: i64,
}

/// The scenario, built through the services.
async fn scenario(t: &TestDb) -> Scenario {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    for (old, new, name, _) in MEMBERS {
        sqlx::query("UPDATE users SET email = $1, display_name = $2 WHERE email = $3")
            .bind(new)
            .bind(name)
            .bind(old)
            .execute(db.write())
            .await
            .unwrap();
    }
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let zefanja = user(t, MEMBERS[0].1).await;
    let ilse = user(t, MEMBERS[1].1).await;
    let bart = user(t, MEMBERS[2].1).await;
    let fenneke = user(t, MEMBERS[3].1).await;
    // A second policy maker of the panel, who owns nothing and chose a weekly digest.
    {
        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
            .bind(marco.id)
            .fetch_one(db.read())
            .await
            .unwrap();
        let mut conn = db.write().acquire().await.unwrap();
        let eva = store::insert_user(
            &mut conn,
            &store::NewUser {
                panel_id: marco.panel.id,
                email: "eva@gemeente.example",
                display_name: "Eva Beleid",
                role: Role::PolicyMaker,
                municipality_id: None,
                password_hash: &hash,
            },
            app::backend::platform::db::now(),
        )
        .await
        .unwrap();
        sqlx::query("UPDATE users SET notify = 'weekly' WHERE id = $1")
            .bind(eva)
            .execute(&mut *conn)
            .await
            .unwrap();
    }

    // The question, open for input; three inputs and endorsements.
    let data = question_page::form_data(db, &marco, None).await.unwrap();
    let form = QuestionForm {
        title: "Wat helpt jongeren die op hulp wachten?".into(),
        question: "Wat helpt jongeren die op hulp wachten?".into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "advise".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    };
    let question = common::open_question(t, &marco, &noor, &form.clone()).await;
    let quotable =
        participation::inputs::give_input(db, &zefanja, question, QUOTABLE_TEXT, false, true)
            .await
            .unwrap();
    let secret = participation::inputs::give_input(db, &ilse, question, SECRET_TEXT, false, false)
        .await
        .unwrap();
    let named = participation::inputs::give_input(db, &bart, question, NAMED_TEXT, true, false)
        .await
        .unwrap();
    participation::inputs::endorse(db, &fenneke, secret)
        .await
        .unwrap();
    participation::inputs::endorse(db, &fenneke, quotable)
        .await
        .unwrap();
    participation::inputs::endorse(db, &zefanja, named)
        .await
        .unwrap();
    participation::inputs::endorse(db, &bart, quotable)
        .await
        .unwrap();

    // A theme proposed by a member and supported by another.
    let theme = themes::propose(
        db,
        URL,
        &zefanja,
        "Eenzaamheid na de hulp",
        "Als de hulp stopt, sta je er alleen voor.",
    )
    .await
    .unwrap();
    themes::endorse(db, &ilse, theme).await.unwrap();

    // A subject the panel raises itself, assigned to the policy maker.
    let member_data = question_page::form_data(db, &ilse, None).await.unwrap();
    let subject = questions::write::save(
        db,
        URL,
        &ilse,
        None,
        &QuestionForm {
            title: "Te lang wachten op de wijkteams".into(),
            question: SUBJECT_TEXT.into(),
            theme: member_data.themes[0].id.to_string(),
            municipalities: vec![member_data.municipalities[0].id.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    questions::write::assign(db, URL, &noor, subject, &marco.id.to_string())
        .await
        .unwrap();
    // Walked to a published infographic: the subject's text stays inside (its title is
    // public, as the panel's: see docs/decisions.md).
    questions::write::act(db, URL, &marco, subject, Action::Acknowledge, "")
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &noor, subject, Action::OpenInput, "")
        .await
        .unwrap();
    let on_subject =
        participation::inputs::give_input(db, &bart, subject, SUBJECT_INPUT, false, true)
            .await
            .unwrap();
    participation::inputs::transition(db, URL, &noor, subject, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        URL,
        &noor,
        subject,
        "Het eerste gesprek moet sneller.",
        &[RecommendationForm {
            body: "Een eerste gesprek binnen twee weken.".into(),
            supported_by: "1".into(),
        }],
    )
    .await
    .unwrap();
    participation::advice::send_advice(db, URL, &noor, subject)
        .await
        .unwrap();
    feedback::responses::save(
        db,
        URL,
        &marco,
        subject,
        "Dank voor het onderwerp.",
        &[ResponseForm {
            status: "partly".into(),
            explanation: "We proberen het binnen vier weken.".into(),
            reason: "Meer mensen zijn er niet.".into(),
            changes: "Jongeren wachten korter.".into(),
            ..Default::default()
        }],
        true,
    )
    .await
    .unwrap();
    feedback::infographic::save_infographic(
        db,
        URL,
        &noor,
        subject,
        &InfographicForm {
            question_line: "Hoe kan het eerste gesprek sneller?".into(),
            said: "Het eerste gesprek moet sneller.".into(),
            meaning: "Jongeren wachten korter op een eerste gesprek.".into(),
            quote: on_subject.to_string(),
            theme: "ocean".into(),
        },
        true,
    )
    .await
    .unwrap();

    // A meeting with the question on the agenda and the policy maker as guest; answers,
    // attendance, minutes with group input, a member's comment, published.
    let meeting = meetings::series::add_meeting(
        db,
        &noor,
        &When {
            date: "2199-01-06".into(),
            starts: "19:00".into(),
            ends: "21:00".into(),
            location: "Stadskantoor".into(),
            online_url: String::new(),
        },
    )
    .await
    .unwrap();
    let item = meetings::agenda::add_item(
        db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: "Wachttijden".into(),
            duration_minutes: "30".into(),
            question_id: question.to_string(),
            guest_id: marco.id.to_string(),
        },
    )
    .await
    .unwrap();
    meetings::rsvp::answer(db, &zefanja, meeting, "yes")
        .await
        .unwrap();
    meetings::rsvp::answer(db, &ilse, meeting, "no")
        .await
        .unwrap();
    meetings::rsvp::answer(db, &bart, meeting, "maybe")
        .await
        .unwrap();
    meetings::rsvp::answer(db, &marco, meeting, "yes")
        .await
        .unwrap();
    let now = app::backend::platform::db::now();
    sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 3 * 3600)
        .bind(now - 3600)
        .bind(meeting)
        .execute(db.write())
        .await
        .unwrap();
    meetings::rsvp::record_attendance(db, &noor, meeting, &[zefanja.id, bart.id, marco.id])
        .await
        .unwrap();
    minutes::save(
        db,
        &noor,
        meeting,
        &[ItemMinutes {
            item_id: item,
            minutes: "De beleidsmaker legde de vraag uit.".into(),
            group_input: "Een vast aanspreekpunt tijdens het wachten.".into(),
        }],
        "7",
    )
    .await
    .unwrap();
    minutes::comment(db, &ilse, meeting, COMMENT_TEXT)
        .await
        .unwrap();
    sqlx::query("UPDATE meetings SET minutes_comments_until = $1 WHERE id = $2")
        .bind(now - 60)
        .bind(meeting)
        .execute(db.write())
        .await
        .unwrap();
    minutes::publish(db, &noor, meeting).await.unwrap();

    // Advice with the members' reactions, sent; the policy maker's answer; the
    // infographic, quoting the one input that may be quoted.
    participation::inputs::transition(db, URL, &noor, question, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        URL,
        &noor,
        question,
        "Wachten is zwaar; geef houvast.",
        &[
            RecommendationForm {
                body: "Geef elke wachtende jongere een vast aanspreekpunt.".into(),
                supported_by: "3".into(),
            },
            RecommendationForm {
                body: "Vertel elke maand hoe lang het nog duurt.".into(),
                supported_by: "2".into(),
            },
        ],
    )
    .await
    .unwrap();
    participation::advice::review(db, &zefanja, question, 1, true, "Helemaal mee eens.", "")
        .await
        .unwrap();
    participation::advice::review(db, &ilse, question, 2, false, REACTION_TEXT, "")
        .await
        .unwrap();
    participation::advice::send_advice(db, URL, &noor, question)
        .await
        .unwrap();
    let answer = |explanation: &str| ResponseForm {
        status: "adopted".into(),
        explanation: explanation.into(),
        changes: "Jongeren krijgen een vast aanspreekpunt.".into(),
        ..Default::default()
    };
    feedback::responses::save(
        db,
        URL,
        &marco,
        question,
        "Dank jullie wel voor het advies.",
        &[answer("Dit nemen we over."), answer("Dit ook.")],
        true,
    )
    .await
    .unwrap();
    feedback::infographic::save_infographic(
        db,
        URL,
        &noor,
        question,
        &InfographicForm {
            question_line: "Wat helpt als je moet wachten?".into(),
            said: "Wachten is zwaar; geef houvast.".into(),
            meaning: "Wie wacht, krijgt een vast aanspreekpunt.".into(),
            quote: quotable.to_string(),
            theme: "forest".into(),
        },
        true,
    )
    .await
    .unwrap();
    // Members rate the published feedback, one with a comment.
    feedback::ratings::rate(db, &zefanja, question, "4", RATING_TEXT)
        .await
        .unwrap();
    feedback::ratings::rate(db, &ilse, question, "2", "")
        .await
        .unwrap();

    // Other states at the moment of the sweep: a subject a member raised that nobody
    // took on yet; a second question whose advice is being drafted, with reactions; an
    // evening still to come with the policy maker as guest and answers.
    questions::write::save(
        db,
        URL,
        &zefanja,
        None,
        &QuestionForm {
            title: "Geen plek in de jeugdzorg na je achttiende".into(),
            question: "Na je achttiende stopt de hulp ineens.".into(),
            theme: member_data.themes[0].id.to_string(),
            municipalities: vec![member_data.municipalities[0].id.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let drafting = common::open_question(
        t,
        &marco,
        &noor,
        &QuestionForm {
            title: "Hoe maken we de wachtkamer prettiger?".into(),
            ..form.clone()
        },
    )
    .await;
    let second =
        participation::inputs::give_input(db, &fenneke, drafting, SECOND_TEXT, false, false)
            .await
            .unwrap();
    participation::inputs::endorse(db, &ilse, second)
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &noor, drafting, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        URL,
        &noor,
        drafting,
        "Een prettige wachtkamer.",
        &[RecommendationForm {
            body: "Zet er planten neer.".into(),
            supported_by: "1".into(),
        }],
    )
    .await
    .unwrap();
    participation::advice::review(db, &fenneke, drafting, 1, false, REACTION_TEXT, "")
        .await
        .unwrap();
    let upcoming = meetings::series::add_meeting(
        db,
        &noor,
        &When {
            date: "2199-02-03".into(),
            starts: "19:00".into(),
            ends: "21:00".into(),
            location: "Jongerenhuis".into(),
            online_url: String::new(),
        },
    )
    .await
    .unwrap();
    meetings::agenda::add_item(
        db,
        URL,
        &noor,
        upcoming,
        &ItemForm {
            title: "De wachtkamer".into(),
            duration_minutes: "20".into(),
            question_id: drafting.to_string(),
            guest_id: marco.id.to_string(),
        },
    )
    .await
    .unwrap();
    meetings::rsvp::answer(db, &zefanja, upcoming, "yes")
        .await
        .unwrap();
    meetings::rsvp::answer(db, &fenneke, upcoming, "maybe")
        .await
        .unwrap();
    meetings::rsvp::answer(db, &marco, upcoming, "yes")
        .await
        .unwrap();

    // A third question whose answer is late: the owner is reminded and the
    // coordinator's outside address (an outsider) is told.
    let late = common::open_question(
        t,
        &marco,
        &noor,
        &QuestionForm {
            title: "Waar vind je hulp als je schulden hebt?".into(),
            ..form.clone()
        },
    )
    .await;
    participation::inputs::give_input(db, &ilse, late, LATE_TEXT, false, false)
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &noor, late, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        URL,
        &noor,
        late,
        "Maak hulp bij schulden makkelijk te vinden.",
        &[RecommendationForm {
            body: "Eén loket voor jongeren met schulden.".into(),
            supported_by: "1".into(),
        }],
    )
    .await
    .unwrap();
    participation::advice::send_advice(db, URL, &noor, late)
        .await
        .unwrap();
    feedback::responses::set_escalation_email(db, &noor, late, OUTSIDER)
        .await
        .unwrap();
    sqlx::query("UPDATE questions SET feedback_due = '2030-06-12' WHERE id = $1")
        .bind(late)
        .execute(db.write())
        .await
        .unwrap();
    let (y, m, d) = clock::plus_days(2030, 6, 12, 20);
    let sent =
        feedback::reminders::send_reminders(db, URL, clock::amsterdam_moment(y, m, d, 9 * 60))
            .await
            .unwrap();
    assert!(sent > 0, "the late answer is reminded and escalated");
    // The reminder two days before the coming evening.
    let (starts,): (i64,) = sqlx::query_as("SELECT starts_at FROM meetings WHERE id = $1")
        .bind(upcoming)
        .fetch_one(db.read())
        .await
        .unwrap();
    meetings::reminders::send_reminders(db, URL, starts - 30 * 3600)
        .await
        .unwrap();

    // Weekly digests, if anyone is due one.
    notify::send_digests(db, URL, now + 8 * 86_400)
        .await
        .unwrap();
    let _ = named;
    Scenario {
        question,
        subject,
        meeting,
    }
}

async fn ids(t: &TestDb, sql: &str) -> Vec<String> {
    let rows: Vec<(i64,)> = sqlx::query_as(sql).fetch_all(t.db.read()).await.unwrap();
    rows.into_iter().map(|(id,)| id.to_string()).collect()
}

async fn sweep_story(t: &TestDb) {
    let s = scenario(t).await;
    let db = &t.db;
    let app = common::TestApp::start(t, &["--client-ip-header", "X-Forwarded-For"]).await;
    let base = app.base.clone();

    let marco = user(t, "beleid@demo.klankbord.test").await;
    let eva = user(t, "eva@gemeente.example").await;
    let callers: [(&'static str, reqwest::Client, Option<String>); 3] = [
        (
            "the policy maker",
            common::client_for(
                &base,
                1,
                Some(("beleid@demo.klankbord.test", demo::DEMO_PASSWORD)),
            )
            .await,
            Some(
                meetings::feed::new_calendar_link(db, "", &marco)
                    .await
                    .unwrap(),
            ),
        ),
        (
            "a second policy maker",
            common::client_for(
                &base,
                2,
                Some(("eva@gemeente.example", demo::DEMO_PASSWORD)),
            )
            .await,
            Some(
                meetings::feed::new_calendar_link(db, "", &eva)
                    .await
                    .unwrap(),
            ),
        ),
        (
            "an anonymous visitor",
            common::client_for(&base, 3, None).await,
            None,
        ),
    ];

    let question_ids = ids(t, "SELECT id FROM questions ORDER BY id").await;
    let meeting_ids = ids(t, "SELECT id FROM meetings ORDER BY id").await;
    // Every server function that shows something, with each record it may be asked for.
    let mut functions: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("landing", vec![]),
        ("public_panel", vec![("slug", "demo".into())]),
        ("me", vec![]),
        ("home", vec![]),
        ("questions", vec![("state", String::new())]),
        ("question_form", vec![("id", String::new())]),
        ("themes", vec![]),
        ("unread", vec![]),
        ("meetings", vec![]),
        ("panel_feedback", vec![("slug", "demo".into())]),
        ("calendar_feed", vec![]),
        ("profile", vec![]),
        ("agreements", vec![]),
        ("notifications", vec![]),
    ];
    // The impact overview of this year, with the questions behind each figure.
    for figure in [
        "received",
        "advised",
        "answered",
        "closed",
        "overdue",
        "answer-adopted",
        "progress-done",
    ] {
        functions.push(("impact", vec![("figure", figure.into())]));
    }
    for id in &question_ids {
        functions.push(("question", vec![("id", id.clone())]));
        functions.push(("question_form", vec![("id", id.clone())]));
        functions.push(("feedback_form", vec![("id", id.clone())]));
        functions.push((
            "public_infographic",
            vec![("slug", "demo".into()), ("id", id.clone())],
        ));
    }
    for id in &meeting_ids {
        functions.push(("meeting", vec![("id", id.clone())]));
    }
    let mut pages: Vec<String> = [
        "/",
        "/p/demo",
        "/home",
        "/questions",
        "/themes",
        "/meetings",
        "/notifications",
        "/profile",
        "/agreements",
        "/impact",
        "/impact?figure=received",
        "/impact?figure=answered",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for id in &question_ids {
        pages.push(format!("/questions/{id}"));
        pages.push(format!("/questions/{id}/feedback"));
        pages.push(format!("/p/demo/feedback/{id}"));
        pages.push(format!("/infographics/{id}.svg"));
        pages.push(format!("/infographics/{id}.svg?lang=en"));
    }
    for id in &meeting_ids {
        pages.push(format!("/meetings/{id}"));
        pages.push(format!("/meetings/{id}/ics"));
    }

    let mut seen: Vec<Seen> = Vec::new();
    for (who, c, feed) in &callers {
        for (endpoint, form) in &functions {
            let r = c
                .post(format!("{base}/api/{endpoint}"))
                .header(ACCEPT, "application/json")
                .form(form)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            assert!(status < 500, "{endpoint} {form:?} as {who}: {status}");
            seen.push(Seen {
                who,
                view: format!("POST /api/{endpoint} {form:?} ({status})"),
                body: r.text().await.unwrap(),
            });
        }
        let mut own_pages = pages.clone();
        own_pages.extend(feed.clone());
        for page in &own_pages {
            let r = c.get(format!("{base}{page}")).send().await.unwrap();
            let status = r.status().as_u16();
            assert!(status < 500, "GET {page} as {who}: {status}");
            seen.push(Seen {
                who,
                view: format!("GET {page} ({status})"),
                body: r.text().await.unwrap(),
            });
        }
    }
    // Every mail queued to a policy maker or to an address outside the panel.
    let mails: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT o.recipient, o.subject, o.body_text, o.body_html,
                CASE WHEN o.recipient IN (SELECT email FROM users) THEN 1 ELSE 0 END
         FROM outbox o
         WHERE o.recipient NOT IN (SELECT email FROM users WHERE role IN ('member', 'coordinator'))
         ORDER BY o.id",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    assert!(
        mails.iter().any(|m| m.0 == OUTSIDER),
        "the escalation to an outside address is in the sweep"
    );
    assert!(mails.len() >= 5, "mails swept: {}", mails.len());
    for (to, subject, text, html, account) in mails {
        seen.push(Seen {
            who: if account == 1 {
                "a policy maker's mailbox"
            } else {
                "an outsider's mailbox"
            },
            view: format!("mail to {to}: {subject}"),
            body: format!("{subject}\n{text}\n{html}"),
        });
    }

    let forbidden = Forbidden {
        personal: MEMBERS
            .iter()
            .flat_map(|(_, email, name, parts)| {
                [email.to_string(), name.to_string()]
                    .into_iter()
                    .chain(parts.iter().map(|p| p.to_string()))
            })
            .map(|w| w.to_lowercase())
            .collect(),
        unquotable: vec![
            SECRET_TEXT,
            NAMED_TEXT,
            COMMENT_TEXT,
            REACTION_TEXT,
            SUBJECT_TEXT,
            RATING_TEXT,
            SECOND_TEXT,
            LATE_TEXT,
        ],
    };
    let shown: Vec<String> = [SHOWN_NAME, "Bartholomeus", "Ydema"]
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    let detail_api = format!("POST /api/question [(\"id\", \"{}\")]", s.question);
    let detail_page = format!("GET /questions/{} ", s.question);
    let mut failures = Vec::new();
    let mut shown_to_owner = 0;
    for v in &seen {
        let on_detail = v.view.starts_with(&detail_api) || v.view.starts_with(&detail_page);
        let mut found = leaks(&v.body, &forbidden.personal);
        if on_detail && v.who.ends_with("policy maker") && v.body.contains(SHOWN_NAME) {
            // The chosen name, next to that input only: once in the data, and not as
            // anyone else (an endorser, a voter) in the same view.
            if v.who == "the policy maker" {
                shown_to_owner += 1;
            }
            if v.view.starts_with(&detail_api) && v.body.matches(SHOWN_NAME).count() != 1 {
                failures.push(format!(
                    "{}: {} shows the chosen name {} times, expected once, next to the input",
                    v.who,
                    v.view,
                    v.body.matches(SHOWN_NAME).count()
                ));
            }
            found.retain(|w| !shown.contains(w));
        }
        if !found.is_empty() {
            failures.push(format!("{} sees {found:?} in {}", v.who, v.view));
        }
        if v.who == "an anonymous visitor" || v.who == "an outsider's mailbox" {
            let words: Vec<String> = forbidden
                .unquotable
                .iter()
                .map(|w| w.to_lowercase())
                .collect();
            let found = leaks(&v.body, &words);
            if !found.is_empty() {
                failures.push(format!(
                    "{} reads unquotable words {found:?} in {}",
                    v.who, v.view
                ));
            }
        }
    }
    // The sweep can fail: the chosen name is there for the question's owner, in the data
    // and on the page; and the quotable words reach the public.
    if shown_to_owner != 2 {
        failures.push(format!(
            "the name {SHOWN_NAME} chose to show is on {shown_to_owner} of the 2 views of \
             the question's detail for its owner"
        ));
    }
    assert!(
        seen.iter()
            .any(|v| v.who == "an anonymous visitor" && v.body.contains(QUOTABLE_TEXT)),
        "the quotable input reaches the public infographic"
    );
    let _ = (s.subject, s.meeting);
    eprintln!("privacy sweep: {} views searched", seen.len());
    if std::env::var("KLANKBORD_SWEEP_DUMP").is_ok() {
        for v in &seen {
            eprintln!("== {} | {} | {} bytes", v.who, v.view, v.body.len());
            if std::env::var("KLANKBORD_SWEEP_DUMP").as_deref() == Ok("full") && v.body.len() < 6000
            {
                eprintln!("{}", v.body);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "privacy sweep found {} leak(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

on_both_backends!(privacy_sweep_sqlite, privacy_sweep_postgres, sweep_story);

/// The ids of an HTML page that occur more than once (a label then points at the wrong
/// field).
fn repeated_ids(html: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = Vec::new();
    for piece in html.split(" id=\"").skip(1) {
        let id = piece.split('"').next().unwrap_or_default().to_string();
        if !seen.insert(id.clone()) {
            repeated.push(id);
        }
    }
    repeated
}

/// Every page, for every kind of visitor: ids unique, a specific title and one
/// description, no script to download (pages are plain HTML; see docs/decisions.md,
/// "Islands"), and the status its server function would answer (a member asking for
/// the coordinator's people page: 403).
///
/// The privacy sweep's scenario has every kind of record, so it serves here too.
async fn pages_are_whole_story(t: &TestDb) {
    use reqwest::StatusCode;
    scenario(t).await;
    let questions = ids(t, "SELECT id FROM questions ORDER BY id").await;
    let meetings = ids(t, "SELECT id FROM meetings ORDER BY id").await;
    let published = ids(
        t,
        "SELECT question_id FROM infographics WHERE published_at IS NOT NULL",
    )
    .await;
    assert!(!questions.is_empty() && !meetings.is_empty() && !published.is_empty());
    let mut paths: Vec<String> = [
        "/",
        "/p/demo",
        "/login",
        "/forgot",
        "/home",
        "/questions",
        "/questions/new",
        "/themes",
        "/meetings",
        "/notifications",
        "/people",
        "/people/log",
        "/agreements",
        "/profile",
        "/second-factor",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for id in &questions {
        paths.push(format!("/questions/{id}"));
        paths.push(format!("/questions/{id}/feedback"));
        paths.push(format!("/questions/{id}/infographic"));
    }
    for id in &meetings {
        paths.push(format!("/meetings/{id}"));
    }
    for id in &published {
        paths.push(format!("/p/demo/feedback/{id}"));
    }
    let app = common::TestApp::start(t, &[]).await;
    let base = app.base.as_str();
    let member = MEMBERS[1].1;
    let mut failures = Vec::new();
    let mut seen_pages = 0;
    for (n, who) in [
        None,
        Some(member),
        Some("beleid@demo.klankbord.test"),
        Some("coordinator@demo.klankbord.test"),
    ]
    .into_iter()
    .enumerate()
    {
        let c = common::client_for(
            base,
            n as u8 + 1,
            who.map(|email| (email, demo::DEMO_PASSWORD)),
        )
        .await;
        for path in &paths {
            let response = c
                .get(format!("{base}{path}"))
                .header(ACCEPT, "text/html")
                .send()
                .await
                .unwrap();
            let status = response.status();
            if status.is_redirection() {
                continue;
            }
            let html = response.text().await.unwrap();
            seen_pages += 1;
            let at = format!("{path} as {who:?} ({status})");
            let repeated = repeated_ids(&html);
            if !repeated.is_empty() {
                failures.push(format!("{at}: ids used more than once: {repeated:?}"));
            }
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|rest| rest.split("</title>").next())
                .unwrap_or_default();
            if title.trim().is_empty() {
                failures.push(format!("{at}: no title"));
            }
            let descriptions: Vec<&str> = html
                .split("<meta name=\"description\" content=\"")
                .skip(1)
                .map(|rest| rest.split('"').next().unwrap_or_default())
                .collect();
            if descriptions.len() != 1 || descriptions[0].trim().is_empty() {
                failures.push(format!("{at}: descriptions {descriptions:?}"));
            }
            // Leptos's renderer always ends a page with two inline lines of its own
            // (`__RESOLVED_RESOURCES=[]…`); what must not be there is a script to fetch.
            for loads in [
                "<script src",
                "<script type=\"module\"",
                "modulepreload",
                ".wasm",
            ] {
                if html.contains(loads) {
                    failures.push(format!("{at}: loads a script ({loads})"));
                }
            }
        }
    }
    assert!(seen_pages > 100, "only {seen_pages} pages rendered");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A page the person may not see answers like its server function: 403.
    let c = common::client_for(base, 9, Some((member, demo::DEMO_PASSWORD))).await;
    for path in ["/people", "/people/log"] {
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let r = c
        .get(format!("{base}/questions/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

on_both_backends!(
    pages_are_whole_on_sqlite,
    pages_are_whole_on_postgres,
    pages_are_whole_story
);
