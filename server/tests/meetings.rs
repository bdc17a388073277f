//! Panel meetings on SQLite and PostgreSQL: a series across the change to summer time,
//! bad input, the agenda with a policy maker as guest (invitation with .ics through a real
//! SMTP server), answers, moving and cancelling (everyone told), attendance, the reminder
//! sent once with two instances, and calendar feeds (secret, revocable).

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;
use app::backend::views::meeting_page;

use app::backend::accounts::demo;
use app::backend::meetings::{self, agenda::ItemForm, series::When};
use app::backend::platform::mail::Mailer;
use app::domain::{clock, Problem};
use app::error::AppError;
use common::{fields, smtp_settings, user, SmtpReceiver, TestDb};

const URL: &str = "https://klankbord.example";

fn when(date: &str) -> When {
    When {
        date: date.into(),
        starts: "19:00".into(),
        ends: "21:00".into(),
        location: "Stadskantoor Tilburg, Stadhuisplein 130".into(),
        online_url: String::new(),
    }
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(t.db.read()).await.unwrap();
    n
}

/// (recipient, subject, calendar) of every queued mail, oldest first.
async fn outbox(t: &TestDb) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT recipient, subject, calendar FROM outbox ORDER BY id")
        .fetch_all(t.db.read())
        .await
        .unwrap()
}

async fn series_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;

    // Every three weeks on Tuesday at 19:00, across the start of summer time (28-03-2027).
    let ids = meetings::series::create_series(&t.db, &noor, &when("2027-03-09"), "3", "2027-04-20")
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    let page = meeting_page::page(&t.db, &sam).await.unwrap();
    let times: Vec<(String, i64)> = page
        .upcoming
        .iter()
        .map(|m| (clock::date_time(m.starts_at), m.ends_at - m.starts_at))
        .collect();
    assert_eq!(
        times,
        vec![
            ("09-03-2027 19:00".to_string(), 7200),
            ("30-03-2027 19:00".to_string(), 7200),
            ("20-04-2027 19:00".to_string(), 7200),
        ]
    );
    // 19:00 in winter is 18:00 UTC, in summer 17:00 UTC.
    assert_eq!(
        clock::ical_utc(page.upcoming[0].starts_at),
        "20270309T180000Z"
    );
    assert_eq!(
        clock::ical_utc(page.upcoming[1].starts_at),
        "20270330T170000Z"
    );
    assert!(page.upcoming.iter().all(|m| m.my_answer.is_empty()));
    assert!(!page.may_plan);

    // Bad input: each refused with its field, nothing saved.
    let before = count(t, "SELECT COUNT(*) FROM meetings").await;
    let mut bad = when("2027-03-09");
    bad.ends = "18:00".into();
    bad.starts = "19:00".into();
    assert_eq!(
        fields(
            meetings::series::add_meeting(&t.db, &noor, &bad)
                .await
                .unwrap_err()
        ),
        vec![("ends".to_string(), Problem::EndBeforeStart)]
    );
    assert_eq!(
        fields(
            meetings::series::add_meeting(&t.db, &noor, &when("2020-01-07"))
                .await
                .unwrap_err()
        ),
        vec![("date".to_string(), Problem::DateInPast)]
    );
    let mut bad = when("2027-02-30");
    bad.starts = "25:00".into();
    bad.location = String::new();
    bad.online_url = "javascript:alert(1)".into();
    assert_eq!(
        fields(
            meetings::series::add_meeting(&t.db, &noor, &bad)
                .await
                .unwrap_err()
        ),
        vec![
            ("date".to_string(), Problem::InvalidDate),
            ("starts".to_string(), Problem::InvalidTime),
            ("online_url".to_string(), Problem::InvalidUrl),
        ]
    );
    let mut nowhere = when("2027-03-09");
    nowhere.location = "  ".into();
    assert_eq!(
        fields(
            meetings::series::add_meeting(&t.db, &noor, &nowhere)
                .await
                .unwrap_err()
        ),
        vec![("location".to_string(), Problem::PlaceRequired)]
    );
    assert_eq!(
        fields(
            meetings::series::create_series(&t.db, &noor, &when("2027-03-09"), "0", "2029-01-01")
                .await
                .unwrap_err()
        ),
        vec![
            (
                "every_weeks".to_string(),
                Problem::OutOfRange { min: 1, max: 12 }
            ),
            ("until".to_string(), Problem::SeriesLength),
        ]
    );
    assert_eq!(
        meetings::series::add_meeting(&t.db, &sam, &when("2027-03-09")).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(count(t, "SELECT COUNT(*) FROM meetings").await, before);

    // An online-only meeting is fine.
    let mut online = when("2027-05-11");
    online.location = String::new();
    online.online_url = "https://meet.example.nl/panel".into();
    meetings::series::add_meeting(&t.db, &noor, &online)
        .await
        .unwrap();
}

