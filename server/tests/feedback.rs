//! The feedback loop on both backends: the owner answers every recommendation (comply or
//! explain), reminders and escalation on a fake clock (each once, also with two
//! instances), the infographic (published once, naming no one), the rule that a
//! question closes only once its infographic is published, ratings, the count of late
//! answers, and the follow-through on adopted recommendations.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;
use app::backend::views::question_page;

use app::backend::accounts::setup::{self, CoordinatorSpec};
use app::backend::feedback::{
    self, infographic::InfographicForm, progress::ProgressForm, responses::ResponseForm,
};
use app::backend::participation::{self, advice::RecommendationForm};
use app::backend::questions::{self, write::QuestionForm};
use app::backend::{accounts::demo, platform::store};
use app::domain::{clock, Problem, Role};
use app::error::AppError;
use app::lifecycle::{Action, State};
use app::model::CurrentUser;
use common::{fields, user, TestDb};

const URL: &str = "https://klankbord.example";

/// Runs one statement of test set-up, with the question's id as `$1` if it has one.
async fn run(t: &TestDb, sql: &str, id: i64) {
    let query = sqlx::query(sql);
    let query = if sql.contains("$1") {
        query.bind(id)
    } else {
        query
    };
    query.execute(t.db.write()).await.unwrap();
}
/// The display names of the demo panel's people; none may appear in an infographic.
const NAMES: [&str; 8] = [
    "Sam", "Jay", "Lina", "Daan", "Noor", "Vries", "Marco", "Jansen",
];

fn problem(field: &str, problem: Problem) -> Vec<(String, Problem)> {
    vec![(field.to_string(), problem)]
}

struct Demo {
    marco: CurrentUser,
    noor: CurrentUser,
    sam: CurrentUser,
    jay: CurrentUser,
    lina: CurrentUser,
    daan: CurrentUser,
    /// A second policy maker of the demo panel (not the owner of anything).
    eva: CurrentUser,
    /// The coordinator of another panel.
    kim: CurrentUser,
}

async fn demo_people(t: &TestDb) -> Demo {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let eva_id = {
        let mut conn = db.write().acquire().await.unwrap();
        store::insert_user(
            &mut conn,
            &store::NewUser {
                panel_id: marco.panel.id,
                email: "eva@demo.klankbord.test",
                display_name: "Eva",
                role: Role::PolicyMaker,
                municipality_id: None,
                password_hash: "not a hash",
            },
            app::backend::platform::db::now(),
        )
        .await
        .unwrap()
    };
    let kim_id = setup::create_coordinator(
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
    Demo {
        marco,
        noor: user(t, "coordinator@demo.klankbord.test").await,
        sam: user(t, "sam@demo.klankbord.test").await,
        jay: user(t, "jay@demo.klankbord.test").await,
        lina: user(t, "lina@demo.klankbord.test").await,
        daan: user(t, "daan@demo.klankbord.test").await,
        eva: store::current_user(db.read(), eva_id)
            .await
            .unwrap()
            .unwrap(),
        kim: store::current_user(db.read(), kim_id)
            .await
            .unwrap()
            .unwrap(),
    }
}

/// The inputs of a question walked to advice sent.
struct Walked {
    id: i64,
    /// Given without name, may be quoted.
    quotable: i64,
    /// Given with name shown, may not be quoted (and endorsed by Lina).
    named: i64,
}

const QUOTABLE_TEXT: &str = "Een vast aanspreekpunt terwijl ik wacht op hulp.";
const NAMED_TEXT: &str = "Eerlijk vertellen hoe lang het wachten nog duurt.";

/// Asked by Marco, accepted, input from Sam (anonymous, quotable) and Jay (with name, not
/// quotable), endorsed by Lina; Daan does nothing. The advice has `recs`
/// recommendations and is sent.
async fn advice_sent(t: &TestDb, d: &Demo, title: &str, recs: usize) -> Walked {
    let db = &t.db;
    let data = question_page::form_data(db, &d.marco, None).await.unwrap();
    let form = QuestionForm {
        title: title.into(),
        question: "Wat helpt jongeren die op hulp wachten?".into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "advise".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    };
    let id = questions::write::save(db, URL, &d.marco, None, &form)
        .await
        .unwrap();
    questions::write::act(db, URL, &d.marco, id, Action::Submit, "")
        .await
        .unwrap();
    questions::write::act(db, URL, &d.noor, id, Action::Accept, "")
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &d.noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    let quotable = participation::inputs::give_input(db, &d.sam, id, QUOTABLE_TEXT, false, true)
        .await
        .unwrap();
    let named = participation::inputs::give_input(db, &d.jay, id, NAMED_TEXT, true, false)
        .await
        .unwrap();
    participation::inputs::endorse(db, &d.lina, named)
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &d.noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    let list: Vec<RecommendationForm> = (1..=recs)
        .map(|n| RecommendationForm {
            body: format!("Aanbeveling nummer {n}."),
            supported_by: "1".into(),
        })
        .collect();
    participation::advice::save_advice(
        db,
        URL,
        &d.noor,
        id,
        "Wachten is zwaar; geef houvast.",
        &list,
    )
    .await
    .unwrap();
    participation::advice::send_advice(db, URL, &d.noor, id)
        .await
        .unwrap();
    Walked {
        id,
        quotable,
        named,
    }
}

fn adopted(explanation: &str) -> ResponseForm {
    ResponseForm {
        status: "adopted".into(),
        explanation: explanation.into(),
        changes: "Jongeren krijgen een vast aanspreekpunt.".into(),
        ..Default::default()
    }
}

/// A valid, final answer to each of `n` recommendations.
fn final_answers(n: usize) -> Vec<ResponseForm> {
    (1..=n)
        .map(|i| adopted(&format!("Dit nemen we over, punt {i}.")))
        .collect()
}

async fn submit_all(t: &TestDb, d: &Demo, id: i64, n: usize) {
    feedback::responses::save(
        &t.db,
        URL,
        &d.marco,
        id,
        "Dank jullie wel voor het advies.",
        &final_answers(n),
        true,
    )
    .await
    .unwrap();
}

fn infographic_form(quote: &str) -> InfographicForm {
    InfographicForm {
        question_line: "Wat helpt als je moet wachten?".into(),
        said: "Wachten is zwaar; geef houvast.".into(),
        meaning: "Wie wacht, krijgt een vast aanspreekpunt.".into(),
        quote: quote.into(),
        theme: "forest".into(),
    }
}

async fn responses_count(t: &TestDb, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM responses s JOIN recommendations r ON r.id = s.recommendation_id
         WHERE r.question_id = $1",
    )
    .bind(id)
    .fetch_one(t.db.read())
    .await
    .unwrap();
    n
}

async fn submitted_at(t: &TestDb, id: i64) -> Option<i64> {
    let (at,): (Option<i64>,) =
        sqlx::query_as("SELECT feedback_submitted_at FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(t.db.read())
            .await
            .unwrap();
    at
}

/// Who got a notice of this kind about this question, by user id.
async fn notified(t: &TestDb, id: i64, kind: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT user_id FROM notifications WHERE question_id = $1 AND kind = $2 ORDER BY user_id",
    )
    .bind(id)
    .bind(kind)
    .fetch_all(t.db.read())
    .await
    .unwrap();
    rows.into_iter().map(|(u,)| u).collect()
}

/// Every queued mail: (recipient, subject, text body), oldest first.
async fn outbox(t: &TestDb) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT recipient, subject, body_text FROM outbox ORDER BY id")
        .fetch_all(t.db.read())
        .await
        .unwrap()
}

async fn state_of(t: &TestDb, id: i64) -> String {
    let (state,): (String,) = sqlx::query_as("SELECT state FROM questions WHERE id = $1")
        .bind(id)
        .fetch_one(t.db.read())
        .await
        .unwrap();
    state
}

/// Whether `text` names one of the demo panel's people as a word of its own.
fn names_someone(text: &str) -> Option<&'static str> {
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    NAMES.into_iter().find(|name| words.contains(name))
}

// ---------------------------------------------------------------------------------------
// 1. Reminders and escalation on a fake clock.

/// The moment `offset` days after 12 June 2030 (a date far from the clock changes), at
/// `hour`:00 in Amsterdam.
fn at(offset: i64, hour: i64) -> i64 {
    let (y, m, d) = clock::plus_days(2030, 6, 12, offset);
    clock::amsterdam_moment(y, m, d, hour * 60)
}

