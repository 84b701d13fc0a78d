//! The change since the cluster's previous campaign: mean scores then and now. The same edition
//! matches domains and items by id; editions a crosswalk joins match the domains and items it
//! pairs; other editions match domains by section number only, and say so.

use std::collections::HashMap;

use serde::Serialize;

use super::columns::Columns;
use super::stats::Delta;
use super::{mean_of, DomainRollup, PreviousCampaign, Summary};
use crate::questionnaire::{Crosswalk, Questionnaire, Text};
use crate::scoring::report::ScoredQuestionnaire;
use crate::scoring::score::Hundredths;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Same edition: domains and items by id.
    Id,
    /// Editions a crosswalk joins: the domains and items it pairs; the others are not compared.
    Crosswalk,
    /// Editions differ and no crosswalk joins them: domains by section number only; items are
    /// not compared.
    Section,
}

/// Which domain and item of a previous questionnaire each current one is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterparts {
    pub matched_by: MatchedBy,
    /// The crosswalk's id when it paired them.
    pub crosswalk: Option<String>,
    domains: HashMap<String, String>,
    items: HashMap<String, String>,
}

impl Counterparts {
    /// `crosswalk` counts only when it joins the two questionnaires and their editions differ.
    pub fn new(
        previous: &Questionnaire,
        current: &Questionnaire,
        crosswalk: Option<&Crosswalk>,
    ) -> Self {
        let ids = |q: &Questionnaire| -> (Vec<String>, Vec<String>) {
            (
                q.domains.iter().map(|d| d.id.clone()).collect(),
                q.domains
                    .iter()
                    .flat_map(|d| &d.items)
                    .map(|i| i.id.clone())
                    .collect(),
            )
        };
        if previous.edition == current.edition {
            let (pd, pi) = ids(previous);
            let same = |v: Vec<String>| v.into_iter().map(|id| (id.clone(), id)).collect();
            return Self {
                matched_by: MatchedBy::Id,
                crosswalk: None,
                domains: same(pd),
                items: same(pi),
            };
        }
        if let Some(c) = crosswalk.filter(|c| c.joins(&previous.id, &current.id)) {
            let forward = c.from == previous.id;
            let orient = |pairs: &[(String, String)]| {
                pairs
                    .iter()
                    .map(|(a, b)| {
                        if forward {
                            (b.clone(), a.clone())
                        } else {
                            (a.clone(), b.clone())
                        }
                    })
                    .collect()
            };
            return Self {
                matched_by: MatchedBy::Crosswalk,
                crosswalk: Some(c.id.clone()),
                domains: orient(c.domain_pairs()),
                items: orient(c.item_pairs()),
            };
        }
        let domains = current
            .domains
            .iter()
            .filter_map(|d| {
                let p = previous.domains.iter().find(|p| p.section == d.section)?;
                Some((d.id.clone(), p.id.clone()))
            })
            .collect();
        Self {
            matched_by: MatchedBy::Section,
            crosswalk: None,
            domains,
            items: HashMap::new(),
        }
    }

    /// The previous domain compared with the current domain `id`.
    pub fn domain(&self, id: &str) -> Option<&str> {
        self.domains.get(id).map(String::as_str)
    }

    /// The previous item compared with the current item `id`.
    pub fn item(&self, id: &str) -> Option<&str> {
        self.items.get(id).map(String::as_str)
    }

    /// Why the two campaigns' domains and items were paired as they were, when editions differ.
    pub fn note(&self, previous: &str, current: &str) -> Option<Text> {
        match (self.matched_by, &self.crosswalk) {
            (MatchedBy::Id, _) => None,
            (MatchedBy::Crosswalk, Some(id)) => Some(crosswalk_note(previous, current, id)),
            _ => Some(editions_note(previous, current)),
        }
    }
}

/// Mean scores of accepted assessments; `difference` is `current − previous`, of the means as
/// shown, so the three figures agree on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MeanChange {
    #[schema(value_type = Option<f64>)]
    pub previous: Option<Hundredths>,
    #[schema(value_type = Option<f64>)]
    pub current: Option<Hundredths>,
    #[schema(value_type = Option<f64>)]
    pub difference: Option<Delta>,
}

