//! `dcmm backup FILE`: a consistent copy of a SQLite database, taken while the service runs,
//! with the evidence files it names beside it in `FILE.evidence/`.
//!
//! `VACUUM INTO` copies one read transaction's view of the database, so the copy holds every
//! write committed before it started and none half-done. Evidence files are immutable once in
//! place (written under a temporary name, renamed into place before the row naming them
//! commits), so copying them afterwards finds every file the copy names.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::{emit, Usage};
use crate::config::Settings;
use crate::db::DbTarget;

/// What to do for PostgreSQL instead.
const POSTGRES: &str = "dcmm backup copies SQLite databases only; on PostgreSQL take \
                        `pg_dump --format=custom --file=dcmm.dump \"$DCMM_DATABASE_URL\"` and copy \
                        the evidence folder <data_dir>/evidence (docs/OPERATIONS.md, Backups)";

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    quick_check: String,
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = diesel::sql_types::Text)]
    storage_key: String,
}

pub fn run(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let source = match &settings.database {
        DbTarget::Sqlite(path) => path,
        DbTarget::Postgres(_) => return Err(Usage(POSTGRES.to_owned()).into()),
    };
    if !source.is_file() {
        return Err(Usage(format!(
            "{} does not exist: nothing to back up",
            source.display()
        ))
        .into());
    }
    let evidence = evidence_dir_of(file);
    for target in [file, evidence.as_path()] {
        if target.exists() {
            return Err(Usage(format!(
                "{} exists; dcmm backup never overwrites: name a new file",
                target.display()
            ))
            .into());
        }
    }
    let partial = with_suffix(file, ".partial");
    let partial_evidence = with_suffix(&evidence, ".partial");
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_dir_all(&partial_evidence);
    let copied = copy(settings, source, &partial, &partial_evidence);
    match copied.and_then(|files| {
        std::fs::rename(&partial_evidence, &evidence)?;
        std::fs::rename(&partial, file)?;
        Ok(files)
    }) {
        Ok(files) => emit(&format!(
            "backup written: {} (integrity ok), {files} evidence files in {}\n",
            file.display(),
            evidence.display()
        )),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            let _ = std::fs::remove_dir_all(&partial_evidence);
            Err(e)
        }
    }
}

/// Copies the database to `to` and the evidence it names to `evidence`; answers how many
/// files were copied.
fn copy(settings: &Settings, source: &Path, to: &Path, evidence: &Path) -> anyhow::Result<usize> {
    let utf8 = |p: &Path| {
        p.to_str()
            .map(str::to_owned)
            .ok_or_else(|| Usage(format!("{} is not a UTF-8 path", p.display())))
    };
    let mut conn = SqliteConnection::establish(&utf8(source)?)?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(utf8(to)?)
        .execute(&mut conn)?;
    drop(conn);

    let mut copy = SqliteConnection::establish(&utf8(to)?)?;
    let check: Vec<Check> = diesel::sql_query("PRAGMA quick_check").load(&mut copy)?;
    if check.iter().any(|c| c.quick_check != "ok") {
        anyhow::bail!("the copy fails its integrity check; nothing was kept");
    }
    let keys: Vec<Key> =
        diesel::sql_query("SELECT DISTINCT storage_key FROM evidence").load(&mut copy)?;
    drop(copy);

    let store = crate::evidence::EvidenceStore::new(&settings.data_dir);
    std::fs::create_dir_all(evidence)?;
    for Key { storage_key } in &keys {
        let from = store
            .path_of(storage_key)
            .ok_or_else(|| anyhow::anyhow!("{storage_key:?} is not a storage key"))?;
        // Keys are `<2 hex>/<sha256>`, checked by `path_of`.
        let target = evidence.join(storage_key);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(&from, &target).map_err(|e| {
            anyhow::anyhow!("evidence file {} could not be copied: {e}", from.display())
        })?;
    }
    Ok(keys.len())
}

/// `FILE.evidence`: where the evidence of backup `FILE` goes.
pub fn evidence_dir_of(file: &Path) -> PathBuf {
    with_suffix(file, ".evidence")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
