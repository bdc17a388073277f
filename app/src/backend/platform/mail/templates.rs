//! The text and HTML of every mail Klankbord sends, in Dutch and English. The words are in
//! the mail catalogues (`app/locales/mail/`); this module fills them in and lays them out.
//! Plain language (B1), one action per mail, the link also written out for mail programs
//! that hide buttons. Everything put into the HTML is escaped.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::backend::platform::error::fault;
use crate::domain::{Language, Role};
use crate::error::AppError;
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

/// The words of every mail in one language, read from `app/locales/mail/<language>.json`
/// so a translator edits a catalogue instead of Rust. `{name}` marks a value filled in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    button_fallback: String,
    roles: RoleNames,
    notice_after_instant: String,
    notice_after_always: String,
    digest_one: String,
    digest_many: String,
    /// Per [`NoticeKind::as_str`].
    notices: HashMap<String, NoticeText>,
    mails: Mails,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleNames {
    member: String,
    policy_maker: String,
    coordinator: String,
}

/// A notice: its one line (also used in the digest), why it matters, and the button.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeText {
    line: String,
    explain: String,
    button: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mails {
    notice: MailText,
    invitation: MailText,
    password_reset: MailText,
    password_changed: MailText,
    email_change: MailText,
    advice_sent: MailText,
    escalation: MailText,
    digest: MailText,
    meeting_invitation: MailText,
    meeting_moved: MailText,
    meeting_cancelled: MailText,
    meeting_reminder: MailText,
}

/// One mail as the catalogue writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailText {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// The label of the one button; a mail without it has no link.
    #[serde(default)]
    button: Option<String>,
    /// Smaller print under the button.
    #[serde(default)]
    after: Vec<String>,
}

const NL_SOURCE: &str = include_str!("../../../../locales/mail/nl.json");
const EN_SOURCE: &str = include_str!("../../../../locales/mail/en.json");

fn parse(source: &str) -> Result<Catalogue, String> {
    let catalogue: Catalogue = serde_json::from_str(source).map_err(|e| e.to_string())?;
    match NoticeKind::ALL
        .iter()
        .find(|k| !catalogue.notices.contains_key(k.as_str()))
    {
        Some(missing) => Err(format!("no text for the notice {}", missing.as_str())),
        None => Ok(catalogue),
    }
}

static NL: LazyLock<Result<Catalogue, String>> = LazyLock::new(|| parse(NL_SOURCE));
static EN: LazyLock<Result<Catalogue, String>> = LazyLock::new(|| parse(EN_SOURCE));

/// Reads both catalogues; the mailer calls this at start-up, so a broken one stops the
/// server there instead of failing the first mail.
pub fn load() -> Result<(), String> {
    for (language, catalogue) in [("nl", &*NL), ("en", &*EN)] {
        if let Err(e) = catalogue {
            return Err(format!("app/locales/mail/{language}.json: {e}"));
        }
    }
    Ok(())
}

fn catalogue(language: Language) -> Result<&'static Catalogue, AppError> {
    let catalogue = match language {
        Language::Nl => &*NL,
        Language::En => &*EN,
    };
    catalogue.as_ref().map_err(|e| fault(e))
}

/// Puts the values into a catalogue text: `{name}` becomes the value named `name`. The
/// values themselves are not read again, so a `{` someone typed stays as it is.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn notice_text(c: &Catalogue, kind: NoticeKind) -> Result<&NoticeText, AppError> {
    // `parse` refuses a catalogue without a text for every kind.
    c.notices
        .get(kind.as_str())
        .ok_or_else(|| fault(kind.as_str()))
}

/// A notice in one short line, for the digest.
fn notice_line(c: &Catalogue, kind: NoticeKind, subject: &str) -> Result<String, AppError> {
    Ok(fill(&notice_text(c, kind)?.line, &[("subject", subject)]))
}

/// What one mail says: its subject, paragraphs, and an optional button.
struct Content {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    action: Option<(String, String)>,
    after: Vec<String>,
}

impl Content {
    fn of(text: &MailText, values: &[(&str, &str)], link: &str) -> Content {
        let fill_all = |texts: &[String]| texts.iter().map(|t| fill(t, values)).collect();
        Content {
            subject: fill(&text.subject, values),
            greeting: text.greeting.clone(),
            paragraphs: fill_all(&text.paragraphs),
            action: text
                .button
                .as_ref()
                .map(|b| (fill(b, values), link.to_string())),
            after: fill_all(&text.after),
        }
    }
}

fn role_name(names: &RoleNames, role: Role) -> &str {
    match role {
        Role::Member => &names.member,
        Role::PolicyMaker => &names.policy_maker,
        Role::Coordinator => &names.coordinator,
    }
}

