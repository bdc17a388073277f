//! Themes set jointly, subjects the panel raises itself, finding questions, the input
//! round's last day, notifications (in the app, by mail at once or in a weekly digest)
//! and the feedback-weeks setting — on SQLite and PostgreSQL.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;
use app::backend::views::question_page;

use app::backend::questions::{self, list::ListQuery, write::QuestionForm};
use app::backend::{
    accounts, accounts::demo, participation, platform::notify, platform::search, platform::store,
    questions::themes,
};
use app::domain::{clock, Problem};
use app::error::AppError;
use app::lifecycle::{Action, State};
use app::model::{CurrentUser, NoticeKind};
use common::{fields, user, TestDb};

const URL: &str = "https://klankbord.example";

struct Demo {
    marco: CurrentUser,
    noor: CurrentUser,
    sam: CurrentUser,
    jay: CurrentUser,
}

async fn demo_people(t: &TestDb) -> Demo {
    demo::seed(&t.db).await.unwrap();
    Demo {
        marco: user(t, "beleid@demo.klankbord.test").await,
        noor: user(t, "coordinator@demo.klankbord.test").await,
        sam: user(t, "sam@demo.klankbord.test").await,
        jay: user(t, "jay@demo.klankbord.test").await,
    }
}

/// A question form with the first theme and municipality of the panel.
async fn form(t: &TestDb, who: &CurrentUser, title: &str, text: &str) -> QuestionForm {
    let data = question_page::form_data(&t.db, who, None).await.unwrap();
    QuestionForm {
        title: title.into(),
        question: text.into(),
        open_to_influence: "Alles.".into(),
        needed_by: "2199-01-01".into(),
        participation: "advise".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    }
}

/// Asked, submitted, accepted: ready for input.
async fn accepted_question(t: &TestDb, d: &Demo, title: &str) -> i64 {
    let f = form(t, &d.marco, title, "Wat vinden jullie?").await;
    let id = questions::write::save(&t.db, URL, &d.marco, None, &f)
        .await
        .unwrap();
    questions::write::act(&t.db, URL, &d.marco, id, Action::Submit, "")
        .await
        .unwrap();
    questions::write::act(&t.db, URL, &d.noor, id, Action::Accept, "")
        .await
        .unwrap();
    id
}

async fn kinds_of(t: &TestDb, who: &CurrentUser) -> Vec<NoticeKind> {
    notify::list_and_mark_read(&t.db, who, "")
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.kind)
        .collect()
}

async fn outbox_subjects(t: &TestDb, email: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT subject FROM outbox WHERE recipient = $1 ORDER BY id")
            .bind(email)
            .fetch_all(t.db.read())
            .await
            .unwrap();
    rows.into_iter().map(|(s,)| s).collect()
}

