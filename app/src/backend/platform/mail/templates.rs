//! The text and HTML of every mail Klankbord sends, in Dutch and English. Plain language
//! (B1), one action per mail, the link also written out for mail programs that hide
//! buttons. Everything put into the HTML is escaped.

use crate::domain::{Language, Role};
use crate::model::NoticeKind;

/// A mail ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar object (RFC 5546 REQUEST or CANCEL) sent along as `text/calendar`.
    pub calendar: Option<String>,
}

/// The mails Klankbord sends.
pub enum Mail<'a> {
    /// Someone is invited to a panel.
    Invitation {
        panel: &'a str,
        inviter: &'a str,
        role: Role,
        link: &'a str,
        days: i64,
    },
    /// A link to choose a new password.
    PasswordReset { link: &'a str, minutes: i64 },
    /// A notice that the password was changed.
    PasswordChanged { panel: &'a str },
    /// A link that confirms a new e-mail address.
    EmailChange { link: &'a str, hours: i64 },
    /// The panel sent its advice on the policy maker's question.
    AdviceSent {
        panel: &'a str,
        title: &'a str,
        link: &'a str,
        due: &'a str,
    },
    /// Something happened that this person wants to hear about at once.
    Notice {
        panel: &'a str,
        kind: NoticeKind,
        subject: &'a str,
        link: &'a str,
        /// Advice sent: when the answer is due.
        due: Option<&'a str>,
    },
    /// A policy maker is invited as guest for an agenda item (with the meeting as .ics).
    MeetingInvitation {
        panel: &'a str,
        when: &'a str,
        place: &'a str,
        item: &'a str,
        link: &'a str,
    },
    /// A meeting moved to another moment or place.
    MeetingMoved {
        panel: &'a str,
        when: &'a str,
        place: &'a str,
        link: &'a str,
    },
    /// A meeting is cancelled.
    MeetingCancelled {
        panel: &'a str,
        when: &'a str,
        reason: &'a str,
        link: &'a str,
    },
    /// Two days before a meeting.
    MeetingReminder {
        panel: &'a str,
        when: &'a str,
        place: &'a str,
        link: &'a str,
    },
    /// To an escalation address (the owner's manager, say): feedback is late.
    Escalation {
        panel: &'a str,
        title: &'a str,
        due: &'a str,
        days: i64,
        link: &'a str,
    },
    /// A week of notices in one mail.
    Digest {
        panel: &'a str,
        lines: &'a [DigestLine],
        /// The notification list.
        link: &'a str,
    },
}

/// One notice in a weekly digest.
#[derive(Debug, Clone)]
pub struct DigestLine {
    pub kind: NoticeKind,
    pub subject: String,
    pub link: String,
}

/// A notice in one short line, for the digest.
pub fn notice_line(kind: NoticeKind, subject: &str, language: Language) -> String {
    use NoticeKind as K;
    match language {
        Language::Nl => match kind {
            K::QuestionSubmitted => format!("Nieuwe vraag om aan te nemen: \"{subject}\""),
            K::QuestionAccepted => format!("Je vraag is aangenomen: \"{subject}\""),
            K::QuestionReturned => format!("Je vraag is teruggestuurd: \"{subject}\""),
            K::InputOpen => format!("Geef je mening: \"{subject}\""),
            K::DraftReady => format!("Concept-advies klaar om te lezen: \"{subject}\""),
            K::AdviceSent => format!("Advies ontvangen: \"{subject}\""),
            K::SubjectProposed => format!("Nieuw onderwerp voorgesteld: \"{subject}\""),
            K::SubjectAssigned => format!("Onderwerp voor jou om op te pakken: \"{subject}\""),
            K::ThemeProposed => format!("Nieuw thema voorgesteld: \"{subject}\""),
            K::FeedbackSubmitted => format!("Terugkoppeling ontvangen: \"{subject}\""),
            K::FeedbackReminder => format!("Het panel wacht op je terugkoppeling: \"{subject}\""),
            K::FeedbackOverdue => format!("Je terugkoppeling is te laat: \"{subject}\""),
            K::FeedbackEscalated => format!("Terugkoppeling blijft uit: \"{subject}\""),
            K::FeedbackPublished => format!("Dit is er met jullie advies gedaan: \"{subject}\""),
            K::FeedbackFollowUp => format!("Een open punt wacht op je besluit: \"{subject}\""),
        },
        Language::En => match kind {
            K::QuestionSubmitted => format!("New question to accept: \"{subject}\""),
            K::QuestionAccepted => format!("Your question was accepted: \"{subject}\""),
            K::QuestionReturned => format!("Your question was returned: \"{subject}\""),
            K::InputOpen => format!("Give your view: \"{subject}\""),
            K::DraftReady => format!("Draft advice ready to read: \"{subject}\""),
            K::AdviceSent => format!("Advice received: \"{subject}\""),
            K::SubjectProposed => format!("New subject proposed: \"{subject}\""),
            K::SubjectAssigned => format!("A subject for you to take on: \"{subject}\""),
            K::ThemeProposed => format!("New theme proposed: \"{subject}\""),
            K::FeedbackSubmitted => format!("Feedback received: \"{subject}\""),
            K::FeedbackReminder => format!("The panel is waiting for your feedback: \"{subject}\""),
            K::FeedbackOverdue => format!("Your feedback is late: \"{subject}\""),
            K::FeedbackEscalated => format!("Feedback still missing: \"{subject}\""),
            K::FeedbackPublished => format!("What was done with your advice: \"{subject}\""),
            K::FeedbackFollowUp => format!("An open point awaits your decision: \"{subject}\""),
        },
    }
}

/// What a notice mail says besides its one line: why it matters and the button.
fn notice_content(
    panel: &str,
    kind: NoticeKind,
    subject: &str,
    link: &str,
    due: Option<&str>,
    language: Language,
) -> Content {
    use NoticeKind as K;
    let line = notice_line(kind, subject, language);
    let due = due.unwrap_or("");
    let dated;
    let (explain, button) = match language {
        Language::Nl => match kind {
            K::QuestionSubmitted => ("Bekijk de vraag en neem hem aan, of stuur hem terug met een reden.", "Bekijk de vraag"),
            K::QuestionAccepted => ("Het panel gaat ermee aan de slag. Je hoort het als het advies klaar is.", "Bekijk je vraag"),
            K::QuestionReturned => ("Lees waarom, pas je vraag aan en dien hem opnieuw in.", "Bekijk je vraag"),
            K::InputOpen => ("Jouw ervaring telt. Vertel wat jij ervan vindt; je kiest zelf of je naam erbij staat.", "Geef je mening"),
            K::DraftReady => ("Lees het concept en laat per aanbeveling weten of je het ermee eens bent.", "Lees het concept"),
            K::AdviceSent => ("Lees het advies en laat per aanbeveling weten wat je ermee doet.", "Lees het advies"),
            K::SubjectProposed => ("Kijk of het panel dit oppakt en wijs een beleidsmaker toe.", "Bekijk het onderwerp"),
            K::SubjectAssigned => ("Het panel wil hierover advies geven. Laat weten dat je het oppakt.", "Bekijk het onderwerp"),
            K::ThemeProposed => ("Leden kunnen het steunen; jij beslist of het een thema van het panel wordt.", "Bekijk de thema's"),
            K::FeedbackSubmitted => ("Lees wat er met elke aanbeveling gebeurt en maak de infographic voor de jongeren.", "Bekijk de terugkoppeling"),
            K::FeedbackReminder | K::FeedbackOverdue => {
                dated = format!("De terugkoppeling was afgesproken voor {due}. Laat per aanbeveling weten of je hem overneemt, en waarom wel of niet. De jongeren horen het via een infographic.");
                (dated.as_str(), "Geef terugkoppeling")
            }
            K::FeedbackEscalated => {
                dated = format!("De terugkoppeling was afgesproken voor {due} en is er nog niet. Neem contact op met de beleidsmaker.");
                (dated.as_str(), "Bekijk de vraag")
            }
            K::FeedbackPublished => ("Je hebt meegedacht. Bekijk per aanbeveling wat de gemeente ermee doet, en laat weten of het duidelijk is.", "Bekijk de terugkoppeling"),
            K::FeedbackFollowUp => {
                dated = format!("Je schreef dat je op {due} zou weten wat er met een aanbeveling gebeurt. Geef het besluit en verstuur je terugkoppeling opnieuw; de vraag kan pas afgesloten worden als elk punt een besluit heeft.");
                (dated.as_str(), "Geef het besluit")
            }
        },
        Language::En => match kind {
            K::QuestionSubmitted => ("Look at the question and accept it, or return it with a reason.", "See the question"),
            K::QuestionAccepted => ("The panel will work on it. You will hear when the advice is ready.", "See your question"),
            K::QuestionReturned => ("Read why, change your question and submit it again.", "See your question"),
            K::InputOpen => ("Your experience counts. Say what you think; you choose whether your name is shown.", "Give your view"),
            K::DraftReady => ("Read the draft and say per recommendation whether you agree.", "Read the draft"),
            K::AdviceSent => ("Read the advice and say per recommendation what you do with it.", "Read the advice"),
            K::SubjectProposed => ("See whether the panel takes it on and assign a policy maker.", "See the subject"),
            K::SubjectAssigned => ("The panel wants to advise on this. Confirm that you take it on.", "See the subject"),
            K::ThemeProposed => ("Members can support it; you decide whether it becomes a theme of the panel.", "See the themes"),
            K::FeedbackSubmitted => ("Read what happens with each recommendation and make the infographic for the young people.", "See the feedback"),
            K::FeedbackReminder | K::FeedbackOverdue => {
                dated = format!("The feedback was due on {due}. Say per recommendation whether you adopt it, and why or why not. The young people hear it through an infographic.");
                (dated.as_str(), "Give feedback")
            }
            K::FeedbackEscalated => {
                dated = format!("The feedback was due on {due} and has not come. Please contact the policy maker.");
                (dated.as_str(), "See the question")
            }
            K::FeedbackPublished => ("You took part. See per recommendation what the municipality does with it, and say whether it is clear.", "See the feedback"),
            K::FeedbackFollowUp => {
                dated = format!("You wrote you would know by {due} what happens with a recommendation. Give the decision and send your feedback again; the question can only be closed once every point has a decision.");
                (dated.as_str(), "Give the decision")
            }
        },
    };
    Content {
        subject: format!("{panel}: {line}"),
        greeting: match language {
            Language::Nl => "Hoi,".into(),
            Language::En => "Hi,".into(),
        },
        paragraphs: vec![format!("{line}."), explain.into()],
        action: Some((button.into(), link.to_string())),
        after: vec![match (language, kind.always_mailed()) {
            (Language::Nl, false) => "Je krijgt deze mail omdat je meldingen meteen wilt ontvangen. Dat pas je aan bij Mijn gegevens.".into(),
            (Language::En, false) => "You get this mail because you chose to hear about notifications at once. Change that in My account.".into(),
            (Language::Nl, true) => "Deze herinnering krijg je altijd per mail: het panel wacht op een antwoord.".into(),
            (Language::En, true) => "This reminder always comes by mail: the panel is waiting for an answer.".into(),
        }],
    }
}

/// What one mail says: its subject, paragraphs, and an optional button.
struct Content {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    action: Option<(String, String)>,
    after: Vec<String>,
}

fn role_name(role: Role, language: Language) -> &'static str {
    match (language, role) {
        (Language::Nl, Role::Member) => "lid van het panel",
        (Language::Nl, Role::PolicyMaker) => "beleidsmaker",
        (Language::Nl, Role::Coordinator) => "coördinator",
        (Language::En, Role::Member) => "panel member",
        (Language::En, Role::PolicyMaker) => "policy maker",
        (Language::En, Role::Coordinator) => "coordinator",
    }
}

fn content(mail: &Mail<'_>, language: Language) -> Content {
    match *mail {
        Mail::MeetingInvitation {
            panel,
            when,
            place,
            item,
            link,
        } => meeting_invitation(language, panel, when, place, item, link),
        Mail::MeetingMoved {
            panel,
            when,
            place,
            link,
        } => meeting_moved(language, panel, when, place, link),
        Mail::MeetingCancelled {
            panel,
            when,
            reason,
            link,
        } => meeting_cancelled(language, panel, when, reason, link),
        Mail::MeetingReminder {
            panel,
            when,
            place,
            link,
        } => meeting_reminder(language, panel, when, place, link),
        Mail::Notice {
            panel,
            kind: NoticeKind::AdviceSent,
            subject,
            link,
            due: Some(due),
        } => advice_sent(language, panel, subject, link, due),
        Mail::Notice {
            panel,
            kind,
            subject,
            link,
            due,
        } => notice_content(panel, kind, subject, link, due, language),
        Mail::Escalation {
            panel,
            title,
            due,
            days,
            link,
        } => escalation(language, panel, title, due, days, link),
        Mail::Digest { panel, lines, link } => digest(language, panel, lines, link),
        Mail::Invitation {
            panel,
            inviter,
            role,
            link,
            days,
        } => invitation(language, panel, inviter, role, link, days),
        Mail::PasswordReset { link, minutes } => password_reset(language, link, minutes),
        Mail::PasswordChanged { panel } => password_changed(language, panel),
        Mail::AdviceSent {
            panel,
            title,
            link,
            due,
        } => advice_sent(language, panel, title, link, due),
        Mail::EmailChange { link, hours } => email_change(language, link, hours),
    }
}

fn meeting_invitation(
    language: Language,
    panel: &str,
    when: &str,
    place: &str,
    item: &str,
    link: &str,
) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Uitnodiging: panelavond {panel}, {when}"),
            greeting: "Hallo,".into(),
            paragraphs: vec![
                format!("{panel} nodigt je uit als gast bij de panelavond. De jongeren praten dan over \"{item}\" en horen graag van jou."),
                format!("Wanneer: {when}"),
                format!("Waar: {place}"),
                "De afspraak zit als bijlage bij deze mail, zodat je hem in je agenda zet. Laat op de pagina weten of je komt.".into(),
            ],
            action: Some(("Bekijk de avond en geef antwoord".into(), link.to_string())),
            after: vec![],
        },
        Language::En => Content {
            subject: format!("Invitation: {panel} panel meeting, {when}"),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("{panel} invites you as a guest to its panel meeting. The young people will talk about \"{item}\" and would like to hear from you."),
                format!("When: {when}"),
                format!("Where: {place}"),
                "The appointment is attached to this mail for your calendar. Let us know on the page whether you will come.".into(),
            ],
            action: Some(("See the meeting and answer".into(), link.to_string())),
            after: vec![],
        },
    }
}

