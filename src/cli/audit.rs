//! `dcmm audit verify [--checkpoint FILE]` and `dcmm audit checkpoint FILE`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{emit, Usage};
use crate::audit::checkpoint::{self, Checkpoint};
use crate::audit::{AuditKey, ChainError, Verification};
use crate::config::Settings;
use crate::db;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; report the first broken link (exit status 1), if any.
    Verify {
        /// A checkpoint file (from `dcmm audit checkpoint`): the chain must still hold the
        /// head of each checkpoint in it.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Append a signed checkpoint of the chain's head to FILE; keep the file away from the
    /// database, so that a cut or rewritten chain no longer matches it.
    Checkpoint { file: PathBuf },
}

pub fn run(settings: &Settings, command: AuditCommand) -> anyhow::Result<()> {
    let key = settings.audit_key()?.map(|s| AuditKey::new(&s));
    let pool = db::connect(&settings.database, 1)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    match command {
        AuditCommand::Verify { checkpoint } => {
            // Read first: a file that cannot be read is a mistake in the command.
            let checkpoints = match &checkpoint {
                Some(file) => {
                    let key = key.as_ref().ok_or_else(no_key)?;
                    Some(read_checkpoints(file, key)?)
                }
                None => None,
            };
            let v = refusing(crate::audit::verify(&mut conn, key.as_ref()))?;
            if let (Some(seq), Some(reason)) = (v.first_broken, &v.reason) {
                anyhow::bail!(
                    "audit log broken at entry {seq}: {reason} ({} entries verified before it)",
                    v.entries
                );
            }
            let mut out = format!("audit log intact: {}\n", summary(&v));
            if let (Some(file), Some(checkpoints)) = (checkpoint, checkpoints) {
                if let Err(m) = refusing(checkpoint::check(&mut conn, &v, &checkpoints))? {
                    anyhow::bail!("audit log does not match {}: {m}", file.display());
                }
                let last = checkpoints.iter().max_by_key(|c| c.seq);
                if let Some(last) = last {
                    outln!(
                        out,
                        "{} checkpoints of {} hold (the latest at entry {}, taken at {})",
                        checkpoints.len(),
                        file.display(),
                        last.seq,
                        last.at
                    );
                }
            }
            emit(&out)
        }
        AuditCommand::Checkpoint { file } => {
            let key = key.ok_or_else(no_key)?;
            let taken = refusing(Checkpoint::take(&mut conn, &key, chrono::Utc::now()))?;
            let c = match taken {
                Ok(c) => c,
                Err(v) => anyhow::bail!(
                    "audit log broken at entry {}: {}; no checkpoint written",
                    v.first_broken.unwrap_or_default(),
                    v.reason.unwrap_or_default()
                ),
            };
            append_line(&file, &c.line()).map_err(|e| Usage(format!("{}: {e}", file.display())))?;
            emit(&format!(
                "checkpoint of entry {} ({}) appended to {}\n",
                c.seq,
                c.hash,
                file.display()
            ))
        }
    }
}

/// A wrong or missing key is a mistake in the set-up, not a broken chain: exit status 2.
fn refusing<T>(result: Result<T, ChainError>) -> anyhow::Result<T> {
    result.map_err(|e| match e {
        ChainError::Db(e) => anyhow::Error::from(e),
        other => Usage(other.to_string()).into(),
    })
}

fn no_key() -> anyhow::Error {
    Usage(
        "no audit key: set audit_key (DCMM_AUDIT_KEY) or run with the data folder whose \
         audit-key file the service made at its first start"
            .to_owned(),
    )
    .into()
}

fn read_checkpoints(file: &Path, key: &AuditKey) -> anyhow::Result<Vec<Checkpoint>> {
    let text =
        std::fs::read_to_string(file).map_err(|e| Usage(format!("{}: {e}", file.display())))?;
    checkpoint::parse(&text, key)
        .map_err(|m| anyhow::anyhow!("checkpoint file {}: {m}", file.display()))
}

fn summary(v: &Verification) -> String {
    let mut text = format!("{} entries", v.entries);
    match (&v.key_fingerprint, v.keyed_from) {
        (Some(fingerprint), Some(from)) => {
            if v.unkeyed > 0 {
                text += &format!(
                    ", {} of them unkeyed (linked before the chain had a key; anyone who can \
                     write the database can recompute those)",
                    v.unkeyed
                );
            }
            text += &format!(", keyed from entry {from} with the key {fingerprint}");
        }
        _ => text += ", all unkeyed (no audit key has linked this chain yet)",
    }
    text
}

/// Appends one line and makes it durable before answering.
fn append_line(file: &Path, line: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)?;
    writeln!(f, "{line}")?;
    f.sync_all()
}