/// Members and policy makers propose themes, members support them, the coordinator
/// adopts or archives; only adopted themes can be chosen for a question.
async fn themes_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    // Bad input: empty name, a name the panel has (in other capitals), too long.
    assert_eq!(
        fields(themes::propose(db, URL, &d.sam, " ", "").await.unwrap_err()),
        vec![("name".to_string(), Problem::Required)]
    );
    assert_eq!(
        fields(
            themes::propose(db, URL, &d.sam, "wachttijden", "")
                .await
                .unwrap_err()
        ),
        vec![("name".to_string(), Problem::Taken)]
    );
    assert_eq!(
        fields(
            themes::propose(db, URL, &d.sam, &"w".repeat(61), &"x".repeat(501))
                .await
                .unwrap_err()
        ),
        vec![
            ("name".to_string(), Problem::TooLong { max: 60 }),
            ("description".to_string(), Problem::TooLong { max: 500 }),
        ]
    );
    let wonen = themes::propose(db, URL, &d.sam, "Wonen", "Een eigen plek na je 18e.")
        .await
        .unwrap();
    let stage = themes::propose(db, URL, &d.marco, "Stages", "")
        .await
        .unwrap();
    // The coordinator hears of both; nobody hears of their own proposal.
    assert_eq!(
        kinds_of(t, &d.noor).await,
        vec![NoticeKind::ThemeProposed, NoticeKind::ThemeProposed]
    );
    assert!(kinds_of(t, &d.sam).await.is_empty());

    // Members support a proposal once; others may not support.
    themes::endorse(db, &d.jay, wonen).await.unwrap();
    themes::endorse(db, &d.sam, wonen).await.unwrap();
    assert_eq!(
        themes::endorse(db, &d.jay, wonen).await,
        Err(AppError::invalid("state", Problem::AlreadyDone))
    );
    assert_eq!(
        themes::endorse(db, &d.marco, wonen).await,
        Err(AppError::Forbidden)
    );
    let page = themes::page(db, &d.jay).await.unwrap();
    let w = page.themes.iter().find(|t| t.id == wonen).unwrap();
    assert_eq!(
        (w.status.as_str(), w.endorsements, w.endorsed_by_me),
        ("proposed", 2, true)
    );
    assert!(page.may_endorse && !page.may_decide);

    // A proposal is not a theme questions can have yet.
    let mut f = form(t, &d.marco, "Een plek", "Waar wil je wonen?").await;
    f.theme = wonen.to_string();
    assert_eq!(
        fields(
            questions::write::save(db, URL, &d.marco, None, &f)
                .await
                .unwrap_err()
        ),
        vec![("theme".to_string(), Problem::InvalidChoice)]
    );
    // Only the coordinator decides.
    assert_eq!(
        themes::decide(db, &d.sam, wonen, "adopt").await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        themes::decide(db, &d.noor, wonen, "vieren").await,
        Err(AppError::invalid("decision", Problem::InvalidChoice))
    );
    themes::decide(db, &d.noor, wonen, "adopt").await.unwrap();
    assert_eq!(
        themes::decide(db, &d.noor, wonen, "adopt").await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    // Support ends with the proposal.
    assert_eq!(themes::endorse(db, &d.jay, stage).await, Ok(()));
    themes::decide(db, &d.noor, stage, "archive").await.unwrap();
    assert_eq!(
        themes::endorse(db, &d.sam, stage).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    let offered = question_page::form_data(db, &d.marco, None)
        .await
        .unwrap()
        .themes;
    assert!(offered.iter().any(|t| t.id == wonen));
    assert!(!offered.iter().any(|t| t.id == stage));
    questions::write::save(db, URL, &d.marco, None, &f)
        .await
        .unwrap();

    // Another panel's coordinator cannot touch these themes.
    let kim_id = app::backend::accounts::setup::create_coordinator(
        db,
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
    let kim = store::current_user(db.read(), kim_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        themes::decide(db, &kim, stage, "adopt").await,
        Err(AppError::NotFound)
    );
    assert!(!themes::page(db, &kim)
        .await
        .unwrap()
        .themes
        .iter()
        .any(|t| t.id == wonen));
}

on_both_backends!(themes_sqlite, themes_postgres, themes_story);

/// A member raises a subject; the coordinator assigns a policy maker, who takes it on;
/// from there it is a question like any other.
async fn unsolicited_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let data = question_page::form_data(db, &d.sam, None).await.unwrap();
    assert!(data.unsolicited, "members raise subjects, not questions");
    // Fewer fields, but a title, what it is about, a theme and municipalities.
    let bad = QuestionForm {
        title: "Te lang wachten op de wijkteams".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(
            questions::write::save(db, URL, &d.sam, None, &bad)
                .await
                .unwrap_err()
        ),
        vec![
            ("question".to_string(), Problem::Required),
            ("theme".to_string(), Problem::InvalidChoice),
            ("municipalities".to_string(), Problem::ChooseOne),
        ]
    );
    let subject = QuestionForm {
        title: "Te lang wachten op de wijkteams".into(),
        question: "Jongeren wachten maanden op een eerste gesprek.".into(),
        theme: data.themes[0].id.to_string(),
        municipalities: vec![data.municipalities[0].id.to_string()],
        ..Default::default()
    };
    let id = questions::write::save(db, URL, &d.sam, None, &subject)
        .await
        .unwrap();
    assert_eq!(
        kinds_of(t, &d.noor).await,
        vec![NoticeKind::SubjectProposed]
    );

    let for_jay = question_page::detail(db, &d.jay, id).await.unwrap();
    assert_eq!(
        (for_jay.state, for_jay.unsolicited),
        (State::Proposed, true)
    );
    assert_eq!(for_jay.proposed_by.as_deref(), Some("Sam"));
    let for_marco = question_page::detail(db, &d.marco, id).await.unwrap();
    assert_eq!(
        for_marco.proposed_by, None,
        "policy makers do not see who raised it"
    );
    assert!(
        !serde_json::to_string(&for_marco).unwrap().contains("Sam"),
        "nor in the timeline"
    );
    assert_eq!(
        for_jay.timeline[0].actor.as_deref(),
        Some("Sam"),
        "the panel does see it"
    );
    // The member who raised it may still change it; another member may not.
    questions::write::save(db, URL, &d.sam, Some(id), &subject)
        .await
        .unwrap();
    assert_eq!(
        questions::write::save(db, URL, &d.jay, Some(id), &subject).await,
        Err(AppError::Forbidden)
    );
    // Nobody takes it on before it is assigned.
    assert_eq!(
        questions::write::act(db, URL, &d.marco, id, Action::Acknowledge, "").await,
        Err(AppError::Forbidden)
    );
    // Only to an active policy maker of the panel.
    let coordinator_detail = question_page::detail(db, &d.noor, id).await.unwrap();
    assert!(coordinator_detail.actions.contains(&Action::Assign));
    assert_eq!(coordinator_detail.policy_makers.len(), 1);
    assert_eq!(
        questions::write::assign(db, URL, &d.noor, id, &d.sam.id.to_string()).await,
        Err(AppError::invalid("policy_maker", Problem::ChooseOne))
    );
    assert_eq!(
        questions::write::assign(db, URL, &d.sam, id, &d.marco.id.to_string()).await,
        Err(AppError::Forbidden)
    );
    questions::write::assign(db, URL, &d.noor, id, &d.marco.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        kinds_of(t, &d.marco).await,
        vec![NoticeKind::SubjectAssigned]
    );
    assert_eq!(
        outbox_subjects(t, "beleid@demo.klankbord.test").await,
        vec!["Jongerenpanel Hart van Brabant (demo): Onderwerp voor jou om op te pakken: \"Te lang wachten op de wijkteams\"".to_string()]
    );
    assert_eq!(
        questions::write::save(db, URL, &d.sam, Some(id), &subject).await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    let waiting = questions::list::waiting_for(db, &d.marco).await.unwrap();
    assert!(waiting
        .iter()
        .any(|q| q.id == id && q.state == State::Assigned));
    assert_eq!(
        questions::write::act(db, URL, &d.marco, id, Action::Acknowledge, "").await,
        Ok(State::Accepted)
    );
    assert_eq!(
        questions::write::act(db, URL, &d.marco, id, Action::Acknowledge, "").await,
        Err(AppError::invalid("state", Problem::WrongState))
    );
    participation::inputs::transition(db, URL, &d.noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    let q = question_page::detail(db, &d.marco, id).await.unwrap();
    assert_eq!(q.owner.as_deref(), Some("Marco Jansen"));
    let events: Vec<&str> = q.timeline.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        events,
        vec![
            "proposed",
            "edited",
            "assigned",
            "acknowledged",
            "input_opened"
        ]
    );
    assert_eq!(q.timeline[2].detail, "Marco Jansen");
}

on_both_backends!(unsolicited_sqlite, unsolicited_postgres, unsolicited_story);

/// Words find questions by the start of any word, with or without accents, combined
/// with the filters, and only among what the viewer may see.
async fn search_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let data = question_page::form_data(db, &d.marco, None).await.unwrap();
    let theme_b = data.themes[1].id;
    let muni_b = data.municipalities[1].id;
    let a = accepted_question(t, &d, "Wachttijden in de jeugdhulp").await;
    let mut f = form(t, &d.marco, "Een café voor jongeren", "Waar spreek je af?").await;
    f.background = "Een **ontmoetingsplek** in het centrum.".into();
    f.theme = theme_b.to_string();
    f.municipalities = vec![muni_b.to_string()];
    let b = questions::write::save(db, URL, &d.marco, None, &f)
        .await
        .unwrap();
    let find = |text: &str| ListQuery {
        text: text.into(),
        page: 1,
        ..Default::default()
    };
    let ids = |list: app::model::QuestionList| -> Vec<i64> {
        list.items.into_iter().map(|q| q.id).collect()
    };
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &find("wacht"))
            .await
            .unwrap()),
        vec![a]
    );
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &find("CAFE"))
            .await
            .unwrap()),
        vec![b]
    );
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &find("ontmoeting"))
            .await
            .unwrap()),
        vec![b]
    );
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &find("jongeren café"))
            .await
            .unwrap()),
        vec![b]
    );
    assert!(ids(questions::list::list(db, &d.marco, &find("wacht café"))
        .await
        .unwrap())
    .is_empty());
    assert!(ids(questions::list::list(db, &d.marco, &find("fiets"))
        .await
        .unwrap())
    .is_empty());
    // The draft is its owner's: a member does not find it.
    assert!(ids(questions::list::list(db, &d.sam, &find("cafe"))
        .await
        .unwrap())
    .is_empty());
    // Filters, alone and together.
    let by_theme = ListQuery {
        theme: Some(theme_b),
        page: 1,
        ..Default::default()
    };
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &by_theme)
            .await
            .unwrap()),
        vec![b]
    );
    let by_municipality = ListQuery {
        municipality: Some(muni_b),
        page: 1,
        ..Default::default()
    };
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &by_municipality)
            .await
            .unwrap()),
        vec![b]
    );
    let none = ListQuery {
        municipality: Some(muni_b),
        state: Some(State::Accepted),
        page: 1,
        ..Default::default()
    };
    assert!(ids(questions::list::list(db, &d.marco, &none).await.unwrap()).is_empty());
    let filters = questions::list::list(db, &d.marco, &find(""))
        .await
        .unwrap()
        .filters;
    assert_eq!(filters.themes.len(), 6);
    assert_eq!(filters.municipalities.len(), 11);
    // An edit changes what is found.
    f.title = "Een plek voor jongeren".into();
    f.question = "Waar spreek je af?".into();
    questions::write::save(db, URL, &d.marco, Some(b), &f)
        .await
        .unwrap();
    assert!(ids(questions::list::list(db, &d.marco, &find("cafe"))
        .await
        .unwrap())
    .is_empty());
    // Questions written before the index existed are indexed once at start-up.
    sqlx::query("DELETE FROM question_terms")
        .execute(db.write())
        .await
        .unwrap();
    assert!(ids(questions::list::list(db, &d.marco, &find("wacht"))
        .await
        .unwrap())
    .is_empty());
    assert_eq!(search::index_missing(db).await.unwrap(), 2);
    assert_eq!(search::index_missing(db).await.unwrap(), 0);
    assert_eq!(
        ids(questions::list::list(db, &d.marco, &find("wacht"))
            .await
            .unwrap()),
        vec![a]
    );
}