fn meeting_moved(language: Language, panel: &str, when: &str, place: &str, link: &str) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Verplaatst: panelavond {panel}"),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                "De panelavond is verplaatst. Dit is de nieuwe tijd en plek:".into(),
                format!("Wanneer: {when}"),
                format!("Waar: {place}"),
                "Kun je nu niet meer? Laat het weten op de pagina.".into(),
            ],
            action: Some(("Bekijk de avond".into(), link.to_string())),
            after: vec![],
        },
        Language::En => Content {
            subject: format!("Moved: {panel} panel meeting"),
            greeting: "Hi,".into(),
            paragraphs: vec![
                "The panel meeting has moved. This is the new time and place:".into(),
                format!("When: {when}"),
                format!("Where: {place}"),
                "Can you no longer come? Let us know on the page.".into(),
            ],
            action: Some(("See the meeting".into(), link.to_string())),
            after: vec![],
        },
    }
}

fn meeting_cancelled(
    language: Language,
    panel: &str,
    when: &str,
    reason: &str,
    link: &str,
) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Gaat niet door: panelavond {panel}, {when}"),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                format!("De panelavond van {when} gaat niet door."),
                format!("Waarom: {reason}"),
            ],
            action: Some(("Bekijk de andere avonden".into(), link.to_string())),
            after: vec![],
        },
        Language::En => Content {
            subject: format!("Cancelled: {panel} panel meeting, {when}"),
            greeting: "Hi,".into(),
            paragraphs: vec![
                format!("The panel meeting of {when} is cancelled."),
                format!("Why: {reason}"),
            ],
            action: Some(("See the other meetings".into(), link.to_string())),
            after: vec![],
        },
    }
}

