//! Validated values. Wasm-safe: the same rules run in the browser and on the server.
//!
//! Every constructor trims its input and returns a [`Problem`] that the interface
//! translates; the server always validates again, whatever the browser did.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value was refused. The interface turns each into a sentence in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    InvalidSlug,
    ControlCharacters,
    PasswordsDiffer,
    /// Another record already uses this value (a panel address, an e-mail address).
    Taken,
    /// The password is on the list of common or breached passwords.
    CommonPassword,
    /// Not a year, or a year that makes no sense.
    InvalidYear,
    /// Panel members are 16 to 27 years old.
    AgeOutOfRange {
        min: u16,
        max: u16,
    },
    /// Not one of the choices offered.
    InvalidChoice,
    /// A policy maker needs a municipality.
    MunicipalityRequired,
    /// The second-factor code is wrong or expired.
    WrongCode,
    /// This address has an open invitation already (resend it instead).
    AlreadyInvited,
    /// The current password is not right.
    WrongPassword,
    /// The panel must keep at least one active coordinator.
    LastCoordinator,
    /// One cannot do this to one's own account.
    NotYourself,
    /// The panel requires a second factor for this role.
    SecondFactorRequired,
    /// Set up one's own second factor before requiring it of others.
    EnrolFirst,
    /// The second factor is on already: replacing it asks for the password or the code.
    SecondFactorOn,
    /// Not a date like 2027-03-01.
    InvalidDate,
    /// The date has passed already.
    DateInPast,
    /// Choose at least one.
    ChooseOne,
    /// A list with more entries than allowed (municipalities, recommendations, ...).
    TooMany {
        max: usize,
    },
    /// What was reacted to changed meanwhile (the coordinator rewrote or reordered it).
    ChangedMeanwhile,
    /// Not possible in the question's current state.
    WrongState,
    /// Done already (endorsing twice, say).
    AlreadyDone,
    /// A number that does not point at an input of this question.
    UnknownInput,
    /// The day input could be given has passed.
    InputClosed,
    /// A number outside what is allowed.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// Not a clock time like 19:00.
    InvalidTime,
    /// The end is not after the start.
    EndBeforeStart,
    /// The last day of a period is before its first.
    LastDayBeforeFirst,
    /// Not a web address starting with https://.
    InvalidUrl,
    /// A meeting needs an address or an online link.
    PlaceRequired,
    /// A series runs from its first date up to at most a year later.
    SeriesLength,
    /// The meeting is cancelled.
    MeetingCancelled,
    /// The meeting is over.
    MeetingPast,
    /// The meeting has not started yet.
    MeetingNotYet,
    /// Commenting on these minutes is over (or they are not a draft).
    CommentsClosed,
    /// Members may still comment on the draft minutes.
    CommentsOpen,
    /// Not an amount like 12,50.
    InvalidAmount,
    /// More than is plausible.
    AmountOutOfRange {
        max_euros: i64,
    },
    /// Travel costs only for a meeting one attended.
    NotAttended,
    /// A published infographic changes only by publishing it again.
    RepublishNeeded,
    /// Not every recommendation has a submitted answer yet.
    FeedbackMissing,
    /// The author of this input did not allow quoting it.
    NotQuotable,
    /// A question closes only once its infographic is published.
    NotPublished,
    /// A recommendation is still open: it needs a final answer first.
    StillOpen,
    /// The feedback went to the panel: changes go as a new submission.
    AlreadySubmitted,
    /// Only a recommendation that was adopted or partly adopted is carried out.
    NotAdopted,
    /// The recommendation is done or stopped: no update follows.
    ProgressFinished,
}

fn clean(input: &str, max: usize) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    if value.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    if value.chars().any(char::is_control) {
        return Err(Problem::ControlCharacters);
    }
    Ok(value.to_string())
}