on_both_backends!(search_sqlite, search_postgres, search_story);

/// Search at scale: a word in nearly every question is looked for by walking the newest
/// questions, a rare one through the index; both find exactly what the texts hold, in
/// list order, alone and together. Start-up indexing goes in batches.
async fn common_words_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    // 1,200 questions open for input, titles "Vraag <i> over <topic>", two per second.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
         INSERT INTO questions (panel_id, kind, state, title, question, open_to_influence,
                                owner_id, created_by, created_at, updated_at)
         SELECT p.id, 'solicited', 'collecting_input',
                'Vraag ' || i || ' over ' || CASE i % 6 WHEN 0 THEN 'wachttijden'
                  WHEN 1 THEN 'school' WHEN 2 THEN 'armoede' WHEN 3 THEN 'eenzaamheid'
                  WHEN 4 THEN 'scheiding' ELSE 'prestatiedruk' END,
                'Wat vinden jullie?', 'Alles.', u.id, u.id, 1700000000 + i / 2, 1700000000 + i / 2
         FROM n, panels p, users u WHERE p.slug = 'demo' AND u.email = 'beleid@demo.klankbord.test'",
    )
    .execute(db.write())
    .await
    .unwrap();
    assert_eq!(search::index_missing(db).await.unwrap(), 1200);
    assert_eq!(search::index_missing(db).await.unwrap(), 0);
    assert!(search::is_common(db, "vraag").await.unwrap());
    assert!(search::is_common(db, "over").await.unwrap());
    assert!(!search::is_common(db, "wacht").await.unwrap());
    assert!(!search::is_common(db, "117").await.unwrap());

    // What a search must find, read straight from the titles, in list order.
    let expected = |like: &str| {
        let like = like.to_string();
        async move {
            sqlx::query_as::<_, (i64,)>(
                "SELECT id FROM questions WHERE LOWER(title) LIKE $1
                 ORDER BY updated_at DESC, id DESC",
            )
            .bind(like)
            .fetch_all(db.read())
            .await
            .unwrap()
            .into_iter()
            .map(|(id,)| id)
            .collect::<Vec<i64>>()
        }
    };
    // Every page of a search, walked with its cursors.
    let found = |text: &str| {
        let text = text.to_string();
        let sam = d.sam.clone();
        async move {
            let mut query = ListQuery {
                text,
                page: 1,
                ..Default::default()
            };
            let mut all = Vec::new();
            loop {
                let list = questions::list::list(db, &sam, &query).await.unwrap();
                all.extend(list.items.iter().map(|q| q.id));
                match list.older {
                    Some(at) => query.cursor = questions::list::Cursor::parse(&at),
                    None => return all,
                }
                assert!(all.len() <= 1200, "the pages do not end");
            }
        }
    };
    let every = expected("vraag %").await;
    assert_eq!(every.len(), 1200);
    assert_eq!(found("vraag").await, every, "common word, walked");
    assert_eq!(
        found("wacht").await,
        expected("% over wachttijden").await,
        "rare word, through the index"
    );
    assert_eq!(
        found("vraag over wacht").await,
        expected("% over wachttijden").await
    );
    assert_eq!(found("Vraag 117").await, expected("vraag 117%").await);
    assert_eq!(
        found("vraag 117 school").await,
        expected("vraag 117% school").await
    );
    assert!(found("vraag onbekendwoord").await.is_empty());
    // The filters still hold on the walked path.
    let open_only = ListQuery {
        text: "vraag".into(),
        state: Some(State::CollectingInput),
        page: 1,
        ..Default::default()
    };
    assert_eq!(
        questions::list::list(db, &d.sam, &open_only)
            .await
            .unwrap()
            .items
            .len(),
        25
    );
}

