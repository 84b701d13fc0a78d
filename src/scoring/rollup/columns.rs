//! Scores laid out column by column. A scorecard's scores sit behind many small allocations,
//! so the figures read every scorecard once, here, rather than once per domain and item.

use crate::questionnaire::Questionnaire;
use crate::scoring::score::{DomainScore, ItemScore, Scorecard};

/// The card's score of the questionnaire's domain `at` with this id: by position, as scoring
/// lays it out, else by id.
pub(super) fn domain_of<'c>(card: &'c Scorecard, at: usize, id: &str) -> Option<&'c DomainScore> {
    match card.domains.get(at) {
        Some(d) if d.id == id => Some(d),
        _ => card.domains.iter().find(|d| d.id == id),
    }
}

pub(super) fn item_of<'c>(domain: &'c DomainScore, at: usize, id: &str) -> Option<&'c ItemScore> {
    match domain.items.get(at) {
        Some(i) if i.id == id => Some(i),
        _ => domain.items.iter().find(|i| i.id == id),
    }
}

/// The scores of one domain of the questionnaire, and of each of its items in order.
pub(super) struct DomainColumns {
    pub scores: Vec<u32>,
    pub items: Vec<Vec<u32>>,
}

/// Overall, domain and item scores (hundredths) of some scorecards. A card without a domain or
/// item of the questionnaire adds nothing to its column.
pub(super) struct Columns {
    pub overall: Vec<u32>,
    pub domains: Vec<DomainColumns>,
}

impl Columns {
    pub fn of<'c>(q: &Questionnaire, cards: impl ExactSizeIterator<Item = &'c Scorecard>) -> Self {
        let n = cards.len();
        let mut columns = Self {
            overall: Vec::with_capacity(n),
            domains: q
                .domains
                .iter()
                .map(|d| DomainColumns {
                    scores: Vec::with_capacity(n),
                    items: d.items.iter().map(|_| Vec::with_capacity(n)).collect(),
                })
                .collect(),
        };
        for card in cards {
            columns.overall.push(card.overall.score.0);
            for (di, (d, column)) in q.domains.iter().zip(&mut columns.domains).enumerate() {
                let Some(score) = domain_of(card, di, &d.id) else {
                    continue;
                };
                column.scores.push(score.score.0);
                for (ii, (item, values)) in d.items.iter().zip(&mut column.items).enumerate() {
                    if let Some(i) = item_of(score, ii, &item.id) {
                        values.push(i.score.0);
                    }
                }
            }
        }
        columns
    }
}