/// An e-mail address, stored lower-case. Deliberately simple: one `@`, a dot in the
/// domain, no spaces. Whether it exists is proven by mail, not by a pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let value = clean(input, Self::MAX)?.to_lowercase();
        let Some((local, domain)) = value.split_once('@') else {
            return Err(Problem::InvalidEmail);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain_ok
            || value.chars().any(char::is_whitespace)
        {
            return Err(Problem::InvalidEmail);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name other people see. For members this may be a nickname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 60;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let value = clean(input, Self::MAX)?;
        if value.chars().count() < 2 {
            return Err(Problem::TooShort { min: 2 });
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A panel's name, e.g. "Jeugd Welzijns Raad Hart van Brabant".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelName(String);

impl PanelName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let value = clean(input, Self::MAX)?;
        if value.chars().count() < 3 {
            return Err(Problem::TooShort { min: 3 });
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The region a panel works in, e.g. "Hart van Brabant".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region(String);

impl Region {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        Ok(Self(clean(input, Self::MAX)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The part of a panel's public address after `/p/`: lower-case letters, digits and
/// single hyphens, 2 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub const MAX: usize = 40;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let value = clean(input, Self::MAX)?;
        if value.len() < 2 {
            return Err(Problem::TooShort { min: 2 });
        }
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !allowed || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err(Problem::InvalidSlug);
        }
        Ok(Self(value))
    }

    /// A suggestion derived from a name: "Jeugdraad Hart van Brabant" -> "jeugdraad-hart-van-brabant".
    pub fn suggest(name: &str) -> String {
        let mut out = String::new();
        for c in name.trim().chars() {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                other => other.to_ascii_lowercase(),
            };
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(Self::MAX).collect();
        trimmed.trim_end_matches('-').to_string()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. At least 8 characters, at most 256 (long passphrases welcome), no
/// composition rules. The list of common passwords is checked on the server.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 8;
    pub const MAX: usize = 256;

    pub fn parse(input: &str, repeated: &str) -> Result<Self, Problem> {
        if input.is_empty() {
            return Err(Problem::Required);
        }
        let length = input.chars().count();
        if length < Self::MIN {
            return Err(Problem::TooShort { min: Self::MIN });
        }
        if length > Self::MAX {
            return Err(Problem::TooLong { max: Self::MAX });
        }
        if input != repeated {
            return Err(Problem::PasswordsDiffer);
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// The three roles in a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub enum Role {
    Member,
    PolicyMaker,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::PolicyMaker => "policy_maker",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "member" => Some(Role::Member),
            "policy_maker" => Some(Role::PolicyMaker),
            "coordinator" => Some(Role::Coordinator),
            _ => None,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = Problem;

    fn from_str(value: &str) -> Result<Self, Problem> {
        Role::from_db(value).ok_or(Problem::InvalidChoice)
    }
}

/// The language of someone's interface and e-mail. Dutch unless they choose English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    /// The locale of the catalogues (`app/locales/*.json`) in this language.
    pub fn locale(self) -> crate::i18n::Locale {
        match self {
            Language::Nl => crate::i18n::Locale::nl,
            Language::En => crate::i18n::Locale::en,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// Anything unknown is Dutch.
    pub fn from_db(value: &str) -> Self {
        match value {
            "en" => Language::En,
            _ => Language::Nl,
        }
    }

    pub fn parse(value: &str) -> Result<Self, Problem> {
        match value {
            "nl" => Ok(Language::Nl),
            "en" => Ok(Language::En),
            _ => Err(Problem::InvalidChoice),
        }
    }
}

/// When someone hears about new things on the panel by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NotifyPreference {
    #[default]
    Immediately,
    Weekly,
    Off,
}

impl NotifyPreference {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyPreference::Immediately => "immediately",
            NotifyPreference::Weekly => "weekly",
            NotifyPreference::Off => "off",
        }
    }

    pub fn from_db(value: &str) -> Self {
        match value {
            "weekly" => NotifyPreference::Weekly,
            "off" => NotifyPreference::Off,
            _ => NotifyPreference::Immediately,
        }
    }

    pub fn parse(value: &str) -> Result<Self, Problem> {
        match value {
            "immediately" => Ok(NotifyPreference::Immediately),
            "weekly" => Ok(NotifyPreference::Weekly),
            "off" => Ok(NotifyPreference::Off),
            _ => Err(Problem::InvalidChoice),
        }
    }
}

/// A member's birth year: only to check that they are 16 to 27 this year. Nothing else
/// about a young person's age or history is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthYear(u16);

impl BirthYear {
    pub const MIN_AGE: u16 = 16;
    pub const MAX_AGE: u16 = 27;

    /// `current_year` comes from the server clock (a young person who turns 16 this year
    /// may join).
    pub fn parse(input: &str, current_year: u16) -> Result<Self, Problem> {
        let value = input.trim();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        let year: u16 = value.parse().map_err(|_| Problem::InvalidYear)?;
        if !(1900..=current_year).contains(&year) {
            return Err(Problem::InvalidYear);
        }
        let age = current_year - year;
        if !(Self::MIN_AGE..=Self::MAX_AGE).contains(&age) {
            return Err(Problem::AgeOutOfRange {
                min: Self::MIN_AGE,
                max: Self::MAX_AGE,
            });
        }
        Ok(Self(year))
    }

    pub fn value(self) -> u16 {
        self.0
    }
}

/// A calendar date typed as `YYYY-MM-DD` (what `<input type="date">` sends), strictly
/// after `today` (same format), returned unchanged.
pub fn future_date(input: &str, today: &str) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let valid = clock::parse_iso_date(value).is_some_and(|(y, _, _)| (2000..=2200).contains(&y));
    if !valid {
        return Err(Problem::InvalidDate);
    }
    // ISO dates compare correctly as text.
    if value <= today {
        return Err(Problem::DateInPast);
    }
    Ok(value.to_string())
}

/// How long each text may be (characters). The server checks these, and the pages give the
/// same numbers as `maxlength`, so a browser stops where the server would refuse.
pub mod lengths {
    /// A question's title.
    pub const QUESTION_TITLE: usize = 150;
    /// A question's background (Markdown).
    pub const QUESTION_BACKGROUND: usize = 10_000;
    /// The question itself, what is open to influence, what is fixed.
    pub const QUESTION_TEXT: usize = 2_000;
    /// When the decision is taken.
    pub const DECISION_MOMENT: usize = 200;
    /// Why a question is returned.
    pub const RETURN_REASON: usize = 1_000;
    /// A theme's name.
    pub const THEME_NAME: usize = 60;
    /// A theme's description.
    pub const THEME_DESCRIPTION: usize = 500;
    /// One input of a young person, or what the group said.
    pub const INPUT: usize = 4_000;
    /// The advice's summary.
    pub const ADVICE_SUMMARY: usize = 5_000;
    /// One recommendation.
    pub const RECOMMENDATION: usize = 2_000;
    /// Recommendations in one advice.
    pub const RECOMMENDATIONS: usize = 20;
    /// The list of input numbers one recommendation names ("1, 3, 7").
    pub const SUPPORTED_BY: usize = 1_000;
    /// Each part of the answer to a recommendation.
    pub const FEEDBACK_TEXT: usize = 4_000;
    /// The policy maker's message with the answers.
    pub const FEEDBACK_MESSAGE: usize = 4_000;
    /// The question in one sentence, on the infographic.
    pub const INFOGRAPHIC_LINE: usize = 300;
    /// A member's comment with a rating.
    pub const RATING_COMMENT: usize = 1_000;
    /// Where a meeting is.
    pub const MEETING_LOCATION: usize = 200;
    /// A meeting's online link.
    pub const MEETING_URL: usize = 500;
    /// An agenda item's title.
    pub const AGENDA_TITLE: usize = 120;
    /// Why a meeting is cancelled.
    pub const CANCEL_REASON: usize = 500;
    /// The minutes of one agenda item.
    pub const MINUTES: usize = 10_000;
    /// A member's comment on draft minutes.
    pub const MINUTES_COMMENT: usize = 2_000;
    /// The panel's group agreements.
    pub const AGREEMENTS: usize = 5000;
    /// How members reach a coordinator.
    pub const CONTACT_INFO: usize = 500;
    /// What a travel claim is for.
    pub const CLAIM_DESCRIPTION: usize = 300;
    /// Words typed into a search field.
    pub const SEARCH: usize = 200;
}

/// The most municipalities one question may name (a region has far fewer).
pub const QUESTION_MUNICIPALITIES_MAX: usize = 50;

/// The most entries any list a form sends may have (ticked people, agenda items,
/// recommendations and their answers). A longer list is refused before anything is read
/// or written; each service also applies its own, smaller limit.
pub const FORM_LIST_MAX: usize = 500;

/// A list of at most `max` entries.
pub fn at_most<T>(list: &[T], max: usize) -> Result<(), Problem> {
    if list.len() > max {
        return Err(Problem::TooMany { max });
    }
    Ok(())
}

/// A short, stable fingerprint of a text (64-bit FNV-1a, hexadecimal), the same in the
/// browser and on the server: a reaction carries the fingerprint of the text it is about.
pub fn text_key(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.trim().as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Required free text with a maximum length; line breaks kept.
pub fn required_text(input: &str, max: usize) -> Result<String, Problem> {
    let value = long_text(input, max)?;
    if value.is_empty() {
        return Err(Problem::Required);
    }
    Ok(value)
}

/// Free text of moderate length (group agreements, how to reach a coordinator). Empty is
/// allowed; line breaks are kept.
pub fn long_text(input: &str, max: usize) -> Result<String, Problem> {
    let value = input.trim().replace("\r\n", "\n");
    if value.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Problem::ControlCharacters);
    }
    Ok(value)
}

/// The 11 municipalities of the Innovatienetwerk Jeugd, Hart van Brabant.
pub const HART_VAN_BRABANT: [&str; 11] = [
    "Alphen-Chaam",
    "Baarle-Nassau",
    "Dongen",
    "Gilze en Rijen",
    "Goirle",
    "Heusden",
    "Hilvarenbeek",
    "Loon op Zand",
    "Oisterwijk",
    "Tilburg",
    "Waalwijk",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_in_the_future() {
        assert_eq!(
            future_date("2027-02-28", "2026-11-29"),
            Ok("2027-02-28".into())
        );
        assert_eq!(
            future_date("2028-02-29", "2026-11-29"),
            Ok("2028-02-29".into())
        );
        assert_eq!(
            future_date("2027-02-29", "2026-11-29"),
            Err(Problem::InvalidDate)
        );
        assert_eq!(
            future_date("29-11-2027", "2026-11-29"),
            Err(Problem::InvalidDate)
        );
        assert_eq!(
            future_date("2026-11-29", "2026-11-29"),
            Err(Problem::DateInPast)
        );
        assert_eq!(
            future_date("2025-01-01", "2026-11-29"),
            Err(Problem::DateInPast)
        );
        assert_eq!(future_date(" ", "2026-11-29"), Err(Problem::Required));
    }

    #[test]
    fn lists_have_a_limit() {
        assert_eq!(at_most(&[1; 50], 50), Ok(()));
        assert_eq!(at_most(&[1; 51], 50), Err(Problem::TooMany { max: 50 }));
        assert_eq!(at_most::<i64>(&[], FORM_LIST_MAX), Ok(()));
    }

    #[test]
    fn a_text_key_changes_with_the_text_only() {
        let a = text_key("Geef iedereen een aanspreekpunt.");
        assert_eq!(a.len(), 16);
        assert_eq!(a, text_key("  Geef iedereen een aanspreekpunt.\n"));
        assert_ne!(a, text_key("Geef iedereen een aanspreekpunt!"));
    }

    #[test]
    fn birth_year_allows_16_to_27_this_year() {
        assert_eq!(
            BirthYear::parse("2010", 2026).map(BirthYear::value),
            Ok(2010)
        );
        assert_eq!(
            BirthYear::parse(" 1999 ", 2026).map(BirthYear::value),
            Ok(1999)
        );
        let out = Err(Problem::AgeOutOfRange { min: 16, max: 27 });
        assert_eq!(BirthYear::parse("2011", 2026), out);
        assert_eq!(BirthYear::parse("1998", 2026), out);
        assert_eq!(BirthYear::parse("twintig", 2026), Err(Problem::InvalidYear));
        assert_eq!(BirthYear::parse("2030", 2026), Err(Problem::InvalidYear));
        assert_eq!(BirthYear::parse("", 2026), Err(Problem::Required));
    }

    #[test]
    fn long_text_keeps_lines_and_refuses_control_characters() {
        assert_eq!(long_text(" a\r\nb ", 10), Ok("a\nb".to_string()));
        assert_eq!(long_text("", 10), Ok(String::new()));
        assert_eq!(long_text("abc", 2), Err(Problem::TooLong { max: 2 }));
        assert_eq!(long_text("a\u{0}b", 10), Err(Problem::ControlCharacters));
    }

    #[test]
    fn email_is_trimmed_and_lowercased() {
        let email = Email::parse("  Sanne@Example.NL ").map(|e| e.0);
        assert_eq!(email, Ok("sanne@example.nl".to_string()));
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "sanne",
            "sanne@",
            "@example.nl",
            "sanne@example",
            "sa nne@example.nl",
            "a@b@c.nl",
            "sanne@.nl",
            "sanne@example.",
            "sanne@exa..mple.nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Email::parse(""), Err(Problem::Required));
        assert_eq!(Email::parse("sanne"), Err(Problem::InvalidEmail));
    }

    #[test]
    fn email_rejects_overlong_addresses() {
        let long = format!("{}@example.nl", "a".repeat(300));
        assert_eq!(
            Email::parse(&long),
            Err(Problem::TooLong { max: Email::MAX })
        );
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(DisplayName::parse(" Sam ").map(|n| n.0), Ok("Sam".into()));
        assert_eq!(DisplayName::parse("S"), Err(Problem::TooShort { min: 2 }));
        assert_eq!(DisplayName::parse("  "), Err(Problem::Required));
        assert_eq!(
            DisplayName::parse(&"x".repeat(61)),
            Err(Problem::TooLong { max: 60 })
        );
        assert_eq!(
            DisplayName::parse("Sam\u{0007}"),
            Err(Problem::ControlCharacters)
        );
        // Names in any script count characters, not bytes.
        assert!(DisplayName::parse(&"é".repeat(60)).is_ok());
    }

    #[test]
    fn slug_rules() {
        assert!(Slug::parse("hart-van-brabant").is_ok());
        assert!(Slug::parse("jwr2026").is_ok());
        for bad in ["Hart", "hart van", "-hart", "hart-", "ha--rt", "h", "hárt"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn slug_suggestion_is_always_valid() {
        assert_eq!(
            Slug::suggest("Jeugd Welzijns Raad – Hart van Brabant!"),
            "jeugd-welzijns-raad-hart-van-brabant"
        );
        assert_eq!(Slug::suggest("Café Dongen"), "cafe-dongen");
        let long = Slug::suggest(&"abc ".repeat(30));
        assert!(Slug::parse(&long).is_ok());
    }

    #[test]
    fn password_rules_and_debug_hides_secret() {
        assert_eq!(NewPassword::parse("", ""), Err(Problem::Required));
        assert_eq!(
            NewPassword::parse("kort", "kort"),
            Err(Problem::TooShort { min: 8 })
        );
        assert_eq!(
            NewPassword::parse("lang genoeg", "lang genoeG"),
            Err(Problem::PasswordsDiffer)
        );
        let long = "woord ".repeat(40);
        assert!(NewPassword::parse(&long, &long).is_ok());
        let too_long = "x".repeat(257);
        assert_eq!(
            NewPassword::parse(&too_long, &too_long),
            Err(Problem::TooLong { max: 256 })
        );
        let pw = NewPassword::parse("geheim wachtwoord", "geheim wachtwoord");
        assert!(pw.is_ok());
        if let Ok(pw) = pw {
            assert!(!format!("{pw:?}").contains("geheim"));
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Member, Role::PolicyMaker, Role::Coordinator] {
            assert_eq!(Role::from_db(role.as_str()), Some(role));
        }
        assert_eq!(Role::from_db("admin"), None);
    }
}

/// Dates and times as people in the Netherlands read them. Pure arithmetic, so the server
/// and the browser print exactly the same text (no hydration mismatch).
pub mod clock {
    const DAY: i64 = 86_400;

    /// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian.
    fn civil_from_days(days: i64) -> (i64, i64, i64) {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + day - 1;
        era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    /// 01:00 UTC on the last Sunday of the month (when Europe changes its clocks).
    fn last_sunday_0100_utc(year: i64, month: i64) -> i64 {
        let last = days_from_civil(year, month, 31);
        let weekday = (last + 4).rem_euclid(7); // 0 = Sunday
        (last - weekday) * DAY + 3600
    }

    /// Seconds to add to UTC for Europe/Amsterdam at this moment (CET or CEST).
    pub fn amsterdam_offset(epoch: i64) -> i64 {
        let (year, _, _) = civil_from_days(epoch.div_euclid(DAY));
        let summer =
            (last_sunday_0100_utc(year, 3)..last_sunday_0100_utc(year, 10)).contains(&epoch);
        if summer {
            7200
        } else {
            3600
        }
    }

    /// (year, month, day, hour, minute) in Amsterdam.
    pub fn local_parts(epoch: i64) -> (i64, i64, i64, i64, i64) {
        let local = epoch + amsterdam_offset(epoch);
        let (y, m, d) = civil_from_days(local.div_euclid(DAY));
        let secs = local.rem_euclid(DAY);
        (y, m, d, secs / 3600, secs % 3600 / 60)
    }

    /// The year in Amsterdam.
    pub fn year(epoch: i64) -> u16 {
        u16::try_from(local_parts(epoch).0).unwrap_or(0)
    }

    /// `29-11-2026 14:05`
    pub fn date_time(epoch: i64) -> String {
        let (y, m, d, h, min) = local_parts(epoch);
        format!("{d:02}-{m:02}-{y} {h:02}:{min:02}")
    }

    /// `2026-11-29`, the form `<input type="date">` uses.
    pub fn iso_date(epoch: i64) -> String {
        let (y, m, d, _, _) = local_parts(epoch);
        format!("{y}-{m:02}-{d:02}")
    }

    /// `2026-11-29` -> `29-11-2026`; anything else unchanged.
    pub fn iso_to_display(iso: &str) -> String {
        match iso.split('-').collect::<Vec<_>>().as_slice() {
            [y, m, d] => format!("{d}-{m}-{y}"),
            _ => iso.to_string(),
        }
    }

    /// The moment of this week's digest: the latest Monday 08:00 in Amsterdam at or
    /// before `epoch`.
    pub fn weekly_digest_moment(epoch: i64) -> i64 {
        let local = epoch + amsterdam_offset(epoch);
        let days = local.div_euclid(DAY);
        let weekday = (days + 3).rem_euclid(7); // 0 = Monday (1970-01-01 was a Thursday)
        let mut monday = (days - weekday) * DAY + 8 * 3600;
        if monday > local {
            monday -= 7 * DAY;
        }
        // Clocks never change on a Monday morning, so the offset at that moment is the
        // offset a few hours before it.
        monday - amsterdam_offset(monday - 4 * 3600)
    }

    /// `2026-11-29` plus `days` days, as `yyyy-mm-dd`; `None` for anything else.
    pub fn add_days(iso: &str, days: i64) -> Option<String> {
        let parts: Vec<i64> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
        match parts.as_slice() {
            [y, m, d] => {
                let (y, m, d) = civil_from_days(days_from_civil(*y, *m, *d) + days);
                Some(format!("{y}-{m:02}-{d:02}"))
            }
            _ => None,
        }
    }

    /// `yyyy-mm-dd` -> (year, month, day), only for a date that exists.
    pub fn parse_iso_date(iso: &str) -> Option<(i64, i64, i64)> {
        let parts: Vec<&str> = iso.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        (civil_from_days(days_from_civil(y, m, d)) == (y, m, d) && (1..=12).contains(&m))
            .then_some((y, m, d))
    }

    /// `hh:mm` -> minutes after midnight.
    pub fn parse_time(text: &str) -> Option<i64> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
    }

    /// Day of the week of a date: 1 = Monday … 7 = Sunday.
    pub fn weekday(y: i64, m: i64, d: i64) -> i64 {
        (days_from_civil(y, m, d) + 3).rem_euclid(7) + 1
    }

    /// The day of the week of a moment in Amsterdam: 1 = Monday … 7 = Sunday.
    pub fn local_weekday(epoch: i64) -> i64 {
        let (y, m, d, _, _) = local_parts(epoch);
        weekday(y, m, d)
    }

    /// The moment of a date and clock time in Amsterdam. A time in the hour skipped when
    /// summer time starts counts as the hour after; in the hour that happens twice when it
    /// ends, the first (summer time) is meant.
    pub fn amsterdam_moment(y: i64, m: i64, d: i64, minutes: i64) -> i64 {
        let local = days_from_civil(y, m, d) * DAY + minutes * 60;
        let summer = local - 7200;
        if amsterdam_offset(summer) == 7200 {
            summer
        } else {
            local - 3600
        }
    }

    /// The date `days` days after (y, m, d).
    pub fn plus_days(y: i64, m: i64, d: i64, days: i64) -> (i64, i64, i64) {
        civil_from_days(days_from_civil(y, m, d) + days)
    }

    /// Days since 1970-01-01 of a date.
    pub fn days((y, m, d): (i64, i64, i64)) -> i64 {
        days_from_civil(y, m, d)
    }

    /// Minutes after midnight as `hh:mm`.
    pub fn hh_mm(minutes: i64) -> String {
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// `hh:mm` in Amsterdam.
    pub fn time(epoch: i64) -> String {
        let (_, _, _, h, min) = local_parts(epoch);
        format!("{h:02}:{min:02}")
    }

    /// `20261129T180000Z`, the UTC form of iCalendar (RFC 5545 §3.3.5).
    pub fn ical_utc(epoch: i64) -> String {
        let (y, m, d) = civil_from_days(epoch.div_euclid(DAY));
        let secs = epoch.rem_euclid(DAY);
        format!(
            "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    /// `29-11-2026`
    pub fn date(epoch: i64) -> String {
        let (y, m, d, _, _) = local_parts(epoch);
        format!("{d:02}-{m:02}-{y}")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn amsterdam_winter_and_summer_time() {
            // 2026-11-29 12:00 UTC: winter, 13:00 local.
            assert_eq!(date_time(1_795_953_600), "29-11-2026 13:00");
            // 2026-07-01 12:00 UTC: summer, 14:00 local.
            assert_eq!(date_time(1_782_907_200), "01-07-2026 14:00");
            // Clocks go forward 2026-03-29 01:00 UTC.
            assert_eq!(amsterdam_offset(1_774_746_000 - 1), 3600);
            assert_eq!(amsterdam_offset(1_774_746_000), 7200);
            // And back 2026-10-25 01:00 UTC.
            assert_eq!(amsterdam_offset(1_792_890_000 - 1), 7200);
            assert_eq!(amsterdam_offset(1_792_890_000), 3600);
            assert_eq!(date(0), "01-01-1970");
            assert_eq!(year(1_795_953_600), 2026);
        }

        #[test]
        fn local_moments_across_daylight_saving() {
            // Tuesday 2026-10-20 19:00 CEST = 17:00 UTC; a week later 19:00 CET = 18:00 UTC.
            let before = amsterdam_moment(2026, 10, 20, 19 * 60);
            let after = amsterdam_moment(2026, 10, 27, 19 * 60);
            assert_eq!(date_time(before), "20-10-2026 19:00");
            assert_eq!(date_time(after), "27-10-2026 19:00");
            assert_eq!(after - before, 7 * DAY + 3600);
            assert_eq!(ical_utc(before), "20261020T170000Z");
            assert_eq!(ical_utc(after), "20261027T180000Z");
            // The skipped hour reads as the hour after; the doubled hour as its first time.
            assert_eq!(
                date_time(amsterdam_moment(2026, 3, 29, 150)),
                "29-03-2026 03:30"
            );
            assert_eq!(amsterdam_offset(amsterdam_moment(2026, 10, 25, 150)), 7200);
            assert_eq!(weekday(2026, 11, 29), 7);
            assert_eq!(weekday(2026, 11, 30), 1);
            assert_eq!(local_weekday(before), 2);
            assert_eq!(plus_days(2026, 12, 29, 21), (2027, 1, 19));
            assert_eq!(time(after), "19:00");
        }

        #[test]
        fn dates_and_times_are_parsed_strictly() {
            assert_eq!(parse_iso_date("2026-02-28"), Some((2026, 2, 28)));
            assert_eq!(parse_iso_date("2026-02-29"), None);
            assert_eq!(parse_iso_date("2028-02-29"), Some((2028, 2, 29)));
            assert_eq!(parse_iso_date("2026-13-01"), None);
            assert_eq!(parse_iso_date("29-11-2026"), None);
            assert_eq!(parse_iso_date(""), None);
            assert_eq!(parse_time("19:00"), Some(1140));
            assert_eq!(parse_time("9:05"), Some(545));
            assert_eq!(parse_time("24:00"), None);
            assert_eq!(parse_time("19:60"), None);
            assert_eq!(parse_time("19"), None);
            assert_eq!(parse_time("-1:00"), None);
        }

        #[test]
        fn weekly_digest_is_monday_eight_in_amsterdam() {
            // Sunday 2026-11-29 13:00 local -> Monday 2026-11-23 08:00 CET = 07:00 UTC.
            let moment = weekly_digest_moment(1_795_953_600);
            assert_eq!(date_time(moment), "23-11-2026 08:00");
            // Exactly at the moment, and one second before it.
            assert_eq!(weekly_digest_moment(moment), moment);
            assert_eq!(weekly_digest_moment(moment - 1), moment - 7 * DAY);
            // Summer time: Wednesday 2026-07-01 14:00 local -> Monday 29-06 08:00 CEST.
            assert_eq!(
                date_time(weekly_digest_moment(1_782_907_200)),
                "29-06-2026 08:00"
            );
            assert_eq!(add_days("2026-12-28", 7).as_deref(), Some("2027-01-04"));
            assert_eq!(add_days("2028-02-28", 1).as_deref(), Some("2028-02-29"));
            assert_eq!(add_days("gisteren", 1), None);
        }
    }
}
