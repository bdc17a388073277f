//! Members' rating of the answer they received.

use super::infographic::published;
use crate::backend::platform::db::{now, Db};
use crate::domain::lengths;
use crate::domain::{long_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::CurrentUser;

/// A member rates a published infographic ("was dit duidelijk?", 1 to 5, with an
/// optional comment). Again changes the earlier rating.
pub async fn rate(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    score: &str,
    comment: &str,
) -> Result<(), AppError> {
    if user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    let score = checks.check(
        "score",
        score
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or(Problem::OutOfRange { min: 1, max: 5 }),
    );
    let comment = checks.check("comment", long_text(comment, lengths::RATING_COMMENT));
    checks.finish()?;
    // Only an infographic of the member's own panel that is published.
    published(db, &user.panel.slug, id).await?;
    sqlx::query(
        "INSERT INTO feedback_ratings (question_id, user_id, score, comment, at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (question_id, user_id)
         DO UPDATE SET score = excluded.score, comment = excluded.comment, at = excluded.at",
    )
    .bind(id)
    .bind(user.id)
    .bind(score.unwrap_or(3))
    .bind(comment.unwrap_or_default())
    .bind(now())
    .execute(db.write())
    .await?;
    Ok(())
}
