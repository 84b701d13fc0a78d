//! The report's rows from the scores, in the language asked for: domain and item scores, self
//! and verified side by side, and the gap plan; the profile summary in [`profile`], the
//! benchmark and the change since the previous campaign in [`compare`].

mod compare;
mod profile;

use super::{EnterpriseReport, Facts, ScoreRow};
use crate::domain::assessment::{Stage, Status};
use crate::questionnaire::{Lang, Questionnaire};
use crate::report::level_name;
use crate::scoring::ScoreReport;

/// Why a result is not final yet.
fn provisional(status: Status, unanswered: usize, lang: Lang) -> String {
    match (status, unanswered, lang) {
        (Status::Submitted, _, _) => lang
            .t(
                "暂定结果：评估已提交，正等待审核员核验，核验可能改变得分。",
                "Provisional: the assessment is submitted and awaits an auditor's \
                 verification, which may change the scores.",
            )
            .to_owned(),
        (_, 0, _) => lang
            .t(
                "暂定结果：评估尚未提交；提交并经审核员核验后方为评估结果。",
                "Provisional: the assessment is not submitted yet; the result stands once it \
                 is submitted and verified by an auditor.",
            )
            .to_owned(),
        (_, n, Lang::Zh) => format!(
            "暂定结果：尚有 {n} 条未作答，按“不满足”计分；全部作答、提交并经审核员核验后方为评估结果。"
        ),
        (_, n, Lang::En) => format!(
            "Provisional: {n} {} unanswered and count as not met; the result stands once \
             every criterion is answered, submitted and verified by an auditor.",
            if n == 1 { "criterion is" } else { "criteria are" }
        ),
    }
}

pub(super) fn report(
    q: &Questionnaire,
    self_scores: &ScoreReport,
    verified: Option<&ScoreReport>,
    facts: Facts<'_>,
    lang: Lang,
) -> EnterpriseReport {
    let domain_name = |id: &str| {
        q.domains
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_owned(), |d| d.name.get(lang).to_owned())
    };
    let items_by_id: Vec<(&str, &crate::questionnaire::Item)> = q
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .map(|i| (i.id.as_str(), i))
        .collect();
    let item_name = |id: &str| {
        items_by_id
            .iter()
            .find(|(i, _)| *i == id)
            .map_or_else(|| id.to_owned(), |(_, i)| i.name.get(lang).to_owned())
    };
    let mut domains = Vec::new();
    let mut items = Vec::new();
    for d in &self_scores.domains {
        let checked = verified.and_then(|v| v.domains.iter().find(|x| x.id == d.id));
        let name = domain_name(&d.id);
        domains.push(ScoreRow {
            id: d.id.clone(),
            domain: name.clone(),
            item: String::new(),
            self_score: d.score,
            verified: checked.map(|c| c.score),
            level: checked.map_or(d.level, |c| c.level),
        });
        for i in &d.items {
            let checked = checked.and_then(|c| c.items.iter().find(|x| x.id == i.id));
            items.push(ScoreRow {
                id: i.id.clone(),
                domain: name.clone(),
                item: item_name(&i.id),
                self_score: i.score,
                verified: checked.map(|c| c.score),
                level: checked.map_or(i.level, |c| c.level),
            });
        }
    }
    let planned = verified.unwrap_or(self_scores);
    let gap = super::gap::rows(q, planned.gap.as_deref().unwrap_or(&[]), lang);
    let level = verified.map_or(self_scores.overall.level, |v| v.overall.level);
    let accepted = facts.status == Status::Accepted;
    // A draft the last review sent back is "returned"; one with no answer "not started".
    let returned =
        facts.status == Status::Draft && facts.notes.last().is_some_and(|n| n.decision == "return");
    let stage = Stage::of(
        facts.status,
        facts.unanswered < q.criterion_count(),
        returned,
    );
    EnterpriseReport {
        lang,
        enterprise: facts.enterprise,
        credit_code: facts.credit_code,
        campaign: facts.campaign,
        status: stage.label(lang).to_owned(),
        as_of: facts.as_of,
        target: facts.target,
        questionnaire: q.title.get(lang).to_owned(),
        edition: self_scores.questionnaire.edition.clone(),
        questionnaire_hash: self_scores.questionnaire.hash.clone(),
        policy: self_scores.policy.clone(),
        overall_self: self_scores.overall.score,
        overall_verified: verified.map(|v| v.overall.score),
        level,
        level_name: level_name(lang, level).to_owned(),
        provisional: (!accepted).then(|| provisional(facts.status, facts.unanswered, lang)),
        unanswered: facts.unanswered,
        domains,
        items,
        gap,
        gap_intro: facts
            .target
            .map_or_else(String::new, |t| super::gap::intro(t, lang)),
        benchmark: compare::benchmark(q, planned, facts.benchmark.as_ref(), lang),
        change: compare::change(q, planned, !accepted, facts.previous.as_ref(), lang),
        profile: facts
            .profile
            .map(|(p, answers)| profile::summary(p, answers, lang)),
        notes: facts.notes,
        evidence: facts.evidence,
    }
}
