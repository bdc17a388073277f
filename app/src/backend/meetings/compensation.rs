//! Compensation, as the real panel pays it: gift-card hours for the meetings a member
//! attended (the meeting's length at the panel's hourly rate) plus travel costs the member
//! claims per meeting and a coordinator approves; exported as CSV per period.

use super::store::load;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::error::fault;
use crate::domain::lengths;
use crate::domain::{clock, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::{CurrentUser, TravelClaimView};

/// A travel claim above this is surely a typo (in cents: € 250).
pub const CLAIM_MAX_CENTS: i64 = 25_000;

/// `12,50` or `12.50` or `12` euros -> cents; `None` for anything else.
pub fn parse_euros(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('€').trim();
    let (whole, fraction) = match text.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() || whole.len() > 6 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    Some(whole.parse::<i64>().ok()? * 100 + cents)
}

/// Cents as `12,50`.
pub fn euros(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents.rem_euclid(100))
}

/// A member claims travel costs for a meeting that has started and that they did not
/// miss; a new claim replaces one not yet decided.
pub async fn claim(
    db: &Db,
    user: &CurrentUser,
    meeting_id: i64,
    amount: &str,
    description: &str,
) -> Result<(), AppError> {
    if user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    let cents = checks.check(
        "amount",
        parse_euros(amount)
            .ok_or(Problem::InvalidAmount)
            .and_then(|c| {
                if (1..=CLAIM_MAX_CENTS).contains(&c) {
                    Ok(c)
                } else {
                    Err(Problem::AmountOutOfRange {
                        max_euros: CLAIM_MAX_CENTS / 100,
                    })
                }
            }),
    );
    let description = checks.check(
        "description",
        crate::domain::required_text(description, lengths::CLAIM_DESCRIPTION),
    );
    checks.finish()?;
    let (Some(cents), Some(description)) = (cents, description) else {
        return Err(AppError::Unexpected);
    };
    let row = load(db, user, meeting_id).await?;
    if row.cancelled {
        return Err(AppError::invalid("state", Problem::MeetingCancelled));
    }
    if row.starts_at > now() {
        return Err(AppError::invalid("state", Problem::MeetingNotYet));
    }
    let absent: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT attended FROM meeting_rsvps WHERE meeting_id = $1 AND user_id = $2")
            .bind(meeting_id)
            .bind(user.id)
            .fetch_optional(db.read())
            .await?;
    if matches!(absent, Some((Some(0),))) {
        return Err(AppError::invalid("state", Problem::NotAttended));
    }
    let done = sqlx::query(
        "INSERT INTO travel_claims (meeting_id, user_id, amount_cents, description, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id, user_id) DO UPDATE
           SET amount_cents = $3, description = $4, created_at = $5
           WHERE travel_claims.status = 'submitted'",
    )
    .bind(meeting_id)
    .bind(user.id)
    .bind(cents)
    .bind(&description)
    .bind(now())
    .execute(db.write())
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    Ok(())
}

/// The coordinator approves or rejects a claim (`decision`: "approve" or "reject").
pub async fn decide(
    db: &Db,
    user: &CurrentUser,
    claim_id: i64,
    decision: &str,
) -> Result<i64, AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let status = match decision {
        "approve" => "approved",
        "reject" => "rejected",
        _ => return Err(AppError::invalid("decision", Problem::InvalidChoice)),
    };
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT c.meeting_id, c.status FROM travel_claims c JOIN meetings m ON m.id = c.meeting_id
         WHERE c.id = $1 AND m.panel_id = $2",
    )
    .bind(claim_id)
    .bind(user.panel.id)
    .fetch_optional(db.read())
    .await?;
    let Some((meeting_id, current)) = found else {
        return Err(AppError::NotFound);
    };
    if current != "submitted" {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    let done = sqlx::query(
        "UPDATE travel_claims SET status = $1, decided_by = $2, decided_at = $3
         WHERE id = $4 AND status = 'submitted'",
    )
    .bind(status)
    .bind(user.id)
    .bind(now())
    .bind(claim_id)
    .execute(db.write())
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    Ok(meeting_id)
}