fn meeting_reminder(
    language: Language,
    panel: &str,
    when: &str,
    place: &str,
    link: &str,
) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Over twee dagen: panelavond {panel}"),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                format!("Over twee dagen is de panelavond: {when}."),
                format!("Waar: {place}"),
                "Op de pagina zie je de agenda en kun je laten weten of je komt.".into(),
            ],
            action: Some(("Bekijk de agenda".into(), link.to_string())),
            after: vec![],
        },
        Language::En => Content {
            subject: format!("In two days: {panel} panel meeting"),
            greeting: "Hi,".into(),
            paragraphs: vec![
                format!("The panel meeting is in two days: {when}."),
                format!("Where: {place}"),
                "The page has the agenda, and you can say there whether you will come.".into(),
            ],
            action: Some(("See the agenda".into(), link.to_string())),
            after: vec![],
        },
    }
}

fn escalation(
    language: Language,
    panel: &str,
    title: &str,
    due: &str,
    days: i64,
    link: &str,
) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("{panel}: terugkoppeling op \"{title}\" {days} dagen te laat"),
            greeting: "Goedendag,".into(),
            paragraphs: vec![
                format!("{panel} heeft advies gegeven over \"{title}\". De gemeente zou uiterlijk {due} laten weten wat er met elke aanbeveling gebeurt. Die terugkoppeling is er na {days} dagen nog niet."),
                "U krijgt dit bericht omdat de coördinator van het panel uw adres heeft opgegeven voor het geval de terugkoppeling uitblijft. Wilt u nagaan wat er nodig is?".into(),
            ],
            action: Some(("Bekijk de vraag".into(), link.to_string())),
            after: vec!["De jongeren van het panel horen via een infographic wat er met hun advies is gedaan; zonder terugkoppeling kan dat niet.".into()],
        },
        Language::En => Content {
            subject: format!("{panel}: feedback on \"{title}\" {days} days late"),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("{panel} gave advice on \"{title}\". The municipality was to say by {due} what happens with each recommendation. After {days} days that feedback has not come."),
                "You receive this because the panel's coordinator gave your address for when feedback is late. Could you look into what is needed?".into(),
            ],
            action: Some(("See the question".into(), link.to_string())),
            after: vec!["The panel's young people hear what was done with their advice through an infographic; without feedback that cannot happen.".into()],
        },
    }
}

