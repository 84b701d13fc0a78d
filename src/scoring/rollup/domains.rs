//! Per domain and per item: the figures of accepted assessments' verified scores, and the
//! items the cluster is weakest on.

use std::cmp::Reverse;

use serde::Serialize;

use super::columns::Columns;
use super::stats::{Percent, Summary};
use crate::questionnaire::{Questionnaire, Text};
use crate::scoring::score::Hundredths;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemRollup {
    pub id: String,
    pub section: String,
    pub name: Text,
    /// `None` when no accepted assessment scored it.
    pub summary: Option<Summary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainRollup {
    pub id: String,
    pub section: String,
    pub name: Text,
    pub summary: Option<Summary>,
    pub items: Vec<ItemRollup>,
}

/// An item the cluster scores lowest on: where shared training, tools or services pay off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WeakItem {
    pub id: String,
    pub section: String,
    pub name: Text,
    pub domain: String,
    #[schema(value_type = f64)]
    pub mean: Hundredths,
    pub below_target: u32,
    #[schema(value_type = f64)]
    pub below_target_share: Percent,
}

pub(super) fn rollups(q: &Questionnaire, columns: Columns, target: u8) -> Vec<DomainRollup> {
    q.domains
        .iter()
        .zip(columns.domains)
        .map(|(d, mut column)| DomainRollup {
            id: d.id.clone(),
            section: d.section.clone(),
            name: d.name.clone(),
            summary: Summary::of(&mut column.scores, target),
            items: d
                .items
                .iter()
                .zip(column.items)
                .map(|(item, mut values)| ItemRollup {
                    id: item.id.clone(),
                    section: item.section.clone(),
                    name: item.name.clone(),
                    summary: Summary::of(&mut values, target),
                })
                .collect(),
        })
        .collect()
}

pub(super) fn weakest(domains: &[DomainRollup], count: usize) -> Vec<WeakItem> {
    let mut items: Vec<WeakItem> = domains
        .iter()
        .flat_map(|d| d.items.iter().map(move |i| (d, i)))
        .filter_map(|(d, i)| {
            let s = i.summary?;
            Some(WeakItem {
                id: i.id.clone(),
                section: i.section.clone(),
                name: i.name.clone(),
                domain: d.id.clone(),
                mean: s.mean,
                below_target: s.below_target,
                below_target_share: s.below_target_share,
            })
        })
        .collect();
    // A stable sort keeps questionnaire order among full ties.
    items.sort_by_key(|i| (i.mean, Reverse(i.below_target_share)));
    items.truncate(count);
    items
}
