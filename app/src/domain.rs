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