on_both_backends!(
    common_words_sqlite,
    common_words_postgres,
    common_words_story
);

/// Notifications and the audit log page back through everything, each row once, newest
/// first, also where many rows share a second.
async fn older_pages_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
         INSERT INTO notifications (user_id, kind, subject, created_at)
         SELECT $1, 'input_open', 'Vraag ' || i, 1700000000 + i % 3 FROM n",
    )
    .bind(d.sam.id)
    .execute(db.write())
    .await
    .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 230)
         INSERT INTO audit_log (panel_id, actor_id, event, detail, at)
         SELECT $1, $2, 'role_changed', 'regel ' || i, 1700000000 + i % 4 FROM n",
    )
    .bind(d.noor.panel.id)
    .bind(d.noor.id)
    .execute(db.write())
    .await
    .unwrap();

    let pages = all_pages(async |at| {
        let page = notify::list_and_mark_read(db, &d.sam, at).await.unwrap();
        if at.is_empty() {
            assert_eq!(
                notify::unread(db, &d.sam).await.unwrap(),
                70,
                "the first page marks only its own 50 read"
            );
        }
        page
    })
    .await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    let news: Vec<usize> = pages
        .iter()
        .map(|p| p.iter().filter(|n| n.new).count())
        .collect();
    assert_eq!(
        news,
        vec![50, 50, 20],
        "each page shows its own unread notices as new"
    );
    let subjects: Vec<String> = pages.into_iter().flatten().map(|n| n.subject).collect();
    let expected = texts(
        db,
        "SELECT subject FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
        d.sam.id,
    )
    .await;
    assert_eq!(subjects, expected, "every notice once, newest first");
    assert_eq!(notify::unread(db, &d.sam).await.unwrap(), 0);

    let pages =
        all_pages(async |at| accounts::audit::audit_log(db, &d.noor, at).await.unwrap()).await;
    assert!(pages.iter().all(|p| p.len() <= 100));
    let details: Vec<String> = pages.into_iter().flatten().map(|e| e.detail).collect();
    let expected = texts(
        db,
        "SELECT detail FROM audit_log WHERE panel_id = $1 ORDER BY at DESC, id DESC",
        d.noor.panel.id,
    )
    .await;
    assert!(expected.len() >= 230);
    assert_eq!(details, expected, "every entry once, newest first");
    // A cursor that is not one starts at the newest.
    let first = accounts::audit::audit_log(db, &d.noor, "x1.2")
        .await
        .unwrap();
    assert_eq!(first.items[0].detail, expected[0]);
}

