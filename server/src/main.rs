//! `klankbord`: serve the web app, or run one of the maintenance commands.

use app::backend::{accounts::demo, accounts::setup};
use clap::Parser;
use klankbord_server::config::{Cli, Command, LogFormat, Settings};
use klankbord_server::startup::{self, StartError};
use secrecy::ExposeSecret;
use std::io::BufRead;
use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: rendering a page allocates many small strings,
/// and pages were served 30-40 % faster with it (docs/benchmarks.md). It is built with
/// arenas committed as they are used (`.cargo/config.toml`), which keeps the resident
/// memory under load near glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match settings.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("klankbord: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("klankbord: {message}");
            ExitCode::FAILURE
        }
    };
    // Requests in flight were finished by the graceful shutdown; a task that still hangs
    // (seen once: a render stuck in the reactive library under load) must not keep the
    // process from stopping.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    code
}

async fn run(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    let db = startup::open_database(&settings)
        .await
        .map_err(|e| e.to_string())?;
    let result = match command {
        Command::Migrate => {
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Demo => seed_demo(&db).await,
        Command::SetupLink => match setup::issue_setup_token(&db).await {
            Ok(Some(token)) => {
                print_setup_link(&settings, &token);
                Ok(())
            }
            Ok(None) => Err("setup is done already: a panel exists. Use create-coordinator to add a coordinator".to_string()),
            Err(e) => Err(format!("cannot make a setup link: {e}")),
        },
        Command::CreateCoordinator(args) => {
            let password = match args.password {
                Some(p) => p.expose_secret().to_string(),
                None => {
                    eprintln!("Password for {} (one line):", args.email);
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| format!("cannot read the password: {e}"))?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let spec = setup::CoordinatorSpec {
                slug: args.slug,
                panel_name: args.panel_name,
                region: args.region,
                municipalities: args.municipalities,
                display_name: args.name,
                email: args.email.clone(),
                password,
            };
            setup::create_coordinator(&db, &spec)
                .await
                .map(|_| println!("Coordinator {} can now log in.", args.email))
                .map_err(|e| describe(&e))
        }
        Command::Serve { demo } => serve(&settings, db.clone(), demo).await,
    };
    db.close().await;
    result
}

/// One line for the shell, in English like the rest of the command line.
fn describe(error: &app::error::AppError) -> String {
    match error {
        app::error::AppError::Invalid(problems) => problems
            .iter()
            .map(|p| format!("{} is not valid ({:?})", p.field, p.problem))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

async fn seed_demo(db: &app::backend::platform::db::Db) -> Result<(), String> {
    let created = demo::seed(db).await.map_err(|e| describe(&e))?;
    if created {
        println!("The demo panel is ready.");
    }
    println!("Demo accounts (password \"{}\"):", demo::DEMO_PASSWORD);
    for (email, name, role, _) in demo::DEMO_PEOPLE {
        println!("  {email:<34} {name} ({})", role.as_str());
    }
    Ok(())
}

fn print_setup_link(settings: &Settings, token: &str) {
    let link = format!("{}/setup/{token}", settings.public_url());
    println!();
    println!("  Klankbord is not set up yet. Open this link to create the panel and its first coordinator:");
    println!();
    println!("    {link}");
    println!();
    println!("  The link works once, until it is used or the server restarts.");
    println!();
}

async fn serve(
    settings: &Settings,
    db: app::backend::platform::db::Db,
    with_demo: bool,
) -> Result<(), String> {
    if with_demo {
        seed_demo(&db).await?;
        if !settings.listen.ip().is_loopback() {
            tracing::warn!(
                "the demo panel has publicly known passwords; do not use --demo on a public server"
            );
        }
    }
    match setup::issue_setup_token(&db).await {
        Ok(Some(token)) => print_setup_link(settings, &token),
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "cannot make a setup link"),
    }
    let router = startup::router(db.clone(), settings).map_err(|e| e.to_string())?;
    let listener = startup::bind(settings).await.map_err(|e| e.to_string())?;
    let background = startup::spawn_background(db.clone(), settings).map_err(|e| e.to_string())?;
    tracing::info!(address = %settings.public_url(), "Klankbord is running");
    println!("Klankbord is running at {}", settings.public_url());
    startup::serve(listener, router, startup::shutdown_signal())
        .await
        .map_err(|e: StartError| e.to_string())?;
    for task in background {
        task.abort();
    }
    tracing::info!("stopped");
    Ok(())
}
