//! `dcmm questionnaire list | lint | export`.

use std::path::PathBuf;

use crate::questionnaire::lint::lint as content_lint;
use crate::questionnaire::{parse, Crosswalk, Parsed, Questionnaire, Registry};

use super::{emit, Usage};

pub fn list(registry: &Registry) -> anyhow::Result<()> {
    let mut out = String::new();
    outln!(
        out,
        "{:<22} {:<9} {:<9} {:>7} {:>5} {:>8}  hash",
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
            "{:<22} {:<9} {:<9} {:>7} {:>5} {:>8}  {}{}",
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
            "{:<22} {:<9} {:<9} {:>7} {:>5} {:>8}  {}",
            p.id,
            "profile",
            "-",
            "-",
            "-",
            p.questions.len(),
            &p.hash[..12]
        );
    }
    for c in registry.crosswalks_all() {
        outln!(
            out,
            "{:<22} {:<9} {:<9} {:>7} {:>5} {:>8}  {}",
            c.id,
            "crosswalk",
            format!("{}>{}", c.from_edition, c.to_edition),
            c.counts().domains_paired,
            c.counts().items_paired,
            c.links().len(),
            &c.hash[..12]
        );
    }
    emit(&out)
}

/// What a crosswalk joins, in counts.
fn crosswalk_counts(out: &mut String, name: &str, c: &Crosswalk) {
    let n = c.counts();
    outln!(
        out,
        "{name}: ok ({} → {}: {} criteria one to one, {} many to one (from {}), {} new in {}, \
         {} dropped, {} not named; {} items and {} domains paired)",
        c.from,
        c.to,
        n.one_to_one,
        n.many_to_one,
        n.merged,
        n.new,
        c.to_edition,
        n.dropped,
        n.unmapped,
        n.items_paired,
        n.domains_paired
    );
}

/// The content rules of one DCMM questionnaire: its counts, and each finding on stderr.
/// Returns how many rules it breaks.
fn content_rules(out: &mut String, name: &str, q: &Questionnaire) -> usize {
    let lint = content_lint(q);
    for line in lint.summary() {
        outln!(out, "{name}:   {line}");
    }
    for f in &lint.findings {
        eprintln!("{name}: {}: {}", f.at, f.message);
    }
    lint.findings.len()
}

/// Lints the named files, or else everything the service would load: first what loading
/// checks, then the content rules of `questionnaire::lint`.
pub fn lint(files: &[PathBuf], dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let mut out = String::new();
    let mut findings = 0;
    if files.is_empty() {
        let registry = Registry::load(dir).map_err(|e| Usage(e.to_string()))?;
        for q in registry.dcmm_all() {
            let mut rules = String::new();
            let n = content_rules(&mut rules, &q.id, q);
            outln!(
                out,
                "{}: {} ({} criteria)",
                q.id,
                if n == 0 { "ok" } else { "breaks content rules" },
                q.criterion_count()
            );
            out.push_str(&rules);
            findings += n;
        }
        for p in registry.profiles_all() {
            outln!(out, "{}: ok ({} questions)", p.id, p.questions.len());
        }
        for c in registry.crosswalks_all() {
            crosswalk_counts(&mut out, &c.id, c);
        }
        emit(&out)?;
        return match findings {
            0 => Ok(()),
            n => Err(Usage(format!("{n} content findings")).into()),
        };
    }
    let mut failed = 0;
    let mut parsed = Vec::with_capacity(files.len());
    for path in files {
        let file = path.display().to_string();
        let result = std::fs::read_to_string(path)
            .map_err(|e| format!("{file}: {e}"))
            .and_then(|source| {
                parse(&file, &source)
                    .map(|p| (p, source))
                    .map_err(|e| e.to_string())
            });
        parsed.push((file, result));
    }
    // A crosswalk is checked against the questionnaires named with it, else those the service
    // would load.
    let mut registry = Registry::load(dir).map_err(|e| Usage(e.to_string()))?;
    for (p, source) in parsed.iter().filter_map(|(_, r)| r.as_ref().ok()) {
        if let Parsed::Dcmm(_) = p {
            registry.insert(p.clone(), source);
        }
    }
    for (file, result) in parsed {
        let result = result.map(|(p, _)| p);
        match result {
            Ok(Parsed::Dcmm(q)) => {
                let mut rules = String::new();
                let n = content_rules(&mut rules, &file, &q);
                outln!(
                    out,
                    "{file}: {} ({}: {} domains, {} items, {} criteria)",
                    if n == 0 { "ok" } else { "breaks content rules" },
                    q.id,
                    q.domains.len(),
                    q.item_count(),
                    q.criterion_count()
                );
                out.push_str(&rules);
                findings += n;
                if n > 0 {
                    failed += 1;
                }
            }
            Ok(Parsed::Profile(p)) => {
                outln!(
                    out,
                    "{file}: ok ({}: {} questions)",
                    p.id,
                    p.questions.len()
                )
            }
            Ok(Parsed::Crosswalk(draft)) => match registry.resolve(&draft) {
                Ok(c) => crosswalk_counts(&mut out, &file, &c),
                Err(e) => {
                    eprintln!("{e}");
                    failed += 1;
                }
            },
            Err(message) => {
                eprintln!("{message}");
                failed += 1;
            }
        }
    }
    emit(&out)?;
    if failed > 0 {
        return Err(Usage(format!(
            "{failed} of {} files failed ({findings} content findings)",
            files.len()
        ))
        .into());
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