on_both_backends!(older_pages_sqlite, older_pages_postgres, older_pages_story);

/// Every page of a list, walked back from the newest as the pager's "Oudere" link does.
async fn all_pages<T>(mut load: impl AsyncFnMut(&str) -> app::model::OlderPages<T>) -> Vec<Vec<T>> {
    let mut pages = Vec::new();
    let mut at = String::new();
    loop {
        let page = load(&at).await;
        pages.push(page.items);
        match page.older {
            Some(older) => at = older,
            None => return pages,
        }
        assert!(pages.len() < 10, "the pages do not end");
    }
}

/// One text column of a query with one id parameter, in the query's order.
async fn texts(db: &app::backend::platform::db::Db, sql: &str, id: i64) -> Vec<String> {
    sqlx::query_as::<_, (String,)>(sql)
        .bind(id)
        .fetch_all(db.read())
        .await
        .unwrap()
        .into_iter()
        .map(|(s,)| s)
        .collect()
}

/// The input round's last day: set when opening (not in the past), changed while open;
/// after it nobody gives or endorses input, but members can still change their own.
async fn input_closing_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let id = accepted_question(t, &d, "Wat helpt bij wachten?").await;
    assert_eq!(
        participation::inputs::transition(db, URL, &d.noor, id, Action::OpenInput, "2001-01-01")
            .await,
        Err(AppError::invalid("closes_on", Problem::DateInPast))
    );
    assert_eq!(
        question_page::detail(db, &d.noor, id).await.unwrap().state,
        State::Accepted,
        "a refused change leaves the state"
    );
    let in_a_week =
        clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 7).unwrap();
    participation::inputs::transition(db, URL, &d.noor, id, Action::OpenInput, &in_a_week)
        .await
        .unwrap();
    // Every member hears of it; the coordinator who opened it does not.
    assert_eq!(kinds_of(t, &d.sam).await, vec![NoticeKind::InputOpen]);
    assert_eq!(kinds_of(t, &d.jay).await, vec![NoticeKind::InputOpen]);
    assert_eq!(
        kinds_of(t, &d.noor).await,
        vec![NoticeKind::QuestionSubmitted],
        "only the submitted question"
    );
    let q = question_page::detail(db, &d.sam, id).await.unwrap();
    assert_eq!(q.input_closes_on_iso, in_a_week);
    assert!(!q.input_closed && q.actions.contains(&Action::GiveInput));
    let sams = participation::inputs::give_input(db, &d.sam, id, "Een vast gezicht.", false, false)
        .await
        .unwrap();
    assert_eq!(
        participation::inputs::set_input_closing(db, &d.sam, id, "").await,
        Err(AppError::Forbidden)
    );
    participation::inputs::set_input_closing(db, &d.noor, id, "")
        .await
        .unwrap();
    assert_eq!(
        question_page::detail(db, &d.sam, id)
            .await
            .unwrap()
            .input_closes_on_iso,
        ""
    );
    // The day passes.
    sqlx::query("UPDATE questions SET input_closes_on = '2001-01-01' WHERE id = $1")
        .bind(id)
        .execute(db.write())
        .await
        .unwrap();
    assert_eq!(
        participation::inputs::give_input(db, &d.jay, id, "Te laat", false, false).await,
        Err(AppError::invalid("state", Problem::InputClosed))
    );
    assert_eq!(
        participation::inputs::endorse(db, &d.jay, sams).await,
        Err(AppError::invalid("state", Problem::InputClosed))
    );
    participation::inputs::update_input(
        db,
        &d.sam,
        sams,
        "Een vast gezicht, elke keer.",
        false,
        true,
    )
    .await
    .unwrap();
    let q = question_page::detail(db, &d.jay, id).await.unwrap();
    assert!(q.input_closed);
    assert!(!q.actions.contains(&Action::GiveInput) && !q.actions.contains(&Action::Endorse));
}

