//! Accounts on both backends, with mail delivered through a real SMTP server (aiosmtpd)
//! on loopback: invitations, agreements, password reset and change, e-mail change,
//! people management, rate limits, and an outbox that survives an SMTP outage.

// A story reads from top to bottom, as the people in it act; it is not split to stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use app::backend::accounts::setup::{self, CoordinatorSpec};
use app::backend::accounts::{
    self, invitations::AcceptForm, invitations::InviteForm, people::PeopleFilter,
    profile::ProfileForm,
};
use app::backend::platform::mail::{self, Mailer};
use app::backend::{platform::auth, platform::store};
use app::domain::{Problem, Role};
use app::error::AppError;
use app::model::CurrentUser;
use common::{fields, smtp_settings, SmtpReceiver, TestDb};

const URL: &str = "https://klankbord.test";
const PASSWORD: &str = "een lange zin als wachtwoord";
const CLIENT: &str = "192.0.2.7";

async fn coordinator(t: &TestDb, slug: &str, email: &str) -> CurrentUser {
    let id = setup::create_coordinator(
        &t.db,
        &CoordinatorSpec {
            slug: slug.into(),
            panel_name: Some(format!("Panel {slug}")),
            region: Some("Hart van Brabant".into()),
            municipalities: vec!["Tilburg".into(), "Dongen".into()],
            display_name: format!("Coördinator {slug}"),
            email: email.into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    store::current_user(t.db.read(), id).await.unwrap().unwrap()
}

async fn user(t: &TestDb, id: i64) -> CurrentUser {
    store::current_user(t.db.read(), id).await.unwrap().unwrap()
}

fn invite_form(email: &str, role: &str, municipality: &str) -> InviteForm {
    InviteForm {
        email: email.into(),
        role: role.into(),
        municipality: municipality.into(),
        language: "nl".into(),
    }
}

fn accept_form(name: &str, password: &str, birth_year: &str) -> AcceptForm {
    AcceptForm {
        display_name: name.into(),
        password: password.into(),
        password_repeat: password.into(),
        birth_year: birth_year.into(),
    }
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

async fn invitation_story(t: &TestDb) {
    let Some(smtp) = SmtpReceiver::start(0).await else {
        return;
    };
    let db = &t.db;
    let mailer = Mailer::new(&smtp_settings(smtp.port)).unwrap();
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    let this_year = app::domain::clock::year(app::backend::platform::db::now());

    // Inviting a member queues exactly one mail, sent by the worker.
    accounts::invitations::invite(db, URL, &noor, &invite_form("Sam@Example.nl", "member", ""))
        .await
        .unwrap();
    assert_eq!(mail::counts(db).await.unwrap().waiting, 1);
    assert_eq!(mailer.deliver_due(db).await.unwrap(), 1);
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1);
    let invitation = &got[0];
    assert!(
        invitation.to.contains("sam@example.nl"),
        "{}",
        invitation.to
    );
    assert_eq!(
        invitation.subject,
        "Je bent uitgenodigd voor Panel hart-van-brabant"
    );
    assert!(invitation
        .text
        .contains("Coördinator hart-van-brabant nodigt je uit"));
    assert!(invitation.html.contains("Maak je account"));
    let link = invitation.link(&format!("{URL}/invite/")).expect("a link");
    let token = token_of(&link);

    // The link shows what it offers.
    let info = accounts::invitations::invitation_info(db, &token, CLIENT)
        .await
        .unwrap();
    assert_eq!(info.email, "sam@example.nl");
    assert_eq!(info.role, Role::Member);

    // A second invitation for the same address is refused.
    let again =
        accounts::invitations::invite(db, URL, &noor, &invite_form("sam@example.nl", "member", ""))
            .await
            .unwrap_err();
    assert_eq!(
        fields(again),
        vec![("email".to_string(), Problem::AlreadyInvited)]
    );

    // Bad input: every field reported, nothing created, the link still works.
    let too_young = (this_year - 12).to_string();
    let bad = accounts::invitations::accept_invitation(
        db,
        &token,
        &accept_form("", "wachtwoord1", &too_young),
        CLIENT,
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(bad),
        vec![
            ("display_name".to_string(), Problem::Required),
            ("password".to_string(), Problem::CommonPassword),
            (
                "birth_year".to_string(),
                Problem::AgeOutOfRange { min: 16, max: 27 }
            ),
        ]
    );
    assert!(accounts::invitations::invitation_info(db, &token, CLIENT)
        .await
        .is_ok());

    // Accepting makes the account, once.
    let birth_year = (this_year - 19).to_string();
    let sam_id = accounts::invitations::accept_invitation(
        db,
        &token,
        &accept_form("Sam", PASSWORD, &birth_year),
        CLIENT,
    )
    .await
    .unwrap();
    let sam = user(t, sam_id).await;
    assert_eq!(sam.role, Role::Member);
    assert_eq!(sam.panel.id, noor.panel.id);
    assert_eq!(
        accounts::invitations::accept_invitation(
            db,
            &token,
            &accept_form("Sam 2", PASSWORD, &birth_year),
            CLIENT
        )
        .await,
        Err(AppError::InvitationInvalid)
    );
    assert_eq!(
        accounts::invitations::invitation_info(db, &auth::random_token(), CLIENT).await,
        Err(AppError::InvitationInvalid),
        "a forged link"
    );
    assert!(setup::login(db, "sam@example.nl", PASSWORD, CLIENT)
        .await
        .is_ok());

    // An address with an account cannot be invited again.
    let taken = accounts::invitations::invite(
        db,
        URL,
        &noor,
        &invite_form("sam@example.nl", "coordinator", ""),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(taken), vec![("email".to_string(), Problem::Taken)]);

    // The member's fixed contact is the coordinator who invited them.
    let contact = store::home_facts(db.read(), sam.id)
        .await
        .unwrap()
        .unwrap()
        .contact
        .unwrap();
    assert_eq!(contact.email, "noor@example.nl");

    // Policy makers need a municipality of this panel.
    let other = coordinator(t, "ander-panel", "kim@example.nl").await;
    let other_municipality = store::municipalities(db, other.panel.id).await.unwrap()[0].id;
    for municipality in [String::new(), other_municipality.to_string(), "abc".into()] {
        let refused = accounts::invitations::invite(
            db,
            URL,
            &noor,
            &invite_form("beleid@tilburg.nl", "policy_maker", &municipality),
        )
        .await
        .unwrap_err();
        assert_eq!(
            fields(refused),
            vec![("municipality".to_string(), Problem::MunicipalityRequired)]
        );
    }
    let tilburg = store::municipalities(db, noor.panel.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Tilburg")
        .unwrap();
    accounts::invitations::invite(
        db,
        URL,
        &noor,
        &invite_form("beleid@tilburg.nl", "policy_maker", &tilburg.id.to_string()),
    )
    .await
    .unwrap();

    // Resending sends a new link and kills the old one; revoking kills the new one.
    let people = accounts::people::people(db, &noor, &PeopleFilter::default())
        .await
        .unwrap();
    assert_eq!(people.invitations.len(), 1);
    let open = &people.invitations[0];
    assert_eq!(open.municipality.as_deref(), Some("Tilburg"));
    assert!(!open.expired);
    mailer.deliver_due(db).await.unwrap();
    let first = smtp.wait_for(2).await[1]
        .link(&format!("{URL}/invite/"))
        .unwrap();
    // Another panel's coordinator cannot touch it.
    assert_eq!(
        accounts::invitations::resend_invitation(db, URL, &other, open.id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        accounts::invitations::revoke_invitation(db, &other, open.id).await,
        Err(AppError::NotFound)
    );
    accounts::invitations::resend_invitation(db, URL, &noor, open.id)
        .await
        .unwrap();
    mailer.deliver_due(db).await.unwrap();
    let second = smtp.wait_for(3).await[2]
        .link(&format!("{URL}/invite/"))
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(
        accounts::invitations::invitation_info(db, &token_of(&first), CLIENT).await,
        Err(AppError::InvitationInvalid)
    );
    assert!(
        accounts::invitations::invitation_info(db, &token_of(&second), CLIENT)
            .await
            .is_ok()
    );
    accounts::invitations::revoke_invitation(db, &noor, open.id)
        .await
        .unwrap();
    assert_eq!(
        accounts::invitations::invitation_info(db, &token_of(&second), CLIENT).await,
        Err(AppError::InvitationInvalid)
    );
    assert!(
        accounts::people::people(db, &noor, &PeopleFilter::default())
            .await
            .unwrap()
            .invitations
            .is_empty()
    );

    // Agreements: nothing to accept while there are none; then once.
    assert!(!must_accept(db, &sam).await);
    assert!(matches!(
        accounts::agreements::update_agreements(db, &noor, &"x".repeat(5001), false).await,
        Err(AppError::Invalid(_))
    ));
    accounts::agreements::update_agreements(
        db,
        &noor,
        "We luisteren naar elkaar.\n\nWat hier gezegd wordt, blijft hier.",
        false,
    )
    .await
    .unwrap();
    assert!(must_accept(db, &sam).await);
    assert!(!must_accept(db, &noor).await, "only members");
    accounts::agreements::accept_agreements(db, &sam)
        .await
        .unwrap();
    assert!(!must_accept(db, &sam).await);
    let agreements = accounts::agreements::agreements(db, &sam).await.unwrap();
    assert!(agreements.accepted.is_some());
    assert!(!agreements.can_edit);
    accounts::agreements::update_agreements(db, &noor, "Nieuwe afspraken.", true)
        .await
        .unwrap();
    assert!(must_accept(db, &sam).await, "asked again");

    // The audit log tells the coordinator what happened, and only their panel's part.
    let log = accounts::audit::audit_log(db, &noor, "")
        .await
        .unwrap()
        .items;
    let events: Vec<&str> = log.iter().map(|e| e.event.as_str()).collect();
    for expected in [
        "invitation_sent",
        "invitation_accepted",
        "invitation_resent",
        "invitation_revoked",
        "agreements_changed",
        "agreements_accepted",
    ] {
        assert!(
            events.contains(&expected),
            "{expected} missing from {events:?}"
        );
    }
    assert!(accounts::audit::audit_log(db, &other, "")
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(mail::counts(db).await.unwrap().waiting, 0);
}

async fn outage_story(t: &TestDb) {
    let db = &t.db;
    let port = common::free_port();
    let mailer = Mailer::new(&smtp_settings(port)).unwrap();
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    accounts::invitations::invite(db, URL, &noor, &invite_form("sam@example.nl", "member", ""))
        .await
        .unwrap();

    // Nothing listens: the attempt fails and the mail waits for a retry.
    assert_eq!(mailer.deliver_due(db).await.unwrap(), 0);
    let counts = mail::counts(db).await.unwrap();
    assert_eq!((counts.waiting, counts.sent, counts.dead), (1, 0, 0));
    let (attempts, error): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, last_error FROM outbox")
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some());

    // The receiver comes back; the worker, running on its own, delivers the mail once.
    let Some(smtp) = SmtpReceiver::start(port).await else {
        return;
    };
    let worker = tokio::spawn(Mailer::new(&smtp_settings(port)).unwrap().run(db.clone()));
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1, "delivered after the outage");
    // Give a duplicate every chance to show up.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    worker.abort();
    assert_eq!(smtp.messages().len(), 1, "exactly once");
    let counts = mail::counts(db).await.unwrap();
    assert_eq!((counts.waiting, counts.sent, counts.dead), (0, 1, 0));
}

async fn two_instances_story(t: &TestDb) {
    let Some(smtp) = SmtpReceiver::start(0).await else {
        return;
    };
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    for n in 0..30 {
        accounts::invitations::invite(
            &t.db,
            URL,
            &noor,
            &invite_form(&format!("lid{n}@example.nl"), "member", ""),
        )
        .await
        .unwrap();
    }
    // Two instances: each its own connection pool to the same database.
    let other = app::backend::platform::db::Db::connect(&t.url, &Default::default())
        .await
        .unwrap();
    let a = Mailer::new(&smtp_settings(smtp.port)).unwrap();
    let b = Mailer::new(&smtp_settings(smtp.port)).unwrap();
    let (sent_a, sent_b) = tokio::join!(a.deliver_due(&t.db), b.deliver_due(&other));
    let (sent_a, sent_b) = (sent_a.unwrap(), sent_b.unwrap());
    assert_eq!(sent_a + sent_b, 30, "a: {sent_a}, b: {sent_b}");
    let got = smtp.wait_for(30).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut to: Vec<String> = smtp.messages().into_iter().map(|m| m.to).collect();
    assert_eq!(got.len(), 30);
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 30, "each mail once");
    other.close().await;
}

async fn dead_letter_story(t: &TestDb) {
    let db = &t.db;
    let mut settings = smtp_settings(common::free_port());
    settings.max_attempts = 2;
    settings.retry_base_secs = 60;
    let mailer = Mailer::new(&settings).unwrap();
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    accounts::invitations::invite(db, URL, &noor, &invite_form("sam@example.nl", "member", ""))
        .await
        .unwrap();
    let before = app::backend::platform::db::now();
    mailer.deliver_due(db).await.unwrap();
    // The next attempt waits for the backoff; until then the mail is not due.
    let (next,): (i64,) = sqlx::query_as("SELECT next_attempt_at FROM outbox")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert!(
        next >= before + 60,
        "next attempt {next}, failed after {before}"
    );
    mailer.deliver_due(db).await.unwrap();
    assert_eq!(mail::counts(db).await.unwrap().waiting, 1);
    // Once the backoff has passed, the second failure is the last.
    sqlx::query("UPDATE outbox SET next_attempt_at = next_attempt_at - 61")
        .execute(db.write())
        .await
        .unwrap();
    mailer.deliver_due(db).await.unwrap();
    let counts = mail::counts(db).await.unwrap();
    assert_eq!((counts.waiting, counts.sent, counts.dead), (0, 0, 1));
    // The coordinator sees that the invitation mail did not arrive.
    let people = accounts::people::people(db, &noor, &PeopleFilter::default())
        .await
        .unwrap();
    assert!(people.invitations[0].mail_failed);
}

async fn password_story(t: &TestDb) {
    let Some(smtp) = SmtpReceiver::start(0).await else {
        return;
    };
    let db = &t.db;
    let mailer = Mailer::new(&smtp_settings(smtp.port)).unwrap();
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    let (_, old_session) = setup::login(db, "noor@example.nl", PASSWORD, CLIENT)
        .await
        .unwrap();

    // Unknown and known addresses get the same answer; only the known one gets mail.
    accounts::passwords::request_reset(db, URL, "niemand@example.nl", CLIENT)
        .await
        .unwrap();
    accounts::passwords::request_reset(db, URL, "Noor@Example.nl", CLIENT)
        .await
        .unwrap();
    assert!(matches!(
        accounts::passwords::request_reset(db, URL, "geen adres", CLIENT).await,
        Err(AppError::Invalid(_))
    ));
    // The mail is queued after the answer; wait for it.
    for _ in 0..100 {
        if mail::counts(db).await.unwrap().waiting == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    mailer.deliver_due(db).await.unwrap();
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].to.contains("noor@example.nl"));
    assert_eq!(got[0].subject, "Kies een nieuw wachtwoord");
    let token = token_of(&got[0].link(&format!("{URL}/reset/")).unwrap());

    accounts::passwords::reset_link_valid(db, &token, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        accounts::passwords::reset_password(db, &token, "password1", "password1", CLIENT).await,
        Err(AppError::invalid("password", Problem::CommonPassword))
    );
    let new_password = "fietsen langs de dommel";
    accounts::passwords::reset_password(db, &token, new_password, new_password, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        auth::session_user(db, &old_session)
            .await
            .unwrap()
            .map(|p| p.user.id),
        None,
        "a reset ends every session"
    );
    assert_eq!(
        accounts::passwords::reset_password(db, &token, new_password, new_password, CLIENT).await,
        Err(AppError::LinkInvalid),
        "the link works once"
    );
    assert!(setup::login(db, "noor@example.nl", PASSWORD, CLIENT)
        .await
        .is_err());
    let (_, current) = setup::login(db, "noor@example.nl", new_password, CLIENT)
        .await
        .unwrap();
    // A notice that the password changed.
    mailer.deliver_due(db).await.unwrap();
    assert_eq!(
        smtp.wait_for(2).await[1].subject,
        "Je wachtwoord is veranderd"
    );

    // Too many reset requests for one address (three an hour): wait an hour.
    accounts::passwords::request_reset(db, URL, "noor@example.nl", CLIENT)
        .await
        .unwrap();
    accounts::passwords::request_reset(db, URL, "noor@example.nl", CLIENT)
        .await
        .unwrap();
    let limited = accounts::passwords::request_reset(db, URL, "noor@example.nl", CLIENT).await;
    assert_eq!(limited, Err(AppError::RateLimited { minutes: 60 }));

    // Changing the password asks the current one and ends the other sessions only.
    let (_, elsewhere) = setup::login(db, "noor@example.nl", new_password, CLIENT)
        .await
        .unwrap();
    let wrong = accounts::passwords::change_password(
        db,
        &noor,
        "fout",
        "nog een lange zin",
        "nog een lange zin",
        Some(&current),
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(wrong),
        vec![("current_password".to_string(), Problem::WrongPassword)]
    );
    accounts::passwords::change_password(
        db,
        &noor,
        new_password,
        "nog een lange zin",
        "nog een lange zin",
        Some(&current),
    )
    .await
    .unwrap();
    assert!(auth::session_user(db, &current).await.unwrap().is_some());
    assert!(auth::session_user(db, &elsewhere).await.unwrap().is_none());

    // Log out everywhere ends this session too.
    accounts::passwords::log_out_everywhere(db, &noor)
        .await
        .unwrap();
    assert!(auth::session_user(db, &current).await.unwrap().is_none());

    // E-mail change: password asked again, confirmed from the new address.
    let wrong = accounts::profile::request_email_change(db, URL, &noor, "noor@nieuw.nl", "fout")
        .await
        .unwrap_err();
    assert_eq!(
        fields(wrong),
        vec![("email_password".to_string(), Problem::WrongPassword)]
    );
    accounts::profile::request_email_change(db, URL, &noor, "noor@nieuw.nl", "nog een lange zin")
        .await
        .unwrap();
    let profile = accounts::profile::profile(db, &noor, None).await.unwrap();
    assert_eq!(profile.email, "noor@example.nl", "not before confirmation");
    assert_eq!(profile.pending_email.as_deref(), Some("noor@nieuw.nl"));
    mailer.deliver_due(db).await.unwrap();
    let mails = smtp.wait_for(4).await;
    let confirm = mails
        .iter()
        .find(|m| m.to.contains("noor@nieuw.nl"))
        .unwrap();
    let token = token_of(&confirm.link(&format!("{URL}/email/")).unwrap());
    accounts::profile::confirm_email_change(db, &token, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        accounts::profile::confirm_email_change(db, &token, CLIENT).await,
        Err(AppError::LinkInvalid)
    );
    assert_eq!(
        accounts::profile::profile(db, &noor, None)
            .await
            .unwrap()
            .email,
        "noor@nieuw.nl"
    );

    // Profile: name, language, notifications; bad values refused, nothing saved.
    let bad = accounts::profile::update_profile(
        db,
        &noor,
        &ProfileForm {
            display_name: " ".into(),
            language: "fr".into(),
            notify: "soms".into(),
            contact_info: "x".repeat(501),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(fields(bad).len(), 4);
    accounts::profile::update_profile(
        db,
        &noor,
        &ProfileForm {
            display_name: "Noor B.".into(),
            language: "en".into(),
            notify: "weekly".into(),
            contact_info: "06-12345678, di en do".into(),
        },
    )
    .await
    .unwrap();
    let profile = accounts::profile::profile(db, &noor, None).await.unwrap();
    assert_eq!(profile.display_name, "Noor B.");
    assert_eq!(profile.language, app::domain::Language::En);
    assert_eq!(profile.notify, app::domain::NotifyPreference::Weekly);
    assert_eq!(
        profile.contact_info.as_deref(),
        Some("06-12345678, di en do")
    );
}

async fn login_limit_story(t: &TestDb) {
    let db = &t.db;
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    for _ in 0..5 {
        assert_eq!(
            setup::login(db, "noor@example.nl", "fout wachtwoord", CLIENT).await,
            Err(AppError::WrongCredentials)
        );
    }
    // Now even the right password has to wait.
    assert_eq!(
        setup::login(db, "noor@example.nl", PASSWORD, CLIENT).await,
        Err(AppError::RateLimited { minutes: 15 })
    );
    // Another address from elsewhere is not affected; an unknown one is limited the same.
    for _ in 0..5 {
        let _ = setup::login(db, "niemand@example.nl", "fout wachtwoord", "198.51.100.1").await;
    }
    assert_eq!(
        setup::login(db, "niemand@example.nl", "fout wachtwoord", "198.51.100.1").await,
        Err(AppError::RateLimited { minutes: 15 })
    );
    let failed = accounts::audit::audit_log(db, &noor, "")
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.event.as_str() == "login_failed")
        .count();
    assert_eq!(failed, 5);
}

async fn people_story(t: &TestDb) {
    let db = &t.db;
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    let kim = coordinator(t, "ander-panel", "kim@example.nl").await;
    accounts::invitations::invite(db, URL, &noor, &invite_form("sam@example.nl", "member", ""))
        .await
        .unwrap();
    // Accept through the token from the outbox text (no SMTP needed here).
    let (text,): (String,) = sqlx::query_as("SELECT body_text FROM outbox ORDER BY id DESC")
        .fetch_one(db.read())
        .await
        .unwrap();
    let start = text.find("/invite/").unwrap() + "/invite/".len();
    let token = &text[start..start + 64];
    let year = app::domain::clock::year(app::backend::platform::db::now()) - 20;
    let sam_id = accounts::invitations::accept_invitation(
        db,
        token,
        &accept_form("Sam", PASSWORD, &year.to_string()),
        CLIENT,
    )
    .await
    .unwrap();
    let (_, sam_session) = setup::login(db, "sam@example.nl", PASSWORD, CLIENT)
        .await
        .unwrap();

    // Filters.
    let all = accounts::people::people(db, &noor, &PeopleFilter::default())
        .await
        .unwrap();
    assert_eq!(all.people.len(), 2);
    let members = accounts::people::people(
        db,
        &noor,
        &PeopleFilter {
            role: "member".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(members.people.len(), 1);
    assert!(members.people[0].last_login.is_some());
    let search = accounts::people::people(
        db,
        &noor,
        &PeopleFilter {
            query: "SAM".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(search.people.len(), 1);
    assert!(accounts::people::people(db, &kim, &PeopleFilter::default())
        .await
        .unwrap()
        .people
        .iter()
        .all(|p| p.email != "sam@example.nl"));

    // Another panel's coordinator cannot touch Sam.
    assert_eq!(
        accounts::people::change_role(db, &kim, sam_id, "coordinator", "").await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        accounts::people::set_active(db, &kim, sam_id, false).await,
        Err(AppError::NotFound)
    );

    // Role changes; policy makers need a municipality.
    assert_eq!(
        accounts::people::change_role(db, &noor, sam_id, "policy_maker", "").await,
        Err(AppError::invalid(
            "municipality",
            Problem::MunicipalityRequired
        ))
    );
    assert_eq!(
        accounts::people::change_role(db, &noor, sam_id, "baas", "").await,
        Err(AppError::invalid("role", Problem::InvalidChoice))
    );
    let dongen = store::municipalities(db, noor.panel.id).await.unwrap()[0].clone();
    accounts::people::change_role(db, &noor, sam_id, "policy_maker", &dongen.id.to_string())
        .await
        .unwrap();
    let sam = user(t, sam_id).await;
    assert_eq!(sam.role, Role::PolicyMaker);
    assert_eq!(sam.municipality.as_deref(), Some(dongen.name.as_str()));

    // The last coordinator stays; nobody deactivates themselves.
    assert_eq!(
        accounts::people::change_role(db, &noor, noor.id, "member", "").await,
        Err(AppError::invalid("role", Problem::LastCoordinator))
    );
    assert_eq!(
        accounts::people::set_active(db, &noor, noor.id, false).await,
        Err(AppError::invalid("user", Problem::NotYourself))
    );

    // Deactivation ends sessions at once and blocks login; reactivation lets them in again.
    accounts::people::set_active(db, &noor, sam_id, false)
        .await
        .unwrap();
    assert!(auth::session_user(db, &sam_session)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        setup::login(db, "sam@example.nl", PASSWORD, CLIENT).await,
        Err(AppError::WrongCredentials)
    );
    let inactive = accounts::people::people(
        db,
        &noor,
        &PeopleFilter {
            status: "inactive".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(inactive.people.len(), 1);
    accounts::people::set_active(db, &noor, sam_id, true)
        .await
        .unwrap();
    assert!(setup::login(db, "sam@example.nl", PASSWORD, CLIENT)
        .await
        .is_ok());
    let events: Vec<String> = accounts::audit::audit_log(db, &noor, "")
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.event.as_str().to_string())
        .collect();
    for expected in ["role_changed", "deactivated", "reactivated"] {
        assert!(events.iter().any(|e| e == expected), "{expected}");
    }
}

on_both_backends!(invitations_sqlite, invitations_postgres, invitation_story);
on_both_backends!(smtp_outage_sqlite, smtp_outage_postgres, outage_story);
on_both_backends!(
    two_instances_sqlite,
    two_instances_postgres,
    two_instances_story
);
on_both_backends!(
    dead_letters_sqlite,
    dead_letters_postgres,
    dead_letter_story
);
on_both_backends!(passwords_sqlite, passwords_postgres, password_story);
on_both_backends!(
    login_limits_sqlite,
    login_limits_postgres,
    login_limit_story
);
on_both_backends!(people_sqlite, people_postgres, people_story);

async fn second_factor_story(t: &TestDb) {
    use app::backend::accounts::second_factor;
    use app::backend::platform::auth::Pending;
    let db = &t.db;
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    let now = app::backend::platform::db::now();

    // Requiring it of others needs one's own first.
    assert_eq!(
        second_factor::set_required(db, &noor, true).await,
        Err(AppError::invalid(
            "require_second_factor",
            Problem::EnrolFirst
        ))
    );

    // Enrolment: a wrong code changes nothing; the right one turns it on.
    let enrolment = second_factor::start(db, noor.id).await.unwrap();
    assert!(enrolment
        .uri
        .starts_with("otpauth://totp/Klankbord:noor%40example.nl?secret="));
    assert!(enrolment.qr_size > 20 && enrolment.qr_path.starts_with('M'));
    let secret = enrolment.secret.clone();
    let wrong = if second_factor::code_at(&secret, now).unwrap() == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        second_factor::confirm(db, noor.id, noor.panel.id, wrong).await,
        Err(AppError::invalid("code", Problem::WrongCode))
    );
    assert!(
        !accounts::profile::profile(db, &noor, None)
            .await
            .unwrap()
            .second_factor
    );
    second_factor::confirm(
        db,
        noor.id,
        noor.panel.id,
        &second_factor::code_at(&secret, now).unwrap(),
    )
    .await
    .unwrap();
    assert!(
        accounts::profile::profile(db, &noor, None)
            .await
            .unwrap()
            .second_factor
    );

    // Login now stops half-way: the session opens nothing until the code is given.
    let (_, token) = setup::login(db, "noor@example.nl", PASSWORD, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        auth::session_user(db, &token)
            .await
            .unwrap()
            .map(|p| p.user.id),
        None
    );
    assert_eq!(
        auth::session_state(db, &token).await.unwrap(),
        Some((noor.id, Pending::Code))
    );
    // The code used for enrolment cannot be used again; the next one can, once.
    assert_eq!(
        second_factor::verify(db, noor.id, &second_factor::code_at(&secret, now).unwrap()).await,
        Err(AppError::invalid("code", Problem::WrongCode))
    );
    let next = second_factor::code_at(&secret, now + 30).unwrap();
    second_factor::verify(db, noor.id, &next).await.unwrap();
    assert_eq!(
        second_factor::verify(db, noor.id, &next).await,
        Err(AppError::invalid("code", Problem::WrongCode)),
        "a code works once"
    );
    // Done: the session opens under a new token; the one that only knew the password ends.
    let token = auth::complete_session(db, &token).await.unwrap().unwrap();
    assert_eq!(
        auth::session_user(db, &token)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(noor.id)
    );

    // Guessing is rate-limited.
    for _ in 0..5 {
        let _ = second_factor::verify(db, noor.id, "123456").await;
    }
    assert_eq!(
        second_factor::verify(db, noor.id, "123456").await,
        Err(AppError::RateLimited { minutes: 15 })
    );

    // The panel requires it: a policy maker without one must set it up first; members not.
    second_factor::set_required(db, &noor, true).await.unwrap();
    let tilburg = store::municipalities(db, noor.panel.id).await.unwrap()[1].id;
    for (email, role, municipality) in [
        ("beleid@tilburg.nl", "policy_maker", tilburg.to_string()),
        ("lid@example.nl", "member", String::new()),
    ] {
        accounts::invitations::invite(db, URL, &noor, &invite_form(email, role, &municipality))
            .await
            .unwrap();
        let (text,): (String,) = sqlx::query_as("SELECT body_text FROM outbox ORDER BY id DESC")
            .fetch_one(db.read())
            .await
            .unwrap();
        let start = text.find("/invite/").unwrap() + "/invite/".len();
        let year = app::domain::clock::year(now) - 20;
        accounts::invitations::accept_invitation(
            db,
            &text[start..start + 64],
            &accept_form("Iemand", PASSWORD, &year.to_string()),
            CLIENT,
        )
        .await
        .unwrap();
    }
    let (pm_id, pm_token) = setup::login(db, "beleid@tilburg.nl", PASSWORD, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        auth::session_state(db, &pm_token).await.unwrap(),
        Some((pm_id, Pending::Enrolment))
    );
    assert_eq!(
        auth::session_user(db, &pm_token)
            .await
            .unwrap()
            .map(|p| p.user.id),
        None
    );
    let (member_id, member_token) = setup::login(db, "lid@example.nl", PASSWORD, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        auth::session_user(db, &member_token)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(member_id)
    );

    // Nobody whose role requires it can turn it off.
    assert_eq!(
        second_factor::disable(db, &noor, PASSWORD).await,
        Err(AppError::invalid(
            "second_factor_password",
            Problem::SecondFactorRequired
        ))
    );
    second_factor::set_required(db, &noor, false).await.unwrap();
    assert_eq!(
        second_factor::disable(db, &noor, "fout").await,
        Err(AppError::invalid(
            "second_factor_password",
            Problem::WrongPassword
        ))
    );
    second_factor::disable(db, &noor, PASSWORD).await.unwrap();
    let (_, token) = setup::login(db, "noor@example.nl", PASSWORD, CLIENT)
        .await
        .unwrap();
    assert_eq!(
        auth::session_user(db, &token)
            .await
            .unwrap()
            .map(|p| p.user.id),
        Some(noor.id)
    );
}

on_both_backends!(
    second_factor_sqlite,
    second_factor_postgres,
    second_factor_story
);

/// Without an SMTP server every mail becomes an .eml file, readable by any mail program.
async fn eml_files_story(t: &TestDb) {
    let db = &t.db;
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(&mail::MailSettings::files(dir.path().join("mail"))).unwrap();
    let noor = coordinator(t, "hart-van-brabant", "noor@example.nl").await;
    let mut form = invite_form("sam@example.nl", "member", "");
    form.language = "en".into();
    accounts::invitations::invite(db, URL, &noor, &form)
        .await
        .unwrap();
    assert_eq!(mailer.deliver_due(db).await.unwrap(), 1);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].extension().is_some_and(|e| e == "eml"));
    let received = common::parse_mail(&std::fs::read(&files[0]).unwrap());
    assert!(received.to.contains("sam@example.nl"));
    assert_eq!(
        received.subject,
        "You are invited to Panel hart-van-brabant"
    );
    assert!(received.text.contains(&format!("{URL}/invite/")));
    assert!(received.html.contains("Create your account"));
    assert_eq!(mail::counts(db).await.unwrap().sent, 1);
}

on_both_backends!(eml_files_sqlite, eml_files_postgres, eml_files_story);

/// Whether the person's home page asks them to accept the agreements first.
async fn must_accept(db: &app::backend::platform::db::Db, user: &CurrentUser) -> bool {
    let facts = store::home_facts(db.read(), user.id)
        .await
        .unwrap()
        .unwrap();
    accounts::agreements::must_accept_agreements(user, &facts)
}