async fn agenda_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let lina = user(t, "lina@demo.klankbord.test").await;
    let meeting = meetings::series::add_meeting(&t.db, &noor, &when("2027-03-09"))
        .await
        .unwrap();
    // The policy maker is not invited yet: the meeting does not exist for him.
    assert_eq!(
        meeting_page::detail(&t.db, &marco, meeting)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    // A question of the panel with a background, and the policy maker as guest.
    let data = app::backend::views::question_page::form_data(&t.db, &marco, None)
        .await
        .unwrap();
    let title = "Wachttijden in de jeugd-ggz".to_string();
    let question = app::backend::questions::write::save(
        &t.db,
        URL,
        &marco,
        None,
        &app::backend::questions::write::QuestionForm {
            title: title.clone(),
            background: "Wachttijden in de **jeugd-ggz** <script>alert(1)</script>".into(),
            question: "Wat helpt jullie tijdens het wachten?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: data.themes[0].id.to_string(),
            municipalities: vec![data.municipalities[0].id.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Only a question the panel has accepted can be on the agenda.
    use app::lifecycle::Action;
    app::backend::questions::write::act(&t.db, URL, &marco, question, Action::Submit, "")
        .await
        .unwrap();
    app::backend::questions::write::act(&t.db, URL, &noor, question, Action::Accept, "")
        .await
        .unwrap();
    let mails_before = outbox(t).await.len();
    let item = meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: String::new(),
            duration_minutes: "45".into(),
            question_id: question.to_string(),
            guest_id: marco.id.to_string(),
        },
    )
    .await
    .unwrap();
    assert!(item > 0);
    let mails = outbox(t).await;
    assert_eq!(mails.len(), mails_before + 1);
    let (to, subject, calendar) = mails.last().unwrap().clone();
    assert_eq!(to, "beleid@demo.klankbord.test");
    assert!(subject.starts_with("Uitnodiging: panelavond"), "{subject}");
    let calendar = calendar.expect("an .ics with the invitation");
    assert!(
        calendar.contains("\r\nDTSTART:20270309T180000Z\r\n"),
        "{calendar}"
    );
    assert!(calendar.contains(&format!("UID:meeting-{meeting}@klankbord.example")));

    // Bad items: unknown question, a guest from another panel, a silly duration.
    let other = app::backend::accounts::setup::create_coordinator(
        &t.db,
        &app::backend::accounts::setup::CoordinatorSpec {
            slug: "ander".into(),
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
    let items_before = count(t, "SELECT COUNT(*) FROM agenda_items").await;
    let error = meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: "Iets".into(),
            duration_minutes: "9999".into(),
            question_id: "999999".into(),
            guest_id: other.to_string(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(error),
        vec![
            (
                "duration_minutes".to_string(),
                Problem::OutOfRange { min: 5, max: 240 }
            ),
            ("question_id".to_string(), Problem::InvalidChoice),
            ("guest_id".to_string(), Problem::InvalidChoice),
        ]
    );
    assert_eq!(
        count(t, "SELECT COUNT(*) FROM agenda_items").await,
        items_before
    );

    // Members read the agenda with the question's background, sanitised.
    let view = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    assert_eq!(view.agenda.len(), 1);
    assert_eq!(view.agenda[0].title, title);
    assert_eq!(view.agenda[0].duration_minutes, 45);
    assert_eq!(
        view.agenda[0].guest.as_deref(),
        Some(marco.display_name.as_str())
    );
    let background = &view.agenda[0].question_background_html;
    assert!(
        background.contains("<strong>jeugd-ggz</strong>"),
        "{background}"
    );
    assert!(!background.contains("<script"), "{background}");

    // Answers: a member says yes then maybe; the guest answers too and sees counts only.
    meetings::rsvp::answer(&t.db, &sam, meeting, "yes")
        .await
        .unwrap();
    meetings::rsvp::answer(&t.db, &sam, meeting, "maybe")
        .await
        .unwrap();
    meetings::rsvp::answer(&t.db, &marco, meeting, "yes")
        .await
        .unwrap();
    assert_eq!(
        fields(
            meetings::rsvp::answer(&t.db, &lina, meeting, "misschien")
                .await
                .unwrap_err()
        ),
        vec![("answer".to_string(), Problem::InvalidChoice)]
    );
    let guest_view = meeting_page::detail(&t.db, &marco, meeting).await.unwrap();
    assert!(
        guest_view.invitees.is_empty(),
        "names stay inside the panel"
    );
    assert_eq!((guest_view.counts.yes, guest_view.counts.maybe), (1, 1));
    assert_eq!(guest_view.my_answer, "yes");
    assert!(guest_view.questions.is_empty());
    let panel_view = meeting_page::detail(&t.db, &noor, meeting).await.unwrap();
    assert!(panel_view
        .invitees
        .iter()
        .any(|p| p.name == sam.display_name && p.answer == "maybe"));
    assert!(panel_view
        .invitees
        .iter()
        .any(|p| p.guest && p.user_id == marco.id));
    assert!(!panel_view.questions.is_empty() || panel_view.may_plan);

    // Moving tells everyone invited except the coordinator, with a newer .ics.
    let before = outbox(t).await.len();
    let mut later = when("2027-03-16");
    later.starts = "18:30".into();
    meetings::series::move_meeting(&t.db, URL, &noor, meeting, &later)
        .await
        .unwrap();
    let mails = outbox(t).await;
    let told: Vec<&(String, String, Option<String>)> = mails[before..].iter().collect();
    let invited = count(
        t,
        "SELECT COUNT(*) FROM users WHERE active = 1 AND role IN ('member', 'coordinator')
           AND panel_id = (SELECT id FROM panels WHERE slug = 'demo')",
    )
    .await;
    // Everyone of the panel but the coordinator who moved it, plus the guest.
    assert_eq!(told.len() as i64, invited - 1 + 1);
    assert!(told
        .iter()
        .all(|(to, ..)| to != "coordinator@demo.klankbord.test"));
    assert!(told
        .iter()
        .any(|(to, ..)| to == "beleid@demo.klankbord.test"));
    let ics = told[0].2.clone().unwrap();
    assert!(ics.contains("\r\nDTSTART:20270316T173000Z\r\n"), "{ics}");
    assert!(ics.contains("\r\nSEQUENCE:1\r\n"));

    // Cancelling: a reason is required; everyone is told; answering is then refused.
    assert_eq!(
        fields(
            meetings::series::cancel_meeting(&t.db, URL, &noor, meeting, " ")
                .await
                .unwrap_err()
        ),
        vec![("reason".to_string(), Problem::Required)]
    );
    let before = outbox(t).await.len();
    meetings::series::cancel_meeting(&t.db, URL, &noor, meeting, "De zaal is niet vrij.")
        .await
        .unwrap();
    let mails = outbox(t).await;
    assert_eq!((mails.len() - before) as i64, invited);
    let (_, subject, ics) = mails.last().unwrap().clone();
    assert!(subject.starts_with("Gaat niet door"), "{subject}");
    let ics = ics.unwrap();
    assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n") && ics.contains("\r\nSEQUENCE:2\r\n"));
    assert_eq!(
        fields(
            meetings::rsvp::answer(&t.db, &lina, meeting, "yes")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::MeetingCancelled)]
    );
    assert_eq!(
        fields(
            meetings::series::move_meeting(&t.db, URL, &noor, meeting, &when("2027-03-23"))
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::MeetingCancelled)]
    );
    assert_eq!(
        fields(
            meetings::series::cancel_meeting(&t.db, URL, &noor, meeting, "Nog eens.")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::MeetingCancelled)]
    );
    // Another panel's coordinator cannot see or touch it.
    let kim = user(t, "kim@example.nl").await;
    assert_eq!(
        meeting_page::detail(&t.db, &kim, meeting)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
}

/// The guest's invitation goes through a real SMTP server with the meeting attached.
async fn invitation_mail_story(t: &TestDb) {
    let Some(smtp) = SmtpReceiver::start(0).await else {
        return;
    };
    demo::seed(&t.db).await.unwrap();
    // Only the invitation of this story: the demo's own mail is not of interest.
    sqlx::query("UPDATE outbox SET sent_at = 1")
        .execute(t.db.write())
        .await
        .unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let meeting = meetings::series::add_meeting(&t.db, &noor, &when("2027-11-02"))
        .await
        .unwrap();
    meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: "Wachttijden".into(),
            duration_minutes: "30".into(),
            question_id: String::new(),
            guest_id: marco.id.to_string(),
        },
    )
    .await
    .unwrap();
    let mailer = Mailer::new(&smtp_settings(smtp.port)).unwrap();
    assert_eq!(mailer.deliver_due(&t.db).await.unwrap(), 1);
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert!(mail.to.contains("beleid@demo.klankbord.test"));
    assert!(mail.text.contains("Wachttijden"), "{}", mail.text);
    assert!(
        mail.text.contains("dinsdag 02-11-2027 19:00–21:00"),
        "{}",
        mail.text
    );
    // 02-11-2027 is winter time again: 19:00 is 18:00 UTC.
    assert!(
        mail.calendar.contains("DTSTART:20271102T180000Z"),
        "{}",
        mail.calendar
    );
    assert!(mail.calendar.contains("BEGIN:VEVENT"));
}

