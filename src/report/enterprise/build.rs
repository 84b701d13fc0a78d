//! The report's rows from the scores, in the language asked for: domain and item scores, self
//! and verified side by side, and the gap plan; the profile summary in [`profile`].

mod profile;

use super::{EnterpriseReport, Facts, GapRow, ScoreRow};
use crate::questionnaire::{Lang, Questionnaire};
use crate::scoring::ScoreReport;

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
            domain: name.clone(),
            item: String::new(),
            self_score: d.score,
            verified: checked.map(|c| c.score),
            level: checked.map_or(d.level, |c| c.level),
        });
        for i in &d.items {
            let checked = checked.and_then(|c| c.items.iter().find(|x| x.id == i.id));
            items.push(ScoreRow {
                domain: name.clone(),
                item: item_name(&i.id),
                self_score: i.score,
                verified: checked.map(|c| c.score),
                level: checked.map_or(i.level, |c| c.level),
            });
        }
    }
    let planned = verified.unwrap_or(self_scores);
    let gap = planned
        .gap
        .iter()
        .flatten()
        .map(|g| {
            let item = items_by_id
                .iter()
                .find(|(_, i)| i.criteria.iter().any(|c| c.id == g.criterion));
            GapRow {
                level: g.level,
                criterion: g.criterion.clone(),
                item: item.map_or_else(String::new, |(_, i)| i.name.get(lang).to_owned()),
                text: q
                    .criterion(&g.criterion)
                    .map_or_else(String::new, |c| c.text.get(lang).to_owned()),
                gain: g.gain,
            }
        })
        .collect();
    EnterpriseReport {
        lang,
        enterprise: facts.enterprise,
        credit_code: facts.credit_code,
        campaign: facts.campaign,
        status: facts.status.label(lang).to_owned(),
        as_of: facts.as_of,
        target: facts.target,
        questionnaire: q.title.get(lang).to_owned(),
        edition: self_scores.questionnaire.edition.clone(),
        questionnaire_hash: self_scores.questionnaire.hash.clone(),
        policy: self_scores.policy.clone(),
        overall_self: self_scores.overall.score,
        overall_verified: verified.map(|v| v.overall.score),
        level: verified.map_or(self_scores.overall.level, |v| v.overall.level),
        domains,
        items,
        gap,
        profile: facts
            .profile
            .map(|(p, answers)| profile::summary(p, answers, lang)),
        notes: facts.notes,
        evidence: facts.evidence,
    }
}
