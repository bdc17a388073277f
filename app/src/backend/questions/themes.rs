//! Themes, set jointly: members and policy makers propose them, members support
//! proposals ("ik steun dit"), the coordinator adopts or archives them. Questions can
//! only be given an adopted theme.

use crate::backend::platform::db::{now, Db};
use crate::backend::platform::mail;
use crate::backend::platform::notify::{self, Notice, To};
use crate::domain::lengths;
use crate::domain::{long_text, Problem, Role};
use crate::error::{AppError, Checks};
use crate::model::{CurrentUser, NoticeKind, ThemeView, ThemesPage};
use sqlx::AnyConnection;

/// The themes the real panel works on; the demo panel starts with them.
pub const STARTING_THEMES: [&str; 6] = [
    "Wachttijden",
    "Prestatiedruk",
    "Inclusie & diversiteit",
    "Gescheiden ouders",
    "Schulden en armoede",
    "Eenzaamheid",
];

/// Every theme of the viewer's panel: adopted first, then proposals by support, then
/// archived ones.
pub async fn page(db: &Db, viewer: &CurrentUser) -> Result<ThemesPage, AppError> {
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        i64,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.name, t.description, t.status, u.display_name, u.role,
                (SELECT COUNT(*) FROM theme_endorsements e WHERE e.theme_id = t.id),
                (SELECT COUNT(*) FROM theme_endorsements e WHERE e.theme_id = t.id AND e.user_id = $2),
                (SELECT COUNT(*) FROM questions q WHERE q.panel_id = t.panel_id AND q.theme_id = t.id)
         FROM themes t LEFT JOIN users u ON u.id = t.proposed_by
         WHERE t.panel_id = $1
         ORDER BY CASE t.status WHEN 'adopted' THEN 0 WHEN 'proposed' THEN 1 ELSE 2 END,
                  (SELECT COUNT(*) FROM theme_endorsements e WHERE e.theme_id = t.id) DESC,
                  t.name",
    )
    .bind(viewer.panel.id)
    .bind(viewer.id)
    .fetch_all(db.read())
    .await?;
    Ok(ThemesPage {
        themes: rows
            .into_iter()
            .map(
                |(id, name, description, status, by, by_role, endorsements, mine, questions)| {
                    ThemeView {
                        id,
                        name,
                        description,
                        status,
                        // Policy makers never see which young person proposed a theme.
                        proposed_by: by.filter(|_| {
                            viewer.role != Role::PolicyMaker || by_role.as_deref() != Some("member")
                        }),
                        endorsements,
                        endorsed_by_me: mine > 0,
                        questions,
                    }
                },
            )
            .collect(),
        may_propose: true,
        may_endorse: viewer.role == Role::Member,
        may_decide: viewer.role == Role::Coordinator,
    })
}

/// Anyone on the panel proposes a theme; coordinators are told.
pub async fn propose(
    db: &Db,
    public_url: &str,
    user: &CurrentUser,
    name: &str,
    description: &str,
) -> Result<i64, AppError> {
    let mut checks = Checks::default();
    let name = checks.check(
        "name",
        crate::domain::required_text(name, lengths::THEME_NAME).and_then(|n| {
            if n.contains('\n') {
                Err(Problem::ControlCharacters)
            } else {
                Ok(n)
            }
        }),
    );
    let description = checks.check(
        "description",
        long_text(description, lengths::THEME_DESCRIPTION),
    );
    checks.finish()?;
    let (Some(name), Some(description)) = (name, description) else {
        return Err(AppError::Unexpected);
    };
    let mut tx = db.begin().await?;
    let (taken,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM themes WHERE panel_id = $1 AND LOWER(name) = LOWER($2)",
    )
    .bind(user.panel.id)
    .bind(&name)
    .fetch_one(&mut *tx)
    .await?;
    if taken > 0 {
        return Err(AppError::invalid("name", Problem::Taken));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO themes (panel_id, name, description, status, proposed_by, created_at)
         VALUES ($1, $2, $3, 'proposed', $4, $5) RETURNING id",
    )
    .bind(user.panel.id)
    .bind(&name)
    .bind(&description)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    notify::notify(
        &mut tx,
        public_url,
        &user.panel.name,
        To::Coordinators(user.panel.id),
        user.id,
        &Notice {
            kind: NoticeKind::ThemeProposed,
            question_id: None,
            subject: &name,
            due: None,
        },
    )
    .await?;
    tx.commit().await?;
    mail::wake();
    Ok(id)
}

async fn status_of(db: &Db, user: &CurrentUser, id: i64) -> Result<String, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM themes WHERE id = $1 AND panel_id = $2")
            .bind(id)
            .bind(user.panel.id)
            .fetch_optional(db.read())
            .await?;
    row.map(|(s,)| s).ok_or(AppError::NotFound)
}

/// A member supports a proposed theme, once.
pub async fn endorse(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    if user.role != Role::Member {
        return Err(AppError::Forbidden);
    }
    if status_of(db, user, id).await? != "proposed" {
        return Err(AppError::invalid("state", Problem::WrongState));
    }
    let done = sqlx::query(
        "INSERT INTO theme_endorsements (theme_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (theme_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user.id)
    .bind(now())
    .execute(db.write())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid("state", Problem::AlreadyDone));
    }
    Ok(())
}

/// The coordinator adopts a theme (a proposal, or an archived one back) or archives it
/// (a proposal not taken on, or a theme the panel is done with; its questions keep it).
pub async fn decide(db: &Db, user: &CurrentUser, id: i64, decision: &str) -> Result<(), AppError> {
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    let (to, from): (&str, &[&str]) = match decision {
        "adopt" => ("adopted", &["proposed", "archived"]),
        "archive" => ("archived", &["proposed", "adopted"]),
        _ => return Err(AppError::invalid("decision", Problem::InvalidChoice)),
    };
    let status = status_of(db, user, id).await?;
    if !from.contains(&status.as_str()) {
        return Err(AppError::invalid("state", Problem::WrongState));
    }
    let done = sqlx::query(
        "UPDATE themes SET status = $1 WHERE id = $2 AND panel_id = $3 AND status = $4",
    )
    .bind(to)
    .bind(id)
    .bind(user.panel.id)
    .bind(&status)
    .execute(db.write())
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("state", Problem::WrongState));
    }
    Ok(())
}
/// Adds adopted themes to a panel (skipping names it has).
pub async fn add_themes(
    conn: &mut AnyConnection,
    panel_id: i64,
    names: &[&str],
) -> Result<(), sqlx::Error> {
    for name in names {
        sqlx::query(
            "INSERT INTO themes (panel_id, name, status, created_at) VALUES ($1, $2, 'adopted', $3)
             ON CONFLICT (panel_id, name) DO NOTHING",
        )
        .bind(panel_id)
        .bind(name)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