async fn attendance_and_reminder_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let jay = user(t, "jay@demo.klankbord.test").await;
    let lina = user(t, "lina@demo.klankbord.test").await;
    let meeting = meetings::series::add_meeting(&t.db, &noor, &when("2027-03-09"))
        .await
        .unwrap();
    // Before the start, attendance cannot be recorded.
    assert_eq!(
        fields(
            meetings::rsvp::record_attendance(&t.db, &noor, meeting, &[sam.id])
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::MeetingNotYet)]
    );
    meetings::rsvp::answer(&t.db, &jay, meeting, "no")
        .await
        .unwrap();
    meetings::rsvp::answer(&t.db, &sam, meeting, "yes")
        .await
        .unwrap();

    // Reminder: the meeting starts in 30 hours. Two instances race; it goes out once, to
    // everyone invited except who said no.
    let now = app::backend::platform::db::now();
    sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now + 30 * 3600)
        .bind(now + 32 * 3600)
        .bind(meeting)
        .execute(t.db.write())
        .await
        .unwrap();
    let before = outbox(t).await.len();
    let (a, b) = tokio::join!(
        meetings::reminders::send_reminders(&t.db, URL, now),
        meetings::reminders::send_reminders(&t.db, URL, now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(
        meetings::reminders::send_reminders(&t.db, URL, now + 60)
            .await
            .unwrap(),
        0
    );
    let mails = outbox(t).await;
    let reminded: Vec<String> = mails[before..].iter().map(|m| m.0.clone()).collect();
    assert!(reminded.contains(&"sam@demo.klankbord.test".to_string()));
    assert!(reminded.contains(&"lina@demo.klankbord.test".to_string()));
    assert!(!reminded.contains(&"jay@demo.klankbord.test".to_string()));
    assert!(mails[before..]
        .iter()
        .all(|m| m.1.starts_with("Over twee dagen")));

    // After the start: attendance.
    sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 3 * 3600)
        .bind(now - 3600)
        .bind(meeting)
        .execute(t.db.write())
        .await
        .unwrap();
    assert_eq!(
        fields(
            meetings::rsvp::record_attendance(&t.db, &noor, meeting, &[999_999])
                .await
                .unwrap_err()
        ),
        vec![("present".to_string(), Problem::InvalidChoice)]
    );
    meetings::rsvp::record_attendance(&t.db, &noor, meeting, &[sam.id, lina.id])
        .await
        .unwrap();
    assert_eq!(
        meetings::rsvp::record_attendance(&t.db, &sam, meeting, &[sam.id]).await,
        Err(AppError::Forbidden)
    );
    let view = meeting_page::detail(&t.db, &noor, meeting).await.unwrap();
    assert!(view.past);
    let was = |id: i64| {
        view.invitees
            .iter()
            .find(|p| p.user_id == id)
            .unwrap()
            .attended
    };
    assert_eq!(was(sam.id), Some(true));
    assert_eq!(was(lina.id), Some(true));
    assert_eq!(was(jay.id), Some(false));
    let sams = meeting_page::page(&t.db, &sam).await.unwrap();
    assert_eq!((sams.attended, sams.attendance_recorded), (1, 1));
    // This one and the demo's evening of two weeks ago.
    assert_eq!(sams.past.len(), 2);
    assert_eq!(sams.past[0].attended, Some(true));
    // A past meeting can no longer be answered.
    assert_eq!(
        fields(
            meetings::rsvp::answer(&t.db, &lina, meeting, "yes")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::MeetingPast)]
    );
}

