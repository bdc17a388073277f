//! The question story on both backends: writing, submitting, returning, accepting, and
//! who sees what.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;
use app::backend::views::question_page;

use app::backend::accounts::setup::{self, CoordinatorSpec};
use app::backend::questions::{self, write::QuestionForm};
use app::backend::{accounts::demo, platform::store};
use app::domain::Problem;
use app::error::AppError;
use app::lifecycle::{Action, State};
use common::{fields, user, TestDb};

fn page(n: i64) -> questions::list::ListQuery {
    questions::list::ListQuery {
        page: n,
        ..Default::default()
    }
}

fn in_state(state: State) -> questions::list::ListQuery {
    questions::list::ListQuery {
        state: Some(state),
        page: 1,
        ..Default::default()
    }
}

async fn story(t: &TestDb) {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let themes = questions::store::themes(db, marco.panel.id).await.unwrap();
    assert_eq!(
        themes.len(),
        6,
        "the demo panel starts with the real panel's themes"
    );
    let wachttijden = themes.iter().find(|t| t.name == "Wachttijden").unwrap();
    let data = question_page::form_data(db, &marco, None).await.unwrap();
    let tilburg = data
        .municipalities
        .iter()
        .find(|m| m.name == "Tilburg")
        .unwrap();
    let next_year = (app::domain::clock::year(app::backend::platform::db::now()) + 1).to_string();

    let form = QuestionForm {
        title: "Hoe lang mag wachten duren?".into(),
        background: "We willen de wachttijden in de jeugdhulp verkorten.".into(),
        question: "Wat helpt jullie als je moet wachten op hulp?".into(),
        open_to_influence: "Wat we doen in de wachttijd.".into(),
        already_fixed: "Het budget.".into(),
        decision_moment: "Raadsvergadering in juni".into(),
        needed_by: format!("{next_year}-03-01"),
        participation: "advise".into(),
        theme: wachttijden.id.to_string(),
        municipalities: vec![tilburg.id.to_string()],
    };

    // Bad input: every field named, nothing saved.
    let bad = QuestionForm {
        title: " ".into(),
        needed_by: "2020-01-01".into(),
        theme: "999999".into(),
        municipalities: vec![],
        participation: "beslissen".into(),
        question: "x".repeat(2001),
        ..form.clone()
    };
    let problems = fields(
        questions::write::save(db, "http://k", &marco, None, &bad)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        problems,
        vec![
            ("title".to_string(), Problem::Required),
            ("question".to_string(), Problem::TooLong { max: 2000 }),
            ("needed_by".to_string(), Problem::DateInPast),
            ("participation".to_string(), Problem::InvalidChoice),
            ("theme".to_string(), Problem::InvalidChoice),
            ("municipalities".to_string(), Problem::ChooseOne),
        ]
    );
    assert!(questions::list::list(db, &marco, &page(1))
        .await
        .unwrap()
        .items
        .is_empty());

    // A draft is the policy maker's own.
    let id = questions::write::save(db, "http://k", &marco, None, &form)
        .await
        .unwrap();
    assert_eq!(
        questions::list::list(db, &marco, &page(1))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(questions::list::list(db, &noor, &page(1))
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(questions::list::list(db, &sam, &page(1))
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        question_page::detail(db, &sam, id).await,
        Err(AppError::NotFound)
    );
    let draft = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(draft.state, State::Draft);
    assert_eq!(draft.actions, vec![Action::Edit, Action::Submit]);
    assert_eq!(draft.municipalities, vec!["Tilburg"]);

    // Wrong moment, wrong person.
    assert_eq!(
        questions::write::act(db, "http://k", &noor, id, Action::Accept, "").await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert_eq!(
        questions::write::act(db, "http://k", &sam, id, Action::Submit, "").await,
        Err(AppError::Forbidden)
    );

    // Submit; the coordinator returns it with a reason.
    assert_eq!(
        questions::write::act(db, "http://k", &marco, id, Action::Submit, "").await,
        Ok(State::Submitted)
    );
    assert_eq!(
        questions::list::list(db, &noor, &in_state(State::Submitted))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let waits = |list: Vec<app::model::QuestionSummary>| list.iter().any(|q| q.id == id);
    assert!(
        waits(questions::list::waiting_for(db, &noor).await.unwrap()),
        "to accept"
    );
    assert!(!waits(
        questions::list::waiting_for(db, &marco).await.unwrap()
    ));
    assert_eq!(
        questions::write::act(db, "http://k", &noor, id, Action::Return, " ").await,
        Err(AppError::invalid("reason", Problem::Required))
    );
    assert_eq!(
        questions::write::act(
            db,
            "http://k",
            &noor,
            id,
            Action::Return,
            "Maak de vraag concreter."
        )
        .await,
        Ok(State::Returned)
    );
    let returned = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(returned.return_reason, "Maak de vraag concreter.");

    // The policy maker edits and submits again; the coordinator accepts.
    let better = QuestionForm {
        question: "Wat zou je helpen terwijl je wacht op hulp?".into(),
        ..form.clone()
    };
    questions::write::save(db, "http://k", &marco, Some(id), &better)
        .await
        .unwrap();
    questions::write::act(db, "http://k", &marco, id, Action::Submit, "")
        .await
        .unwrap();
    assert_eq!(
        questions::write::act(db, "http://k", &marco, id, Action::Accept, "").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        questions::write::act(db, "http://k", &noor, id, Action::Accept, "").await,
        Ok(State::Accepted)
    );
    // Now the panel sees it, and the policy maker can no longer change it.
    let seen = question_page::detail(db, &sam, id).await.unwrap();
    assert_eq!(seen.question, "Wat zou je helpen terwijl je wacht op hulp?");
    assert!(seen.actions.is_empty());
    assert_eq!(
        questions::write::save(db, "http://k", &marco, Some(id), &form).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    let events: Vec<String> = seen
        .timeline
        .iter()
        .map(|e| e.event.as_str().to_string())
        .collect();
    assert_eq!(
        events,
        vec![
            "created",
            "submitted",
            "returned",
            "edited",
            "submitted",
            "accepted"
        ]
    );

    // Input: members only, once the coordinator opens the question for it.
    use app::backend::participation::{self, advice::RecommendationForm};
    let jay = user(t, "jay@demo.klankbord.test").await;
    assert_eq!(
        participation::inputs::give_input(db, &sam, id, "Iemand om mee te praten.", false, true)
            .await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert_eq!(
        participation::inputs::transition(db, "http://k", &sam, id, Action::OpenInput, "").await,
        Err(AppError::Forbidden)
    );
    participation::inputs::transition(db, "http://k", &noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    assert!(
        waits(questions::list::waiting_for(db, &sam).await.unwrap()),
        "open for views"
    );
    assert_eq!(
        participation::inputs::give_input(db, &marco, id, "Ik ook", true, true).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        participation::inputs::give_input(db, &sam, id, "  ", false, true).await,
        Err(AppError::invalid("body", Problem::Required))
    );
    let sams = participation::inputs::give_input(
        db,
        &sam,
        id,
        "Iemand om mee te praten terwijl ik wacht.",
        false,
        true,
    )
    .await
    .unwrap();
    let jays = participation::inputs::give_input(
        db,
        &jay,
        id,
        "Weten hoe lang het nog duurt.",
        true,
        false,
    )
    .await
    .unwrap();
    participation::inputs::endorse(db, &sam, jays)
        .await
        .unwrap();
    assert_eq!(
        participation::inputs::endorse(db, &sam, jays).await,
        Err(AppError::invalid("input", Problem::AlreadyDone))
    );
    assert_eq!(
        participation::inputs::endorse(db, &sam, sams).await,
        Err(AppError::invalid("input", Problem::NotYourself))
    );
    assert_eq!(
        participation::inputs::endorse(db, &marco, sams).await,
        Err(AppError::Forbidden)
    );

    // The policy maker reads the input without Sam's name; Jay chose to show his.
    let seen_by_marco = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(seen_by_marco.inputs.len(), 2);
    assert_eq!(seen_by_marco.inputs[0].author, None);
    assert_eq!(seen_by_marco.inputs[1].author.as_deref(), Some("Jay"));
    assert_eq!(seen_by_marco.inputs[1].endorsements, 1);
    let json = serde_json::to_string(&seen_by_marco).unwrap();
    assert!(
        !json.contains("\"Sam\""),
        "Sam's name reaches the policy maker: {json}"
    );
    // Members see each other.
    let seen_by_jay = question_page::detail(db, &jay, id).await.unwrap();
    assert_eq!(seen_by_jay.inputs[0].author.as_deref(), Some("Sam"));
    assert!(seen_by_jay.actions.contains(&Action::Endorse));

    // The advice: drafted by the coordinator, hidden from the policy maker until sent.
    participation::inputs::transition(db, "http://k", &noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    assert!(question_page::detail(db, &marco, id)
        .await
        .unwrap()
        .advice
        .is_none());
    assert!(question_page::detail(db, &sam, id)
        .await
        .unwrap()
        .advice
        .is_some());
    assert!(question_page::detail(db, &sam, id)
        .await
        .unwrap()
        .actions
        .contains(&Action::ReviewAdvice));
    assert_eq!(
        participation::advice::send_advice(db, "http://k", &noor, id).await,
        Err(AppError::invalid("advice", Problem::Required))
    );
    let bad = participation::advice::save_advice(
        db,
        "http://k",
        &noor,
        id,
        "",
        &[RecommendationForm {
            body: "Zorg voor een vast aanspreekpunt.".into(),
            supported_by: "1, 9".into(),
        }],
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(bad),
        vec![
            ("summary".to_string(), Problem::Required),
            ("supported_by_1".to_string(), Problem::UnknownInput),
        ]
    );
    participation::advice::save_advice(
        db,
        "http://k",
        &noor,
        id,
        "Jongeren willen tijdens het wachten niet alleen staan.",
        &[
            RecommendationForm {
                body: "Geef iedereen die wacht een vast aanspreekpunt.".into(),
                supported_by: "1".into(),
            },
            RecommendationForm {
                body: "Vertel hoe lang het wachten nog duurt.".into(),
                supported_by: "#2, 1".into(),
            },
            RecommendationForm {
                body: " ".into(),
                supported_by: "".into(),
            },
        ],
    )
    .await
    .unwrap();
    // Members react per recommendation; the coordinator reads the comments.
    participation::advice::review(db, &sam, id, 1, true, "Ja, dit mist nu echt.", "")
        .await
        .unwrap();
    participation::advice::review(db, &jay, id, 2, false, "", "")
        .await
        .unwrap();
    participation::advice::review(db, &jay, id, 2, true, "Toch wel.", "")
        .await
        .unwrap();
    assert_eq!(
        participation::advice::review(db, &marco, id, 1, true, "", "").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        participation::advice::review(db, &noor, id, 1, true, "", "").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        participation::advice::review(db, &sam, id, 9, true, "", "").await,
        Err(AppError::NotFound)
    );
    let for_noor = question_page::detail(db, &noor, id)
        .await
        .unwrap()
        .advice
        .unwrap();
    assert_eq!(
        (
            for_noor.recommendations[0].agree,
            for_noor.recommendations[0].disagree
        ),
        (1, 0)
    );
    assert_eq!(
        (
            for_noor.recommendations[1].agree,
            for_noor.recommendations[1].disagree
        ),
        (1, 0)
    );
    assert_eq!(
        for_noor.recommendations[0].comments,
        vec![("Sam".to_string(), "Ja, dit mist nu echt.".to_string())]
    );
    let for_sam = question_page::detail(db, &sam, id)
        .await
        .unwrap()
        .advice
        .unwrap();
    assert_eq!(
        for_sam.recommendations[0].mine,
        Some((true, "Ja, dit mist nu echt.".to_string()))
    );
    assert!(
        for_sam.recommendations[0].comments.is_empty(),
        "members see counts, not comments"
    );
    // Saving the draft again keeps the reactions of unchanged positions.
    participation::advice::save_advice(
        db,
        "http://k",
        &noor,
        id,
        "Jongeren willen tijdens het wachten niet alleen staan.",
        &[
            RecommendationForm {
                body: "Geef iedereen die wacht een vast aanspreekpunt.".into(),
                supported_by: "1".into(),
            },
            RecommendationForm {
                body: "Vertel hoe lang het wachten nog duurt.".into(),
                supported_by: "#2, 1".into(),
            },
        ],
    )
    .await
    .unwrap();
    let again = question_page::detail(db, &noor, id)
        .await
        .unwrap()
        .advice
        .unwrap();
    assert_eq!(again.recommendations[0].agree, 1);
    assert_eq!(
        participation::advice::send_advice(db, "http://k", &sam, id).await,
        Err(AppError::Forbidden)
    );
    participation::advice::send_advice(db, "http://k", &noor, id)
        .await
        .unwrap();
    assert!(
        waits(questions::list::waiting_for(db, &marco).await.unwrap()),
        "advice received"
    );
    assert!(!waits(
        questions::list::waiting_for(db, &sam).await.unwrap()
    ));
    assert_eq!(
        questions::list::list(db, &sam, &page(1))
            .await
            .unwrap()
            .items[0]
            .municipalities,
        vec!["Tilburg"]
    );
    let sent = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(sent.state, State::AdviceSent);
    let advice_seen = sent.advice.unwrap();
    assert_eq!(advice_seen.recommendations.len(), 2);
    assert_eq!(advice_seen.recommendations[1].supported_by, vec![1, 2]);
    assert_eq!(advice_seen.participants, 2);
    assert_eq!(
        advice_seen.recommendations[0].agree, 0,
        "reactions stay inside the panel"
    );
    assert!(advice_seen.feedback_due.is_some());
    // Marco heard of every step, by mail (his preference is "immediately"); the last
    // one is the advice.
    let subjects: Vec<(String,)> =
        sqlx::query_as("SELECT subject FROM outbox WHERE recipient = $1 ORDER BY id")
            .bind("beleid@demo.klankbord.test")
            .fetch_all(db.read())
            .await
            .unwrap();
    let subjects: Vec<&str> = subjects.iter().map(|(s,)| s.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects[0].contains("Je vraag is teruggestuurd"));
    assert!(subjects[1].contains("Je vraag is aangenomen"));
    assert!(
        subjects[2].starts_with("Advies van Jongerenpanel Hart van Brabant (demo)"),
        "{subjects:?}"
    );
    assert_eq!(
        participation::inputs::give_input(db, &sam, id, "Nog iets", false, false).await,
        Err(AppError::invalid("state", Problem::WrongState)),
        "no input after the advice is sent"
    );

    // Another panel's coordinator finds nothing.
    let kim_id = setup::create_coordinator(
        db,
        &CoordinatorSpec {
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
    let kim = store::current_user(db.read(), kim_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        question_page::detail(db, &kim, id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        questions::write::act(db, "http://k", &kim, id, Action::Return, "nee").await,
        Err(AppError::NotFound)
    );
    assert!(questions::list::list(db, &kim, &page(1))
        .await
        .unwrap()
        .items
        .is_empty());
    // A theme or municipality of another panel is refused.
    let kim_form_data = questions::store::themes(db, kim.panel.id).await.unwrap();
    let foreign = QuestionForm {
        theme: kim_form_data[0].id.to_string(),
        ..form.clone()
    };
    let problems = fields(
        questions::write::save(db, "http://k", &marco, None, &foreign)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        problems,
        vec![("theme".to_string(), Problem::InvalidChoice)]
    );
}

on_both_backends!(questions_sqlite, questions_postgres, story);

/// Members change and withdraw their own input until the advice is sent; coordinators
/// hide input with a reason and record input for the group.
async fn input_moderation_story(t: &TestDb) {
    use app::backend::participation;
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let jay = user(t, "jay@demo.klankbord.test").await;
    let data = question_page::form_data(db, &marco, None).await.unwrap();
    let form = QuestionForm {
        title: "Eenzaamheid".into(),
        question: "Wat helpt tegen eenzaamheid?".into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "consult".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    };
    let id = questions::write::save(db, "http://k", &marco, None, &form)
        .await
        .unwrap();
    questions::write::act(db, "http://k", &marco, id, Action::Submit, "")
        .await
        .unwrap();
    questions::write::act(db, "http://k", &noor, id, Action::Accept, "")
        .await
        .unwrap();
    participation::inputs::transition(db, "http://k", &noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    let first = participation::inputs::give_input(db, &sam, id, "Eerste versie", false, false)
        .await
        .unwrap();
    let second = participation::inputs::give_input(
        db,
        &jay,
        id,
        "Iets persoonlijks over iemand",
        true,
        false,
    )
    .await
    .unwrap();

    // Only the author changes or withdraws input.
    assert_eq!(
        participation::inputs::update_input(db, &jay, first, "Van Jay", false, false).await,
        Err(AppError::Forbidden)
    );
    participation::inputs::update_input(db, &sam, first, "Tweede versie", true, true)
        .await
        .unwrap();
    let seen = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(seen.inputs[0].body, "Tweede versie");
    assert_eq!(
        seen.inputs[0].author.as_deref(),
        Some("Sam"),
        "now shown by choice"
    );

    // The coordinator hides Jay's input: Jay sees why, the others no longer see it.
    assert_eq!(
        participation::inputs::hide_input(db, &sam, second, "x").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        participation::inputs::hide_input(db, &noor, second, " ").await,
        Err(AppError::invalid("hide_reason", Problem::Required))
    );
    participation::inputs::hide_input(db, &noor, second, "Dit gaat over iemand anders.")
        .await
        .unwrap();
    let for_jay = question_page::detail(db, &jay, id).await.unwrap();
    assert_eq!(
        for_jay.inputs[1].hidden_reason.as_deref(),
        Some("Dit gaat over iemand anders.")
    );
    assert_eq!(
        question_page::detail(db, &marco, id)
            .await
            .unwrap()
            .inputs
            .len(),
        1
    );
    assert_eq!(
        question_page::detail(db, &sam, id)
            .await
            .unwrap()
            .inputs
            .len(),
        1
    );
    assert_eq!(
        question_page::detail(db, &noor, id)
            .await
            .unwrap()
            .inputs
            .len(),
        2
    );

    // Input for the group carries no name.
    assert_eq!(
        participation::inputs::record_group_input(db, &sam, id, "Namens ons").await,
        Err(AppError::Forbidden)
    );
    participation::inputs::record_group_input(
        db,
        &noor,
        id,
        "Uit de bijeenkomst: samen sporten helpt.",
    )
    .await
    .unwrap();
    let seen = question_page::detail(db, &marco, id).await.unwrap();
    let group = seen.inputs.iter().find(|i| i.for_group).unwrap();
    assert_eq!(group.author, None);

    // Withdrawn input is gone; after the advice is sent nothing changes any more.
    participation::inputs::withdraw_input(db, &sam, first)
        .await
        .unwrap();
    assert!(question_page::detail(db, &marco, id)
        .await
        .unwrap()
        .inputs
        .iter()
        .all(|i| i.id != first));
    let third = participation::inputs::give_input(db, &sam, id, "Nog een", false, false)
        .await
        .unwrap();
    participation::inputs::transition(db, "http://k", &noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        "http://k",
        &noor,
        id,
        "Samen doen helpt.",
        &[participation::advice::RecommendationForm {
            body: "Organiseer samen sporten.".into(),
            supported_by: String::new(),
        }],
    )
    .await
    .unwrap();
    participation::advice::send_advice(db, "http://k", &noor, id)
        .await
        .unwrap();
    assert_eq!(
        participation::inputs::update_input(db, &sam, third, "Te laat", false, false).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert_eq!(
        participation::inputs::withdraw_input(db, &sam, third).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    let sent = question_page::detail(db, &marco, id).await.unwrap();
    assert_eq!(
        sent.advice.unwrap().participants,
        1,
        "the group's input is not a person"
    );
}

on_both_backends!(
    input_moderation_sqlite,
    input_moderation_postgres,
    input_moderation_story
);

/// Lists come in pages of 25, newest first, each found by a cursor: walking forward and
/// back again meets every question exactly once, in one order, also when many changed in
/// the same second.
async fn pages_story(t: &TestDb) {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let data = question_page::form_data(db, &marco, None).await.unwrap();
    for n in 0..60 {
        let form = QuestionForm {
            title: format!("Vraag {n}"),
            question: "Wat vinden jullie?".into(),
            open_to_influence: "Alles.".into(),
            needed_by: "2199-01-01".into(),
            participation: "advise".into(),
            theme: data.themes[0].id.to_string(),
            municipalities: vec![data.municipalities[0].id.to_string()],
            ..Default::default()
        };
        questions::write::save(db, "http://k", &marco, None, &form)
            .await
            .unwrap();
    }
    // Three changes in all: many questions share a second, so only the id decides.
    sqlx::query("UPDATE questions SET updated_at = 1700000000 + (id % 3)")
        .execute(db.write())
        .await
        .unwrap();
    let expected: Vec<i64> =
        sqlx::query_as::<_, (i64,)>("SELECT id FROM questions ORDER BY updated_at DESC, id DESC")
            .fetch_all(db.read())
            .await
            .unwrap()
            .into_iter()
            .map(|(id,)| id)
            .collect();
    assert_eq!(expected.len(), 60);
    let at = |page: i64, cursor: &str| questions::list::ListQuery {
        page,
        cursor: questions::list::Cursor::parse(cursor),
        ..Default::default()
    };

    let first = questions::list::list(db, &marco, &page(1)).await.unwrap();
    assert_eq!(first.newer, None);
    let mut forward = vec![first.clone()];
    while let Some(older) = forward.last().and_then(|p| p.older.clone()) {
        let next = questions::list::list(db, &marco, &at(forward.len() as i64 + 1, &older))
            .await
            .unwrap();
        forward.push(next);
        assert!(forward.len() < 10, "the pages do not end");
    }
    let sizes: Vec<usize> = forward.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, vec![25, 25, 10]);
    assert_eq!(
        forward.iter().map(|p| p.page).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let seen: Vec<i64> = forward
        .iter()
        .flat_map(|p| p.items.iter().map(|q| q.id))
        .collect();
    assert_eq!(seen, expected, "every question once, newest first");

    // And back: each page as it was on the way forward.
    let mut back = forward.last().cloned().unwrap();
    for expected_page in forward.iter().rev().skip(1) {
        let newer = back.newer.clone().expect("a page before");
        back = questions::list::list(db, &marco, &at(back.page - 1, &newer))
            .await
            .unwrap();
        let ids = |p: &app::model::QuestionList| p.items.iter().map(|q| q.id).collect::<Vec<_>>();
        assert_eq!(ids(&back), ids(expected_page));
    }
    assert_eq!(back.newer, None, "the first page has none before it");

    // Nonsense cursors are no cursor: the first page.
    for nonsense in ["", "x1.2", "o1", "o1.x", "n.5", "o99999999999999999999.1"] {
        let list = questions::list::list(db, &marco, &at(7, nonsense))
            .await
            .unwrap();
        assert_eq!(list.page, 1, "{nonsense}");
        assert_eq!(list.items.first().map(|q| q.id), expected.first().copied());
    }
}

on_both_backends!(pages_sqlite, pages_postgres, pages_story);

/// A question with thousands of copies of one municipality is checked before the write,
/// quickly, and names it once; a list longer than the limit is a field problem; and the
/// draft advice's lists are limited the same way.
async fn long_lists_story(t: &TestDb) {
    use app::backend::participation::{self, advice::RecommendationForm};
    use app::domain::lengths::{
        RECOMMENDATIONS as RECOMMENDATIONS_MAX, SUPPORTED_BY as SUPPORTED_BY_MAX,
    };
    use app::domain::QUESTION_MUNICIPALITIES_MAX;
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let data = question_page::form_data(db, &marco, None).await.unwrap();
    let tilburg = data.municipalities[0].id.to_string();
    let form = QuestionForm {
        title: "Wachten".into(),
        question: "Wat helpt tijdens het wachten?".into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "advise".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![tilburg.clone(); 90_000],
        ..Default::default()
    };
    // Before the fix this was 90,000 queries inside the write transaction.
    let started = std::time::Instant::now();
    let id = questions::write::save(db, "http://k", &marco, None, &form)
        .await
        .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM question_municipalities WHERE question_id = $1")
            .bind(id)
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(stored, 1);
    // More different municipalities than any region has: refused, nothing changed.
    let too_many = QuestionForm {
        title: "Veel te veel".into(),
        municipalities: (1..=(QUESTION_MUNICIPALITIES_MAX as i64 + 1))
            .map(|n| n.to_string())
            .collect(),
        ..form.clone()
    };
    assert_eq!(
        fields(
            questions::write::save(db, "http://k", &marco, Some(id), &too_many)
                .await
                .unwrap_err()
        ),
        vec![(
            "municipalities".to_string(),
            Problem::TooMany {
                max: QUESTION_MUNICIPALITIES_MAX
            }
        )]
    );
    assert_eq!(
        question_page::detail(db, &marco, id).await.unwrap().title,
        "Wachten"
    );

    // The draft advice: more recommendations than allowed, or a list of input numbers
    // longer than any question has, are field problems.
    questions::write::act(db, "http://k", &marco, id, Action::Submit, "")
        .await
        .unwrap();
    questions::write::act(db, "http://k", &noor, id, Action::Accept, "")
        .await
        .unwrap();
    participation::inputs::transition(db, "http://k", &noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    participation::inputs::give_input(db, &sam, id, "Iemand om mee te praten.", false, true)
        .await
        .unwrap();
    participation::inputs::transition(db, "http://k", &noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    let one = RecommendationForm {
        body: "Geef iedereen een aanspreekpunt.".into(),
        supported_by: "1".into(),
    };
    assert_eq!(
        fields(
            participation::advice::save_advice(
                db,
                "http://k",
                &noor,
                id,
                "Samengevat.",
                &vec![one.clone(); 10_000]
            )
            .await
            .unwrap_err()
        ),
        vec![(
            "recommendations".to_string(),
            Problem::TooMany {
                max: RECOMMENDATIONS_MAX
            }
        )]
    );
    let long_list = RecommendationForm {
        supported_by: "1, ".repeat(100_000),
        ..one.clone()
    };
    assert_eq!(
        fields(
            participation::advice::save_advice(
                db,
                "http://k",
                &noor,
                id,
                "Samengevat.",
                &[long_list]
            )
            .await
            .unwrap_err()
        ),
        vec![(
            "supported_by_1".to_string(),
            Problem::TooLong {
                max: SUPPORTED_BY_MAX
            }
        )]
    );
    let (recommendations,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recommendations WHERE question_id = $1")
            .bind(id)
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(recommendations, 0);
    participation::advice::save_advice(db, "http://k", &noor, id, "Samengevat.", &[one])
        .await
        .unwrap();
}

on_both_backends!(long_lists_sqlite, long_lists_postgres, long_lists_story);

/// Members' reactions belong to the text they were given for: when the coordinator
/// swaps two recommendations the reactions move with their text, a rewritten text shows
/// no reactions to the old one, and a reaction sent from a page that is out of date goes
/// to the text the member read (or is refused when that text is gone).
/// The recommendations of a question's advice as `who` sees them.
async fn recommendations(
    t: &TestDb,
    who: &app::model::CurrentUser,
    id: i64,
) -> Vec<app::model::RecommendationView> {
    question_page::detail(&t.db, who, id)
        .await
        .unwrap()
        .advice
        .unwrap()
        .recommendations
}

async fn reactions_story(t: &TestDb) {
    use app::backend::participation::{self, advice::RecommendationForm};
    use app::domain::text_key;
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let jay = user(t, "jay@demo.klankbord.test").await;
    let form = common::question_form(t, &marco, "Wachten").await;
    let id = common::open_question(t, &marco, &noor, &form).await;
    participation::inputs::give_input(db, &sam, id, "Iemand om mee te praten.", false, true)
        .await
        .unwrap();
    participation::inputs::transition(db, "http://k", &noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    const A: &str = "Geef iedereen die wacht een vast aanspreekpunt.";
    const B: &str = "Vertel hoe lang het wachten nog duurt.";
    const A2: &str = "Geef iedereen die wacht binnen een week een vast aanspreekpunt.";
    let noor = &noor;
    let save = move |texts: &'static [&'static str]| async move {
        let draft: Vec<RecommendationForm> = texts
            .iter()
            .map(|t| RecommendationForm {
                body: t.to_string(),
                supported_by: String::new(),
            })
            .collect();
        participation::advice::save_advice(db, "http://k", noor, id, "Samengevat.", &draft)
            .await
            .unwrap()
    };
    save(&[A, B]).await;
    let shown = recommendations(t, &sam, id).await;
    assert_eq!(shown[0].key, text_key(A));
    participation::advice::review(db, &sam, id, 1, true, "Ja!", &shown[0].key)
        .await
        .unwrap();
    participation::advice::review(db, &jay, id, 2, false, "Liever niet.", &shown[1].key)
        .await
        .unwrap();

    // The coordinator swaps them: each reaction stays with its text.
    save(&[B, A]).await;
    let for_noor = recommendations(t, noor, id).await;
    assert_eq!(for_noor[0].body, B);
    assert_eq!((for_noor[0].agree, for_noor[0].disagree), (0, 1));
    assert_eq!(
        for_noor[0].comments,
        vec![("Jay".to_string(), "Liever niet.".to_string())]
    );
    assert_eq!(for_noor[1].body, A);
    assert_eq!((for_noor[1].agree, for_noor[1].disagree), (1, 0));
    assert_eq!(
        for_noor[1].comments,
        vec![("Sam".to_string(), "Ja!".to_string())]
    );
    let for_sam = recommendations(t, &sam, id).await;
    assert_eq!(for_sam[0].mine, None, "Sam never reacted to this text");
    assert_eq!(for_sam[1].mine, Some((true, "Ja!".to_string())));

    // Sam's page still shows the old order: his reaction to "position 1" is about text
    // a, which is now second; it goes there.
    participation::advice::review(db, &sam, id, 1, false, "Toch niet.", &text_key(A))
        .await
        .unwrap();
    let for_noor = recommendations(t, noor, id).await;
    assert_eq!((for_noor[0].agree, for_noor[0].disagree), (0, 1));
    assert_eq!((for_noor[1].agree, for_noor[1].disagree), (0, 1));

    // Text a is rewritten: Sam's reaction to the old text is not shown or counted.
    save(&[B, A2]).await;
    let for_noor = recommendations(t, noor, id).await;
    assert_eq!(for_noor[1].body, A2);
    assert_eq!((for_noor[1].agree, for_noor[1].disagree), (0, 0));
    assert!(for_noor[1].comments.is_empty());
    assert_eq!(recommendations(t, &sam, id).await[1].mine, None);
    // A reaction sent for the text that is gone is refused, nothing saved.
    assert_eq!(
        participation::advice::review(db, &sam, id, 2, true, "", &text_key(A)).await,
        Err(AppError::invalid("review", Problem::ChangedMeanwhile))
    );
    assert_eq!(recommendations(t, noor, id).await[1].agree, 0);
    // Jay's reaction to b, untouched throughout, still counts.
    assert_eq!(recommendations(t, noor, id).await[0].disagree, 1);
    // Sam reacts to the new text.
    participation::advice::review(db, &sam, id, 2, true, "Beter zo.", &text_key(A2))
        .await
        .unwrap();
    assert_eq!(recommendations(t, noor, id).await[1].agree, 1);
}

on_both_backends!(reactions_sqlite, reactions_postgres, reactions_story);