fn digest(language: Language, panel: &str, lines: &[DigestLine], link: &str) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Deze week bij {panel}"),
            greeting: "Hoi,".into(),
            paragraphs: vec![match lines.len() {
                1 => "Er is 1 melding voor je:".into(),
                n => format!("Er zijn {n} meldingen voor je:"),
            }],
            action: Some(("Bekijk al je meldingen".into(), link.to_string())),
            after: vec!["Je krijgt deze mail één keer per week omdat je dat hebt gekozen. Dat pas je aan bij Mijn gegevens.".into()],
        },
        Language::En => Content {
            subject: format!("This week at {panel}"),
            greeting: "Hi,".into(),
            paragraphs: vec![match lines.len() {
                1 => "There is 1 notification for you:".into(),
                n => format!("There are {n} notifications for you:"),
            }],
            action: Some(("See all your notifications".into(), link.to_string())),
            after: vec!["You get this mail once a week because you chose so. Change that in My account.".into()],
        },
    }
}

fn invitation(
    language: Language,
    panel: &str,
    inviter: &str,
    role: Role,
    link: &str,
    days: i64,
) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Je bent uitgenodigd voor {panel}"),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                format!(
                    "{inviter} nodigt je uit voor {panel} op Klankbord, als {}.",
                    role_name(role, language)
                ),
                "Klik op de knop om je account te maken. Je kiest zelf een naam en een wachtwoord."
                    .into(),
            ],
            action: Some(("Maak je account".into(), link.to_string())),
            after: vec![
                format!("Deze link werkt {days} dagen en maar één keer."),
                "Verwachtte je deze mail niet? Dan kun je hem weggooien.".into(),
            ],
        },
        Language::En => Content {
            subject: format!("You are invited to {panel}"),
            greeting: "Hi,".into(),
            paragraphs: vec![
                format!(
                    "{inviter} invites you to {panel} on Klankbord, as {}.",
                    role_name(role, language)
                ),
                "Click the button to create your account. You choose your own name and password."
                    .into(),
            ],
            action: Some(("Create your account".into(), link.to_string())),
            after: vec![
                format!("This link works for {days} days, and only once."),
                "Not expecting this mail? Then you can ignore it.".into(),
            ],
        },
    }
}