on_both_backends!(
    input_closing_sqlite,
    input_closing_postgres,
    input_closing_story
);

/// Notifications by preference: at once (a mail in the outbox, same transaction), weekly
/// (one digest on Monday morning, claimed once even by two instances), or off.
async fn notifications_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    for (email, preference) in [
        ("sam@demo.klankbord.test", "immediately"),
        ("jay@demo.klankbord.test", "weekly"),
        ("lina@demo.klankbord.test", "off"),
    ] {
        sqlx::query("UPDATE users SET notify = $1 WHERE email = $2")
            .bind(preference)
            .bind(email)
            .execute(db.write())
            .await
            .unwrap();
    }
    let lina = user(t, "lina@demo.klankbord.test").await;
    let id = accepted_question(t, &d, "Wat helpt bij wachten?").await;
    // Marco heard his question was accepted, in the app and by mail.
    assert_eq!(notify::unread(db, &d.marco).await.unwrap(), 1);
    assert_eq!(
        outbox_subjects(t, "beleid@demo.klankbord.test").await,
        vec!["Jongerenpanel Hart van Brabant (demo): Je vraag is aangenomen: \"Wat helpt bij wachten?\"".to_string()]
    );
    assert_eq!(notify::unread(db, &d.marco).await.unwrap(), 1);
    let list = notify::list_and_mark_read(db, &d.marco, "")
        .await
        .unwrap()
        .items;
    assert!(list[0].new && list[0].href == format!("/questions/{id}"));
    assert_eq!(notify::unread(db, &d.marco).await.unwrap(), 0);
    assert!(
        !notify::list_and_mark_read(db, &d.marco, "")
            .await
            .unwrap()
            .items[0]
            .new
    );

    participation::inputs::transition(db, URL, &d.noor, id, Action::OpenInput, "")
        .await
        .unwrap();
    for who in [&d.sam, &d.jay, &lina] {
        assert_eq!(
            notify::unread(db, who).await.unwrap(),
            1,
            "everyone sees it in the app"
        );
    }
    let sam_mail = outbox_subjects(t, "sam@demo.klankbord.test").await;
    assert_eq!(
        sam_mail,
        vec![
            "Jongerenpanel Hart van Brabant (demo): Geef je mening: \"Wat helpt bij wachten?\""
                .to_string()
        ]
    );
    let (body,): (String,) = sqlx::query_as("SELECT body_text FROM outbox WHERE recipient = $1")
        .bind("sam@demo.klankbord.test")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert!(body.contains(&format!("{URL}/questions/{id}")), "{body}");
    assert!(outbox_subjects(t, "jay@demo.klankbord.test")
        .await
        .is_empty());
    assert!(outbox_subjects(t, "lina@demo.klankbord.test")
        .await
        .is_empty());

    // The digest: nothing before Monday 08:00; then one mail, once.
    let now = app::backend::platform::db::now();
    let this_monday = clock::weekly_digest_moment(now);
    let next_monday = this_monday + 7 * 86_400;
    assert_eq!(
        notify::send_digests(db, URL, next_monday - 60)
            .await
            .unwrap(),
        0
    );
    let (first, second) = tokio::join!(
        notify::send_digests(db, URL, next_monday + 1),
        notify::send_digests(db, URL, next_monday + 2)
    );
    assert_eq!(
        first.unwrap() + second.unwrap(),
        1,
        "two instances, one digest"
    );
    let jay_mail = outbox_subjects(t, "jay@demo.klankbord.test").await;
    assert_eq!(
        jay_mail,
        vec!["Deze week bij Jongerenpanel Hart van Brabant (demo)".to_string()]
    );
    let (digest,): (String,) = sqlx::query_as("SELECT body_text FROM outbox WHERE recipient = $1")
        .bind("jay@demo.klankbord.test")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert!(digest.contains("Er is 1 melding voor je"), "{digest}");
    assert!(
        digest.contains("Geef je mening: \"Wat helpt bij wachten?\""),
        "{digest}"
    );
    assert!(
        outbox_subjects(t, "lina@demo.klankbord.test")
            .await
            .is_empty(),
        "off means off"
    );
    assert_eq!(
        notify::send_digests(db, URL, next_monday + 3600)
            .await
            .unwrap(),
        0
    );
    // Already read in the app: not in a digest.
    sqlx::query("UPDATE users SET digest_at = NULL WHERE email = 'jay@demo.klankbord.test'")
        .execute(db.write())
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &d.noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    participation::advice::save_advice(
        db,
        URL,
        &d.noor,
        id,
        "Samenvatting",
        &[participation::advice::RecommendationForm {
            body: "Een vast gezicht.".into(),
            supported_by: String::new(),
        }],
    )
    .await
    .unwrap();
    notify::list_and_mark_read(db, &d.jay, "").await.unwrap();
    assert_eq!(
        notify::send_digests(db, URL, next_monday + 7 * 86_400 + 1)
            .await
            .unwrap(),
        0
    );
    // The draft is announced once, not at every save.
    assert_eq!(
        kinds_of(t, &d.sam).await,
        vec![NoticeKind::DraftReady, NoticeKind::InputOpen]
    );
    participation::advice::save_advice(
        db,
        URL,
        &d.noor,
        id,
        "Samenvatting, beter",
        &[participation::advice::RecommendationForm {
            body: "Een vast gezicht.".into(),
            supported_by: String::new(),
        }],
    )
    .await
    .unwrap();
    assert_eq!(notify::unread(db, &d.sam).await.unwrap(), 0);
    // Sending tells the owner, with the due date, by the panel's number of weeks.
    assert_eq!(
        questions::write::set_feedback_weeks(db, &d.sam, "3").await,
        Err(AppError::Forbidden)
    );
    for bad in ["0", "27", "drie", ""] {
        assert_eq!(
            questions::write::set_feedback_weeks(db, &d.noor, bad).await,
            Err(AppError::invalid(
                "feedback_weeks",
                Problem::OutOfRange { min: 1, max: 26 }
            ))
        );
    }
    questions::write::set_feedback_weeks(db, &d.noor, "3")
        .await
        .unwrap();
    participation::advice::send_advice(db, URL, &d.noor, id)
        .await
        .unwrap();
    let due = clock::add_days(&clock::iso_date(app::backend::platform::db::now()), 21).unwrap();
    let sent = question_page::detail(db, &d.marco, id).await.unwrap();
    assert_eq!(
        sent.advice.unwrap().feedback_due.as_deref(),
        Some(clock::iso_to_display(&due).as_str())
    );
    let marco_mail = outbox_subjects(t, "beleid@demo.klankbord.test").await;
    assert_eq!(marco_mail.len(), 2);
    assert_eq!(
        marco_mail[1],
        "Advies van Jongerenpanel Hart van Brabant (demo): Wat helpt bij wachten?"
    );
}