async fn reminders_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    // Reminders and escalations are mailed whatever one chose for notices.
    sqlx::query("UPDATE users SET notify = 'off' WHERE id = $1")
        .bind(d.marco.id)
        .execute(db.write())
        .await
        .unwrap();
    sqlx::query("UPDATE users SET notify = 'weekly' WHERE id = $1")
        .bind(d.noor.id)
        .execute(db.write())
        .await
        .unwrap();
    let title = "Wachten op jeugdhulp";
    let q = advice_sent(t, &d, title, 2).await;
    let id = q.id;
    run(
        t,
        "UPDATE questions SET feedback_due = '2030-06-12' WHERE id = $1",
        id,
    )
    .await;
    run(t, "DELETE FROM outbox", id).await;
    run(t, "DELETE FROM notifications", id).await;

    // The escalation address: the coordinator's, checked, of her own panel.
    assert_eq!(
        feedback::responses::set_escalation_email(db, &d.marco, id, "chef@gemeente.example").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        feedback::responses::set_escalation_email(db, &d.sam, id, "chef@gemeente.example").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        feedback::responses::set_escalation_email(db, &d.kim, id, "chef@gemeente.example").await,
        Err(AppError::NotFound)
    );
    assert!(matches!(
        feedback::responses::set_escalation_email(db, &d.noor, id, "geen adres").await,
        Err(AppError::Invalid(list)) if list[0].field == "escalation_email"
    ));
    feedback::responses::set_escalation_email(db, &d.noor, id, "chef@gemeente.example")
        .await
        .unwrap();
    let seen = feedback::responses::view(db, &d.noor, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        seen.escalation_email.as_deref(),
        Some("chef@gemeente.example")
    );
    let for_member = feedback::responses::view(db, &d.sam, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(for_member.escalation_email, None, "coordinators only");
    // Escalation days: 1 to 90, by coordinators.
    for bad in ["0", "91", "veertien", ""] {
        assert_eq!(
            feedback::responses::set_escalation_days(db, &d.noor, bad).await,
            Err(AppError::invalid(
                "escalation_days",
                Problem::OutOfRange { min: 1, max: 90 }
            ))
        );
    }
    assert_eq!(
        feedback::responses::set_escalation_days(db, &d.marco, "3").await,
        Err(AppError::Forbidden)
    );
    // Kim's setting is her own panel's.
    feedback::responses::set_escalation_days(db, &d.kim, "3")
        .await
        .unwrap();
    feedback::responses::set_escalation_days(db, &d.noor, "14")
        .await
        .unwrap();
    let (days,): (i64,) = sqlx::query_as("SELECT escalation_days FROM panels WHERE id = $1")
        .bind(d.noor.panel.id)
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(days, 14);

    let marco_mail = "beleid@demo.klankbord.test";
    let noor_mail = "coordinator@demo.klankbord.test";
    let run = |moment: i64| feedback::reminders::send_reminders(db, URL, moment);

    // Nine days before: nothing.
    assert_eq!(run(at(-9, 9)).await.unwrap(), 0);
    assert!(outbox(t).await.is_empty());
    // A week before, two instances at the same moment: one reminder in all.
    let (first, second) = tokio::join!(run(at(-7, 9)), run(at(-7, 9)));
    assert_eq!(
        first.unwrap() + second.unwrap(),
        1,
        "two instances, one reminder"
    );
    let mail = outbox(t).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].0, marco_mail);
    assert!(mail[0].1.contains(title), "{}", mail[0].1);
    assert!(
        mail[0].1.contains("wacht op je terugkoppeling"),
        "{}",
        mail[0].1
    );
    assert!(
        mail[0].2.contains("12-06-2030"),
        "the due date: {}",
        mail[0].2
    );
    assert!(mail[0].2.contains(&format!("{URL}/questions/{id}")));
    assert_eq!(notified(t, id, "feedback_reminder").await, vec![d.marco.id]);
    // Later that day and the next: nothing new.
    assert_eq!(run(at(-7, 17)).await.unwrap(), 0);
    assert_eq!(run(at(-6, 9)).await.unwrap(), 0);
    // The due day: not before 08:00, then once.
    assert_eq!(run(at(0, 7)).await.unwrap(), 0);
    assert_eq!(outbox(t).await.len(), 1);
    assert_eq!(run(at(0, 9)).await.unwrap(), 1);
    assert_eq!(run(at(0, 10)).await.unwrap(), 0);
    let mail = outbox(t).await;
    assert_eq!(mail.len(), 2, "{mail:?}");
    assert_eq!(mail[1].0, marco_mail);
    assert!(mail[1].1.contains(title));
    assert_eq!(
        notified(t, id, "feedback_reminder").await,
        vec![d.marco.id, d.marco.id]
    );
    // A week late: the first overdue reminder; the day after nothing.
    assert_eq!(run(at(7, 9)).await.unwrap(), 1);
    assert_eq!(run(at(8, 9)).await.unwrap(), 0);
    let mail = outbox(t).await;
    assert_eq!(mail.len(), 3, "{mail:?}");
    assert_eq!(mail[2].0, marco_mail);
    assert!(
        mail[2].1.contains(title) && mail[2].1.contains("te laat"),
        "{}",
        mail[2].1
    );
    assert_eq!(notified(t, id, "feedback_overdue").await, vec![d.marco.id]);
    assert!(notified(t, id, "feedback_escalated").await.is_empty());
    // Two weeks late (the panel's escalation days): the second overdue reminder, and the
    // coordinators and the escalation address are told — once.
    let (first, second) = tokio::join!(run(at(14, 9)), run(at(14, 9)));
    assert_eq!(first.unwrap() + second.unwrap(), 2, "week2 and escalation");
    assert_eq!(run(at(15, 9)).await.unwrap(), 0);
    let mail = outbox(t).await;
    assert_eq!(mail.len(), 6, "{mail:?}");
    let new: Vec<&(String, String, String)> = mail[3..].iter().collect();
    let to = |who: &str| -> Vec<&(String, String, String)> {
        new.iter().copied().filter(|m| m.0 == who).collect()
    };
    assert_eq!(to(marco_mail).len(), 1);
    assert!(to(marco_mail)[0].1.contains(title));
    assert_eq!(
        to(noor_mail).len(),
        1,
        "the coordinator is mailed although she chose weekly"
    );
    assert!(to(noor_mail)[0].1.contains(title), "{}", to(noor_mail)[0].1);
    assert!(to(noor_mail)[0].1.contains("Terugkoppeling blijft uit"));
    let chef = to("chef@gemeente.example");
    assert_eq!(chef.len(), 1);
    assert!(chef[0].1.contains("14 dagen te laat"), "{}", chef[0].1);
    assert!(chef[0].2.contains(title), "{}", chef[0].2);
    assert!(chef[0].2.contains("12-06-2030"), "{}", chef[0].2);
    assert!(
        !mail.iter().any(|m| m.0 == "kim@example.nl"),
        "another panel's coordinator hears nothing"
    );
    assert_eq!(
        notified(t, id, "feedback_overdue").await,
        vec![d.marco.id, d.marco.id]
    );
    assert_eq!(notified(t, id, "feedback_escalated").await, vec![d.noor.id]);
    let (mailed,): (Option<i64>,) = sqlx::query_as(
        "SELECT mailed_at FROM notifications WHERE kind = 'feedback_escalated' AND user_id = $1",
    )
    .bind(d.noor.id)
    .fetch_one(db.read())
    .await
    .unwrap();
    assert!(mailed.is_some(), "not left for the weekly digest");
    let claims: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM feedback_reminders WHERE question_id = $1 ORDER BY kind")
            .bind(id)
            .fetch_all(db.read())
            .await
            .unwrap();
    let claims: Vec<&str> = claims.iter().map(|(k,)| k.as_str()).collect();
    assert_eq!(claims, vec!["before", "due", "escalated", "week1", "week2"]);

    // Once the answer is submitted, no more reminders.
    submit_all(t, &d, id, 2).await;
    let queued = outbox(t).await.len();
    assert_eq!(run(at(21, 9)).await.unwrap(), 0);
    assert_eq!(run(at(28, 9)).await.unwrap(), 0);
    assert_eq!(outbox(t).await.len(), queued);
    assert_eq!(notified(t, id, "feedback_overdue").await.len(), 2);
}

on_both_backends!(reminders_sqlite, reminders_postgres, reminders_story);

// ---------------------------------------------------------------------------------------
// 2. Comply or explain.