async fn feed_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    meetings::series::create_series(&t.db, &noor, &when("2027-10-05"), "3", "2027-11-30")
        .await
        .unwrap();
    let link = meetings::feed::new_calendar_link(&t.db, URL, &sam)
        .await
        .unwrap();
    let token = link
        .strip_prefix(&format!("{URL}/calendar/"))
        .and_then(|l| l.strip_suffix(".ics"))
        .unwrap()
        .to_string();
    assert!(meetings::feed::has_calendar_link(&t.db, &sam)
        .await
        .unwrap());
    let feed = meetings::feed::feed(&t.db, URL, &token).await.unwrap();
    // The series and the demo's evening of two weeks ago.
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 4);
    // 05-10 and 26-10 are summer time (17:00 UTC; the clocks go back on 31-10), 16-11
    // is winter time (18:00 UTC).
    assert!(feed.contains("DTSTART:20271005T170000Z"), "{feed}");
    assert!(feed.contains("DTSTART:20271026T170000Z"), "{feed}");
    assert!(feed.contains("DTSTART:20271116T180000Z"), "{feed}");
    // Only the hash is stored.
    assert_eq!(
        count(
            t,
            &format!("SELECT COUNT(*) FROM calendar_tokens WHERE token_hash = '{token}'")
        )
        .await,
        0
    );
    // A policy maker's feed holds only meetings they are a guest of: none.
    let pm_link = meetings::feed::new_calendar_link(&t.db, URL, &marco)
        .await
        .unwrap();
    let pm_token = pm_link.rsplit('/').next().unwrap().trim_end_matches(".ics");
    let pm_feed = meetings::feed::feed(&t.db, URL, pm_token).await.unwrap();
    assert_eq!(pm_feed.matches("BEGIN:VEVENT").count(), 0);
    // A new link replaces the old; a revoked link is not found.
    let newer = meetings::feed::new_calendar_link(&t.db, URL, &sam)
        .await
        .unwrap();
    assert_ne!(newer, link);
    assert_eq!(
        meetings::feed::feed(&t.db, URL, &token).await.unwrap_err(),
        AppError::NotFound
    );
    meetings::feed::revoke_calendar_link(&t.db, &sam)
        .await
        .unwrap();
    let newer_token = newer.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert_eq!(
        meetings::feed::feed(&t.db, URL, newer_token)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        meetings::feed::feed(&t.db, URL, "nonsense")
            .await
            .unwrap_err(),
        AppError::NotFound
    );
}

/// The demo's evening of two weeks ago (attendance and minutes still to do).
async fn demo_past_meeting(t: &TestDb, panel_id: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM meetings WHERE panel_id = $1 AND ends_at < $2 ORDER BY starts_at DESC LIMIT 1",
    )
    .bind(panel_id)
    .bind(app::backend::platform::db::now())
    .fetch_one(t.db.read())
    .await
    .unwrap();
    id
}

