//! iCalendar (RFC 5545) for meetings: one meeting as a download or mail attachment, and a
//! person's calendar feed. Times are written in UTC (`…Z`), which every calendar program
//! shows in its own time zone; the meeting's Amsterdam clock time is kept by computing
//! each moment with the daylight-saving rules (`domain::clock::amsterdam_moment`).

use crate::domain::clock::ical_utc;

/// One meeting as an iCalendar event.
pub struct Event {
    /// Stable across changes: `meeting-<id>@<host>`.
    pub uid: String,
    /// Raised by each change, so calendar programs replace the older version.
    pub sequence: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// When this version was made (DTSTAMP).
    pub stamp: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
}

/// A calendar with these events. `PUBLISH`: the events are information to add to one's
/// calendar; answering (RSVP) happens in Klankbord, not by calendar reply.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Klankbord//Klankbord//NL".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", text(&e.uid)));
        lines.push(format!("DTSTAMP:{}", ical_utc(e.stamp)));
        lines.push(format!("SEQUENCE:{}", e.sequence.max(0)));
        lines.push(format!("DTSTART:{}", ical_utc(e.starts_at)));
        lines.push(format!("DTEND:{}", ical_utc(e.ends_at)));
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&e.description)));
        }
        if !e.location.is_empty() {
            lines.push(format!("LOCATION:{}", text(&e.location)));
        }
        if e.url.starts_with("https://") || e.url.starts_with("http://") {
            lines.push(format!("URL:{}", e.url.replace(['\r', '\n'], "")));
        }
        lines.push(
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            }
            .into(),
        );
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets (never inside a UTF-8 character), ending
/// in CRLF (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            uid: "meeting-7@klankbord.test".into(),
            sequence: 2,
            starts_at: 1_792_515_600, // 2026-10-20 17:00 UTC
            ends_at: 1_792_522_800,
            stamp: 1_792_000_000,
            summary: "Panelavond; Jongerenpanel, Hart van Brabant".into(),
            description: "1. Wachttijden (30 min)\n2. Rondvraag".into(),
            location: "Stadskantoor Tilburg".into(),
            url: "https://klankbord.test/meetings/7".into(),
            cancelled: false,
        }
    }

    #[test]
    fn events_are_escaped_in_utc_and_end_in_crlf() {
        let ics = calendar("Klankbord", &[event()]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261020T170000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261020T190000Z\r\n"));
        assert!(ics.contains("SUMMARY:Panelavond\\; Jongerenpanel\\, Hart van Brabant"));
        assert!(ics.contains("DESCRIPTION:1. Wachttijden (30 min)\\n2. Rondvraag"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
        assert!(ics.contains("\r\nSTATUS:CONFIRMED\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut e = event();
        e.description = "é".repeat(100);
        e.cancelled = true;
        let ics = calendar("Klankbord", &[e]);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "é".repeat(100))));
        assert!(unfolded.contains("STATUS:CANCELLED"));
    }
}