async fn comply_or_explain_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let q = advice_sent(t, &d, "Wachten op jeugdhulp", 3).await;
    let id = q.id;
    let message = "Dank jullie wel voor het advies.";
    let valid = || {
        vec![
            adopted("Dat gaan we doen."),
            ResponseForm {
                status: "partly".into(),
                explanation: "Voor een deel.".into(),
                reason: "Het budget is beperkt.".into(),
                ..Default::default()
            },
            ResponseForm {
                status: "not_adopted".into(),
                explanation: "Dit doen we niet.".into(),
                reason: "Dat regelt het rijk.".into(),
                ..Default::default()
            },
        ]
    };
    let marco = &d.marco;
    let submit = move |forms: Vec<ResponseForm>| async move {
        feedback::responses::save(db, URL, marco, id, message, &forms, true).await
    };
    let today = clock::iso_date(app::backend::platform::db::now());
    let next_month = clock::add_days(&today, 30).unwrap();

    let mut forms = valid();
    forms[0].explanation = "  ".into();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        problem("explanation_1", Problem::Required)
    );
    let mut forms = valid();
    forms[2].reason = String::new();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        problem("reason_3", Problem::Required)
    );
    let mut forms = valid();
    forms[1].reason = String::new();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        problem("reason_2", Problem::Required),
        "partly needs a reason too"
    );
    let mut forms = valid();
    forms[1] = ResponseForm {
        status: "still_open".into(),
        explanation: "Besluit volgt.".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(submit(forms.clone()).await.unwrap_err()),
        problem("follow_up_2", Problem::Required)
    );
    forms[1].follow_up = "2020-01-01".into();
    assert_eq!(
        fields(submit(forms.clone()).await.unwrap_err()),
        problem("follow_up_2", Problem::DateInPast)
    );
    forms[1].follow_up = today.clone();
    assert_eq!(
        fields(submit(forms.clone()).await.unwrap_err()),
        problem("follow_up_2", Problem::DateInPast),
        "today is not a follow-up"
    );
    let mut forms = valid();
    forms[0].status = "misschien".into();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        problem("status_1", Problem::InvalidChoice)
    );
    let mut forms = valid();
    forms[0].status = String::new();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        problem("status_1", Problem::Required)
    );
    // Fewer answers than recommendations: the missing one is named.
    let mut forms = valid();
    forms.pop();
    assert_eq!(
        fields(submit(forms).await.unwrap_err()),
        vec![
            ("status_3".to_string(), Problem::Required),
            ("explanation_3".to_string(), Problem::Required),
        ]
    );
    assert_eq!(
        fields(
            feedback::responses::save(db, URL, &d.marco, id, " ", &valid(), true)
                .await
                .unwrap_err()
        ),
        problem("message", Problem::Required)
    );
    assert_eq!(responses_count(t, id).await, 0, "nothing saved");
    assert_eq!(submitted_at(t, id).await, None);

    // Not the owner: another policy maker, a member, the coordinator; another panel's
    // coordinator does not find it.
    for who in [&d.eva, &d.sam, &d.noor] {
        assert_eq!(
            feedback::responses::save(db, URL, who, id, message, &valid(), true).await,
            Err(AppError::Forbidden),
            "{}",
            who.display_name
        );
        assert_eq!(
            feedback::responses::save(db, URL, who, id, message, &valid(), false).await,
            Err(AppError::Forbidden)
        );
    }
    assert_eq!(
        feedback::responses::save(db, URL, &d.kim, id, message, &valid(), true).await,
        Err(AppError::NotFound)
    );
    assert_eq!(responses_count(t, id).await, 0);

    // A draft may be partial; a wrong status or a past date is still refused.
    let partial = vec![
        adopted("Dat gaan we doen."),
        ResponseForm::default(),
        ResponseForm {
            status: "still_open".into(),
            ..Default::default()
        },
    ];
    let mut wrong = partial.clone();
    wrong[2].follow_up = "2020-01-01".into();
    assert_eq!(
        fields(
            feedback::responses::save(db, URL, &d.marco, id, "", &wrong, false)
                .await
                .unwrap_err()
        ),
        problem("follow_up_3", Problem::DateInPast)
    );
    feedback::responses::save(db, URL, &d.marco, id, "", &partial, false)
        .await
        .unwrap();
    assert_eq!(responses_count(t, id).await, 3);
    assert_eq!(submitted_at(t, id).await, None);
    assert!(notified(t, id, "feedback_submitted").await.is_empty());
    let own = feedback::responses::view(db, &d.marco, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert!(own.may_respond);
    assert_eq!(own.responses.len(), 3);
    assert_eq!(
        own.responses[0].status,
        Some(app::model::ResponseStatus::Adopted)
    );
    assert_eq!(own.responses[1].status, None);
    assert_eq!(
        own.responses[2].status,
        Some(app::model::ResponseStatus::StillOpen)
    );
    // A draft is the owner's: the panel sees nothing of it yet.
    for who in [&d.sam, &d.noor, &d.eva] {
        let seen = feedback::responses::view(db, who, id, State::AdviceSent, Some(d.marco.id))
            .await
            .unwrap()
            .unwrap();
        assert!(seen.responses.is_empty(), "{}", who.display_name);
        assert!(!seen.may_respond);
    }

    // A valid submission: saved, dated, told to the coordinators (not to the owner).
    let mut forms = valid();
    forms[1] = ResponseForm {
        status: "still_open".into(),
        explanation: "Besluit volgt.".into(),
        follow_up: next_month.clone(),
        ..Default::default()
    };
    submit(forms).await.unwrap();
    assert!(submitted_at(t, id).await.is_some());
    assert_eq!(notified(t, id, "feedback_submitted").await, vec![d.noor.id]);
    let stored: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT s.status, s.reason, s.follow_up FROM responses s
         JOIN recommendations r ON r.id = s.recommendation_id
         WHERE r.question_id = $1 ORDER BY r.position",
    )
    .bind(id)
    .fetch_all(db.read())
    .await
    .unwrap();
    assert_eq!(
        stored,
        vec![
            ("adopted".to_string(), String::new(), None),
            ("still_open".to_string(), String::new(), Some(next_month)),
            (
                "not_adopted".to_string(),
                "Dat regelt het rijk.".to_string(),
                None
            ),
        ]
    );
    let seen = feedback::responses::view(db, &d.sam, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.responses.len(), 3, "submitted answers are the panel's");
    assert_eq!(seen.message, message);
    assert!(seen.submitted.is_some());
    // A draft may not replace what the panel has read: changes go as a new submission.
    assert_eq!(
        feedback::responses::save(db, URL, &d.marco, id, "", &[], false).await,
        Err(AppError::invalid("feedback", Problem::AlreadySubmitted))
    );
    let again = feedback::responses::view(db, &d.sam, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.message, message);
    assert_eq!(again.responses, seen.responses);
}

on_both_backends!(
    comply_or_explain_sqlite,
    comply_or_explain_postgres,
    comply_or_explain_story
);

// ---------------------------------------------------------------------------------------
// 3. The infographic.

type InfographicRow = (
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<i64>,
    i64,
);

async fn infographic_row(t: &TestDb, id: i64) -> Option<InfographicRow> {
    sqlx::query_as(
        "SELECT question_line, said, meaning, quote_input_id, theme, published_json,
                published_at, updated_at
         FROM infographics WHERE question_id = $1",
    )
    .bind(id)
    .fetch_optional(t.db.read())
    .await
    .unwrap()
}

async fn infographic_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let title = "Wachten op jeugdhulp";
    let q = advice_sent(t, &d, title, 2).await;
    let id = q.id;
    let quote = q.quotable.to_string();

    // Coordinators of the panel only.
    for who in [&d.sam, &d.marco] {
        assert_eq!(
            feedback::infographic::save_infographic(db, URL, who, id, &infographic_form(""), true)
                .await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            feedback::infographic::editor(db, who, id).await.map(|_| ()),
            Err(AppError::Forbidden)
        );
    }
    assert_eq!(
        feedback::infographic::save_infographic(db, URL, &d.kim, id, &infographic_form(""), true)
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        feedback::infographic::editor(db, &d.kim, id)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    // Only inputs whose author allowed it can be quoted.
    let editor = feedback::infographic::editor(db, &d.noor, id)
        .await
        .unwrap();
    let quotable: Vec<i64> = editor.quotable.iter().map(|i| i.id).collect();
    assert_eq!(quotable, vec![q.quotable]);
    assert!(!editor.feedback_submitted);
    // Not before the owner submitted the answers.
    assert_eq!(
        fields(
            feedback::infographic::save_infographic(
                db,
                URL,
                &d.noor,
                id,
                &infographic_form(&quote),
                true
            )
            .await
            .unwrap_err()
        ),
        problem("infographic", Problem::FeedbackMissing)
    );
    assert_eq!(infographic_row(t, id).await, None, "nothing saved");
    for bad in [q.named.to_string(), "abc".into(), "999999".into()] {
        assert_eq!(
            fields(
                feedback::infographic::save_infographic(
                    db,
                    URL,
                    &d.noor,
                    id,
                    &infographic_form(&bad),
                    false
                )
                .await
                .unwrap_err()
            ),
            problem("quote", Problem::NotQuotable),
            "{bad}"
        );
    }
    assert_eq!(infographic_row(t, id).await, None);
    // A draft can be saved before the answers are in.
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(&quote), false)
        .await
        .unwrap();
    let draft = infographic_row(t, id).await.unwrap();
    assert_eq!(draft.3, Some(q.quotable));
    assert_eq!(draft.5, None, "not published");
    assert_eq!(
        feedback::infographic::published(db, "demo", id)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );

    // The owner answers; the coordinator publishes.
    submit_all(t, &d, id, 2).await;
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(&quote), true)
        .await
        .unwrap();
    let row = infographic_row(t, id).await.unwrap();
    let json = row.5.clone().expect("published_json");
    assert!(row.6.is_some());
    let published = feedback::infographic::published(db, "demo", id)
        .await
        .unwrap();
    assert_eq!(published.title, title);
    assert_eq!(published.items.len(), 2);
    assert_eq!(published.quote.as_deref(), Some(QUOTABLE_TEXT));
    assert_eq!(published.theme, app::model::ColourTheme::Forest);
    assert_eq!(published.members, 3, "Sam, Jay and Lina took part");
    assert!(published.published.is_some());
    assert_eq!(
        feedback::infographic::published(db, "ander-panel", id)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    assert_eq!(
        feedback::infographic::published(db, "bestaat-niet", id)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    assert_eq!(
        feedback::infographic::published(db, "demo", id + 1000)
            .await
            .map(|_| ()),
        Err(AppError::NotFound)
    );
    // It names no one: not Jay, who showed his name on his input, nor anyone else.
    let encoded = serde_json::to_string(&published).unwrap();
    for text in [&json, &encoded] {
        assert_eq!(names_someone(text), None, "{text}");
    }
    assert!(json.contains(QUOTABLE_TEXT), "the quote is there");
    // Jay's input is the most recognised (Lina endorsed it), but Jay did not allow
    // quoting: his words appear nowhere outside the panel — not in the published copy, not
    // in what the public page gets, not in the SVG (the PNG is drawn from it, in either
    // language). The coordinator's summary stands for it.
    let svgs = [
        app::backend::feedback::render::svg(&published, &app::backend::feedback::render::NL),
        app::backend::feedback::render::svg(&published, &app::backend::feedback::render::EN),
    ];
    for text in [&json, &encoded, &svgs[0], &svgs[1]] {
        assert!(!text.contains(NAMED_TEXT), "unquotable words in {text}");
    }
    assert!(published.said.contains("geef houvast"));
    assert!(published
        .top_inputs
        .iter()
        .all(|t| t.as_str() == QUOTABLE_TEXT));
    // A copy published before this rule (or an input hidden since) is cleaned when read.
    let mut leaked: serde_json::Value = serde_json::from_str(&json).unwrap();
    leaked["top_inputs"] = serde_json::json!([NAMED_TEXT]);
    leaked["quote"] = serde_json::json!(NAMED_TEXT);
    let leaked = leaked.to_string();
    sqlx::query("UPDATE infographics SET published_json = $1 WHERE question_id = $2")
        .bind(&leaked)
        .bind(id)
        .execute(db.write())
        .await
        .unwrap();
    let cleaned = feedback::infographic::published_by_id(db, id)
        .await
        .unwrap();
    assert!(!serde_json::to_string(&cleaned)
        .unwrap()
        .contains(NAMED_TEXT));
    assert!(cleaned.top_inputs.is_empty() && cleaned.quote.is_none());
    sqlx::query("UPDATE infographics SET published_json = $1 WHERE question_id = $2")
        .bind(&json)
        .bind(id)
        .execute(db.write())
        .await
        .unwrap();
    // Everyone who gave or endorsed input hears it once; not Daan, not the coordinator
    // who published it, not the owner.
    let mut took_part = vec![d.sam.id, d.jay.id, d.lina.id];
    took_part.sort_unstable();
    assert_eq!(notified(t, id, "feedback_published").await, took_part);
    assert!(!took_part.contains(&d.daan.id));
    // The public page: members of the panel may rate it.
    let page = feedback::infographic::public_page(db, URL, Some(&d.sam), "demo", id)
        .await
        .unwrap();
    assert!(page.may_rate);
    assert!(
        !feedback::infographic::public_page(db, URL, None, "demo", id)
            .await
            .unwrap()
            .may_rate
    );
    assert!(
        !feedback::infographic::public_page(db, URL, Some(&d.marco), "demo", id)
            .await
            .unwrap()
            .may_rate
    );
    let gallery = |panel: i64| {
        let db = db.clone();
        async move {
            feedback::transparency::public_feedback(&db, panel, &Default::default())
                .await
                .unwrap()
                .0
        }
    };
    let ours = gallery(d.noor.panel.id).await;
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].id, id);
    assert!(gallery(d.kim.panel.id).await.is_empty());

    // Once published, it changes only by publishing again.
    let mut changed = infographic_form(&quote);
    changed.meaning = "Iets heel anders.".into();
    assert_eq!(
        fields(
            feedback::infographic::save_infographic(db, URL, &d.noor, id, &changed, false)
                .await
                .unwrap_err()
        ),
        problem("infographic", Problem::RepublishNeeded)
    );
    assert_eq!(
        infographic_row(t, id).await.unwrap(),
        row,
        "nothing changed"
    );
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &changed, true)
        .await
        .unwrap();
    assert_eq!(
        feedback::infographic::published(db, "demo", id)
            .await
            .unwrap()
            .meaning,
        "Iets heel anders."
    );
    assert_eq!(
        notified(t, id, "feedback_published").await,
        took_part,
        "told once, not at every publication"
    );
}