fn content(mail: &Mail<'_>, c: &Catalogue) -> Result<Content, AppError> {
    let m = &c.mails;
    Ok(match *mail {
        Mail::MeetingInvitation { .. }
        | Mail::MeetingMoved { .. }
        | Mail::MeetingCancelled { .. }
        | Mail::MeetingReminder { .. } => {
            meeting_content(mail, m).ok_or_else(|| fault("a meeting mail"))?
        }
        Mail::Notice {
            panel,
            kind: NoticeKind::AdviceSent,
            subject,
            link,
            due: Some(due),
        }
        | Mail::AdviceSent {
            panel,
            title: subject,
            link,
            due,
        } => Content::of(
            &m.advice_sent,
            &[("panel", panel), ("title", subject), ("due", due)],
            link,
        ),
        Mail::Notice {
            panel,
            kind,
            subject,
            link,
            due,
        } => {
            let text = notice_text(c, kind)?;
            let line = notice_line(c, kind, subject)?;
            let explain = fill(&text.explain, &[("due", due.unwrap_or(""))]);
            let after = match kind.always_mailed() {
                true => &c.notice_after_always,
                false => &c.notice_after_instant,
            };
            Content::of(
                &m.notice,
                &[
                    ("panel", panel),
                    ("line", &line),
                    ("explain", &explain),
                    ("button", &text.button),
                    ("after", after),
                ],
                link,
            )
        }
        Mail::Escalation {
            panel,
            title,
            due,
            days,
            link,
        } => Content::of(
            &m.escalation,
            &[
                ("panel", panel),
                ("title", title),
                ("due", due),
                ("days", &days.to_string()),
            ],
            link,
        ),
        Mail::Digest { panel, lines, link } => {
            let count_line = match lines.len() {
                1 => c.digest_one.clone(),
                n => fill(&c.digest_many, &[("count", &n.to_string())]),
            };
            Content::of(
                &m.digest,
                &[("panel", panel), ("count_line", &count_line)],
                link,
            )
        }
        Mail::Invitation {
            panel,
            inviter,
            role,
            link,
            days,
        } => Content::of(
            &m.invitation,
            &[
                ("panel", panel),
                ("inviter", inviter),
                ("role", role_name(&c.roles, role)),
                ("days", &days.to_string()),
            ],
            link,
        ),
        Mail::PasswordReset { link, minutes } => Content::of(
            &m.password_reset,
            &[("minutes", &minutes.to_string())],
            link,
        ),
        Mail::PasswordChanged { panel } => {
            Content::of(&m.password_changed, &[("panel", panel)], "")
        }
        Mail::EmailChange { link, hours } => {
            Content::of(&m.email_change, &[("hours", &hours.to_string())], link)
        }
    })
}