async fn minutes_story(t: &TestDb) {
    use app::backend::meetings::minutes::{self, ItemMinutes};
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let meeting = demo_past_meeting(t, noor.panel.id).await;
    // A question open for input, discussed that evening (added to the agenda afterwards;
    // no guest can be invited for an evening that is over).
    let data = app::backend::views::question_page::form_data(&t.db, &marco, None)
        .await
        .unwrap();
    let question = app::backend::questions::write::save(
        &t.db,
        URL,
        &marco,
        None,
        &app::backend::questions::write::QuestionForm {
            title: "Wachten op hulp".into(),
            question: "Wat helpt tijdens het wachten?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: data.themes[0].id.to_string(),
            municipalities: vec![data.municipalities[0].id.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    use app::lifecycle::Action;
    app::backend::questions::write::act(&t.db, URL, &marco, question, Action::Submit, "")
        .await
        .unwrap();
    app::backend::questions::write::act(&t.db, URL, &noor, question, Action::Accept, "")
        .await
        .unwrap();
    let guest_after = meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: String::new(),
            duration_minutes: "30".into(),
            question_id: question.to_string(),
            guest_id: marco.id.to_string(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(guest_after),
        vec![("guest_id".to_string(), Problem::MeetingPast)]
    );
    let item = meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: String::new(),
            duration_minutes: "30".into(),
            question_id: question.to_string(),
            guest_id: String::new(),
        },
    )
    .await
    .unwrap();
    let view = meeting_page::detail(&t.db, &noor, meeting).await.unwrap();
    let first = view.agenda[0].id;
    // Group input while the question is not open for input: refused, nothing saved.
    let items = vec![
        ItemMinutes {
            item_id: first,
            minutes: "We maakten kennis en spraken de groepsafspraken door.".into(),
            group_input: String::new(),
        },
        ItemMinutes {
            item_id: item,
            minutes: "Marco legde de vraag uit.".into(),
            group_input: "Een vast aanspreekpunt tijdens het wachten.".into(),
        },
    ];
    assert_eq!(
        fields(
            minutes::save(&t.db, &noor, meeting, &items, "7")
                .await
                .unwrap_err()
        ),
        vec![(format!("group-{item}"), Problem::InputClosed)]
    );
    assert_eq!(
        meeting_page::detail(&t.db, &noor, meeting)
            .await
            .unwrap()
            .minutes_state
            .as_str(),
        "none"
    );
    app::backend::participation::inputs::transition(
        &t.db,
        URL,
        &noor,
        question,
        Action::OpenInput,
        "",
    )
    .await
    .unwrap();
    assert_eq!(
        fields(
            minutes::save(&t.db, &noor, meeting, &items, "30")
                .await
                .unwrap_err()
        ),
        vec![(
            "comment_days".to_string(),
            Problem::OutOfRange { min: 1, max: 14 }
        )]
    );
    assert_eq!(
        minutes::save(&t.db, &sam, meeting, &items, "7").await,
        Err(AppError::Forbidden)
    );
    minutes::save(&t.db, &noor, meeting, &items, "7")
        .await
        .unwrap();
    // The group's input is on the question, as group input without a name.
    let (n, body): (i64, String) = sqlx::query_as(
        "SELECT COUNT(*), MAX(body) FROM inputs WHERE question_id = $1 AND for_group = 1",
    )
    .bind(question)
    .fetch_one(t.db.read())
    .await
    .unwrap();
    assert_eq!(
        (n, body.as_str()),
        (1, "Een vast aanspreekpunt tijdens het wachten.")
    );
    // Members see the draft and comment; the policy maker is no guest here (not found).
    let seen = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    assert_eq!(seen.minutes_state.as_str(), "draft");
    assert!(seen.may_comment);
    assert_eq!(seen.agenda[1].minutes, "Marco legde de vraag uit.");
    assert_eq!(
        fields(
            minutes::comment(&t.db, &sam, meeting, "  ")
                .await
                .unwrap_err()
        ),
        vec![("comment".to_string(), Problem::Required)]
    );
    minutes::comment(&t.db, &sam, meeting, "Ik mis dat we over de bus spraken.")
        .await
        .unwrap();
    assert_eq!(
        minutes::comment(&t.db, &marco, meeting, "Mag ik?").await,
        Err(AppError::Forbidden)
    );
    // Publishing waits for the comment period to end.
    assert_eq!(
        fields(minutes::publish(&t.db, &noor, meeting).await.unwrap_err()),
        vec![("state".to_string(), Problem::CommentsOpen)]
    );
    sqlx::query("UPDATE meetings SET minutes_comments_until = $1 WHERE id = $2")
        .bind(app::backend::platform::db::now() - 1)
        .bind(meeting)
        .execute(t.db.write())
        .await
        .unwrap();
    assert_eq!(
        fields(
            minutes::comment(&t.db, &sam, meeting, "Nog iets.")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::CommentsClosed)]
    );
    minutes::publish(&t.db, &noor, meeting).await.unwrap();
    let published = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    assert_eq!(published.minutes_state.as_str(), "published");
    assert_eq!(published.comments.len(), 1);
    assert!(!published.may_comment);
    // Published minutes are final.
    assert_eq!(
        fields(
            minutes::save(&t.db, &noor, meeting, &items[..1], "7")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::AlreadyDone)]
    );
    assert_eq!(
        fields(minutes::publish(&t.db, &noor, meeting).await.unwrap_err()),
        vec![("state".to_string(), Problem::AlreadyDone)]
    );
}

