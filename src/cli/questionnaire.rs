//! `dcmm questionnaire list | lint | export`.

use std::path::PathBuf;

use crate::questionnaire::{parse, Parsed, Registry};

use super::{emit, Usage};

pub fn list(registry: &Registry) -> anyhow::Result<()> {
    let mut out = String::new();
    outln!(
        out,
        "{:<22} {:<8} {:<8} {:>7} {:>5} {:>8}  hash",
        "id",
        "kind",
        "edition",
        "domains",
        "items",
        "criteria"
    );
    for q in registry.dcmm_all() {
        outln!(
            out,
            "{:<22} {:<8} {:<8} {:>7} {:>5} {:>8}  {}{}",
            q.id,
            "dcmm",
            q.edition,
            q.domains.len(),
            q.item_count(),
            q.criterion_count(),
            &q.hash[..12],
            if q.default { "  (default)" } else { "" }
        );
    }
    for p in registry.profiles_all() {
        outln!(
            out,
            "{:<22} {:<8} {:<8} {:>7} {:>5} {:>8}  {}",
            p.id,
            "profile",
            "-",
            "-",
            "-",
            p.questions.len(),
            &p.hash[..12]
        );
    }
    emit(&out)
}

/// Lints the named files, or else everything the service would load.
pub fn lint(files: &[PathBuf], dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let mut out = String::new();
    if files.is_empty() {
        let registry = Registry::load(dir).map_err(|e| Usage(e.to_string()))?;
        for q in registry.dcmm_all() {
            outln!(out, "{}: ok ({} criteria)", q.id, q.criterion_count());
        }
        for p in registry.profiles_all() {
            outln!(out, "{}: ok ({} questions)", p.id, p.questions.len());
        }
        return emit(&out);
    }
    let mut failed = 0;
    for path in files {
        let file = path.display().to_string();
        let result = std::fs::read_to_string(path)
            .map_err(|e| format!("{file}: {e}"))
            .and_then(|source| parse(&file, &source).map_err(|e| e.to_string()));
        match result {
            Ok(Parsed::Dcmm(q)) => outln!(
                out,
                "{file}: ok ({}: {} domains, {} items, {} criteria)",
                q.id,
                q.domains.len(),
                q.item_count(),
                q.criterion_count()
            ),
            Ok(Parsed::Profile(p)) => {
                outln!(
                    out,
                    "{file}: ok ({}: {} questions)",
                    p.id,
                    p.questions.len()
                )
            }
            Err(message) => {
                eprintln!("{message}");
                failed += 1;
            }
        }
    }
    emit(&out)?;
    if failed > 0 {
        return Err(Usage(format!("{failed} of {} files failed", files.len())).into());
    }
    Ok(())
}

pub fn export(registry: &Registry, id: &str) -> anyhow::Result<()> {
    let json = if let Some(q) = registry.dcmm(id) {
        serde_json::to_string_pretty(q.as_ref())?
    } else if let Some(p) = registry.profile(id) {
        serde_json::to_string_pretty(p.as_ref())?
    } else {
        return Err(Usage(format!(
            "no questionnaire {id:?}; see `dcmm questionnaire list`"
        ))
        .into());
    };
    emit(&format!("{json}\n"))
}
