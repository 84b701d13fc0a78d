//! The cluster roll-up of a campaign (DESIGN.md section 5): one pure function, plain data the
//! caller loads in, every figure the dashboard, the API and the cluster report show out.
//!
//! Accepted assessments count, by their verified scores; submitted ones appear only in a
//! provisional level distribution. Every figure is in integer hundredths rounded half up once
//! from exact integers, shares are percents in hundredths (5000 is 50.00 %). An enterprise that
//! shares only anonymous statistics counts in every figure and never appears by name.

mod benchmark;
mod change;
mod columns;
mod domains;
mod profiles;
mod stats;
mod tier;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use benchmark::{
    benchmark, Benchmark, BenchmarkError, DomainPercentile, Group, GroupBenchmark, Percentiles,
    Suppressed, SuppressionReason,
};
pub use change::{
    editions_note, Change, Counterparts, DomainChange, ItemChange, MatchedBy, MeanChange,
};
pub use domains::{DomainRollup, ItemRollup, WeakItem};
pub use profiles::{CdoCoverage, ConditionCount, EligibilityCounts};
pub use stats::{percentile_rank, share, signed_mean_half_up, Delta, Percent, Summary};
pub use tier::{readiness, Readiness, Tier, TierCheck, TierRule, TierRules};

use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::ids::EnterpriseId;
use crate::questionnaire::{Crosswalk, Questionnaire};
use crate::scoring::profile::{CdoSummary, Eligibility};
use crate::scoring::report::ScoredQuestionnaire;
use crate::scoring::score::{mean_half_up, Hundredths, Scorecard};
use columns::{domain_of, Columns};

/// One invited enterprise and its assessment in the campaign, as the caller loads it.
#[derive(Debug, Clone)]
pub struct EnterpriseResult {
    pub id: EnterpriseId,
    pub name: String,
    pub industry: String,
    pub size: Size,
    pub sharing: Sharing,
    pub status: Status,
    /// At least one answer saved (a submitted or accepted assessment counts as started anyway).
    pub started: bool,
    /// Past the due date; counted only while the assessment is a draft.
    pub overdue: bool,
    /// Scored from the enterprise's own ratings.
    pub own: Option<Scorecard>,
    /// Scored from verified ratings where an auditor gave one, else own ratings (the API's
    /// "verified"); every figure but the bias reads this one, for submitted and accepted
    /// assessments. An accepted assessment without it counts in participation only.
    pub verified: Option<Scorecard>,
    pub eligibility: Option<Eligibility>,
    pub cdo: Option<CdoSummary>,
}

/// The cluster's previous campaign, for the change since then.
#[derive(Debug, Clone)]
pub struct PreviousCampaign<'a> {
    pub questionnaire: &'a Questionnaire,
    /// The verified scorecards of its accepted assessments.
    pub verified: Vec<Scorecard>,
    /// The crosswalk joining its edition with the campaign's, when they differ.
    pub crosswalk: Option<&'a Crosswalk>,
}

#[derive(Debug, Clone)]
pub struct CampaignInput<'a> {
    /// The campaign's questionnaire; every scorecard was scored against it.
    pub questionnaire: &'a Questionnaire,
    pub target_level: u8,
    /// Every enterprise invited to the campaign.
    pub enterprises: Vec<EnterpriseResult>,
    pub previous: Option<PreviousCampaign<'a>>,
}

/// The constants of the roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupPolicy {
    pub tiers: TierRules,
    /// How many of the weakest items to list.
    pub weakest_items: usize,
    /// k: a benchmark group with fewer enterprises with accepted assessments is suppressed.
    pub min_group: usize,
}

impl Default for RollupPolicy {
    fn default() -> Self {
        Self {
            tiers: TierRules::default(),
            weakest_items: 5,
            min_group: 5,
        }
    }
}

/// Counts of invited enterprises: `invited = not_started + started`, `started ≥ submitted`,
/// `submitted = awaiting_review + accepted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Participation {
    pub invited: u32,
    pub not_started: u32,
    pub started: u32,
    /// Handed in: awaiting review or accepted.
    pub submitted: u32,
    pub awaiting_review: u32,
    pub accepted: u32,
    /// Drafts past the due date.
    pub overdue: u32,
}

