//! The question story on both backends: writing, submitting, returning, accepting, and
//! who sees what.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::questions::{self, QuestionForm};
use app::backend::services::{self, CoordinatorSpec};
use app::backend::{demo, store};
use app::domain::Problem;
use app::error::AppError;
use app::lifecycle::{Action, State};
use app::model::CurrentUser;
use common::TestDb;

async fn user(t: &TestDb, email: &str) -> CurrentUser {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(t.db.read())
        .await
        .unwrap();
    store::current_user(t.db.read(), id).await.unwrap().unwrap()
}

fn fields(error: AppError) -> Vec<(String, Problem)> {
    match error {
        AppError::Invalid(list) => list.into_iter().map(|p| (p.field, p.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

async fn story(t: &TestDb) {
    let db = &t.db;
    demo::seed(db).await.unwrap();
    let marco = user(t, "beleid@demo.klankbord.test").await;
    let noor = user(t, "coordinator@demo.klankbord.test").await;
    let sam = user(t, "sam@demo.klankbord.test").await;
    let themes = questions::themes(db, marco.panel.id).await.unwrap();
    assert_eq!(
        themes.len(),
        6,
        "the demo panel starts with the real panel's themes"
    );
    let wachttijden = themes.iter().find(|t| t.name == "Wachttijden").unwrap();
    let data = questions::form_data(db, &marco, None).await.unwrap();
    let tilburg = data
        .municipalities
        .iter()
        .find(|m| m.name == "Tilburg")
        .unwrap();
    let next_year = (app::domain::clock::year(app::backend::db::now()) + 1).to_string();

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

    // Only policy makers write questions.
    assert_eq!(
        questions::save(db, &sam, None, &form).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        questions::save(db, &noor, None, &form).await,
        Err(AppError::Forbidden)
    );

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
    let problems = fields(questions::save(db, &marco, None, &bad).await.unwrap_err());
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
    assert!(questions::list(db, &marco, None).await.unwrap().is_empty());

    // A draft is the policy maker's own.
    let id = questions::save(db, &marco, None, &form).await.unwrap();
    assert_eq!(questions::list(db, &marco, None).await.unwrap().len(), 1);
    assert!(questions::list(db, &noor, None).await.unwrap().is_empty());
    assert!(questions::list(db, &sam, None).await.unwrap().is_empty());
    assert_eq!(
        questions::detail(db, &sam, id).await,
        Err(AppError::NotFound)
    );
    let draft = questions::detail(db, &marco, id).await.unwrap();
    assert_eq!(draft.state, State::Draft);
    assert_eq!(draft.actions, vec![Action::Edit, Action::Submit]);
    assert_eq!(draft.municipalities, vec!["Tilburg"]);

    // Wrong moment, wrong person.
    assert_eq!(
        questions::act(db, &noor, id, Action::Accept, "").await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    assert_eq!(
        questions::act(db, &sam, id, Action::Submit, "").await,
        Err(AppError::Forbidden)
    );

    // Submit; the coordinator returns it with a reason.
    assert_eq!(
        questions::act(db, &marco, id, Action::Submit, "").await,
        Ok(State::Submitted)
    );
    assert_eq!(
        questions::list(db, &noor, Some(State::Submitted))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        questions::act(db, &noor, id, Action::Return, " ").await,
        Err(AppError::invalid("reason", Problem::Required))
    );
    assert_eq!(
        questions::act(db, &noor, id, Action::Return, "Maak de vraag concreter.").await,
        Ok(State::Returned)
    );
    let returned = questions::detail(db, &marco, id).await.unwrap();
    assert_eq!(returned.return_reason, "Maak de vraag concreter.");

    // The policy maker edits and submits again; the coordinator accepts.
    let better = QuestionForm {
        question: "Wat zou je helpen terwijl je wacht op hulp?".into(),
        ..form.clone()
    };
    questions::save(db, &marco, Some(id), &better)
        .await
        .unwrap();
    questions::act(db, &marco, id, Action::Submit, "")
        .await
        .unwrap();
    assert_eq!(
        questions::act(db, &marco, id, Action::Accept, "").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        questions::act(db, &noor, id, Action::Accept, "").await,
        Ok(State::Accepted)
    );
    // Now the panel sees it, and the policy maker can no longer change it.
    let seen = questions::detail(db, &sam, id).await.unwrap();
    assert_eq!(seen.question, "Wat zou je helpen terwijl je wacht op hulp?");
    assert!(seen.actions.is_empty());
    assert_eq!(
        questions::save(db, &marco, Some(id), &form).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    let events: Vec<String> = seen.timeline.iter().map(|e| e.event.clone()).collect();
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

    // Another panel's coordinator finds nothing.
    let kim_id = services::create_coordinator(
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
        questions::detail(db, &kim, id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        questions::act(db, &kim, id, Action::Return, "nee").await,
        Err(AppError::NotFound)
    );
    assert!(questions::list(db, &kim, None).await.unwrap().is_empty());
    // A theme or municipality of another panel is refused.
    let kim_form_data = questions::themes(db, kim.panel.id).await.unwrap();
    let foreign = QuestionForm {
        theme: kim_form_data[0].id.to_string(),
        ..form.clone()
    };
    let problems = fields(
        questions::save(db, &marco, None, &foreign)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        problems,
        vec![("theme".to_string(), Problem::InvalidChoice)]
    );
}

on_both_backends!(questions_sqlite, questions_postgres, story);