async fn compensation_story(t: &TestDb) {
    use app::backend::meetings::compensation;
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let jay = user(t, "jay@demo.klankbord.test").await;
    let lina = user(t, "lina@demo.klankbord.test").await;
    let meeting = demo_past_meeting(t, noor.panel.id).await;
    meetings::rsvp::record_attendance(&t.db, &noor, meeting, &[sam.id, lina.id])
        .await
        .unwrap();
    // Bad claims: not an amount, absurd, negative, no description; and Jay was absent.
    assert_eq!(
        fields(
            compensation::claim(&t.db, &sam, meeting, "tien", "")
                .await
                .unwrap_err()
        ),
        vec![
            ("amount".to_string(), Problem::InvalidAmount),
            ("description".to_string(), Problem::Required),
        ]
    );
    assert_eq!(
        fields(
            compensation::claim(&t.db, &sam, meeting, "2500", "Taxi")
                .await
                .unwrap_err()
        ),
        vec![(
            "amount".to_string(),
            Problem::AmountOutOfRange { max_euros: 250 }
        )]
    );
    assert_eq!(
        fields(
            compensation::claim(&t.db, &sam, meeting, "-4", "Bus")
                .await
                .unwrap_err()
        ),
        vec![("amount".to_string(), Problem::InvalidAmount)]
    );
    assert_eq!(
        fields(
            compensation::claim(&t.db, &jay, meeting, "4,60", "Bus")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::NotAttended)]
    );
    compensation::claim(&t.db, &sam, meeting, "4,60", "Bus Dongen-Tilburg")
        .await
        .unwrap();
    // Changed before the decision: the new amount counts.
    compensation::claim(
        &t.db,
        &sam,
        meeting,
        "7,40",
        "Bus Dongen-Tilburg heen en terug",
    )
    .await
    .unwrap();
    compensation::claim(&t.db, &lina, meeting, "=2+3", "Trein")
        .await
        .unwrap_err();
    compensation::claim(&t.db, &lina, meeting, "12", "=HYPERLINK(\"http://x\")")
        .await
        .unwrap();
    let claims = compensation::claims(&t.db, &noor, meeting).await.unwrap();
    assert_eq!(claims.len(), 2);
    let sams = claims.iter().find(|c| c.name == sam.display_name).unwrap();
    assert_eq!(
        (sams.amount.as_str(), sams.status.as_str()),
        ("7,40", "submitted")
    );
    // A member sees only their own claim.
    assert_eq!(
        compensation::claims(&t.db, &sam, meeting)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        compensation::decide(&t.db, &sam, sams.id, "approve").await,
        Err(AppError::Forbidden)
    );
    compensation::decide(&t.db, &noor, sams.id, "approve")
        .await
        .unwrap();
    let linas = claims.iter().find(|c| c.name == lina.display_name).unwrap();
    compensation::decide(&t.db, &noor, linas.id, "reject")
        .await
        .unwrap();
    assert_eq!(
        fields(
            compensation::decide(&t.db, &noor, sams.id, "reject")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::AlreadyDone)]
    );
    // Decided: no more changes by the member.
    assert_eq!(
        fields(
            compensation::claim(&t.db, &sam, meeting, "9", "Bus")
                .await
                .unwrap_err()
        ),
        vec![("state".to_string(), Problem::AlreadyDone)]
    );
    // The export: two hours each at 10 euros; Sam's travel approved, Lina's rejected.
    compensation::set_rate(&t.db, &noor, "10,00").await.unwrap();
    assert_eq!(
        fields(
            compensation::set_rate(&t.db, &noor, "500")
                .await
                .unwrap_err()
        ),
        vec![(
            "hourly_rate".to_string(),
            Problem::AmountOutOfRange { max_euros: 100 }
        )]
    );
    let from = clock::iso_date(app::backend::platform::db::now() - 60 * 86_400);
    let to = clock::iso_date(app::backend::platform::db::now());
    let csv = compensation::export_csv(&t.db, &noor, &from, &to)
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "datum;naam;e-mail;uren;vergoeding uren;reiskosten;totaal"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(";Lina;lina@demo.klankbord.test;2,00;20,00;0,00;20,00")),
        "{csv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(";Sam;sam@demo.klankbord.test;2,00;20,00;7,40;27,40")),
        "{csv}"
    );
    assert_eq!(lines[3], "totaal;;;4,00;;;47,40");
    assert!(!csv.contains("Jay"));
    assert_eq!(
        fields(
            compensation::export_csv(&t.db, &noor, &to, &from)
                .await
                .unwrap_err()
        ),
        vec![("to".to_string(), Problem::EndBeforeStart)]
    );
    assert_eq!(
        compensation::export_csv(&t.db, &sam, &from, &to).await,
        Err(AppError::Forbidden)
    );
}