fn password_reset(language: Language, link: &str, minutes: i64) -> Content {
    match language {
        Language::Nl => Content {
            subject: "Kies een nieuw wachtwoord".into(),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                "Je vroeg om een nieuw wachtwoord voor Klankbord. Klik op de knop om er een te kiezen."
                    .into(),
            ],
            action: Some(("Kies een nieuw wachtwoord".into(), link.to_string())),
            after: vec![
                format!("Deze link werkt {minutes} minuten en maar één keer."),
                "Vroeg je dit niet zelf? Dan hoef je niets te doen: je wachtwoord blijft hetzelfde."
                    .into(),
            ],
        },
        Language::En => Content {
            subject: "Choose a new password".into(),
            greeting: "Hi,".into(),
            paragraphs: vec![
                "You asked for a new Klankbord password. Click the button to choose one.".into(),
            ],
            action: Some(("Choose a new password".into(), link.to_string())),
            after: vec![
                format!("This link works for {minutes} minutes, and only once."),
                "Didn't ask for this? Then do nothing: your password stays the same.".into(),
            ],
        },
    }
}

fn password_changed(language: Language, panel: &str) -> Content {
    match language {
        Language::Nl => Content {
            subject: "Je wachtwoord is veranderd".into(),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                "Het wachtwoord van je Klankbord-account is net veranderd. Je bent op je andere apparaten uitgelogd."
                    .into(),
                format!(
                    "Deed je dit niet zelf? Vraag dan meteen een nieuw wachtwoord aan en laat het de coördinator van {panel} weten."
                ),
            ],
            action: None,
            after: vec![],
        },
        Language::En => Content {
            subject: "Your password was changed".into(),
            greeting: "Hi,".into(),
            paragraphs: vec![
                "The password of your Klankbord account was just changed. You were logged out on your other devices."
                    .into(),
                format!(
                    "Wasn't this you? Ask for a new password right away and tell the coordinator of {panel}."
                ),
            ],
            action: None,
            after: vec![],
        },
    }
}