on_both_backends!(infographic_sqlite, infographic_postgres, infographic_story);

// ---------------------------------------------------------------------------------------
// 4. Closing.

async fn close_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let q = advice_sent(t, &d, "Wachten op jeugdhulp", 2).await;
    let id = q.id;
    let next_month =
        clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 30).unwrap();
    let mut forms = final_answers(2);
    forms[1] = ResponseForm {
        status: "still_open".into(),
        explanation: "Besluit volgt.".into(),
        follow_up: next_month,
        ..Default::default()
    };
    feedback::responses::save(db, URL, &d.marco, id, "Dank.", &forms, true)
        .await
        .unwrap();

    assert_eq!(
        feedback::responses::close(db, &d.noor, id).await,
        Err(AppError::invalid("close", Problem::NotPublished))
    );
    assert_eq!(state_of(t, id).await, "advice_sent");
    for who in [&d.sam, &d.marco] {
        assert_eq!(
            feedback::responses::close(db, who, id).await,
            Err(AppError::Forbidden)
        );
    }
    assert_eq!(
        feedback::responses::close(db, &d.kim, id).await,
        Err(AppError::NotFound)
    );
    // Published with a point still open: not yet.
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(""), true)
        .await
        .unwrap();
    assert_eq!(
        feedback::responses::close(db, &d.noor, id).await,
        Err(AppError::invalid("close", Problem::StillOpen))
    );
    assert_eq!(state_of(t, id).await, "advice_sent");
    // Decided: the owner submits again. What young people see still says "still open", so
    // closing waits until the coordinator publishes again. (The publication is moved a
    // minute back so the answer is later than it, whatever the clock's second.)
    feedback::responses::save(db, URL, &d.marco, id, "Dank.", &final_answers(2), true)
        .await
        .unwrap();
    sqlx::query("UPDATE infographics SET published_at = published_at - 60 WHERE question_id = $1")
        .bind(id)
        .execute(db.write())
        .await
        .unwrap();
    assert_eq!(
        feedback::responses::close(db, &d.noor, id).await,
        Err(AppError::invalid("close", Problem::RepublishNeeded))
    );
    assert_eq!(state_of(t, id).await, "advice_sent");
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(""), true)
        .await
        .unwrap();
    feedback::responses::close(db, &d.noor, id).await.unwrap();
    assert_eq!(state_of(t, id).await, "closed");
    assert_eq!(
        question_page::detail(db, &d.sam, id).await.unwrap().state,
        State::Closed
    );
    assert_eq!(
        feedback::responses::close(db, &d.noor, id).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    // Closed is final: no more answers or infographic changes, still public.
    assert_eq!(
        feedback::responses::save(db, URL, &d.marco, id, "Dank.", &final_answers(2), true).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert_eq!(
        feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(""), true)
            .await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert!(feedback::infographic::published(db, "demo", id)
        .await
        .is_ok());
    let view = feedback::responses::view(db, &d.noor, id, State::Closed, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert!(!view.may_close && !view.may_edit_infographic);
}

on_both_backends!(close_sqlite, close_postgres, close_story);

// ---------------------------------------------------------------------------------------
// 5. Ratings.

async fn ratings_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let q = advice_sent(t, &d, "Wachten op jeugdhulp", 1).await;
    let id = q.id;
    submit_all(t, &d, id, 1).await;
    // Not published yet: nothing to rate.
    assert_eq!(
        feedback::ratings::rate(db, &d.sam, id, "4", "").await,
        Err(AppError::NotFound)
    );
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(""), true)
        .await
        .unwrap();
    let count = move || async move {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM feedback_ratings WHERE question_id = $1")
                .bind(id)
                .fetch_one(db.read())
                .await
                .unwrap();
        n
    };
    for bad in ["0", "6", "abc", "", "4.5"] {
        assert_eq!(
            feedback::ratings::rate(db, &d.sam, id, bad, "").await,
            Err(AppError::invalid(
                "score",
                Problem::OutOfRange { min: 1, max: 5 }
            )),
            "{bad}"
        );
    }
    assert_eq!(count().await, 0);
    for who in [&d.marco, &d.eva, &d.noor, &d.kim] {
        assert_eq!(
            feedback::ratings::rate(db, who, id, "4", "").await,
            Err(AppError::Forbidden),
            "{}",
            who.display_name
        );
    }
    assert_eq!(count().await, 0);
    feedback::ratings::rate(db, &d.sam, id, "4", "Duidelijk uitgelegd.")
        .await
        .unwrap();
    feedback::ratings::rate(db, &d.sam, id, "5", "Heel duidelijk.")
        .await
        .unwrap();
    assert_eq!(count().await, 1, "again changes the rating");
    feedback::ratings::rate(db, &d.jay, id, " 2 ", "")
        .await
        .unwrap();
    assert_eq!(count().await, 2);
    let for_owner =
        feedback::responses::view(db, &d.marco, id, State::AdviceSent, Some(d.marco.id))
            .await
            .unwrap()
            .unwrap();
    let ratings = for_owner.ratings.unwrap();
    assert_eq!(ratings.count, 2);
    assert_eq!(ratings.average_tenths, 35);
    assert_eq!(ratings.comments, vec![(5, "Heel duidelijk.".to_string())]);
    let for_noor = feedback::responses::view(db, &d.noor, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(for_noor.ratings.unwrap().count, 2);
    let for_sam = feedback::responses::view(db, &d.sam, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(for_sam.ratings, None, "members see their own rating only");
    assert_eq!(for_sam.my_rating, Some((5, "Heel duidelijk.".to_string())));
    let page = feedback::infographic::public_page(db, URL, Some(&d.jay), "demo", id)
        .await
        .unwrap();
    assert_eq!(page.my_rating, Some((2, String::new())));
}

on_both_backends!(ratings_sqlite, ratings_postgres, ratings_story);

// ---------------------------------------------------------------------------------------
// 6. Late answers on the panel's page.

async fn overdue_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let panel = d.noor.panel.id;
    let q = advice_sent(t, &d, "Wachten op jeugdhulp", 1).await;
    let id = q.id;
    assert_eq!(
        feedback::reminders::overdue_count(db, panel).await.unwrap(),
        0
    );
    let today = clock::iso_date(app::backend::platform::db::now());
    let set_due = move |due: String| async move {
        sqlx::query("UPDATE questions SET feedback_due = $1 WHERE id = $2")
            .bind(due)
            .bind(id)
            .execute(db.write())
            .await
            .unwrap();
    };
    set_due(today.clone()).await;
    assert_eq!(
        feedback::reminders::overdue_count(db, panel).await.unwrap(),
        0,
        "due today is not late"
    );
    set_due(clock::add_days(&today, -1).unwrap()).await;
    assert_eq!(
        feedback::reminders::overdue_count(db, panel).await.unwrap(),
        1
    );
    assert_eq!(
        feedback::reminders::overdue_count(db, d.kim.panel.id)
            .await
            .unwrap(),
        0
    );
    let view = feedback::responses::view(db, &d.marco, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.days_overdue, 1);
    submit_all(t, &d, id, 1).await;
    assert_eq!(
        feedback::reminders::overdue_count(db, panel).await.unwrap(),
        0
    );
    let view = feedback::responses::view(db, &d.marco, id, State::AdviceSent, Some(d.marco.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.days_overdue, 0);
}

on_both_backends!(overdue_sqlite, overdue_postgres, overdue_story);

// ---------------------------------------------------------------------------------------
// 7. A still-open point: its owner is reminded on the follow-up date, once per date.

async fn follow_up_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let title = "Open punt";
    let q = advice_sent(t, &d, title, 2).await;
    let id = q.id;
    let mut forms = final_answers(2);
    forms[1] = ResponseForm {
        status: "still_open".into(),
        explanation: "Het besluit valt in de gemeenteraad.".into(),
        follow_up: clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 30)
            .unwrap(),
        ..Default::default()
    };
    feedback::responses::save(db, URL, &d.marco, id, "Dank.", &forms, true)
        .await
        .unwrap();
    // The follow-up day is moved to a fixed date for the fake clock.
    run(
        t,
        "UPDATE responses SET follow_up = '2030-06-12' WHERE status = 'still_open'
           AND recommendation_id IN (SELECT id FROM recommendations WHERE question_id = $1)",
        id,
    )
    .await;
    run(t, "DELETE FROM outbox", id).await;
    let follow_ups = |t: &TestDb| {
        let db = t.db.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT recipient FROM outbox WHERE subject LIKE '%open punt wacht%' ORDER BY id",
            )
            .fetch_all(db.read())
            .await
            .unwrap();
            rows.into_iter().map(|(r,)| r).collect::<Vec<_>>()
        }
    };
    // The day before: nothing. On the day: once, to the owner. Again and later: nothing.
    feedback::reminders::send_reminders(db, URL, at(-1, 9))
        .await
        .unwrap();
    assert!(follow_ups(t).await.is_empty());
    let (a, b) = tokio::join!(
        feedback::reminders::send_reminders(db, URL, at(0, 9)),
        feedback::reminders::send_reminders(db, URL, at(0, 9))
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(
        follow_ups(t).await,
        vec!["beleid@demo.klankbord.test".to_string()]
    );
    feedback::reminders::send_reminders(db, URL, at(3, 9))
        .await
        .unwrap();
    assert_eq!(follow_ups(t).await.len(), 1);
    // A new date is a new reminder.
    run(
        t,
        "UPDATE responses SET follow_up = '2030-06-20' WHERE status = 'still_open'",
        id,
    )
    .await;
    feedback::reminders::send_reminders(db, URL, at(8, 9))
        .await
        .unwrap();
    assert_eq!(follow_ups(t).await.len(), 2);
    // Decided: no more.
    feedback::responses::save(db, URL, &d.marco, id, "Dank.", &final_answers(2), true)
        .await
        .unwrap();
    run(t, "UPDATE responses SET follow_up = '2030-06-25'", id).await;
    feedback::reminders::send_reminders(db, URL, at(20, 9))
        .await
        .unwrap();
    assert_eq!(follow_ups(t).await.len(), 2);
}

