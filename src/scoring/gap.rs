//! The gap plan: what to raise to reach a target level, and what each step is worth.

use serde::Serialize;

use super::policy::{Policy, Rating};
use super::score::{item_score, level_scores, mean_half_up, Hundredths, Scorecard};
use crate::questionnaire::Questionnaire;

use super::score::Sheet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GapEntry {
    pub criterion: String,
    pub level: u8,
    /// The overall-score gain of raising this criterion alone to `fully`.
    #[schema(value_type = f64)]
    pub gain: Hundredths,
}

/// Every criterion at levels up to `target` not yet rated `fully` (N/A ones excluded),
/// ordered by level, then by gain (largest first), then in questionnaire order.
///
/// `card` must be the scorecard of `sheet`; only the changed item, its domain and the overall
/// mean are recomputed for each candidate.
pub fn gap_plan(
    q: &Questionnaire,
    sheet: &Sheet,
    card: &Scorecard,
    policy: &Policy,
    target: u8,
) -> Vec<GapEntry> {
    let domain_total: u64 = card.domains.iter().map(|d| u64::from(d.score.0)).sum();
    let domain_count = card.domains.len() as u64;
    let mut out = Vec::new();
    let mut offset = 0;
    let mut trial: Vec<Option<Rating>> = Vec::new();
    for (d, dscore) in q.domains.iter().zip(&card.domains) {
        let item_total: u64 = dscore.items.iter().map(|i| u64::from(i.score.0)).sum();
        for (item, iscore) in d.items.iter().zip(&dscore.items) {
            let n = item.criteria.len();
            let ratings = sheet.0.get(offset..offset + n).unwrap_or(&[]);
            for (pos, c) in item.criteria.iter().enumerate() {
                let current = ratings.get(pos).copied().flatten();
                if c.level > target || matches!(current, Some(Rating::Fully | Rating::Na)) {
                    continue;
                }
                trial.clear();
                trial.extend_from_slice(ratings);
                trial[pos] = Some(Rating::Fully);
                let (_, raised) = item_score(&level_scores(item, &trial, policy), policy);
                let items = item_total - u64::from(iscore.score.0) + u64::from(raised);
                let domain = mean_half_up(items, dscore.items.len() as u64);
                let total = domain_total - u64::from(dscore.score.0) + u64::from(domain);
                let overall = mean_half_up(total, domain_count);
                out.push(GapEntry {
                    criterion: c.id.clone(),
                    level: c.level,
                    gain: Hundredths(overall.saturating_sub(card.overall.score.0)),
                });
            }
            offset += n;
        }
    }
    // A stable sort keeps questionnaire order among equals.
    out.sort_by(|a, b| a.level.cmp(&b.level).then(b.gain.cmp(&a.gain)));
    out
}
