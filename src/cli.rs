//! The command line: `dcmm serve`, `dcmm migrate`, and the tools built on the library.

mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Appends a line to a `String` buffer (formatting into a `String` cannot fail).
macro_rules! outln {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

mod audit;
mod backup;
mod ceiling;
mod questionnaire;
mod report;
mod score;

use crate::config::Settings;
use crate::questionnaire::Registry;
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
    Serve {
        /// On an empty database, seed the demo cluster first and print its accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Seed a demo cluster (an empty database only) and print its accounts.
    Demo {
        /// The same seed gives the same cluster.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How many enterprises (load tests use many).
        #[arg(long, default_value_t = crate::demo::ENTERPRISES)]
        enterprises: usize,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Copy a SQLite database consistently while the service runs, to FILE, with the
    /// evidence files it names in FILE.evidence/; never overwrites. (PostgreSQL: pg_dump and
    /// the evidence folder, see docs/OPERATIONS.md.)
    Backup { file: PathBuf },
    /// Check the audit log, take checkpoints of it.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// List, check and export questionnaires.
    #[command(subcommand)]
    Questionnaire(QuestionnaireCommand),
    /// Score an answers file with the service's scoring function.
    Score {
        /// The questionnaire id, e.g. dcmm-2025.
        #[arg(long)]
        questionnaire: String,
        /// A JSON file: {"answers": {"<criterion id>": "fully" | "largely" | "partially" | "not" | "na"}}.
        #[arg(long)]
        answers: PathBuf,
        /// Add the gap plan to this level (1–5).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
        target: Option<u8>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Write an enterprise or cluster report as PDF (recorded like one issued over the API).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Measure the database's raw write ceiling: each connection upserts a row of its own in a
    /// loop, one transaction per upsert (the load scripts print it beside the service's figures).
    StorageCeiling {
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
        connections: u32,
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=600))]
        seconds: u64,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    /// The loaded questionnaires with their counts and hashes.
    List,
    /// Check files (default: everything the service loads); names file and line on failure.
    Lint { files: Vec<PathBuf> },
    /// Print a whole questionnaire.
    Export {
        id: String,
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
}

/// A mistake in what the user asked for: exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Runs a parsed command line; the exit status says how it went.
pub fn run(cli: Cli) -> ExitCode {
    if matches!(cli.command, Command::Serve { .. }) {
        crate::allocator::bound_arenas();
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dcmm: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);
    let result = match cli.command {
        Command::Serve { demo } => serve(settings, demo),
        Command::Demo { seed, enterprises } => {
            demo(&settings, seed, enterprises, false).map(|_| ())
        }
        Command::Migrate => migrate(&settings),
        Command::Backup { file } => backup::run(&settings, &file),
        Command::Audit(command) => audit::run(&settings, command),
        Command::Questionnaire(command) => questionnaire_command(&settings, command),
        Command::Score {
            questionnaire,
            answers,
            target,
            format,
        } => registry(&settings).and_then(|r| {
            score::run(
                &r,
                &settings.policy,
                &questionnaire,
                &answers,
                target,
                matches!(format, Format::Json),
            )
        }),
        Command::Report(command) => report::run(settings, command),
        Command::User { command } => user::run(&settings, command),
        Command::StorageCeiling {
            connections,
            seconds,
        } => ceiling::run(&settings, connections, seconds),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dcmm: {e:#}");
            if e.downcast_ref::<Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Writes command output; a reader that went away (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn registry(settings: &Settings) -> anyhow::Result<Registry> {
    Ok(Registry::load(settings.questionnaire_dir.as_deref())?)
}

fn questionnaire_command(settings: &Settings, command: QuestionnaireCommand) -> anyhow::Result<()> {
    match command {
        QuestionnaireCommand::List => questionnaire::list(&registry(settings)?)?,
        QuestionnaireCommand::Lint { files } => {
            questionnaire::lint(&files, settings.questionnaire_dir.as_deref())?
        }
        QuestionnaireCommand::Export {
            id,
            format: ExportFormat::Json,
        } => questionnaire::export(&registry(settings)?, &id)?,
    }
    Ok(())
}

/// Seeds the demo cluster; with `if_empty`, a database that holds data is left as it is.
fn demo(
    settings: &Settings,
    seed: u64,
    enterprises: usize,
    if_empty: bool,
) -> anyhow::Result<bool> {
    let registry = registry(settings)?;
    let pool = db::connect(&settings.database, 1)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    db::questionnaire_versions::sync(&mut conn, &registry)?;
    if if_empty && db::clusters::count(&mut conn)? > 0 {
        return Ok(false);
    }
    let summary = crate::demo::seed_under(
        &mut conn,
        &registry,
        &settings.data_dir,
        seed,
        enterprises,
        &settings.policy,
    )?;
    // The log of the seeded database is linked in full, as a running server leaves it.
    let key = crate::audit::AuditKey::new(&settings.audit_key_or_generate()?);
    crate::audit::settle(&mut conn, &key)?;
    let mut out = String::new();
    outln!(
        out,
        "Demo data: {}, {} enterprises",
        summary.cluster,
        summary.enterprises
    );
    for c in &summary.campaigns {
        outln!(out, "  campaign: {c}");
    }
    outln!(
        out,
        "Accounts (password for all: {}):",
        crate::demo::PASSWORD
    );
    for (username, role, name) in summary.accounts.iter().take(6) {
        outln!(out, "  {username:<10} {:<16} {name}", role.as_str());
    }
    outln!(
        out,
        "  … e01 to e{:02}: one enterprise user each",
        summary.enterprises
    );
    emit(&out)?;
    Ok(true)
}

fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    let host = settings.bind.ip();
    if with_demo && !demo(&settings, 2026, crate::demo::ENTERPRISES, true)? {
        println!("The database already holds data; no demo data was added.");
    }
    actix_web::rt::System::new().block_on(async move {
        let app = startup::Application::build(settings).await?;
        let base = format!("http://{host}:{}", app.port());
        println!("dcmm is serving on {base}/");
        println!("  log in with a browser: {base}/login (the cluster dashboard: manager, auditor, admin)");
        println!("  log in over the API: POST {base}/api/v1/auth/login  {{\"username\", \"password\"}}");
        println!("  API reference: {base}/docs/");
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