on_both_backends!(follow_up_sqlite, follow_up_postgres, follow_up_story);

// ---------------------------------------------------------------------------------------
// 8. Follow-through: what became of each adopted recommendation.

fn progress(position: i64, state: &str, expected_on: &str, note: &str) -> ProgressForm {
    ProgressForm {
        position: position.to_string(),
        progress: state.into(),
        expected_on: expected_on.into(),
        note: note.into(),
    }
}

async fn progress_rows(t: &TestDb) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM progress_updates")
        .fetch_one(t.db.read())
        .await
        .unwrap();
    n
}

/// The question as `viewer` reads its feedback part.
async fn feedback_of(t: &TestDb, viewer: &CurrentUser, id: i64) -> app::model::FeedbackView {
    feedback::responses::form(&t.db, viewer, id)
        .await
        .unwrap()
        .1
}

async fn follow_through_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let q = advice_sent(t, &d, "Wachten op hulp", 3).await;
    let id = q.id;
    let in_a_month =
        clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 30).unwrap();
    // Before the answers are submitted, nobody follows anything.
    assert_eq!(
        feedback::progress::update(
            db,
            URL,
            &d.marco,
            id,
            &progress(1, "planned", &in_a_month, "Start.")
        )
        .await
        .unwrap_err(),
        AppError::invalid("state", Problem::WrongState)
    );
    let mut forms = final_answers(3);
    forms[1] = ResponseForm {
        status: "partly".into(),
        explanation: "Een deel doen we.".into(),
        reason: "De rest kost te veel.".into(),
        ..Default::default()
    };
    forms[2] = ResponseForm {
        status: "not_adopted".into(),
        explanation: "Dit doen we niet.".into(),
        reason: "Het mag wettelijk niet.".into(),
        ..Default::default()
    };
    feedback::responses::save(db, URL, &d.marco, id, "Dank.", &forms, true)
        .await
        .unwrap();
    // The owner and the coordinators follow it; members and other policy makers read.
    assert!(feedback_of(t, &d.marco, id).await.may_track);
    assert!(feedback_of(t, &d.noor, id).await.may_track);
    assert!(!feedback_of(t, &d.sam, id).await.may_track);
    assert!(!feedback_of(t, &d.eva, id).await.may_track);

    // Refused, and nothing stored: a recommendation that was not adopted, one that does
    // not exist, a date in the wrong format or past, stopped without a reason, the wrong
    // people.
    let refused = |r: Result<app::model::Progress, AppError>| match r {
        Err(AppError::Invalid(list)) => list
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect::<Vec<_>>(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refused(
            feedback::progress::update(
                db,
                URL,
                &d.marco,
                id,
                &progress(3, "planned", &in_a_month, "x")
            )
            .await
        ),
        problem("update_3", Problem::NotAdopted)
    );
    for position in ["9", "x", ""] {
        let mut form = progress(1, "planned", &in_a_month, "x");
        form.position = position.into();
        assert_eq!(
            feedback::progress::update(db, URL, &d.marco, id, &form)
                .await
                .unwrap_err(),
            AppError::NotFound,
            "position {position:?}"
        );
    }
    assert_eq!(
        refused(
            feedback::progress::update(
                db,
                URL,
                &d.marco,
                id,
                &progress(1, "planned", "1-7-2030", "x")
            )
            .await
        ),
        problem("expected_on_1", Problem::InvalidDate)
    );
    assert_eq!(
        refused(
            feedback::progress::update(
                db,
                URL,
                &d.marco,
                id,
                &progress(1, "in_progress", "2020-01-01", "x")
            )
            .await
        ),
        problem("expected_on_1", Problem::DateInPast)
    );
    assert_eq!(
        refused(
            feedback::progress::update(db, URL, &d.marco, id, &progress(1, "stopped", "", " "))
                .await
        ),
        problem("note_1", Problem::Required)
    );
    assert_eq!(
        refused(
            feedback::progress::update(db, URL, &d.marco, id, &progress(1, "half", "", "x")).await
        ),
        problem("progress_1", Problem::InvalidChoice)
    );
    for (who, expected) in [
        (&d.sam, AppError::Forbidden),
        (&d.eva, AppError::Forbidden),
        (&d.kim, AppError::NotFound),
    ] {
        assert_eq!(
            feedback::progress::update(db, URL, who, id, &progress(1, "planned", &in_a_month, "x"))
                .await
                .unwrap_err(),
            expected
        );
    }
    assert_eq!(progress_rows(t).await, 0);

    // The owner plans recommendation 1 and starts it; the coordinator writes for
    // recommendation 2 on the owner's behalf.
    for (who, form) in [
        (
            &d.marco,
            progress(1, "planned", &in_a_month, "We zoeken een aanspreekpunt."),
        ),
        (
            &d.marco,
            progress(1, "in_progress", &in_a_month, "Er is iemand aangenomen."),
        ),
        (
            &d.noor,
            progress(
                2,
                "in_progress",
                &in_a_month,
                "De wachtlijst-app wordt gebouwd.",
            ),
        ),
    ] {
        feedback::progress::update(db, URL, who, id, &form)
            .await
            .unwrap();
    }
    let fb = feedback_of(t, &d.sam, id).await;
    let states =
        |r: &app::model::ResponseView| r.progress.iter().map(|u| u.state).collect::<Vec<_>>();
    use app::model::Progress::{Done, InProgress, Planned, Stopped};
    assert_eq!(states(&fb.responses[0]), vec![Planned, InProgress]);
    assert_eq!(states(&fb.responses[1]), vec![InProgress]);
    assert!(fb.responses[2].progress.is_empty());
    assert!(!fb.responses[0].progress[1].on_behalf);
    assert!(fb.responses[1].progress[0].on_behalf);
    assert_eq!(
        fb.responses[0].progress[1].expected.as_deref(),
        Some(clock::iso_to_display(&in_a_month).as_str())
    );
    assert!(notified(t, id, "recommendation_done").await.is_empty());

    // The coordinator publishes the infographic while recommendation 1 is in progress.
    feedback::infographic::save_infographic(db, URL, &d.noor, id, &infographic_form(""), true)
        .await
        .unwrap();
    let frozen = infographic_row(t, id).await.unwrap();
    let public = feedback::infographic::published(db, "demo", id)
        .await
        .unwrap();
    assert_eq!(public.items[0].progress.as_ref().unwrap().state, InProgress);

    // Done: everyone who took part is told (Sam and Jay gave input, Lina endorsed it;
    // Daan did nothing), and no update follows.
    assert_eq!(
        feedback::progress::update(
            db,
            URL,
            &d.marco,
            id,
            &progress(1, "done", "", "Het aanspreekpunt is er.")
        )
        .await
        .unwrap(),
        Done
    );
    let mut took_part = vec![d.sam.id, d.jay.id, d.lina.id];
    took_part.sort_unstable();
    assert_eq!(notified(t, id, "recommendation_done").await, took_part);
    assert_eq!(
        refused(
            feedback::progress::update(
                db,
                URL,
                &d.noor,
                id,
                &progress(1, "in_progress", &in_a_month, "x")
            )
            .await
        ),
        problem("update_1", Problem::ProgressFinished)
    );
    // Stopped, with the reason, on the owner's behalf: told too.
    feedback::progress::update(
        db,
        URL,
        &d.noor,
        id,
        &progress(2, "stopped", "", "De leverancier is failliet."),
    )
    .await
    .unwrap();
    assert_eq!(notified(t, id, "recommendation_stopped").await, took_part);
    assert_eq!(progress_rows(t).await, 5);

    // The published infographic is not rewritten: its copy is the same, and the newest
    // update of each recommendation is shown beside it with its own date.
    let after = infographic_row(t, id).await.unwrap();
    assert_eq!(after.5, frozen.5);
    assert_eq!(after.6, frozen.6);
    let public = feedback::infographic::published(db, "demo", id)
        .await
        .unwrap();
    let update = public.items[0].progress.as_ref().unwrap();
    assert_eq!(update.state, Done);
    assert_eq!(update.note, "Het aanspreekpunt is er.");
    assert_eq!(update.on, clock::date(app::backend::platform::db::now()));
    assert_eq!(public.items[1].progress.as_ref().unwrap().state, Stopped);
    assert!(public.items[2].progress.is_none());
    let svg = feedback::render::svg(&public, &feedback::render::NL);
    assert!(svg.contains("Uitgevoerd"), "{svg}");
    assert!(svg.contains("De leverancier is failliet."));

    // A closed question is still followed.
    feedback::responses::close(db, &d.noor, id).await.unwrap();
    assert_eq!(state_of(t, id).await, "closed");
    assert!(feedback_of(t, &d.marco, id).await.may_track);
}

