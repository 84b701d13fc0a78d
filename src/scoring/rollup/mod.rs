//! The cluster roll-up of a campaign (DESIGN.md section 5).
//!
//! Every figure is in integer hundredths rounded half up once from exact integers, shares are
//! percents in hundredths (5000 is 50.00 %).

mod stats;
mod tier;

use serde::Serialize;

pub use stats::{percentile_rank, share, signed_mean_half_up, Delta, Percent, Summary};
pub use tier::{readiness, Readiness, Tier, TierCheck, TierRule, TierRules};

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
