//! The command line: `dcmm serve`, `dcmm migrate`, and the tools built on the library.

mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::{db, startup, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "dcmm",
    version,
    about = "DCMM maturity assessment service for industrial clusters"
)]
pub struct Cli {
    /// A TOML config file; DCMM_* environment variables override it.
    #[arg(long, global = true, env = "DCMM_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
}

/// Runs a parsed command line; the exit status says how it went.
pub fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dcmm: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);
    let result = match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::User { command } => user::run(&settings, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dcmm: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let host = settings.bind.ip();
    actix_web::rt::System::new().block_on(async move {
        let app = startup::Application::build(settings).await?;
        println!("dcmm is serving on http://{host}:{}/", app.port());
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database, 1)?;
    let mut conn = pool.get()?;
    let applied = db::migrate(&mut conn)?;
    if applied.is_empty() {
        println!("database {} is up to date", settings.database.redacted());
    }
    for name in applied {
        println!("applied {name}");
    }
    Ok(())
}