/// A question on the agenda shows its title and background to members and guests, so
/// only a question the panel has accepted (or that is further along) can be linked: not
/// a policy maker's draft, nor one still waiting to be accepted.
async fn agenda_link_story(t: &TestDb) {
    use app::backend::questions::{self, write::QuestionForm};
    use app::lifecycle::Action;
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let meeting = meetings::series::add_meeting(&t.db, &noor, &when("2027-05-11"))
        .await
        .unwrap();
    let data = app::backend::views::question_page::form_data(&t.db, &marco, None)
        .await
        .unwrap();
    let question = questions::write::save(
        &t.db,
        URL,
        &marco,
        None,
        &QuestionForm {
            title: "Geheim concept".into(),
            background: "Nog niet voor het panel.".into(),
            question: "Wat vinden jullie?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: data.themes[0].id.to_string(),
            municipalities: vec![data.municipalities[0].id.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let link = ItemForm {
        title: String::new(),
        duration_minutes: "30".into(),
        question_id: question.to_string(),
        guest_id: String::new(),
    };
    let items_before = count(t, "SELECT COUNT(*) FROM agenda_items").await;
    // A draft, then a submitted question: refused (and no title is taken from it),
    // nothing added.
    let refused = vec![
        ("question_id".to_string(), Problem::InvalidChoice),
        ("title".to_string(), Problem::Required),
    ];
    assert_eq!(
        fields(
            meetings::agenda::add_item(&t.db, URL, &noor, meeting, &link)
                .await
                .unwrap_err()
        ),
        refused
    );
    questions::write::act(&t.db, URL, &marco, question, Action::Submit, "")
        .await
        .unwrap();
    assert_eq!(
        fields(
            meetings::agenda::add_item(&t.db, URL, &noor, meeting, &link)
                .await
                .unwrap_err()
        ),
        refused
    );
    assert_eq!(
        count(t, "SELECT COUNT(*) FROM agenda_items").await,
        items_before
    );
    // An item linked to it before this was checked shows nothing of it.
    sqlx::query(
        "INSERT INTO agenda_items (meeting_id, position, title, duration_minutes, question_id, created_at)
         VALUES ($1, 9, 'Oud punt', 10, $2, $3)",
    )
    .bind(meeting)
    .bind(question)
    .bind(app::backend::platform::db::now())
    .execute(t.db.write())
    .await
    .unwrap();
    let seen = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    let old = seen.agenda.iter().find(|i| i.title == "Oud punt").unwrap();
    assert_eq!(old.question_id, None);
    assert_eq!(old.question_title, None);
    assert_eq!(old.question_background_html, "");
    // Accepted: it can be on the agenda, with its background.
    questions::write::act(&t.db, URL, &noor, question, Action::Accept, "")
        .await
        .unwrap();
    let item = meetings::agenda::add_item(&t.db, URL, &noor, meeting, &link)
        .await
        .unwrap();
    let seen = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    let linked = seen.agenda.iter().find(|i| i.id == item).unwrap();
    assert_eq!(linked.title, "Geheim concept");
    assert_eq!(linked.question_id, Some(question));
    assert!(linked
        .question_background_html
        .contains("Nog niet voor het panel."));
}

/// Group input recorded with the minutes is saved in the same transaction as the
/// minutes, once per agenda item: a save that fails leaves none, and saving again
/// changes it rather than adding it twice.
async fn minutes_group_input_story(t: &TestDb) {
    use app::backend::meetings::minutes::{self, ItemMinutes};
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let meeting = demo_past_meeting(t, noor.panel.id).await;
    let form = common::question_form(t, &marco, "Wachten op hulp").await;
    let question = common::open_question(t, &marco, &noor, &form).await;
    let item = meetings::agenda::add_item(
        &t.db,
        URL,
        &noor,
        meeting,
        &ItemForm {
            title: String::new(),
            duration_minutes: "30".into(),
            question_id: question.to_string(),
            guest_id: String::new(),
        },
    )
    .await
    .unwrap();
    let save = |group: &str| {
        vec![ItemMinutes {
            item_id: item,
            minutes: "Marco legde de vraag uit.".into(),
            group_input: group.to_string(),
        }]
    };
    let group_inputs = move || async move {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM inputs WHERE question_id = $1 AND for_group = 1 ORDER BY id",
        )
        .bind(question)
        .fetch_all(t.db.read())
        .await
        .unwrap();
        rows.into_iter().map(|(b,)| b).collect::<Vec<_>>()
    };
    // The minutes cannot be written (a trigger refuses, as a full disk or a lost
    // connection would): the group input typed with them is not kept either.
    let sqlite = t.url.starts_with("sqlite");
    let refuse = if sqlite {
        vec![
            "CREATE TRIGGER refuse_minutes BEFORE UPDATE OF minutes ON agenda_items
             BEGIN SELECT RAISE(ABORT, 'minutes refused for the test'); END",
        ]
    } else {
        vec![
            "CREATE FUNCTION refuse_minutes() RETURNS trigger AS $$
             BEGIN RAISE EXCEPTION 'minutes refused for the test'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_minutes BEFORE UPDATE OF minutes ON agenda_items
             FOR EACH ROW EXECUTE FUNCTION refuse_minutes()",
        ]
    };
    for sql in refuse {
        sqlx::raw_sql(sql).execute(t.db.write()).await.unwrap();
    }
    assert_eq!(
        minutes::save(&t.db, &noor, meeting, &save("Een vast aanspreekpunt."), "7").await,
        Err(AppError::Unexpected)
    );
    assert!(
        group_inputs().await.is_empty(),
        "group input of a failed save stays behind"
    );
    let allow = if sqlite {
        "DROP TRIGGER refuse_minutes"
    } else {
        "DROP TRIGGER refuse_minutes ON agenda_items"
    };
    sqlx::raw_sql(allow).execute(t.db.write()).await.unwrap();
    // Saved, then saved again as it was (a retry, or a fix in the minutes): once.
    minutes::save(&t.db, &noor, meeting, &save("Een vast aanspreekpunt."), "7")
        .await
        .unwrap();
    minutes::save(&t.db, &noor, meeting, &save("Een vast aanspreekpunt."), "7")
        .await
        .unwrap();
    assert_eq!(group_inputs().await, vec!["Een vast aanspreekpunt."]);
    // The coordinator sees it in the minutes form, changes it: still once, changed.
    let view = meeting_page::detail(&t.db, &noor, meeting).await.unwrap();
    let in_form = view.agenda.iter().find(|i| i.id == item).unwrap();
    assert_eq!(in_form.group_input, "Een vast aanspreekpunt.");
    minutes::save(
        &t.db,
        &noor,
        meeting,
        &save("Een vast aanspreekpunt, ook in de avond."),
        "7",
    )
    .await
    .unwrap();
    assert_eq!(
        group_inputs().await,
        vec!["Een vast aanspreekpunt, ook in de avond."]
    );
    // An empty field leaves it as it is; members do not see it in the form.
    minutes::save(&t.db, &noor, meeting, &save(""), "7")
        .await
        .unwrap();
    assert_eq!(group_inputs().await.len(), 1);
    let sam = user(t, "sam@demo.klankbord.test").await;
    let seen = meeting_page::detail(&t.db, &sam, meeting).await.unwrap();
    assert!(seen.agenda.iter().all(|i| i.group_input.is_empty()));
    // One agenda item twice, or more items than the agenda has: refused before anything.
    let twice = [save("A")[0].clone(), save("B")[0].clone()];
    assert_eq!(
        fields(
            minutes::save(&t.db, &noor, meeting, &twice, "7")
                .await
                .unwrap_err()
        ),
        vec![("minutes".to_string(), Problem::TooMany { max: 2 })]
    );
    assert_eq!(
        group_inputs().await,
        vec!["Een vast aanspreekpunt, ook in de avond."]
    );
}

/// Attendance with one person ticked thousands of times is checked (before the write)
/// and recorded once; someone who was not invited is refused.
async fn attendance_list_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let meeting = demo_past_meeting(t, noor.panel.id).await;
    let many = vec![sam.id; 20_000];
    meetings::rsvp::record_attendance(&t.db, &noor, meeting, &many)
        .await
        .unwrap();
    let (attended,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM meeting_rsvps WHERE meeting_id = $1 AND attended = 1")
            .bind(meeting)
            .fetch_one(t.db.read())
            .await
            .unwrap();
    assert_eq!(attended, 1);
    assert_eq!(
        fields(
            meetings::rsvp::record_attendance(&t.db, &noor, meeting, &[sam.id, 999_999])
                .await
                .unwrap_err()
        ),
        vec![("present".to_string(), Problem::InvalidChoice)]
    );
}

on_both_backends!(series_sqlite, series_postgres, series_story);
on_both_backends!(minutes_sqlite, minutes_postgres, minutes_story);
on_both_backends!(
    compensation_sqlite,
    compensation_postgres,
    compensation_story
);
on_both_backends!(agenda_sqlite, agenda_postgres, agenda_story);
on_both_backends!(
    invitation_mail_sqlite,
    invitation_mail_postgres,
    invitation_mail_story
);
on_both_backends!(
    attendance_and_reminder_sqlite,
    attendance_and_reminder_postgres,
    attendance_and_reminder_story
);
on_both_backends!(feed_sqlite, feed_postgres, feed_story);
on_both_backends!(agenda_link_sqlite, agenda_link_postgres, agenda_link_story);
on_both_backends!(
    minutes_group_input_sqlite,
    minutes_group_input_postgres,
    minutes_group_input_story
);
on_both_backends!(
    attendance_list_sqlite,
    attendance_list_postgres,
    attendance_list_story
);

/// The meetings list and a home page's next three: each with its agenda in order (read in
/// the same query), the home page without cancelled evenings.
async fn summaries_story(t: &TestDb) {
    demo::seed(&t.db).await.unwrap();
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let ids = meetings::series::create_series(&t.db, &noor, &when("2027-01-05"), "1", "2027-01-26")
        .await
        .unwrap();
    assert_eq!(ids.len(), 4);
    let titles = ["Wachttijden", "Armoede", "Begroting"];
    for title in titles {
        let item = ItemForm {
            title: title.into(),
            duration_minutes: "30".into(),
            question_id: String::new(),
            guest_id: String::new(),
        };
        meetings::agenda::add_item(&t.db, URL, &noor, ids[0], &item)
            .await
            .unwrap();
    }
    meetings::series::cancel_meeting(&t.db, URL, &noor, ids[1], "Zaal is dicht.")
        .await
        .unwrap();
    let page = meeting_page::page(&t.db, &sam).await.unwrap();
    let listed: Vec<i64> = page.upcoming.iter().map(|m| m.id).collect();
    assert_eq!(listed, ids, "cancelled ones stay in the list, marked");
    assert!(page.upcoming[1].cancelled);
    assert_eq!(page.upcoming[0].agenda, titles.map(String::from).to_vec());
    assert!(page.upcoming[2].agenda.is_empty());
    let next = meetings::store::next_meetings(&t.db, &sam).await.unwrap();
    let next: Vec<i64> = next.iter().map(|m| m.id).collect();
    assert_eq!(next, vec![ids[0], ids[2], ids[3]]);
}

on_both_backends!(summaries_sqlite, summaries_postgres, summaries_story);
