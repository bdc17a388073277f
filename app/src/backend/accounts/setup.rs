//! Use cases: validate, then change the database in one transaction.

use super::second_factor;
use crate::backend::accounts;
use crate::backend::platform::auth;
use crate::backend::platform::db::{now, Db};
use crate::backend::platform::limits;
use crate::backend::platform::store::{self, NewPanel, NewUser};
use crate::backend::questions::themes;
use crate::domain::{DisplayName, Email, NewPassword, PanelName, Problem, Region, Role, Slug};
use crate::error::{AppError, Checks};
use secrecy::SecretString;

/// Municipality names from a text field, one per line (or comma-separated).
pub fn parse_municipalities(input: &str) -> Result<Vec<String>, Problem> {
    let mut names: Vec<String> = Vec::new();
    for name in input
        .split(['\n', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if name.chars().count() > 80 {
            return Err(Problem::TooLong { max: 80 });
        }
        if name.chars().any(char::is_control) {
            return Err(Problem::ControlCharacters);
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    }
    if names.len() > 100 {
        return Err(Problem::TooLong { max: 100 });
    }
    Ok(names)
}

/// What the first coordinator fills in on the setup page.
#[derive(Clone)]
pub struct SetupForm {
    pub panel_name: String,
    pub region: String,
    pub slug: String,
    pub municipalities: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub password_repeat: String,
}

pub struct ValidSetup {
    pub panel_name: PanelName,
    pub region: Region,
    pub slug: Slug,
    pub municipalities: Vec<String>,
    pub display_name: DisplayName,
    pub email: Email,
    pub password: NewPassword,
}

pub fn validate_setup(form: &SetupForm) -> Result<ValidSetup, AppError> {
    let mut checks = Checks::default();
    let panel_name = checks.check("panel_name", PanelName::parse(&form.panel_name));
    let region = checks.check("region", Region::parse(&form.region));
    let slug = checks.check("slug", Slug::parse(&form.slug));
    let municipalities = checks.check("municipalities", parse_municipalities(&form.municipalities));
    let display_name = checks.check("display_name", DisplayName::parse(&form.display_name));
    let email = checks.check("email", Email::parse(&form.email));
    let password = checks.check(
        "password",
        accounts::passwords::new_password(&form.password, &form.password_repeat),
    );
    checks.finish()?;
    match (
        panel_name,
        region,
        slug,
        municipalities,
        display_name,
        email,
        password,
    ) {
        (
            Some(panel_name),
            Some(region),
            Some(slug),
            Some(municipalities),
            Some(display_name),
            Some(email),
            Some(password),
        ) => Ok(ValidSetup {
            panel_name,
            region,
            slug,
            municipalities,
            display_name,
            email,
            password,
        }),
        _ => Err(AppError::Unexpected),
    }
}

/// Creates the first real panel and its coordinator from a one-time setup link.
/// Returns the new coordinator's user id.
pub async fn complete_setup(db: &Db, token: &str, form: &SetupForm) -> Result<i64, AppError> {
    let hash = auth::token_hash(token);
    let valid = store::setup_token_valid(db.read(), &hash).await?;
    if !valid {
        return Err(AppError::SetupLinkInvalid);
    }
    let setup = validate_setup(form)?;
    let password_hash = auth::hash_password(SecretString::from(setup.password.expose())).await?;

    let at = now();
    let mut tx = db.begin().await?;
    if !store::consume_setup_token(&mut tx, &hash, at).await? {
        return Err(AppError::SetupLinkInvalid);
    }
    check_unique(&mut tx, Some(setup.slug.as_str()), setup.email.as_str()).await?;
    let panel_id = create_panel(
        &mut tx,
        &NewPanel {
            name: setup.panel_name.as_str(),
            region: setup.region.as_str(),
            slug: setup.slug.as_str(),
            is_demo: false,
            municipalities: &setup.municipalities,
        },
        at,
    )
    .await?;
    let user_id = add_coordinator(
        tx,
        panel_id,
        setup.display_name.as_str(),
        setup.email.as_str(),
        &password_hash,
        at,
    )
    .await?;
    tracing::info!(panel_id, user_id, "first-run setup completed");
    Ok(user_id)
}

async fn check_unique(
    conn: &mut sqlx::AnyConnection,
    slug: Option<&str>,
    email: &str,
) -> Result<(), AppError> {
    let mut checks = Checks::default();
    if let Some(slug) = slug {
        if store::slug_taken(conn, slug).await? {
            checks.check::<()>("slug", Err(Problem::Taken));
        }
    }
    if store::email_taken(conn, email).await? {
        checks.check::<()>("email", Err(Problem::Taken));
    }
    checks.finish()
}

/// A new panel with its municipalities and the themes the real panel works on (the
/// coordinator can change them later). Returns its id.
pub async fn create_panel(
    conn: &mut sqlx::AnyConnection,
    panel: &NewPanel<'_>,
    at: i64,
) -> Result<i64, AppError> {
    let id = store::insert_panel(conn, panel, at).await?;
    themes::add_themes(conn, id, &themes::STARTING_THEMES).await?;
    Ok(id)
}

/// Makes a new setup link for first-run setup, or `None` when setup is done.
pub async fn issue_setup_token(db: &Db) -> Result<Option<String>, sqlx::Error> {
    if !store::setup_pending(db.read()).await? {
        return Ok(None);
    }
    let token = auth::random_token();
    store::replace_setup_token(db.write(), &auth::token_hash(&token), now()).await?;
    Ok(Some(token))
}

/// A coordinator made from the shell: adds to the panel with this slug, or creates the
/// panel when it does not exist yet (then `panel_name` and `region` are needed).
pub struct CoordinatorSpec {
    pub slug: String,
    pub panel_name: Option<String>,
    pub region: Option<String>,
    pub municipalities: Vec<String>,
    pub display_name: String,
    pub email: String,
    pub password: String,
}

pub async fn create_coordinator(db: &Db, spec: &CoordinatorSpec) -> Result<i64, AppError> {
    let mut checks = Checks::default();
    let slug = checks.check("slug", Slug::parse(&spec.slug));
    let display_name = checks.check("display_name", DisplayName::parse(&spec.display_name));
    let email = checks.check("email", Email::parse(&spec.email));
    let password = checks.check(
        "password",
        accounts::passwords::new_password(&spec.password, &spec.password),
    );
    checks.finish()?;
    let (Some(slug), Some(display_name), Some(email), Some(password)) =
        (slug, display_name, email, password)
    else {
        return Err(AppError::Unexpected);
    };
    let password_hash = auth::hash_password(SecretString::from(password.expose())).await?;
    let at = now();
    let mut tx = db.begin().await?;
    check_unique(&mut tx, None, email.as_str()).await?;
    let panel_id = match store::panel_id_by_slug(&mut tx, slug.as_str()).await? {
        Some(id) => id,
        None => {
            let mut checks = Checks::default();
            let name = checks.check(
                "panel_name",
                PanelName::parse(spec.panel_name.as_deref().unwrap_or_default()),
            );
            let region = checks.check(
                "region",
                Region::parse(spec.region.as_deref().unwrap_or_default()),
            );
            checks.finish()?;
            let (Some(name), Some(region)) = (name, region) else {
                return Err(AppError::Unexpected);
            };
            create_panel(
                &mut tx,
                &NewPanel {
                    name: name.as_str(),
                    region: region.as_str(),
                    slug: slug.as_str(),
                    is_demo: false,
                    municipalities: &spec.municipalities,
                },
                at,
            )
            .await?
        }
    };
    add_coordinator(
        tx,
        panel_id,
        display_name.as_str(),
        email.as_str(),
        &password_hash,
        at,
    )
    .await
}

/// Adds a coordinator to a panel and closes first-run setup (no pending link may start it
/// again), then commits.
async fn add_coordinator(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    panel_id: i64,
    display_name: &str,
    email: &str,
    password_hash: &str,
    at: i64,
) -> Result<i64, AppError> {
    let user_id = store::insert_user(
        &mut tx,
        &NewUser {
            panel_id,
            email,
            display_name,
            role: Role::Coordinator,
            municipality_id: None,
            password_hash,
        },
        at,
    )
    .await?;
    sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Checks e-mail and password. The answer and the time it takes are the same for an
/// unknown address, an inactive account and a wrong password.
///
/// The attempt counts against the limits of the network address and of the e-mail address
/// before the password is checked (so parallel guesses cannot slip past the limit); a right
/// password takes it back.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    client: &str,
) -> Result<(i64, String), AppError> {
    let from_address = limits::hit(db, limits::LOGIN_ADDRESS, client).await?;
    let for_account = match limits::hit(db, limits::LOGIN_ACCOUNT, email).await {
        Ok(attempt) => attempt,
        Err(e) => {
            limits::forget(db, from_address).await?;
            return Err(e);
        }
    };
    let candidate = match Email::parse(email) {
        Ok(email) => store::login_candidate(db.read(), email.as_str()).await?,
        Err(_) => None,
    };
    let (user_id, stored) = match candidate {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let ok = match auth::verify_password(SecretString::from(password), stored).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked (the server is busy): this attempt does not count.
            limits::forget(db, from_address).await?;
            limits::forget(db, for_account).await?;
            return Err(e.into());
        }
    };
    let Some(user_id) = user_id.filter(|_| ok) else {
        tracing::info!("login refused");
        accounts::audit::audit_failed_login(db, email).await?;
        return Err(AppError::WrongCredentials);
    };
    limits::forget(db, from_address).await?;
    accounts::audit::clear_login_limit(db, email).await?;
    let (token, _) = start_session(db, user_id).await?;
    store::record_login(db.write(), user_id, now()).await?;
    tracing::info!(user_id, "logged in");
    Ok((user_id, token))
}

/// Opens a session after a right password (a login, a password reset, an accepted
/// invitation): a full one, or a half-way one that waits for the code from the app, or
/// for setting up the second factor when the panel requires it. Returns the token for the
/// cookie and what the session waits for.
pub async fn start_session(db: &Db, user_id: i64) -> Result<(String, auth::Pending), AppError> {
    let pending = second_factor::after_password(db, user_id).await?;
    let token = auth::create_session_with(db, user_id, pending).await?;
    Ok((token, pending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipalities_are_split_trimmed_and_deduplicated() {
        let parsed = parse_municipalities(" Tilburg\nDongen, tilburg\n\n Goirle ").unwrap();
        assert_eq!(parsed, vec!["Tilburg", "Dongen", "Goirle"]);
        assert_eq!(parse_municipalities("").unwrap(), Vec::<String>::new());
        assert!(parse_municipalities(&"x".repeat(81)).is_err());
    }

    #[test]
    fn setup_reports_every_bad_field_at_once() {
        let form = SetupForm {
            panel_name: "".into(),
            region: "Hart van Brabant".into(),
            slug: "Niet Goed".into(),
            municipalities: "Tilburg".into(),
            display_name: "Noor".into(),
            email: "noor@".into(),
            password: "kort".into(),
            password_repeat: "kort".into(),
        };
        let Err(AppError::Invalid(problems)) = validate_setup(&form) else {
            panic!("expected validation problems");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["panel_name", "slug", "email", "password"]);
    }

    #[test]
    fn a_full_hash_queue_is_a_short_wait_not_a_fault() {
        assert_eq!(
            AppError::from(auth::AuthError::Busy),
            AppError::RateLimited { minutes: 1 }
        );
        assert_eq!(
            AppError::from(auth::AuthError::Closed),
            AppError::Unexpected
        );
    }
}