impl MeanChange {
    fn new(previous: Option<Hundredths>, current: Option<Hundredths>) -> Self {
        Self {
            previous,
            current,
            difference: previous.zip(current).map(|(p, c)| Delta::between(c, p)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainChange {
    pub id: String,
    pub section: String,
    pub name: Text,
    /// The previous campaign's domain it was matched with, if any.
    pub previous_id: Option<String>,
    pub previous_name: Option<Text>,
    pub mean: MeanChange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemChange {
    pub id: String,
    pub section: String,
    /// The previous campaign's item it was compared with, if any.
    pub previous_id: Option<String>,
    pub mean: MeanChange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub previous: ScoredQuestionnaire,
    /// Accepted assessments of the previous campaign.
    pub previous_n: u32,
    pub matched_by: MatchedBy,
    pub editions_differ: bool,
    /// Says how domains and items were matched when editions differ.
    pub note: Option<Text>,
    pub overall: MeanChange,
    /// In the current questionnaire's order.
    pub domains: Vec<DomainChange>,
    /// The items of matched domains (same edition), or every item (crosswalk: those it does
    /// not pair have no previous mean); empty when domains are matched by section.
    pub items: Vec<ItemChange>,
    /// Previous domains no current domain matched.
    pub unmatched_previous: Vec<String>,
}

pub(super) fn change(
    q: &Questionnaire,
    current: &[DomainRollup],
    overall: Option<&Summary>,
    previous: &PreviousCampaign<'_>,
) -> Change {
    let pq = previous.questionnaire;
    let cards = &previous.verified;
    let pairs = Counterparts::new(pq, q, previous.crosswalk);
    let domain_at = |id: &str| pq.domains.iter().position(|p| p.id == id);
    let item_at = |id: &str| {
        pq.domains
            .iter()
            .enumerate()
            .find_map(|(d, domain)| domain.items.iter().position(|i| i.id == id).map(|i| (d, i)))
    };
    let columns = Columns::of(pq, cards.iter());
    let previous_domain_mean =
        |pdi: usize| mean_of(columns.domains.get(pdi)?.scores.iter().copied());
    let previous_item_mean = |(pdi, pii): (usize, usize)| {
        mean_of(columns.domains.get(pdi)?.items.get(pii)?.iter().copied())
    };
    let mut matched = vec![false; pq.domains.len()];
    let mut items = Vec::new();
    let mut domains = Vec::with_capacity(current.len());
    for d in current {
        let found = pairs.domain(&d.id).and_then(domain_at);
        let pd = found.and_then(|pdi| pq.domains.get(pdi));
        if let Some(m) = found.and_then(|pdi| matched.get_mut(pdi)) {
            *m = true;
        }
        domains.push(DomainChange {
            id: d.id.clone(),
            section: d.section.clone(),
            name: d.name.clone(),
            previous_id: pd.map(|p| p.id.clone()),
            previous_name: pd.map(|p| p.name.clone()),
            mean: MeanChange::new(
                found.and_then(previous_domain_mean),
                d.summary.map(|s| s.mean),
            ),
        });
        let compared = match pairs.matched_by {
            MatchedBy::Id => found.is_some(),
            MatchedBy::Crosswalk => true,
            MatchedBy::Section => false,
        };
        if compared {
            for item in &d.items {
                let previous_id = pairs.item(&item.id).filter(|id| item_at(id).is_some());
                items.push(ItemChange {
                    id: item.id.clone(),
                    section: item.section.clone(),
                    previous_id: previous_id.map(str::to_owned),
                    mean: MeanChange::new(
                        previous_id.and_then(item_at).and_then(previous_item_mean),
                        item.summary.map(|s| s.mean),
                    ),
                });
            }
        }
    }
    Change {
        previous: ScoredQuestionnaire {
            id: pq.id.clone(),
            edition: pq.edition.clone(),
            hash: pq.hash.clone(),
        },
        previous_n: cards.len() as u32,
        matched_by: pairs.matched_by,
        editions_differ: pq.edition != q.edition,
        note: pairs.note(&pq.edition, &q.edition),
        overall: MeanChange::new(
            mean_of(columns.overall.iter().copied()),
            overall.map(|s| s.mean),
        ),
        domains,
        items,
        unmatched_previous: pq
            .domains
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(d, _)| d.id.clone())
            .collect(),
    }
}

/// How domains and items of editions a crosswalk joins are compared.
pub fn crosswalk_note(previous: &str, current: &str, crosswalk: &str) -> Text {
    Text {
        zh: format!(
            "两次评估依据的标准版本不同（{previous} 版与 {current} 版）：能力域和能力项按版本对照表 \
             {crosswalk} 对应（条款只映射到对方同一能力项时才对应），新增或拆分的能力项不作比较。"
        ),
        en: format!(
            "The two campaigns use different editions ({previous} and {current}): domains and \
             items are matched through the crosswalk {crosswalk} (an item is matched when its \
             criteria map only into one item of the other edition); new or split items are \
             not compared."
        ),
    }
}

/// Why domains of different editions are compared by section number only.
pub fn editions_note(previous: &str, current: &str) -> Text {
    Text {
        zh: format!(
            "两次评估依据的标准版本不同（{previous} 版与 {current} 版）：能力域仅按章节号对应，\
             同一章节号在两个版本中的内容可能不同；能力项不作比较。"
        ),
        en: format!(
            "The two campaigns use different editions ({previous} and {current}): domains are \
             matched by section number only, a section may cover different ground in each \
             edition, and items are not compared."
        ),
    }
}
