//! The gap plan: the path of each item below the target level up to it, one level at a time,
//! each step the fewest criteria to raise, with what the step adds to the overall score.
//!
//! An item at level k reaches k + 1 exactly when its level k + 1 scores at least τ: the levels
//! below are met already and the ones above do not count yet. So a step raises criteria of one
//! level only ([`cheapest`]), and the steps of one item never share a criterion: the path is as
//! short as its steps.

mod cheapest;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::policy::{Policy, Rating};
use super::score::{item_score, level_scores, mean_half_up, Hundredths, Scorecard, Sheet};
use crate::questionnaire::{Item, Questionnaire};

pub use cheapest::cheapest;

/// One criterion of a step: the rating it has and the one it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Raise {
    pub criterion: String,
    pub level: u8,
    /// The current rating; `null` when unanswered.
    pub from: Option<Rating>,
    /// `fully`, or `largely` where that is enough.
    pub to: Rating,
}

/// One step of an item's path: the criteria that lift it past its current level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GapStep {
    /// The item's id.
    pub item: String,
    /// In questionnaire order; all of one level.
    pub criteria: Vec<Raise>,
    pub level_before: u8,
    pub level_after: u8,
    /// The item score (0.00–5.00) before the step (after the item's earlier steps).
    #[schema(value_type = f64)]
    pub score_before: Hundredths,
    #[schema(value_type = f64)]
    pub score_after: Hundredths,
    /// What the step adds to the overall score, after the item's earlier steps.
    #[schema(value_type = f64)]
    pub gain: Hundredths,
}

impl GapStep {
    /// Whether this step gains more per criterion raised than `other` (a larger gain at the same
    /// rate counts as more; a tie is no).
    fn better_than(&self, other: &GapStep) -> Option<bool> {
        let (a, b) = (self.criteria.len() as u64, other.criteria.len() as u64);
        let (x, y) = (u64::from(self.gain.0) * b, u64::from(other.gain.0) * a);
        match x.cmp(&y).then(b.cmp(&a)) {
            std::cmp::Ordering::Greater => Some(true),
            std::cmp::Ordering::Less => Some(false),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// A step as found on one item, before its gain is known.
struct Found {
    changes: Vec<(usize, Rating)>,
    from: Vec<Option<Rating>>,
    before: (u8, u32),
    after: (u8, u32),
}

/// The path of one item from its ratings up to level `target` (empty when it is there).
fn item_path(item: &Item, ratings: &[Option<Rating>], policy: &Policy, target: u8) -> Vec<Found> {
    let mut ratings = ratings.to_vec();
    ratings.resize(item.criteria.len(), None);
    let mut now = item_score(&level_scores(item, &ratings, policy), policy);
    let mut out = Vec::new();
    while now.0 < target.min(5) {
        let changes = cheapest(item, &ratings, now.0 + 1, policy);
        let from: Vec<Option<Rating>> = changes.iter().map(|(pos, _)| ratings[*pos]).collect();
        for (pos, to) in &changes {
            ratings[*pos] = Some(*to);
        }
        let after = item_score(&level_scores(item, &ratings, policy), policy);
        if changes.is_empty() || after.0 <= now.0 {
            // Only a policy whose threshold no level can reach gets here; validation refuses it.
            break;
        }
        out.push(Found {
            changes,
            from,
            before: now,
            after,
        });
        now = after;
    }
    out
}

/// The path to `target` of every item below it, ranked: at each turn the step that gains most
/// per criterion raised among those whose item's earlier steps are already listed (then fewer
/// criteria, then questionnaire order), so a step never comes before the steps it builds on.
///
/// `card` must be the scorecard of `sheet`; each step's gain recomputes only its item, the
/// item's domain and the overall mean.
pub fn gap_plan(
    q: &Questionnaire,
    sheet: &Sheet,
    card: &Scorecard,
    policy: &Policy,
    target: u8,
) -> Vec<GapStep> {
    let domain_total: u64 = card.domains.iter().map(|d| u64::from(d.score.0)).sum();
    let domain_count = card.domains.len() as u64;
    let mut paths: Vec<std::collections::VecDeque<GapStep>> = Vec::new();
    let mut offset = 0;
    for (d, dscore) in q.domains.iter().zip(&card.domains) {
        let item_total: u64 = dscore.items.iter().map(|i| u64::from(i.score.0)).sum();
        let item_count = dscore.items.len() as u64;
        for (item, iscore) in d.items.iter().zip(&dscore.items) {
            let n = item.criteria.len();
            let ratings = sheet.0.get(offset..offset + n).unwrap_or(&[]);
            offset += n;
            if iscore.level >= target {
                continue;
            }
            let overall_with = |score: u32| {
                let items = item_total - u64::from(iscore.score.0) + u64::from(score);
                let domain = mean_half_up(items, item_count);
                let total = domain_total - u64::from(dscore.score.0) + u64::from(domain);
                mean_half_up(total, domain_count)
            };
            let mut overall = card.overall.score.0;
            let path = item_path(item, ratings, policy, target)
                .into_iter()
                .map(|f| {
                    let raised = overall_with(f.after.1);
                    let gain = raised.saturating_sub(overall);
                    overall = raised;
                    GapStep {
                        item: item.id.clone(),
                        criteria: f
                            .changes
                            .iter()
                            .zip(f.from)
                            .map(|((pos, to), from)| Raise {
                                criterion: item.criteria[*pos].id.clone(),
                                level: item.criteria[*pos].level,
                                from,
                                to: *to,
                            })
                            .collect(),
                        level_before: f.before.0,
                        level_after: f.after.0,
                        score_before: Hundredths(f.before.1),
                        score_after: Hundredths(f.after.1),
                        gain: Hundredths(gain),
                    }
                })
                .collect();
            paths.push(path);
        }
    }
    let mut out = Vec::with_capacity(paths.iter().map(|p| p.len()).sum());
    loop {
        let mut best: Option<usize> = None;
        for (i, path) in paths.iter().enumerate() {
            let Some(step) = path.front() else { continue };
            let wins = match best.and_then(|b| paths[b].front()) {
                None => true,
                // Items come in questionnaire order, so a tie keeps the earlier one.
                Some(held) => step.better_than(held) == Some(true),
            };
            if wins {
                best = Some(i);
            }
        }
        match best.and_then(|b| paths[b].pop_front()) {
            Some(step) => out.push(step),
            None => break,
        }
    }
    out
}