on_both_backends!(
    follow_through_sqlite,
    follow_through_postgres,
    follow_through_story
);

/// The owner is reminded once per recommendation and expected day, the day after it
/// passed without an update (also with two instances at once).
async fn progress_reminders_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let q = advice_sent(t, &d, "Aanspreekpunt", 1).await;
    let id = q.id;
    submit_all(t, &d, id, 1).await;
    let in_a_month =
        clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 30).unwrap();
    feedback::progress::update(
        db,
        URL,
        &d.marco,
        id,
        &progress(1, "planned", &in_a_month, "Gepland."),
    )
    .await
    .unwrap();
    run(
        t,
        "UPDATE progress_updates SET expected_on = '2030-06-12'",
        id,
    )
    .await;
    run(t, "DELETE FROM outbox", id).await;
    let reminders = |t: &TestDb| {
        let db = t.db.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT recipient FROM outbox WHERE subject LIKE '%klaar moeten zijn%' ORDER BY id",
            )
            .fetch_all(db.read())
            .await
            .unwrap();
            rows.into_iter().map(|(r,)| r).collect::<Vec<_>>()
        }
    };
    // On the expected day itself: nothing yet. The day after: once, to the owner.
    feedback::reminders::send_reminders(db, URL, at(0, 9))
        .await
        .unwrap();
    assert!(reminders(t).await.is_empty());
    let (a, b) = tokio::join!(
        feedback::reminders::send_reminders(db, URL, at(1, 9)),
        feedback::reminders::send_reminders(db, URL, at(1, 9))
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(
        reminders(t).await,
        vec!["beleid@demo.klankbord.test".to_string()]
    );
    feedback::reminders::send_reminders(db, URL, at(5, 9))
        .await
        .unwrap();
    assert_eq!(reminders(t).await.len(), 1);
    let (_, _, body) = outbox(t).await.pop().unwrap();
    assert!(body.contains("12-06-2030"), "{body}");
    // An update with a new day: reminded again once that day has passed.
    feedback::progress::update(
        db,
        URL,
        &d.marco,
        id,
        &progress(1, "in_progress", &in_a_month, "Bezig."),
    )
    .await
    .unwrap();
    run(
        t,
        "UPDATE progress_updates SET expected_on = '2030-06-20' WHERE state = 'in_progress'",
        id,
    )
    .await;
    feedback::reminders::send_reminders(db, URL, at(8, 9))
        .await
        .unwrap();
    assert_eq!(reminders(t).await.len(), 1);
    feedback::reminders::send_reminders(db, URL, at(9, 9))
        .await
        .unwrap();
    assert_eq!(reminders(t).await.len(), 2);
    // Done: no more.
    feedback::progress::update(db, URL, &d.marco, id, &progress(1, "done", "", "Klaar."))
        .await
        .unwrap();
    feedback::reminders::send_reminders(db, URL, at(30, 9))
        .await
        .unwrap();
    assert_eq!(reminders(t).await.len(), 2);
}

on_both_backends!(
    progress_reminders_sqlite,
    progress_reminders_postgres,
    progress_reminders_story
);

// ---------------------------------------------------------------------------------------
// 9. The impact overview, on a seeded history, against figures computed here.

/// A question of the seeded history, as the test knows it.
struct Seeded {
    id: i64,
    theme: i64,
    municipality: i64,
    received: i64,
    advised: Option<i64>,
    answered: Option<i64>,
    closed: Option<i64>,
    due: Option<String>,
    /// (answer, newest update) per recommendation.
    recs: Vec<(&'static str, Option<&'static str>)>,
}

/// A recommendation as seeded: its answer and its newest update.
type SeededRec<'a> = (&'a str, Option<&'a str>);

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    fn day(&mut self) -> i64 {
        // A moment in 2025 or 2026 up to 25 November, at a random hour.
        let (y, m, d) = clock::plus_days(2025, 1, 1, i64::try_from(self.below(694)).unwrap());
        clock::amsterdam_moment(y, m, d, i64::try_from(self.below(24 * 60)).unwrap())
    }
}

async fn exec(t: &TestDb, sql: &str, binds: &[i64]) -> i64 {
    let mut q = sqlx::query_as::<_, (i64,)>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_optional(t.db.write())
        .await
        .unwrap()
        .map_or(0, |(id,)| id)
}