/// The four mails about a meeting: all name the panel, the moment and the page. `None`
/// for any other mail.
fn meeting_content(mail: &Mail<'_>, m: &Mails) -> Option<Content> {
    let (text, link, values): (&MailText, &str, Vec<(&str, &str)>) = match *mail {
        Mail::MeetingInvitation {
            panel,
            when,
            place,
            item,
            link,
        } => (
            &m.meeting_invitation,
            link,
            vec![
                ("panel", panel),
                ("when", when),
                ("place", place),
                ("item", item),
            ],
        ),
        Mail::MeetingMoved {
            panel,
            when,
            place,
            link,
        } => (
            &m.meeting_moved,
            link,
            vec![("panel", panel), ("when", when), ("place", place)],
        ),
        Mail::MeetingCancelled {
            panel,
            when,
            reason,
            link,
        } => (
            &m.meeting_cancelled,
            link,
            vec![("panel", panel), ("when", when), ("reason", reason)],
        ),
        Mail::MeetingReminder {
            panel,
            when,
            place,
            link,
        } => (
            &m.meeting_reminder,
            link,
            vec![("panel", panel), ("when", when), ("place", place)],
        ),
        _ => return None,
    };
    Some(Content::of(text, &values, link))
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

pub fn render(mail: &Mail<'_>, language: Language) -> Result<Rendered, AppError> {
    let catalogue = catalogue(language)?;
    let c = content(mail, catalogue)?;
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
            notice_line(catalogue, l.kind, &l.subject)?,
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
                escape(&notice_line(catalogue, l.kind, &l.subject)?)
            ));
        }
        body.push_str("</ul>\n");
    }
    if let Some((label, link)) = &c.action {
        let (label, link) = (escape(label), escape(link));
        body.push_str(&format!(
            "<p><a href=\"{link}\" style=\"display:inline-block;padding:12px 20px;background:#0b5d56;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold\">{label}</a></p>\n\
             <p style=\"font-size:14px;color:#444444\">{}<br><a href=\"{link}\" style=\"color:#0b5d56;word-break:break-all\">{link}</a></p>\n",
            escape(&catalogue.button_fallback)
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
    Ok(Rendered {
        subject: c.subject,
        text,
        html,
        calendar: None,
    })
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
        let nl = render(&mail, Language::Nl).unwrap();
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
        let en = render(&mail, Language::En).unwrap();
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
        let nl = render(&mail, Language::Nl).unwrap();
        assert_eq!(nl.subject, "Deze week bij JWR");
        assert!(nl.text.contains("Er zijn 2 meldingen"), "{}", nl.text);
        assert!(nl
            .text
            .contains("- Geef je mening: \"Wachten <lang>\"\n  https://k.example/questions/4"));
        assert!(nl.html.contains("Wachten &lt;lang&gt;"));
        assert!(nl.html.contains("href=\"https://k.example/questions/5\""));
        let en = render(&mail, Language::En).unwrap();
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
        let nl = render(&reminder, Language::Nl).unwrap();
        assert!(nl.subject.contains("Wachten op hulp"));
        assert!(nl.text.contains("10-01-2027"));
        assert!(nl.text.contains("altijd per mail"));
        let en = render(&reminder, Language::En).unwrap();
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
        )
        .unwrap();
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
                let r = render(mail, language).unwrap();
                assert!(!r.subject.is_empty());
                assert!(r.text.len() > 40);
                assert!(r.html.starts_with("<!DOCTYPE html>"));
            }
        }
    }

    fn every_mail<'a>(lines: &'a [DigestLine]) -> Vec<Mail<'a>> {
        let mut mails = vec![
            Mail::Invitation {
                panel: "P",
                inviter: "Noor",
                role: Role::PolicyMaker,
                link: "https://x/invite/t",
                days: 7,
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
            Mail::MeetingInvitation {
                panel: "P",
                when: "di 12-01-2027 19:00",
                place: "Stadhuis",
                item: "Wachten",
                link: "https://x/meetings/1",
            },
            Mail::MeetingMoved {
                panel: "P",
                when: "di 12-01-2027 19:00",
                place: "Stadhuis",
                link: "https://x/meetings/1",
            },
            Mail::MeetingCancelled {
                panel: "P",
                when: "di 12-01-2027 19:00",
                reason: "Ziek",
                link: "https://x/meetings",
            },
            Mail::MeetingReminder {
                panel: "P",
                when: "di 12-01-2027 19:00",
                place: "Stadhuis",
                link: "https://x/meetings/1",
            },
            Mail::Escalation {
                panel: "P",
                title: "Wachten",
                due: "10-01-2027",
                days: 14,
                link: "https://x/questions/1",
            },
            Mail::Digest {
                panel: "P",
                lines,
                link: "https://x/notifications",
            },
        ];
        for kind in NoticeKind::ALL {
            mails.push(Mail::Notice {
                panel: "P",
                kind,
                subject: "Wachten",
                link: "https://x/questions/1",
                due: Some("10-01-2027"),
            });
        }
        mails
    }

    #[test]
    fn both_catalogues_are_complete() {
        for source in [NL_SOURCE, EN_SOURCE] {
            if let Err(e) = parse(source) {
                panic!("mail catalogue: {e}");
            }
        }
        assert_eq!(load(), Ok(()));
    }

    /// Every value a mail fills in is in its text, in both languages, and nothing is
    /// left unfilled: a translator who drops or misspells `{due}` fails here.
    #[test]
    fn every_mail_fills_every_placeholder_in_both_languages() {
        let lines = vec![DigestLine {
            kind: NoticeKind::InputOpen,
            subject: "Wachten".into(),
            link: "https://x/questions/4".into(),
        }];
        for mail in every_mail(&lines) {
            for language in [Language::Nl, Language::En] {
                let r = render(&mail, language).unwrap();
                for part in [&r.subject, &r.text, &r.html] {
                    assert!(!part.contains('{') && !part.contains('}'), "{part}");
                }
            }
        }
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        names.sort();
        names
    }

    fn same_shape(nl: &serde_json::Value, en: &serde_json::Value, path: &str) {
        use serde_json::Value;
        match (nl, en) {
            (Value::Object(a), Value::Object(b)) => {
                let (mut ka, mut kb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
                ka.sort();
                kb.sort();
                assert_eq!(ka, kb, "keys under {path}");
                for (key, value) in a {
                    same_shape(value, &b[key], &format!("{path}.{key}"));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                assert_eq!(a.len(), b.len(), "paragraphs in {path}");
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_shape(x, y, &format!("{path}[{i}]"));
                }
            }
            (Value::String(a), Value::String(b)) => {
                assert_eq!(placeholders(a), placeholders(b), "placeholders in {path}");
                assert!(
                    !a.trim().is_empty() && !b.trim().is_empty(),
                    "empty text in {path}"
                );
            }
            _ => panic!("{path} differs in kind between the languages"),
        }
    }

    #[test]
    fn the_languages_have_the_same_texts_and_placeholders() {
        let nl: serde_json::Value = serde_json::from_str(NL_SOURCE).unwrap();
        let en: serde_json::Value = serde_json::from_str(EN_SOURCE).unwrap();
        same_shape(&nl, &en, "mail");
    }

    #[test]
    fn fill_keeps_what_it_does_not_know() {
        assert_eq!(
            fill(
                "{panel} heeft {n} {onbekend} {",
                &[("panel", "JWR {n}"), ("n", "2")]
            ),
            "JWR {n} heeft 2 {onbekend} {"
        );
        assert_eq!(fill("geen", &[]), "geen");
        assert_eq!(fill("é{x}ü", &[("x", "ß")]), "éßü");
    }
}
