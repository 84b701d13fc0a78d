//! The report's rows from the scores, in the language asked for: domain and item scores, self
//! and verified side by side with why each item scores what it does, and the gap plan; the
//! profile summary in [`profile`], the benchmark and the change since the previous campaign in
//! [`compare`], each domain's strengths and weaknesses in [`reading`], and who reviewed the
//! assessment in [`review`].

mod compare;
mod profile;
mod reading;
mod review;

pub use reading::{FAR_BELOW, FLAG};

use super::{EnterpriseReport, Facts, ScoreRow};
use crate::domain::assessment::{Stage, Status};
use crate::questionnaire::{Lang, Questionnaire};
use crate::report::level_name;
use crate::scoring::{explain, ScoreReport};

/// The most items far below the enterprise's level the summary names (the lowest first).
const FAR_NAMED: usize = 6;

/// The items far below the enterprise's level, the lowest first, for the summary.
fn far_below_sentence(items: &[ScoreRow], lang: Lang) -> Option<String> {
    let mut far: Vec<&ScoreRow> = items.iter().filter(|i| i.far_below).collect();
    if far.is_empty() {
        return None;
    }
    far.sort_by_key(|i| i.verified.unwrap_or(i.self_score));
    let count = far.len();
    let named: Vec<String> = far
        .iter()
        .take(FAR_NAMED)
        .map(|i| format!("{} {}", i.item, i.verified.unwrap_or(i.self_score)))
        .collect();
    Some(match (lang, count > FAR_NAMED) {
        (Lang::Zh, false) => format!(
            "远低于企业水平的能力项（得分比总分低 {FAR_BELOW} 及以上）：{}。",
            named.join("、")
        ),
        (Lang::Zh, true) => format!(
            "远低于企业水平的能力项（得分比总分低 {FAR_BELOW} 及以上）共 {count} 项，最低的是：{}。",
            named.join("、")
        ),
        (Lang::En, false) => format!(
            "Items far below the enterprise's level (at least {FAR_BELOW} below the overall \
             score): {}.",
            named.join(", ")
        ),
        (Lang::En, true) => format!(
            "{count} items are far below the enterprise's level (at least {FAR_BELOW} below the \
             overall score); the lowest: {}.",
            named.join(", ")
        ),
    })
}

/// What the items' "why" column says.
fn why_intro(policy: &crate::scoring::Policy, lang: Lang) -> String {
    let tau = crate::scoring::Hundredths(policy.pass_threshold);
    match lang {
        Lang::Zh => format!(
            "一级的条款平均得分达到通过线 {tau} 即满足该级；能力项等级是从第 1 级起连续满足的最高一级，\
             得分为该等级加上一级的得分。“原因”列出未达到的那一级及其得分；{FLAG} 表示远低于企业水平。"
        ),
        Lang::En => format!(
            "A level is met when its criteria average at least the pass mark {tau}; an item's \
             level is the highest met with every level below it, and its score that level plus \
             the next level's score. \"Why\" names the level not met and its score; {FLAG} marks \
             an item far below the enterprise's level."
        ),
    }
}

/// What every page of a report that is not final says: that it is not, and what is missing.
fn mark(stage: Stage, status: Status, unanswered: usize, lang: Lang) -> Option<String> {
    let label = stage.label(lang);
    match (status, lang) {
        (Status::Accepted, _) => None,
        (Status::Submitted, Lang::Zh) => {
            Some(format!("暂定报告（{label}）：非最终结果，等待审核员核验"))
        }
        (Status::Submitted, Lang::En) => Some(format!(
            "Provisional report ({label}): not final, awaiting an auditor's verification"
        )),
        (Status::Draft, Lang::Zh) if unanswered > 0 => Some(format!(
            "暂定报告（{label}）：非最终结果，尚有 {unanswered} 条未作答"
        )),
        (Status::Draft, Lang::Zh) => Some(format!("暂定报告（{label}）：非最终结果，尚未提交")),
        (Status::Draft, Lang::En) if unanswered > 0 => Some(format!(
            "Provisional report ({label}): not final, {unanswered} {} unanswered",
            if unanswered == 1 {
                "criterion"
            } else {
                "criteria"
            }
        )),
        (Status::Draft, Lang::En) => Some(format!(
            "Provisional report ({label}): not final, not submitted yet"
        )),
    }
}

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
    let overall = verified.map_or(self_scores.overall, |v| v.overall);
    let mut domains = Vec::new();
    let mut items = Vec::new();
    for d in &self_scores.domains {
        let checked = verified.and_then(|v| v.domains.iter().find(|x| x.id == d.id));
        let name = domain_name(&d.id);
        let level = checked.map_or(d.level, |c| c.level);
        domains.push(ScoreRow {
            id: d.id.clone(),
            domain: name.clone(),
            item: String::new(),
            self_score: d.score,
            verified: checked.map(|c| c.score),
            level,
            level_name: level_name(lang, level).to_owned(),
            why: String::new(),
            explanation: String::new(),
            far_below: false,
        });
        for i in &d.items {
            let checked = checked.and_then(|c| c.items.iter().find(|x| x.id == i.id));
            let shown = checked.unwrap_or(i);
            let why = explain(shown, facts.policy);
            items.push(ScoreRow {
                id: i.id.clone(),
                domain: name.clone(),
                item: item_name(&i.id),
                self_score: i.score,
                verified: checked.map(|c| c.score),
                level: shown.level,
                level_name: level_name(lang, shown.level).to_owned(),
                why: why.short(lang),
                explanation: why.sentence(lang),
                far_below: reading::far_below(shown.score, overall.score),
            });
        }
    }
    let planned = verified.unwrap_or(self_scores);
    let gap = super::gap::rows(q, planned.gap.as_deref().unwrap_or(&[]), lang);
    let level = overall.level;
    let accepted = facts.status == Status::Accepted;
    // A draft the last review sent back is "returned"; one with no answer "not started".
    let returned =
        facts.status == Status::Draft && facts.notes.last().is_some_and(|n| n.decision == "return");
    let stage = Stage::of(
        facts.status,
        facts.unanswered < q.criterion_count(),
        returned,
    );
    let verification = review::verification(&facts.notes, lang);
    let rerated = review::rerated(q, &facts.rerated, facts.policy, lang);
    let level_change = review::level_change(
        self_scores.overall.level,
        verified.map(|v| v.overall.level),
        lang,
    );
    let readings = reading::readings(&domains, &items, level);
    let mut summary = vec![review::scores_sentence(
        (self_scores.overall.score, self_scores.overall.level),
        verified.map(|v| (v.overall.score, v.overall.level)),
        lang,
    )];
    summary.extend(level_change.clone());
    summary.extend(
        verification
            .as_ref()
            .map(|v| review::who_sentence(v, rerated.len(), lang)),
    );
    if let Some(line) = far_below_sentence(&items, lang) {
        summary.push(line);
    }
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
        self_level: self_scores.overall.level,
        summary,
        level_change,
        provisional: (!accepted).then(|| provisional(facts.status, facts.unanswered, lang)),
        mark: mark(stage, facts.status, facts.unanswered, lang),
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
            .map(|(p, answers)| profile::summary(p, answers, &q.edition, lang)),
        readings,
        reading_rule: reading::rule(level, overall.score, lang),
        why_intro: why_intro(facts.policy, lang),
        verification,
        rerated,
        notes: facts.notes,
        evidence: facts.evidence,
    }
}