/// Seeds `n` questions through every stage, with inputs, endorsements, meetings and
/// ratings; returns what the test knows of them, the members' (moment, who, question)
/// taking part, the meetings (moment, question on the agenda) and the ratings (moment,
/// question, score).
#[allow(clippy::type_complexity)]
async fn seed_history(
    t: &TestDb,
    d: &Demo,
    n: usize,
) -> (
    Vec<Seeded>,
    Vec<(i64, i64, i64)>,
    Vec<(i64, i64)>,
    Vec<(i64, i64, i64)>,
) {
    let data = question_page::form_data(&t.db, &d.marco, None)
        .await
        .unwrap();
    let themes: Vec<i64> = data.themes.iter().take(3).map(|t| t.id).collect();
    let towns: Vec<i64> = data.municipalities.iter().take(3).map(|m| m.id).collect();
    let members = [d.sam.id, d.jay.id, d.lina.id, d.daan.id];
    let answers = ["adopted", "partly", "not_adopted", "still_open"];
    let updates = [
        None,
        Some("planned"),
        Some("in_progress"),
        Some("done"),
        Some("stopped"),
    ];
    run(t, "DELETE FROM meetings", 0).await;
    let mut rng = Lcg(7);
    let mut seeded = Vec::new();
    let mut taking_part = Vec::new();
    let mut ratings = Vec::new();
    let panel = d.marco.panel.id;
    for i in 0..n {
        let received = rng.day();
        let stage = rng.below(4);
        let advised =
            (stage >= 1).then(|| received + 86_400 * (10 + i64::try_from(rng.below(30)).unwrap()));
        let answered = advised
            .filter(|_| stage >= 2)
            .map(|a| a + 86_400 * (1 + i64::try_from(rng.below(60)).unwrap()) + 3_600);
        let closed = answered.filter(|_| stage >= 3).map(|a| a + 86_400 * 3);
        let due = advised.map(|a| clock::add_days(&clock::iso_date(a), 42).unwrap());
        let state = match stage {
            0 => "submitted",
            3 => "closed",
            _ => "advice_sent",
        };
        let theme = themes[usize::try_from(rng.below(3)).unwrap() % themes.len()];
        let town = towns[usize::try_from(rng.below(3)).unwrap() % towns.len()];
        let id: i64 = sqlx::query_as::<_, (i64,)>(
            "INSERT INTO questions (panel_id, kind, state, title, theme_id, owner_id, created_by,
                                    advice_sent_at, feedback_due, feedback_submitted_at,
                                    created_at, updated_at)
             VALUES ($1, 'solicited', $2, $3, $4, $5, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(panel)
        .bind(state)
        .bind(format!("Geschiedenis {i}"))
        .bind(theme)
        .bind(d.marco.id)
        .bind(advised)
        .bind(due.clone())
        .bind(answered)
        .bind(received - 86_400)
        .fetch_one(t.db.write())
        .await
        .unwrap()
        .0;
        exec(
            t,
            "INSERT INTO question_municipalities (question_id, municipality_id) VALUES ($1, $2)",
            &[id, town],
        )
        .await;
        // Submitted, returned and submitted again months later: received the first time.
        exec(
            t,
            "INSERT INTO question_events (question_id, event, at) VALUES ($1, 'submitted', $2)",
            &[id, received],
        )
        .await;
        if i % 5 == 0 {
            exec(
                t,
                "INSERT INTO question_events (question_id, event, at) VALUES ($1, 'submitted', $2)",
                &[id, received + 120 * 86_400],
            )
            .await;
        }
        if let Some(c) = closed {
            exec(
                t,
                "INSERT INTO question_events (question_id, event, at) VALUES ($1, 'closed', $2)",
                &[id, c],
            )
            .await;
        }
        let mut recs = Vec::new();
        if let Some(a) = answered {
            for position in 1..=1 + rng.below(3) {
                let answer = answers[usize::try_from(rng.below(4)).unwrap()];
                let rec = exec(t, "INSERT INTO recommendations (question_id, position, body) VALUES ($1, $2, 'Doe iets.') RETURNING id", &[id, i64::try_from(position).unwrap()]).await;
                sqlx::query("INSERT INTO responses (recommendation_id, status, updated_at) VALUES ($1, $2, $3)")
                    .bind(rec).bind(answer).bind(a).execute(t.db.write()).await.unwrap();
                let mut newest = None;
                if matches!(answer, "adopted" | "partly") {
                    // Up to two updates; the newest counts.
                    for k in 0..rng.below(3) {
                        let state = updates[1 + usize::try_from(rng.below(4)).unwrap()].unwrap();
                        sqlx::query("INSERT INTO progress_updates (recommendation_id, state, note, at) VALUES ($1, $2, 'x', $3)")
                            .bind(rec).bind(state).bind(a + i64::try_from(k).unwrap()).execute(t.db.write()).await.unwrap();
                        newest = Some(state);
                    }
                }
                recs.push((answer, newest));
            }
        }
        // Two members give input, one of them endorses the other's; one input is withdrawn.
        let (a, b) = (members[i % 4], members[(i + 1) % 4]);
        let at = received + 86_400;
        let input = exec(t, "INSERT INTO inputs (question_id, author_id, body, created_at, updated_at) VALUES ($1, $2, 'Mijn mening.', $3, $3) RETURNING id", &[id, a, at]).await;
        exec(
            t,
            "INSERT INTO endorsements (input_id, user_id, created_at) VALUES ($1, $2, $3)",
            &[input, b, at + 60],
        )
        .await;
        taking_part.push((at, a, id));
        taking_part.push((at + 60, b, id));
        if i % 7 == 0 {
            let c = members[(i + 2) % 4];
            exec(t, "INSERT INTO inputs (question_id, author_id, body, withdrawn_at, created_at, updated_at) VALUES ($1, $2, 'Weg.', $3, $3, $3)", &[id, c, at]).await;
        }
        if let Some(a) = answered.filter(|_| i % 2 == 0) {
            let score = 1 + i64::try_from(rng.below(5)).unwrap();
            exec(t, "INSERT INTO feedback_ratings (question_id, user_id, score, at) VALUES ($1, $2, $3, $4)", &[id, members[i % 4], score, a + 86_400]).await;
            ratings.push((a + 86_400, id, score));
        }
        seeded.push(Seeded {
            id,
            theme,
            municipality: town,
            received,
            advised,
            answered,
            closed,
            due,
            recs,
        });
    }
    // A meeting every ten questions, the question on its agenda, Daan attending; one
    // cancelled meeting that counts for nothing.
    let mut meetings = Vec::new();
    for (k, q) in seeded.iter().enumerate().filter(|(k, _)| k % 10 == 3) {
        let starts = q.received + 2 * 86_400;
        let cancelled = if k == 3 { Some(starts) } else { None };
        let meeting: i64 = sqlx::query_as::<_, (i64,)>(
            "INSERT INTO meetings (panel_id, starts_at, ends_at, cancelled_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $2, $2) RETURNING id",
        )
        .bind(panel).bind(starts).bind(starts + 7_200).bind(cancelled)
        .fetch_one(t.db.write()).await.unwrap().0;
        exec(t, "INSERT INTO agenda_items (meeting_id, position, title, duration_minutes, question_id, created_at) VALUES ($1, 1, 'Vraag', 30, $2, $3)", &[meeting, q.id, starts]).await;
        exec(
            t,
            "INSERT INTO meeting_rsvps (meeting_id, user_id, attended) VALUES ($1, $2, 1)",
            &[meeting, d.daan.id],
        )
        .await;
        if cancelled.is_none() {
            meetings.push((starts, q.id));
            taking_part.push((starts, d.daan.id, q.id));
        }
    }
    (seeded, taking_part, meetings, ratings)
}

async fn impact_story(t: &TestDb) {
    use app::backend::feedback::impact::{self, ImpactQuery};
    use app::model::{ImpactFigure, Progress};
    let d = demo_people(t).await;
    let db = &t.db;
    let (seeded, taking_part, meetings, ratings) = seed_history(t, &d, 60).await;
    let today = clock::iso_date(app::backend::platform::db::now());
    let day_start = |iso: &str| {
        let (y, m, dd) = clock::parse_iso_date(iso).unwrap();
        clock::amsterdam_moment(y, m, dd, 0)
    };
    let themes: Vec<i64> = {
        let mut v: Vec<i64> = seeded.iter().map(|q| q.theme).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let theme = themes[0].to_string();
    let town = seeded[0].municipality.to_string();
    let cases = [
        ("2025", "", "", "", ""),
        ("2026", "", "", "", ""),
        ("2026-q2", "", "", "", ""),
        ("custom", "2025-06-15", "2026-03-31", "", ""),
        ("2025", "", "", theme.as_str(), ""),
        ("2026", "", "", "", town.as_str()),
        (
            "custom",
            "2025-01-01",
            "2026-12-31",
            theme.as_str(),
            town.as_str(),
        ),
    ];
    for (period, from, to, th, mu) in cases {
        let query = ImpactQuery {
            period: period.into(),
            from: from.into(),
            to: to.into(),
            theme: th.into(),
            municipality: mu.into(),
            figure: String::new(),
        };
        let page = impact::overview(db, &d.noor, &query).await.unwrap();
        let (start, end) = (
            day_start(&page.from),
            day_start(&clock::add_days(&page.to, 1).unwrap()),
        );
        let within = |at: i64| at >= start && at < end;
        let wanted_theme: Option<i64> = th.parse().ok();
        let wanted_town: Option<i64> = mu.parse().ok();
        let in_scope = |q: &&Seeded| {
            wanted_theme.is_none_or(|t| q.theme == t)
                && wanted_town.is_none_or(|m| q.municipality == m)
        };
        let scoped: Vec<&Seeded> = seeded.iter().filter(in_scope).collect();
        let count = |f: &dyn Fn(&&Seeded) -> bool| {
            i64::try_from(scoped.iter().filter(|q| f(q)).count()).unwrap()
        };
        let answered: Vec<&&Seeded> = scoped
            .iter()
            .filter(|q| q.answered.is_some_and(within))
            .collect();
        let recs: Vec<(&str, Option<&str>)> = answered
            .iter()
            .flat_map(|q| q.recs.iter().copied())
            .collect();
        let recs_where = |f: &dyn Fn(&SeededRec) -> bool| {
            i64::try_from(recs.iter().filter(|r| f(r)).count()).unwrap()
        };
        let adopted_with =
            |p: Option<&str>| recs_where(&|r| matches!(r.0, "adopted" | "partly") && r.1 == p);
        let (adopted, partly, not_adopted) = (
            recs_where(&|r| r.0 == "adopted"),
            recs_where(&|r| r.0 == "partly"),
            recs_where(&|r| r.0 == "not_adopted"),
        );
        let mut days: Vec<i64> = answered
            .iter()
            .map(|q| (q.answered.unwrap() - q.advised.unwrap()) / 86_400)
            .collect();
        days.sort_unstable();
        let median = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2]),
            n => Some((days[n / 2 - 1] + days[n / 2] + 1) / 2),
        };
        let scoped_ids: Vec<i64> = scoped.iter().map(|q| q.id).collect();
        let mut people: Vec<i64> = taking_part
            .iter()
            .filter(|(at, _, q)| within(*at) && scoped_ids.contains(q))
            .map(|(_, who, _)| *who)
            .collect();
        people.sort_unstable();
        people.dedup();
        let scores: Vec<i64> = ratings
            .iter()
            .filter(|(at, q, _)| within(*at) && scoped_ids.contains(q))
            .map(|r| r.2)
            .collect();
        let scores_n = i64::try_from(scores.len()).unwrap();
        let expected = app::model::ImpactFigures {
            received: count(&|q| within(q.received)),
            advised: count(&|q| q.advised.is_some_and(within)),
            answered: i64::try_from(answered.len()).unwrap(),
            closed: count(&|q| q.closed.is_some_and(within)),
            adopted,
            partly,
            not_adopted,
            still_open: recs_where(&|r| r.0 == "still_open"),
            no_update: adopted_with(None),
            planned: adopted_with(Some("planned")),
            in_progress: adopted_with(Some("in_progress")),
            done: adopted_with(Some("done")),
            stopped: adopted_with(Some("stopped")),
            adoption_percent: (adopted + partly + not_adopted > 0).then(|| {
                let whole = adopted + partly + not_adopted;
                ((adopted + partly) * 200 + whole) / (2 * whole)
            }),
            median_days: median,
            overdue_now: count(&|q| {
                q.answered.is_none()
                    && q.closed.is_none()
                    && q.due.as_deref().is_some_and(|due| due < today.as_str())
            }),
            members: i64::try_from(people.len()).unwrap(),
            meetings: i64::try_from(
                meetings
                    .iter()
                    .filter(|(at, q)| {
                        within(*at)
                            && (wanted_theme.is_none() && wanted_town.is_none()
                                || scoped_ids.contains(q))
                    })
                    .count(),
            )
            .unwrap(),
            ratings: scores_n,
            rating_tenths: (scores_n > 0)
                .then(|| (scores.iter().sum::<i64>() * 20 + scores_n) / (2 * scores_n)),
        };
        assert_eq!(
            page.figures, expected,
            "case {period} {from} {to} theme {th} municipality {mu}"
        );
        assert!(
            page.figures.received > 0 || period == "2026-q2",
            "the history reaches this case"
        );
    }
    // The questions behind a figure are the ones counted.
    let query = |figure: &str| ImpactQuery {
        period: "2025".into(),
        figure: figure.into(),
        ..Default::default()
    };
    let page = impact::overview(db, &d.marco, &query("advised"))
        .await
        .unwrap();
    let (start, end) = (day_start("2025-01-01"), day_start("2026-01-01"));
    let expected: Vec<i64> = seeded
        .iter()
        .filter(|q| q.advised.is_some_and(|a| a >= start && a < end))
        .map(|q| q.id)
        .collect();
    assert_eq!(
        page.behind.iter().map(|q| q.id).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(i64::try_from(expected.len()).unwrap(), page.figures.advised);
    let page = impact::overview(db, &d.marco, &query("progress-done"))
        .await
        .unwrap();
    let expected: Vec<i64> = seeded
        .iter()
        .filter(|q| {
            q.answered.is_some_and(|a| a >= start && a < end)
                && q.recs
                    .iter()
                    .any(|r| matches!(r.0, "adopted" | "partly") && r.1 == Some("done"))
        })
        .map(|q| q.id)
        .collect();
    assert_eq!(
        page.behind.iter().map(|q| q.id).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        page.figure,
        Some(ImpactFigure::Progress(Some(Progress::Done)))
    );
    // Another policy maker sees the same count, but lists only what they may open: not
    // the questions still waiting to be accepted.
    let page = impact::overview(db, &d.eva, &query("received"))
        .await
        .unwrap();
    assert_eq!(
        i64::try_from(page.behind.len()).unwrap() + page.hidden,
        page.figures.received
    );
    assert!(page.hidden > 0);
    assert!(page.behind.iter().all(|q| q.state != State::Submitted));
    let page = impact::overview(db, &d.noor, &query("received"))
        .await
        .unwrap();
    assert_eq!(page.hidden, 0);

    // Refused: a member; another panel's theme; an end before the start; a figure or
    // period that does not exist. Never a 500.
    assert_eq!(
        impact::overview(db, &d.sam, &query("")).await.unwrap_err(),
        AppError::Forbidden
    );
    let refused = |q: ImpactQuery| {
        let (db, noor) = (t.db.clone(), d.noor.clone());
        async move {
            match impact::overview(&db, &noor, &q).await {
                Err(AppError::Invalid(list)) => (list[0].field.clone(), list[0].problem),
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
    };
    let kim_theme: (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1000 FROM themes")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(
        refused(ImpactQuery {
            theme: kim_theme.0.to_string(),
            ..Default::default()
        })
        .await,
        ("theme".into(), Problem::InvalidChoice)
    );
    assert_eq!(
        refused(ImpactQuery {
            municipality: "abc".into(),
            ..Default::default()
        })
        .await,
        ("municipality".into(), Problem::InvalidChoice)
    );
    assert_eq!(
        refused(ImpactQuery {
            period: "custom".into(),
            from: "2026-05-01".into(),
            to: "2026-04-01".into(),
            ..Default::default()
        })
        .await,
        ("to".into(), Problem::LastDayBeforeFirst)
    );
    assert_eq!(
        refused(query("answer-maybe")).await,
        ("figure".into(), Problem::InvalidChoice)
    );
    assert_eq!(
        refused(ImpactQuery {
            period: "vorig jaar".into(),
            ..Default::default()
        })
        .await,
        ("period".into(), Problem::InvalidChoice)
    );
}

on_both_backends!(impact_sqlite, impact_postgres, impact_story);

// ---------------------------------------------------------------------------------------
// 10. The panel's public account: published infographics filtered and searched, and the
// public figures.

async fn transparency_story(t: &TestDb) {
    use app::backend::feedback::transparency::{public_feedback, GalleryQuery};
    let d = demo_people(t).await;
    let db = &t.db;
    let data = question_page::form_data(db, &d.marco, None).await.unwrap();
    let (first_theme, other_theme) = (data.themes[0].id, data.themes[1].id);
    let mut ids = Vec::new();
    for title in ["Wachten op hulp", "Een plek om te sporten"] {
        let q = advice_sent(t, &d, title, 2).await;
        submit_all(t, &d, q.id, 2).await;
        feedback::infographic::save_infographic(
            db,
            URL,
            &d.noor,
            q.id,
            &infographic_form(""),
            true,
        )
        .await
        .unwrap();
        ids.push(q.id);
    }
    // A third question is answered but not published: it counts nowhere.
    let unpublished = advice_sent(t, &d, "Nog niet gepubliceerd", 1).await;
    submit_all(t, &d, unpublished.id, 1).await;
    sqlx::query("UPDATE questions SET theme_id = $1 WHERE id = $2")
        .bind(other_theme)
        .bind(ids[1])
        .execute(db.write())
        .await
        .unwrap();
    // The second answer came a day late.
    sqlx::query("UPDATE questions SET feedback_due = '2020-01-01' WHERE id = $1")
        .bind(ids[1])
        .execute(db.write())
        .await
        .unwrap();
    feedback::progress::update(
        db,
        URL,
        &d.marco,
        ids[0],
        &progress(1, "done", "", "Het loket is open."),
    )
    .await
    .unwrap();
    let panel = d.marco.panel.id;
    let get = |q: GalleryQuery| {
        let db = db.clone();
        async move { public_feedback(&db, panel, &q).await }
    };
    let titles = |items: &[app::model::GalleryItem]| {
        items.iter().map(|g| g.title.clone()).collect::<Vec<_>>()
    };

    let (all, figures, _, years) = get(GalleryQuery::default()).await.unwrap();
    assert_eq!(
        titles(&all),
        vec!["Een plek om te sporten", "Wachten op hulp"]
    );
    assert_eq!(figures.published, 2);
    assert_eq!(figures.adoption_percent, Some(100));
    assert_eq!(figures.on_time_percent, Some(50));
    assert_eq!(figures.done, 1);
    let this_year = clock::local_parts(app::backend::platform::db::now()).0;
    assert_eq!(years, vec![this_year]);
    // The one with an update says when.
    assert!(all[0].updated.is_none());
    assert_eq!(
        all[1].updated,
        Some(clock::date(app::backend::platform::db::now()))
    );

    let (by_theme, figures, _, _) = get(GalleryQuery {
        theme: first_theme.to_string(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(titles(&by_theme), vec!["Wachten op hulp"]);
    assert_eq!(
        (figures.published, figures.on_time_percent, figures.done),
        (1, Some(100), 1)
    );
    let (searched, _, _, _) = get(GalleryQuery {
        q: "SPORT".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(titles(&searched), vec!["Een plek om te sporten"]);
    // Wildcards are words like any other.
    let (none, figures, _, _) = get(GalleryQuery {
        q: "%".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        (figures.published, figures.adoption_percent, figures.done),
        (0, None, 0)
    );
    let (this, _, _, _) = get(GalleryQuery {
        year: this_year.to_string(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(this.len(), 2);
    let (later, _, _, _) = get(GalleryQuery {
        year: (this_year + 1).to_string(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(later.is_empty());

    // Another panel's theme, a word for a year: refused with the field named.
    let kim_panel = d.kim.panel.id;
    let (kim_theme,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM themes")
        .fetch_one(db.read())
        .await
        .unwrap();
    for (query, field) in [
        (
            GalleryQuery {
                theme: kim_theme.to_string(),
                ..Default::default()
            },
            "theme",
        ),
        (
            GalleryQuery {
                year: "vorig".into(),
                ..Default::default()
            },
            "year",
        ),
        (
            GalleryQuery {
                municipality: "-1".into(),
                ..Default::default()
            },
            "municipality",
        ),
    ] {
        match get(query).await {
            Err(AppError::Invalid(list)) => assert_eq!(list[0].field, field),
            other => panic!("{field}: expected a refusal, got {other:?}"),
        }
    }
    // Another panel sees none of these.
    let (theirs, figures, _, _) = public_feedback(db, kim_panel, &GalleryQuery::default())
        .await
        .unwrap();
    assert!(theirs.is_empty());
    assert_eq!(figures.published, 0);
}

on_both_backends!(
    transparency_sqlite,
    transparency_postgres,
    transparency_story
);
