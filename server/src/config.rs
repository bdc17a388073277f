//! Configuration: flags and environment variables, with an embedded default for each.
//! Documented in docs/configuration.md; keep the two in step.

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "klankbord",
    version,
    about = "Klankbord: youth participation panels that close the feedback loop"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve {
        /// Also create the demo panel (with demo accounts) if it does not exist.
        #[arg(long, env = "KLANKBORD_DEMO")]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Create the demo panel with demo accounts and exit.
    Demo,
    /// Create a coordinator (and their panel, if it does not exist yet) and exit.
    CreateCoordinator(CoordinatorArgs),
    /// Print a new first-run setup link (while no panel has been set up) and exit.
    SetupLink,
}

#[derive(Debug, Args)]
pub struct CoordinatorArgs {
    /// Public address of the panel (the part after /p/). An existing panel gets the new
    /// coordinator; otherwise the panel is created.
    #[arg(long)]
    pub slug: String,
    /// Name of the panel, when it is created.
    #[arg(long)]
    pub panel_name: Option<String>,
    /// Region of the panel, when it is created.
    #[arg(long)]
    pub region: Option<String>,
    /// A municipality of the panel, when it is created (repeat for more).
    #[arg(long = "municipality")]
    pub municipalities: Vec<String>,
    /// The coordinator's display name.
    #[arg(long)]
    pub name: String,
    /// The coordinator's e-mail address.
    #[arg(long)]
    pub email: String,
    /// The password. When not set, it is read from the first line of standard input.
    #[arg(long, env = "KLANKBORD_PASSWORD", hide_env_values = true)]
    pub password: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: sqlite://path/file.db (embedded, the default) or postgres://user:pass@host:5432/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/klankbord.db",
        hide_env_values = true
    )]
    pub database_url: SecretString,
    /// Largest number of database connections per instance.
    #[arg(long, env = "KLANKBORD_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,
    /// Address and port to listen on.
    #[arg(long, env = "KLANKBORD_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The address people use to reach Klankbord (used in links and e-mail). Defaults to
    /// http:// plus the listen address. With https:// cookies are marked Secure.
    #[arg(long, env = "KLANKBORD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Log filter, e.g. info, debug, or klankbord=debug,sqlx=warn.
    #[arg(long, env = "KLANKBORD_LOG", default_value = "info")]
    pub log: String,
    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "KLANKBORD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Header with the client's address set by a trusted reverse proxy (e.g.
    /// X-Forwarded-For), for rate limits. Leave unset when nothing sits in front.
    #[arg(long, env = "KLANKBORD_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    #[command(flatten)]
    pub smtp: SmtpSettings,
}

/// Outgoing e-mail: through SMTP when a host is set, otherwise as .eml files.
#[derive(Debug, Clone, Args)]
pub struct SmtpSettings {
    /// SMTP server host. Without it, e-mail is written as .eml files into --mail-dir.
    #[arg(long, env = "KLANKBORD_SMTP_HOST")]
    pub smtp_host: Option<String>,
    #[arg(long, env = "KLANKBORD_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,
    #[arg(long, env = "KLANKBORD_SMTP_SECURITY", value_enum, default_value_t = SmtpSecurity::Starttls)]
    pub smtp_security: SmtpSecurity,
    #[arg(long, env = "KLANKBORD_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    #[arg(long, env = "KLANKBORD_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<SecretString>,
    /// Sender address of e-mail from Klankbord.
    #[arg(
        long,
        env = "KLANKBORD_MAIL_FROM",
        default_value = "Klankbord <klankbord@localhost>"
    )]
    pub mail_from: String,
    /// Folder for .eml files when no SMTP host is set.
    #[arg(long, env = "KLANKBORD_MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: std::path::PathBuf,
    /// Seconds before the first retry of a mail that could not be sent (doubling after
    /// each failure, at most an hour).
    #[arg(long, env = "KLANKBORD_MAIL_RETRY_SECS", default_value_t = 60)]
    pub mail_retry_secs: i64,
    /// Failed attempts after which a mail is given up (marked dead).
    #[arg(long, env = "KLANKBORD_MAIL_MAX_ATTEMPTS", default_value_t = 8)]
    pub mail_max_attempts: i64,
    /// Seconds between two looks at the outbox (new mail is sent at once anyway).
    #[arg(long, env = "KLANKBORD_MAIL_POLL_SECS", default_value_t = 10)]
    pub mail_poll_secs: u64,
}

impl SmtpSettings {
    /// The settings the mail worker needs.
    pub fn mail_settings(&self) -> app::backend::platform::mail::MailSettings {
        use app::backend::platform::mail::{MailSettings, SmtpSecurity as S, TransportSettings};
        let transport = match &self.smtp_host {
            Some(host) if !host.trim().is_empty() => TransportSettings::Smtp {
                host: host.trim().to_string(),
                port: self.smtp_port,
                security: match self.smtp_security {
                    SmtpSecurity::None => S::None,
                    SmtpSecurity::Starttls => S::Starttls,
                    SmtpSecurity::Tls => S::Tls,
                },
                username: self.smtp_username.clone(),
                password: self.smtp_password.clone(),
            },
            _ => TransportSettings::Files(self.mail_dir.clone()),
        };
        MailSettings {
            from: self.mail_from.clone(),
            transport,
            retry_base_secs: self.mail_retry_secs,
            max_attempts: self.mail_max_attempts,
            poll: std::time::Duration::from_secs(self.mail_poll_secs.max(1)),
        }
    }
}

impl Settings {
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_settings() {
        let cli = Cli::try_parse_from(["klankbord"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.settings.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(cli.settings.public_url(), "http://127.0.0.1:3000");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let cli = Cli::try_parse_from([
            "klankbord",
            "--database-url",
            "postgres://klank:topgeheim@db/k",
            "--smtp-password",
            "ookgeheim",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("topgeheim"), "{debug}");
        assert!(!debug.contains("ookgeheim"), "{debug}");
    }

    #[test]
    fn bad_listen_address_is_refused() {
        assert!(Cli::try_parse_from(["klankbord", "--listen", "nergens"]).is_err());
    }
}