/// The claims of a meeting: all of them for a coordinator, one's own for a member.
pub async fn claims(
    db: &Db,
    user: &CurrentUser,
    meeting_id: i64,
) -> Result<Vec<TravelClaimView>, AppError> {
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT c.id, u.display_name, c.amount_cents, c.description, c.status
         FROM travel_claims c JOIN users u ON u.id = c.user_id
         WHERE c.meeting_id = $1 AND ($2 = 'coordinator' OR c.user_id = $3)
         ORDER BY u.display_name",
    )
    .bind(meeting_id)
    .bind(user.role.as_str())
    .bind(user.id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, cents, description, status)| TravelClaimView {
            id,
            name,
            amount: euros(cents),
            description,
            status,
        })
        .collect())
}

/// The panel's hourly rate in cents.
pub async fn rate(db: &Db, user: &CurrentUser) -> Result<i64, AppError> {
    let (cents,): (i64,) = sqlx::query_as("SELECT hourly_rate_cents FROM panels WHERE id = $1")
        .bind(user.panel.id)
        .fetch_one(db.read())
        .await?;
    Ok(cents)
}

/// The coordinator sets the hourly rate (0 to 100 euros).
pub async fn set_rate(db: &Db, user: &CurrentUser, rate: &str) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let cents = parse_euros(rate)
        .ok_or(Problem::InvalidAmount)
        .and_then(|c| {
            if c <= 10_000 {
                Ok(c)
            } else {
                Err(Problem::AmountOutOfRange { max_euros: 100 })
            }
        })
        .map_err(|p| AppError::invalid("hourly_rate", p))?;
    sqlx::query("UPDATE panels SET hourly_rate_cents = $1 WHERE id = $2")
        .bind(cents)
        .bind(user.panel.id)
        .execute(db.write())
        .await?;
    Ok(())
}

/// Minutes as decimal hours with a comma: 150 -> `2,50`.
fn hours(minutes: i64) -> String {
    format!("{},{:02}", minutes / 60, minutes % 60 * 100 / 60)
}

/// A typed text (a name, an address) as a CSV cell: a leading `=`, `+`, `-` or `@` is
/// neutralised so a spreadsheet never reads it as a formula. Quoting is the writer's.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// CSV as Dutch spreadsheets open it: semicolons, CRLF, quotes only where needed.
fn csv_text(rows: &[Vec<String>]) -> Result<String, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| fault(&format!("CSV buffer: {e}")))?;
    String::from_utf8(bytes).map_err(|_| fault("CSV is not UTF-8"))
}

/// A member at a meeting: attended, claimed, or both.
#[derive(sqlx::FromRow)]
struct ExportRow {
    starts_at: i64,
    ends_at: i64,
    display_name: String,
    attended: Option<i64>,
    amount_cents: Option<i64>,
    status: Option<String>,
    email: String,
}