fn advice_sent(language: Language, panel: &str, title: &str, link: &str, due: &str) -> Content {
    match language {
        Language::Nl => Content {
            subject: format!("Advies van {panel}: {title}"),
            greeting: "Hallo,".into(),
            paragraphs: vec![
                format!("{panel} heeft advies gegeven op je vraag \"{title}\"."),
                format!(
                    "Laat vóór {due} per aanbeveling weten wat je ermee doet: overgenomen, deels, niet, of nog open, en wat het betekent voor jongeren. Zij horen het terug."
                ),
            ],
            action: Some(("Lees het advies".into(), link.to_string())),
            after: vec![],
        },
        Language::En => Content {
            subject: format!("Advice from {panel}: {title}"),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("{panel} has given advice on your question \"{title}\"."),
                format!(
                    "Before {due}, say per recommendation what you do with it: adopted, partly, not, or still open, and what it means for young people. They hear back."
                ),
            ],
            action: Some(("Read the advice".into(), link.to_string())),
            after: vec![],
        },
    }
}

fn email_change(language: Language, link: &str, hours: i64) -> Content {
    match language {
        Language::Nl => Content {
            subject: "Bevestig je nieuwe e-mailadres".into(),
            greeting: "Hoi,".into(),
            paragraphs: vec![
                "Je wilt dit e-mailadres gebruiken voor Klankbord. Klik op de knop om dat te bevestigen."
                    .into(),
            ],
            action: Some(("Bevestig dit e-mailadres".into(), link.to_string())),
            after: vec![
                format!("Deze link werkt {hours} uur en maar één keer."),
                "Vroeg je dit niet zelf? Dan hoef je niets te doen.".into(),
            ],
        },
        Language::En => Content {
            subject: "Confirm your new e-mail address".into(),
            greeting: "Hi,".into(),
            paragraphs: vec![
                "You want to use this e-mail address for Klankbord. Click the button to confirm."
                    .into(),
            ],
            action: Some(("Confirm this e-mail address".into(), link.to_string())),
            after: vec![
                format!("This link works for {hours} hours, and only once."),
                "Didn't ask for this? Then do nothing.".into(),
            ],
        },
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn render(mail: &Mail<'_>, language: Language) -> Rendered {
    let c = content(mail, language);
    let mut text = format!("{}\n\n", c.greeting);
    for p in &c.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    let lines: &[DigestLine] = match mail {
        Mail::Digest { lines, .. } => lines,
        _ => &[],
    };
    for l in lines {
        text.push_str(&format!(
            "- {}\n  {}\n",
            notice_line(l.kind, &l.subject, language),
            l.link
        ));
    }
    if !lines.is_empty() {
        text.push('\n');
    }
    if let Some((label, link)) = &c.action {
        text.push_str(&format!("{label}:\n{link}\n\n"));
    }
    for p in &c.after {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str("-- \nKlankbord\n");

    let mut body = format!("<p>{}</p>\n", escape(&c.greeting));
    for p in &c.paragraphs {
        body.push_str(&format!("<p>{}</p>\n", escape(p)));
    }
    if !lines.is_empty() {
        body.push_str("<ul>\n");
        for l in lines {
            body.push_str(&format!(
                "<li style=\"margin-bottom:8px\"><a href=\"{}\" style=\"color:#0b5d56\">{}</a></li>\n",
                escape(&l.link),
                escape(&notice_line(l.kind, &l.subject, language))
            ));
        }
        body.push_str("</ul>\n");
    }
    if let Some((label, link)) = &c.action {
        let (label, link) = (escape(label), escape(link));
        body.push_str(&format!(
            "<p><a href=\"{link}\" style=\"display:inline-block;padding:12px 20px;background:#0b5d56;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold\">{label}</a></p>\n\
             <p style=\"font-size:14px;color:#444444\">{}<br><a href=\"{link}\" style=\"color:#0b5d56;word-break:break-all\">{link}</a></p>\n",
            match language {
                Language::Nl => "Werkt de knop niet? Kopieer dan deze link:",
                Language::En => "Button not working? Copy this link:",
            }
        ));
    }
    for p in &c.after {
        body.push_str(&format!(
            "<p style=\"font-size:14px;color:#444444\">{}</p>\n",
            escape(p)
        ));
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\n\
         <body style=\"margin:0;padding:24px;background:#f6f5f1;font-family:'Atkinson Hyperlegible',system-ui,sans-serif;font-size:17px;line-height:1.5;color:#1d1d1b\">\n\
         <div style=\"max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px\">\n\
         <p style=\"font-weight:bold;color:#0b5d56;margin-top:0\">Klankbord</p>\n{body}</div>\n</body>\n</html>\n",
        lang = language.as_str(),
        title = escape(&c.subject),
    );
    Rendered {
        subject: c.subject,
        text,
        html,
        calendar: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_in_both_languages_with_escaped_html() {
        let mail = Mail::Invitation {
            panel: "JWR <Hart van Brabant>",
            inviter: "Sanne & co",
            role: Role::Member,
            link: "https://k.example/invite/abc",
            days: 7,
        };
        let nl = render(&mail, Language::Nl);
        assert_eq!(
            nl.subject,
            "Je bent uitgenodigd voor JWR <Hart van Brabant>"
        );
        assert!(nl.text.contains("Sanne & co nodigt je uit"), "{}", nl.text);
        assert!(nl.text.contains("https://k.example/invite/abc"));
        assert!(nl.text.contains("7 dagen"));
        assert!(nl.html.contains("JWR &lt;Hart van Brabant&gt;"));
        assert!(nl.html.contains("Sanne &amp; co"));
        assert!(!nl.html.contains("<Hart"));
        assert!(nl.html.contains("href=\"https://k.example/invite/abc\""));
        let en = render(&mail, Language::En);
        assert!(en.text.contains("invites you to"));
        assert!(en.html.contains("lang=\"en\""));
    }

    #[test]
    fn digest_lists_every_notice_with_its_link_escaped() {
        let lines = vec![
            DigestLine {
                kind: NoticeKind::InputOpen,
                subject: "Wachten <lang>".into(),
                link: "https://k.example/questions/4".into(),
            },
            DigestLine {
                kind: NoticeKind::DraftReady,
                subject: "Stage".into(),
                link: "https://k.example/questions/5".into(),
            },
        ];
        let mail = Mail::Digest {
            panel: "JWR",
            lines: &lines,
            link: "https://k.example/notifications",
        };
        let nl = render(&mail, Language::Nl);
        assert_eq!(nl.subject, "Deze week bij JWR");
        assert!(nl.text.contains("Er zijn 2 meldingen"), "{}", nl.text);
        assert!(nl
            .text
            .contains("- Geef je mening: \"Wachten <lang>\"\n  https://k.example/questions/4"));
        assert!(nl.html.contains("Wachten &lt;lang&gt;"));
        assert!(nl.html.contains("href=\"https://k.example/questions/5\""));
        let en = render(&mail, Language::En);
        assert!(en.text.contains("Draft advice ready to read"));
    }

    #[test]
    fn feedback_reminders_name_the_due_date_and_say_why_they_always_come() {
        let reminder = Mail::Notice {
            panel: "Jongerenpanel",
            kind: NoticeKind::FeedbackOverdue,
            subject: "Wachten op hulp",
            link: "https://x/questions/1",
            due: Some("10-01-2027"),
        };
        let nl = render(&reminder, Language::Nl);
        assert!(nl.subject.contains("Wachten op hulp"));
        assert!(nl.text.contains("10-01-2027"));
        assert!(nl.text.contains("altijd per mail"));
        let en = render(&reminder, Language::En);
        assert!(en.text.contains("10-01-2027") && en.text.contains("always comes by mail"));
        let escalation = render(
            &Mail::Escalation {
                panel: "Jongerenpanel",
                title: "Wachten op hulp",
                due: "10-01-2027",
                days: 14,
                link: "https://x/questions/1",
            },
            Language::Nl,
        );
        assert!(
            escalation.subject.contains("Wachten op hulp")
                && escalation.subject.contains("14 dagen")
        );
        assert!(escalation.text.contains("10-01-2027"));
    }

    #[test]
    fn every_mail_has_a_subject_and_text_in_both_languages() {
        let mails = [
            Mail::Escalation {
                panel: "P",
                title: "Wachten",
                due: "10-01-2027",
                days: 14,
                link: "https://x/questions/1",
            },
            Mail::Notice {
                panel: "P",
                kind: NoticeKind::FeedbackReminder,
                subject: "Wachten",
                link: "https://x/questions/1",
                due: Some("10-01-2027"),
            },
            Mail::Notice {
                panel: "P",
                kind: NoticeKind::FeedbackPublished,
                subject: "Wachten",
                link: "https://x/questions/1",
                due: None,
            },
            Mail::PasswordReset {
                link: "https://x/reset/t",
                minutes: 60,
            },
            Mail::PasswordChanged { panel: "P" },
            Mail::EmailChange {
                link: "https://x/email/t",
                hours: 24,
            },
            Mail::AdviceSent {
                panel: "P",
                title: "Wachten",
                link: "https://x/questions/1",
                due: "10-01-2027",
            },
            Mail::Notice {
                panel: "P",
                kind: NoticeKind::QuestionReturned,
                subject: "Wachten",
                link: "https://x/questions/1",
                due: None,
            },
            Mail::Notice {
                panel: "P",
                kind: NoticeKind::AdviceSent,
                subject: "Wachten",
                link: "https://x/questions/1",
                due: Some("10-01-2027"),
            },
        ];
        for mail in &mails {
            for language in [Language::Nl, Language::En] {
                let r = render(mail, language);
                assert!(!r.subject.is_empty());
                assert!(r.text.len() > 40);
                assert!(r.html.starts_with("<!DOCTYPE html>"));
            }
        }
    }
}