/// Overall levels: `counts[L]` assessments at level L, 0 (below Initial) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LevelDistribution {
    pub n: u32,
    pub counts: [u32; 6],
    /// Each count as a percent of `n`, in hundredths.
    #[schema(value_type = Vec<f64>)]
    pub shares: [Percent; 6],
}

impl LevelDistribution {
    pub fn of(levels: impl IntoIterator<Item = u8>) -> Self {
        let mut counts = [0u32; 6];
        for level in levels {
            if let Some(c) = counts.get_mut(usize::from(level.min(5))) {
                *c += 1;
            }
        }
        let n: u32 = counts.iter().sum();
        Self {
            n,
            counts,
            shares: counts.map(|c| share(u64::from(c), u64::from(n))),
        }
    }

    /// How many are at `level` or above.
    pub fn at_or_above(&self, level: u8) -> u32 {
        self.counts.iter().skip(usize::from(level)).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainBias {
    pub id: String,
    #[schema(value_type = Option<f64>)]
    pub mean: Option<Delta>,
}

/// Self-assessment bias: the mean of self − verified score; positive when enterprises rate
/// themselves higher than auditors do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Bias {
    /// Accepted assessments with both scorecards.
    pub n: u32,
    #[schema(value_type = Option<f64>)]
    pub overall: Option<Delta>,
    pub domains: Vec<DomainBias>,
}

/// A row of the domain × enterprise heat map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HeatRow {
    pub id: EnterpriseId,
    pub name: String,
    pub industry: String,
    pub size: Size,
    pub sharing: Sharing,
    #[schema(value_type = f64)]
    pub overall: Hundredths,
    pub level: u8,
    /// Verified domain scores in the order of [`HeatMap::domains`].
    #[schema(value_type = Vec<Option<f64>>)]
    pub scores: Vec<Option<Hundredths>>,
}

/// Accepted assessments by name, of enterprises sharing `full` or `scores` only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HeatMap {
    /// Domain ids, the columns.
    pub domains: Vec<String>,
    /// Ordered by name.
    pub rows: Vec<HeatRow>,
    /// Accepted assessments left out because the enterprise shares anonymous statistics only.
    pub anonymous: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rollup {
    pub questionnaire: ScoredQuestionnaire,
    pub target_level: u8,
    pub participation: Participation,
    /// Overall levels of accepted assessments.
    pub levels: LevelDistribution,
    /// Overall levels of submitted assessments awaiting review: provisional, counted nowhere
    /// else.
    pub provisional_levels: LevelDistribution,
    /// The overall score of accepted assessments.
    pub overall: Option<Summary>,
    pub domains: Vec<DomainRollup>,
    /// Lowest mean first; ties by the larger share below target, then questionnaire order.
    pub weakest_items: Vec<WeakItem>,
    pub cdo: CdoCoverage,
    pub eligibility: EligibilityCounts,
    pub bias: Bias,
    pub readiness: Readiness,
    /// Present when the cluster had a previous campaign.
    pub change: Option<Change>,
    pub heat_map: HeatMap,
}

/// The mean of some scores, `None` when there are none.
fn mean_of(values: impl IntoIterator<Item = u32>) -> Option<Hundredths> {
    let (sum, n) = values
        .into_iter()
        .fold((0u64, 0u64), |(s, n), v| (s + u64::from(v), n + 1));
    (n > 0).then(|| Hundredths(mean_half_up(sum, n)))
}