/// Compensation per member per meeting between two dates (inclusive, Amsterdam), as CSV
/// with semicolons (what Dutch spreadsheets expect): date, member, hours, hours amount,
/// approved travel costs, total.
pub async fn export_csv(
    db: &Db,
    user: &CurrentUser,
    from: &str,
    to: &str,
) -> Result<String, AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    let start = checks.check(
        "from",
        clock::parse_iso_date(from).ok_or(Problem::InvalidDate),
    );
    let end = checks.check("to", clock::parse_iso_date(to).ok_or(Problem::InvalidDate));
    if let (Some(s), Some(e)) = (start, end) {
        if clock::days(e) < clock::days(s) {
            checks.check::<()>("to", Err(Problem::EndBeforeStart));
        }
    }
    checks.finish()?;
    let (Some(start), Some(end)) = (start, end) else {
        return Err(AppError::Unexpected);
    };
    let from_at = clock::amsterdam_moment(start.0, start.1, start.2, 0);
    let (ny, nm, nd) = clock::plus_days(end.0, end.1, end.2, 1);
    let to_at = clock::amsterdam_moment(ny, nm, nd, 0);
    let rate = rate(db, user).await?;
    // Everyone who attended or claimed, per meeting in the period.
    let rows: Vec<ExportRow> = sqlx::query_as(
        "SELECT m.starts_at, m.ends_at, u.display_name, r.attended,
                c.amount_cents, c.status, u.email
         FROM meetings m
         JOIN users u ON u.panel_id = m.panel_id AND u.role = 'member'
         LEFT JOIN meeting_rsvps r ON r.meeting_id = m.id AND r.user_id = u.id
         LEFT JOIN travel_claims c ON c.meeting_id = m.id AND c.user_id = u.id
         WHERE m.panel_id = $1 AND m.cancelled_at IS NULL
           AND m.starts_at >= $2 AND m.starts_at < $3
           AND (r.attended = 1 OR c.status = 'approved')
         ORDER BY m.starts_at, u.display_name",
    )
    .bind(user.panel.id)
    .bind(from_at)
    .bind(to_at)
    .fetch_all(db.read())
    .await?;
    let mut out: Vec<Vec<String>> = vec![[
        "datum",
        "naam",
        "e-mail",
        "uren",
        "vergoeding uren",
        "reiskosten",
        "totaal",
    ]
    .map(String::from)
    .to_vec()];
    let (mut total_hours, mut total) = (0, 0);
    for ExportRow {
        starts_at: starts,
        ends_at: ends,
        display_name: name,
        attended,
        amount_cents: claim,
        status,
        email,
    } in rows
    {
        let minutes = if attended == Some(1) {
            (ends - starts) / 60
        } else {
            0
        };
        let hours_cents = minutes * rate / 60;
        let travel = if status.as_deref() == Some("approved") {
            claim.unwrap_or(0)
        } else {
            0
        };
        total_hours += minutes;
        total += hours_cents + travel;
        out.push(vec![
            clock::iso_date(starts),
            cell(&name),
            cell(&email),
            hours(minutes),
            euros(hours_cents),
            euros(travel),
            euros(hours_cents + travel),
        ]);
    }
    let empty = String::new;
    out.push(vec![
        "totaal".into(),
        empty(),
        empty(),
        hours(total_hours),
        empty(),
        empty(),
        euros(total),
    ]);
    csv_text(&out)
}

/// Travel claims of the panel waiting for a decision: (meeting id, meeting start, count).
pub async fn open_claims(db: &Db, user: &CurrentUser) -> Result<Vec<(i64, i64, i64)>, AppError> {
    if user.role != Role::Coordinator {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(
        "SELECT m.id, m.starts_at, COUNT(*) FROM travel_claims c JOIN meetings m ON m.id = c.meeting_id
         WHERE m.panel_id = $1 AND c.status = 'submitted'
         GROUP BY m.id, m.starts_at ORDER BY m.starts_at",
    )
    .bind(user.panel.id)
    .fetch_all(db.read())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_parsed_strictly() {
        assert_eq!(parse_euros("12,50"), Some(1250));
        assert_eq!(parse_euros("€ 3.5"), Some(350));
        assert_eq!(parse_euros("7"), Some(700));
        assert_eq!(parse_euros("0,05"), Some(5));
        assert_eq!(parse_euros("-4"), None);
        assert_eq!(parse_euros("1,234"), None);
        assert_eq!(parse_euros("12,5,0"), None);
        assert_eq!(parse_euros("tien"), None);
        assert_eq!(parse_euros(""), None);
        assert_eq!(parse_euros("9999999"), None);
        assert_eq!(euros(1250), "12,50");
        assert_eq!(euros(5), "0,05");
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let field = |text: &str| {
            csv_text(&[vec![cell(text), String::new()]]).map(|line| {
                line.trim_end_matches("\r\n")
                    .trim_end_matches(';')
                    .to_string()
            })
        };
        assert_eq!(field("Sam").unwrap(), "Sam");
        assert_eq!(
            field("=HYPERLINK(\"x\")").unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(field("a;b").unwrap(), "\"a;b\"");
        assert_eq!(field("-5").unwrap(), "'-5");
    }
}
