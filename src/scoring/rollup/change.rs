//! The change since the cluster's previous campaign: mean scores then and now. The same edition
//! matches domains and items by id; editions that differ match domains by section number only,
//! and say so.

use serde::Serialize;

use super::columns::Columns;
use super::stats::Delta;
use super::{mean_of, DomainRollup, PreviousCampaign, Summary};
use crate::questionnaire::{Questionnaire, Text};
use crate::scoring::report::ScoredQuestionnaire;
use crate::scoring::score::Hundredths;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Same edition: domains and items by id.
    Id,
    /// Editions differ: domains by section number only; items are not compared.
    Section,
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
    pub mean: MeanChange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub previous: ScoredQuestionnaire,
    /// Accepted assessments of the previous campaign.
    pub previous_n: u32,
    pub matched_by: MatchedBy,
    pub editions_differ: bool,
    /// Says how domains were matched when editions differ.
    pub note: Option<Text>,
    pub overall: MeanChange,
    /// In the current questionnaire's order.
    pub domains: Vec<DomainChange>,
    /// Empty when editions differ.
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
    let same = pq.edition == q.edition;
    let matched_by = if same {
        MatchedBy::Id
    } else {
        MatchedBy::Section
    };
    let counterpart = |d: &DomainRollup| {
        pq.domains.iter().position(|p| match matched_by {
            MatchedBy::Id => p.id == d.id,
            MatchedBy::Section => p.section == d.section,
        })
    };
    let columns = Columns::of(pq, cards.iter());
    let previous_domain_mean =
        |pdi: usize| mean_of(columns.domains.get(pdi)?.scores.iter().copied());
    let mut matched = vec![false; pq.domains.len()];
    let mut items = Vec::new();
    let mut domains = Vec::with_capacity(current.len());
    for d in current {
        let found = counterpart(d);
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
        if let (MatchedBy::Id, Some(pdi), Some(pd)) = (matched_by, found, pd) {
            for item in &d.items {
                let pii = pd.items.iter().position(|p| p.id == item.id);
                let previous = pii.and_then(|pii| {
                    let values = columns.domains.get(pdi)?.items.get(pii)?;
                    mean_of(values.iter().copied())
                });
                items.push(ItemChange {
                    id: item.id.clone(),
                    section: item.section.clone(),
                    mean: MeanChange::new(previous, item.summary.map(|s| s.mean)),
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
        matched_by,
        editions_differ: !same,
        note: (!same).then(|| editions_note(&pq.edition, &q.edition)),
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
