//! `dcmm score`: scores an answers file with the same function the service uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::questionnaire::{Questionnaire, Registry};
use crate::scoring::{evaluate, Policy, Rating, ScoreReport, Sheet};

use super::{emit, Usage};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    answers: BTreeMap<String, String>,
}

pub fn run(
    registry: &Registry,
    policy: &Policy,
    questionnaire: &str,
    answers: &Path,
    target: Option<u8>,
    json: bool,
) -> anyhow::Result<()> {
    let q = registry
        .dcmm(questionnaire)
        .ok_or_else(|| Usage(format!("no DCMM questionnaire {questionnaire:?}")))?;
    let text = std::fs::read_to_string(answers)
        .map_err(|e| Usage(format!("{}: {e}", answers.display())))?;
    let file: AnswersFile =
        serde_json::from_str(&text).map_err(|e| Usage(format!("{}: {e}", answers.display())))?;
    let mut ratings = Vec::with_capacity(file.answers.len());
    for (criterion, rating) in &file.answers {
        let r = Rating::parse(rating).ok_or_else(|| {
            Usage(format!(
                "criterion {criterion}: rating {rating:?} is not fully, largely, partially, not or na"
            ))
        })?;
        ratings.push((criterion.as_str(), r));
    }
    let sheet = Sheet::from_answers(q, ratings).map_err(|e| Usage(e.to_string()))?;
    let report = evaluate(q, &sheet, policy, target);
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))
    } else {
        emit(&table(q, &report, sheet.answered()))
    }
}

/// The standard's name of a level in both languages; 0 is below Initial.
pub fn level_name(level: u8) -> String {
    use crate::questionnaire::Lang;
    let name = crate::report::level_name;
    format!("{} {}", name(Lang::Zh, level), name(Lang::En, level))
}

fn table(q: &Questionnaire, report: &ScoreReport, answered: usize) -> String {
    let mut out = String::new();
    outln!(out, "{} ({}), hash {}", q.id, q.standard, &q.hash[..12]);
    outln!(out, "policy: {}", report.policy);
    outln!(
        out,
        "answered: {answered} of {} criteria",
        q.criterion_count()
    );
    outln!(
        out,
        "overall: {} — indicated level {} ({})",
        report.overall.score,
        report.overall.level,
        level_name(report.overall.level)
    );
    outln!(out);
    outln!(
        out,
        "{:<7} {:>5} {:>5}   {:>4} {:>4} {:>4} {:>4} {:>4}   name",
        "section",
        "score",
        "level",
        "L1",
        "L2",
        "L3",
        "L4",
        "L5"
    );
    for (d, ds) in q.domains.iter().zip(&report.domains) {
        outln!(
            out,
            "{:<7} {:>5} {:>5}   {:<24}   {} {}",
            d.section,
            ds.score,
            ds.level,
            "",
            d.name.zh,
            d.name.en
        );
        for (i, is) in d.items.iter().zip(&ds.items) {
            let ls: Vec<String> = is.level_scores.iter().map(|l| l.to_string()).collect();
            outln!(
                out,
                "  {:<5} {:>5} {:>5}   {}   {} {}",
                i.section,
                is.score,
                is.level,
                ls.join(" "),
                i.name.zh,
                i.name.en
            );
        }
    }
    if let Some(gap) = &report.gap {
        let criteria: usize = gap.iter().map(|g| g.criteria.len()).sum();
        outln!(out);
        outln!(
            out,
            "gap plan: {} steps, {criteria} criteria to raise",
            gap.len()
        );
        for g in gap {
            outln!(
                out,
                "  {:<8} level {} -> {}   {} -> {}   +{}",
                g.item,
                g.level_before,
                g.level_after,
                g.score_before,
                g.score_after,
                g.gain
            );
            for r in &g.criteria {
                let text = q
                    .criterion(&r.criterion)
                    .map(|c| c.text.zh.as_str())
                    .unwrap_or("");
                outln!(
                    out,
                    "    {:<16} {:>10} -> {:<8} {}",
                    r.criterion,
                    r.from.map_or("unanswered", |f| f.as_str()),
                    r.to.as_str(),
                    text
                );
            }
        }
    }
    out
}
