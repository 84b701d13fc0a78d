//! `dcmm report`: writes an enterprise or cluster report to a file, recorded like one issued
//! over the API (with no requester).

use std::path::Path;

use clap::Subcommand;

use super::{emit, Usage};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::questionnaire::Lang;
use crate::report::issue::{self, Prepared};
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The enterprise assessment report of an assessment.
    Assessment {
        id: String,
        /// Where to write the PDF.
        #[arg(short, long)]
        output: std::path::PathBuf,
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
    },
    /// The cluster readiness report of a campaign.
    Campaign {
        id: String,
        #[arg(short, long)]
        output: std::path::PathBuf,
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
    },
}

fn usage_or_internal<'a>(
    what: &'a str,
    id: &'a str,
) -> impl FnOnce(AppError) -> anyhow::Error + 'a {
    move |e| match e {
        AppError::NotFound => Usage(format!("no {what} {id}")).into(),
        other => anyhow::anyhow!("{other}: {other:?}"),
    }
}

pub fn run(mut settings: Settings, command: ReportCommand) -> anyhow::Result<()> {
    // One connection: with more, the pool opens a spare in the background when this one is
    // taken, and a process that exits while libpq is still connecting can crash on the way out.
    settings.db_pool_size = 1;
    let state = crate::startup::state(settings)?;
    let mut conn = state.pool.get()?;
    let (output, prepared) = match command {
        ReportCommand::Assessment { id, output, lang } => {
            let parsed = id
                .parse()
                .map_err(|_| Usage(format!("no assessment {id}")))?;
            let prepared = issue::prepare_assessment(&state, &mut conn, None, parsed, lang)
                .map_err(usage_or_internal("assessment", &id))?;
            (output, prepared)
        }
        ReportCommand::Campaign { id, output, lang } => {
            let parsed = id.parse().map_err(|_| Usage(format!("no campaign {id}")))?;
            let prepared = issue::prepare_campaign(&state, &mut conn, None, parsed, lang)
                .map_err(usage_or_internal("campaign", &id))?;
            (output, prepared)
        }
    };
    write(&state, &mut conn, prepared, &output)
}

fn write(
    state: &AppState,
    conn: &mut DbConnection,
    prepared: Prepared,
    output: &Path,
) -> anyhow::Result<()> {
    let rendered = issue::render(prepared, &state.report_font).map_err(anyhow::Error::from)?;
    std::fs::write(output, &rendered.bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
    issue::record(conn, None, &rendered).map_err(anyhow::Error::from)?;
    emit(&format!(
        "report {} written to {} ({} bytes, SHA-256 {})\n",
        rendered.id,
        output.display(),
        rendered.bytes.len(),
        rendered.sha256
    ))
}
