//! Lists walked newest first by where a page starts (a cursor), never by `OFFSET`: a deep
//! page costs what the first does, and a row added meanwhile shifts nothing. A row's place
//! is its moment and its id, so rows of the same second still have one order.

/// Where a page starts: just after a row (the older rows) or just before one (the newer
/// ones). In a link: `o1764547200.42` (older than) or `n1764547200.42` (newer than).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Older { at: i64, id: i64 },
    Newer { at: i64, id: i64 },
}

impl Cursor {
    /// The cursor of a link; anything else is no cursor (the first page).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (kind, rest) = (text.get(..1)?, text.get(1..)?);
        let (at, id) = rest.split_once('.')?;
        let (at, id) = (at.parse().ok()?, id.parse().ok()?);
        match kind {
            "o" => Some(Self::Older { at, id }),
            "n" => Some(Self::Newer { at, id }),
            _ => None,
        }
    }

    /// The link to the rows older than this one.
    pub fn older_than(at: i64, id: i64) -> String {
        format!("o{at}.{id}")
    }

    /// The link to the rows newer than this one.
    pub fn newer_than(at: i64, id: i64) -> String {
        format!("n{at}.{id}")
    }

    /// The SQL condition for the rows after the cursor, over the columns `at` and `id`,
    /// with the cursor's two values bound at placeholders `a` and `b`; and the values.
    pub fn condition(&self, at: &str, id: &str, a: &str, b: &str) -> String {
        let cmp = match self {
            Self::Older { .. } => "<",
            Self::Newer { .. } => ">",
        };
        format!("({at} {cmp} {a} OR ({at} = {a} AND {id} {cmp} {b}))")
    }

    pub fn values(&self) -> (i64, i64) {
        match *self {
            Self::Older { at, id } | Self::Newer { at, id } => (at, id),
        }
    }
}

/// The rows older than the cursor for a list that only walks back (notifications, the
/// audit log): the bounds to bind, `(i64::MAX, i64::MAX)` for the first page.
pub fn older_bounds(cursor: &str) -> (i64, i64) {
    match Cursor::parse(cursor) {
        Some(Cursor::Older { at, id }) => (at, id),
        _ => (i64::MAX, i64::MAX),
    }
}

/// Cuts rows fetched with one extra (`LIMIT per_page + 1`) back to a page; whether there
/// was more.
pub fn cut_to_page<T>(rows: &mut Vec<T>, per_page: i64) -> bool {
    let size = usize::try_from(per_page).unwrap_or(0);
    let more = rows.len() > size;
    rows.truncate(size);
    more
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_what_links_hold_and_nothing_else() {
        assert_eq!(
            Cursor::parse(&Cursor::older_than(1_764_547_200, 42)),
            Some(Cursor::Older {
                at: 1_764_547_200,
                id: 42
            })
        );
        assert_eq!(
            Cursor::parse(" n5.6 "),
            Some(Cursor::Newer { at: 5, id: 6 })
        );
        for bad in [
            "",
            "o",
            "o5",
            "x5.6",
            "o5.x",
            "o.6",
            "ö5.6",
            "o99999999999999999999.1",
        ] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
        assert_eq!(older_bounds("o5.6"), (5, 6));
        assert_eq!(older_bounds("n5.6"), (i64::MAX, i64::MAX));
        assert_eq!(older_bounds("rubbish"), (i64::MAX, i64::MAX));
        assert_eq!(
            Cursor::Older { at: 1, id: 2 }.condition("q.updated_at", "q.id", "$4", "$5"),
            "(q.updated_at < $4 OR (q.updated_at = $4 AND q.id < $5))"
        );
    }
}