on_both_backends!(
    notifications_sqlite,
    notifications_postgres,
    notifications_story
);

/// A background written with markup is shown as safe HTML.
async fn rich_text_story(t: &TestDb) {
    let d = demo_people(t).await;
    let mut f = form(t, &d.marco, "Opmaak", "Wat vinden jullie?").await;
    f.background =
        "## Waarom\n\nDit is **belangrijk**.<script>alert(1)</script> [lees](javascript:alert(2))"
            .into();
    let id = questions::write::save(&t.db, URL, &d.marco, None, &f)
        .await
        .unwrap();
    let q = question_page::detail(&t.db, &d.marco, id).await.unwrap();
    assert_eq!(q.background, f.background, "kept as written, for editing");
    assert!(
        q.background_html.contains("<h3>Waarom</h3>"),
        "{}",
        q.background_html
    );
    assert!(q.background_html.contains("<strong>belangrijk</strong>"));
    assert!(q.background_html.contains("&lt;script&gt;"));
    assert!(!q.background_html.contains("<script"));
    assert!(!q.background_html.contains("javascript:"));
}

on_both_backends!(rich_text_sqlite, rich_text_postgres, rich_text_story);

/// Lists read in the same query as what they belong to: a question's municipalities (in
/// a list and on its page, by name), the inputs a recommendation rests on, and the
/// reactions to a recommendation's present text.
async fn joined_lists_story(t: &TestDb) {
    let d = demo_people(t).await;
    let db = &t.db;
    let data = question_page::form_data(db, &d.marco, None).await.unwrap();
    let mut picked: Vec<(i64, String)> = data
        .municipalities
        .iter()
        .rev()
        .take(3)
        .map(|m| (m.id, m.name.clone()))
        .collect();
    let mut f = form(t, &d.marco, "Drie gemeenten", "Wat vinden jullie?").await;
    f.municipalities = picked.iter().map(|(id, _)| id.to_string()).collect();
    let id = questions::write::save(db, URL, &d.marco, None, &f)
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
    picked.sort_by(|a, b| a.1.cmp(&b.1));
    let names: Vec<String> = picked.iter().map(|(_, n)| n.clone()).collect();
    let mut ids: Vec<i64> = picked.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    let waiting = questions::list::waiting_for(db, &d.sam).await.unwrap();
    let listed = waiting.iter().find(|q| q.id == id).expect("listed");
    assert_eq!(listed.municipalities, names, "by name, all three");
    let page = question_page::detail(db, &d.sam, id).await.unwrap();
    assert_eq!(page.municipalities, names);
    assert_eq!(page.municipality_ids, ids);

    participation::inputs::give_input(db, &d.sam, id, "Bel terug binnen een week.", true, true)
        .await
        .unwrap();
    participation::inputs::give_input(db, &d.jay, id, "Een vast gezicht.", true, true)
        .await
        .unwrap();
    participation::inputs::transition(db, URL, &d.noor, id, Action::DraftAdvice, "")
        .await
        .unwrap();
    let recommend = |first: &str| {
        vec![
            participation::advice::RecommendationForm {
                body: first.into(),
                supported_by: "2, 1".into(),
            },
            participation::advice::RecommendationForm {
                body: "Zeg wat er met het advies gebeurt.".into(),
                supported_by: String::new(),
            },
        ]
    };
    participation::advice::save_advice(
        db,
        URL,
        &d.noor,
        id,
        "Samengevat.",
        &recommend("Bel terug."),
    )
    .await
    .unwrap();
    participation::advice::review(db, &d.sam, id, 1, true, "Eens.", "")
        .await
        .unwrap();
    participation::advice::review(db, &d.jay, id, 1, false, "", "")
        .await
        .unwrap();
    participation::advice::review(db, &d.jay, id, 2, true, "", "")
        .await
        .unwrap();
    let seen = |who| async move {
        question_page::detail(db, who, id)
            .await
            .unwrap()
            .advice
            .unwrap()
            .recommendations
    };
    let recs = seen(&d.noor).await;
    assert_eq!(recs[0].supported_by, vec![1, 2]);
    assert_eq!((recs[0].agree, recs[0].disagree), (1, 1));
    assert_eq!(
        recs[0].comments,
        vec![("Sam".to_string(), "Eens.".to_string())]
    );
    assert!(recs[1].supported_by.is_empty());
    assert_eq!((recs[1].agree, recs[1].disagree), (1, 0));
    let recs = seen(&d.sam).await;
    assert_eq!(recs[0].mine, Some((true, "Eens.".to_string())));
    assert_eq!(recs[1].mine, None);
    assert!(
        recs[0].comments.is_empty(),
        "comments are for the coordinator"
    );
    // A changed text starts without reactions; the other keeps its own.
    participation::advice::save_advice(
        db,
        URL,
        &d.noor,
        id,
        "Samengevat.",
        &recommend("Bel altijd terug."),
    )
    .await
    .unwrap();
    let recs = seen(&d.noor).await;
    assert_eq!((recs[0].agree, recs[0].disagree), (0, 0));
    assert!(recs[0].comments.is_empty());
    assert_eq!((recs[1].agree, recs[1].disagree), (1, 0));
}

on_both_backends!(
    joined_lists_sqlite,
    joined_lists_postgres,
    joined_lists_story
);
