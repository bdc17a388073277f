//! Searching questions: every word of a question's texts is kept in `question_terms`,
//! folded to lower case without accents; a search word matches every term it is the
//! start of ("wacht" finds "wachttijden"). The same table and SQL on SQLite and
//! PostgreSQL, so search behaves the same on both.

use super::db::Db;
use crate::error::AppError;
use sqlx::AnyConnection;

/// Longest term kept; longer words are cut (a search for their start still finds them).
const TERM_MAX: usize = 40;
/// Words of a search that count; the rest is ignored.
pub const QUERY_WORDS_MAX: usize = 6;

/// `é` -> `e`, `Ĳ` -> `ij`: what Dutch text needs to match with or without accents.
fn fold(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        match lower {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ĳ' => out.push_str("ij"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
}

/// The distinct words of a text, folded, in order of first appearance. Anything that is
/// not a letter or digit separates words; one-letter words are left out.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if current.chars().count() >= 2 {
            let word: String = current.chars().take(TERM_MAX).collect();
            if !out.contains(&word) {
                out.push(word);
            }
        }
        current.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            fold(c, &mut current);
        } else {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The words a search looks for (at most `QUERY_WORDS_MAX`).
pub fn query_words(query: &str) -> Vec<String> {
    let mut w = words(query);
    w.truncate(QUERY_WORDS_MAX);
    w
}

/// The end of the range of terms that start with `prefix` (exclusive): the prefix
/// followed by the highest character there is. Terms compare byte-wise on both databases.
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// Replaces the terms of one question (inside the caller's transaction).
pub async fn index(
    conn: &mut AnyConnection,
    question_id: i64,
    texts: &[&str],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM question_terms WHERE question_id = $1")
        .bind(question_id)
        .execute(&mut *conn)
        .await?;
    let mut all: Vec<String> = Vec::new();
    for text in texts {
        for w in words(text) {
            if !all.contains(&w) {
                all.push(w);
            }
        }
    }
    // A few hundred words at most (the texts have maximum lengths): batches of 100 rows.
    for chunk in all.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO question_terms (term, question_id) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for term in chunk {
            q = q.bind(term).bind(question_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Questions indexed per transaction at start-up: short enough that other writes wait
/// a moment at most, and only one batch of texts is in memory at a time.
const INDEX_BATCH: i64 = 100;

/// Indexes the questions written before there was an index (once, at start-up), a batch
/// at a time in order of id.
pub async fn index_missing(db: &Db) -> Result<usize, AppError> {
    let mut done = 0;
    let mut after = 0_i64;
    loop {
        let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, title, question, background, open_to_influence, already_fixed
             FROM questions q
             WHERE q.id > $1 AND NOT EXISTS (SELECT 1 FROM question_terms t WHERE t.question_id = q.id)
             ORDER BY q.id LIMIT $2",
        )
        .bind(after)
        .bind(INDEX_BATCH)
        .fetch_all(db.read())
        .await?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(done);
        };
        let mut tx = db.begin().await?;
        for (id, title, question, background, open, fixed) in &rows {
            index(&mut tx, *id, &[title, question, background, open, fixed]).await?;
        }
        tx.commit().await?;
        done += rows.len();
        after = last;
    }
}

/// Term rows from which a search word counts as common. A rare word's questions are
/// looked up in the index and sorted (a few hundred at most); for a common one the
/// questions are walked newest first and each is checked, so a page stops after about
/// `PAGE_SIZE × questions ÷ matches` of them. Counting stops at this number, so the check
/// itself stays cheap.
const COMMON_FROM: i64 = 1_000;

/// Whether so many terms start with `word` that walking the newest questions finds a
/// page of them sooner than collecting them all. Counted once per instance every few
/// minutes (a word's frequency changes slowly, and it only chooses the way to search).
pub async fn is_common(db: &Db, word: &str) -> Result<bool, AppError> {
    let key = format!("common-word:{word}");
    if let Some(common) = db.hints().get(&key) {
        return Ok(common);
    }
    let (matches,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM
           (SELECT 1 FROM question_terms WHERE term >= $1 AND term < $2 LIMIT $3) t",
    )
    .bind(word)
    .bind(prefix_end(word))
    .bind(COMMON_FROM)
    .fetch_one(db.read())
    .await?;
    db.hints().set(&key, matches >= COMMON_FROM);
    Ok(matches >= COMMON_FROM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_distinct_and_split_on_anything_else() {
        assert_eq!(
            words("Wachttijden in de jeugdzorg: wéken wachten! (wachten)"),
            vec!["wachttijden", "in", "de", "jeugdzorg", "weken", "wachten"]
        );
        assert_eq!(words("Ĳsselmeer café's"), vec!["ijsselmeer", "cafe"]);
        assert_eq!(words("a b 12 x"), vec!["12"]);
        assert_eq!(words(""), Vec::<String>::new());
        let long = "a".repeat(100);
        assert_eq!(words(&long)[0].len(), TERM_MAX);
    }

    #[test]
    fn a_query_keeps_its_first_words_and_prefixes_range_over_longer_terms() {
        assert_eq!(query_words("een twee drie vier vijf zes zeven").len(), 6);
        let end = prefix_end("wacht");
        assert!("wachttijden" > "wacht" && "wachttijden" < end.as_str());
        assert!("wachtkamer" < end.as_str());
        assert!("wachu" > end.as_str());
    }
}