/// The roll-up of a campaign.
pub fn rollup(input: &CampaignInput<'_>, policy: &RollupPolicy) -> Rollup {
    let q = input.questionnaire;
    let target = input.target_level;
    let accepted: Vec<&EnterpriseResult> = input
        .enterprises
        .iter()
        .filter(|e| e.status == Status::Accepted)
        .collect();
    let scored: Vec<(&EnterpriseResult, &Scorecard)> = accepted
        .iter()
        .filter_map(|e| e.verified.as_ref().map(|c| (*e, c)))
        .collect();
    let cards: Vec<&Scorecard> = scored.iter().map(|(_, c)| *c).collect();

    let levels = LevelDistribution::of(cards.iter().map(|c| c.overall.level));
    let mut columns = Columns::of(q, cards.iter().copied());
    let overall = Summary::of(&mut columns.overall, target);
    let domains = domains::rollups(q, columns, target);
    let change = input
        .previous
        .as_ref()
        .map(|p| change::change(q, &domains, overall.as_ref(), p));
    Rollup {
        questionnaire: ScoredQuestionnaire {
            id: q.id.clone(),
            edition: q.edition.clone(),
            hash: q.hash.clone(),
        },
        target_level: target,
        participation: participation(&input.enterprises),
        levels,
        provisional_levels: LevelDistribution::of(
            input
                .enterprises
                .iter()
                .filter(|e| e.status == Status::Submitted)
                .filter_map(|e| e.verified.as_ref())
                .map(|c| c.overall.level),
        ),
        overall,
        weakest_items: domains::weakest(&domains, policy.weakest_items),
        cdo: profiles::cdo_coverage(accepted.iter().filter_map(|e| e.cdo.as_ref())),
        eligibility: profiles::eligibility_counts(
            accepted.iter().filter_map(|e| e.eligibility.as_ref()),
        ),
        bias: bias(q, &accepted),
        readiness: readiness(overall.map(|s| s.mean), &levels, &policy.tiers),
        change,
        heat_map: heat_map(q, &scored),
        domains,
    }
}

fn participation(enterprises: &[EnterpriseResult]) -> Participation {
    let count = |f: fn(&EnterpriseResult) -> bool| enterprises.iter().filter(|e| f(e)).count();
    let started = count(|e| e.started || e.status != Status::Draft) as u32;
    Participation {
        invited: enterprises.len() as u32,
        not_started: enterprises.len() as u32 - started,
        started,
        submitted: count(|e| e.status != Status::Draft) as u32,
        awaiting_review: count(|e| e.status == Status::Submitted) as u32,
        accepted: count(|e| e.status == Status::Accepted) as u32,
        overdue: count(|e| e.overdue && e.status == Status::Draft) as u32,
    }
}

fn bias(q: &Questionnaire, accepted: &[&EnterpriseResult]) -> Bias {
    let diff = |own: Hundredths, verified: Hundredths| Delta::between(own, verified).0;
    let (mut n, mut overall) = (0u64, 0i64);
    let mut domains = vec![(0i64, 0u64); q.domains.len()];
    for (own, verified) in accepted
        .iter()
        .filter_map(|e| Some((e.own.as_ref()?, e.verified.as_ref()?)))
    {
        n += 1;
        overall += diff(own.overall.score, verified.overall.score);
        for (di, (d, (sum, count))) in q.domains.iter().zip(&mut domains).enumerate() {
            if let (Some(o), Some(v)) = (domain_of(own, di, &d.id), domain_of(verified, di, &d.id))
            {
                *sum += diff(o.score, v.score);
                *count += 1;
            }
        }
    }
    Bias {
        n: n as u32,
        overall: (n > 0).then(|| signed_mean_half_up(overall, n)),
        domains: q
            .domains
            .iter()
            .zip(domains)
            .map(|(d, (sum, count))| DomainBias {
                id: d.id.clone(),
                mean: (count > 0).then(|| signed_mean_half_up(sum, count)),
            })
            .collect(),
    }
}

fn heat_map(q: &Questionnaire, scored: &[(&EnterpriseResult, &Scorecard)]) -> HeatMap {
    let mut rows: Vec<HeatRow> = scored
        .iter()
        .filter(|(e, _)| e.sharing != Sharing::Anonymous)
        .map(|(e, card)| HeatRow {
            id: e.id,
            name: e.name.clone(),
            industry: e.industry.clone(),
            size: e.size,
            sharing: e.sharing,
            overall: card.overall.score,
            level: card.overall.level,
            scores: q
                .domains
                .iter()
                .enumerate()
                .map(|(di, d)| domain_of(card, di, &d.id).map(|s| s.score))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    HeatMap {
        domains: q.domains.iter().map(|d| d.id.clone()).collect(),
        anonymous: (scored.len() - rows.len()) as u32,
        rows,
    }
}
