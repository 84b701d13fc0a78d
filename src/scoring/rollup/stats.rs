//! The figures of a roll-up in integer hundredths, each rounded half up once from exact
//! integers: means, quartiles, shares, percentile ranks and signed differences.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::scoring::score::{mean_half_up, Hundredths};

/// A share as a percent in hundredths: 5000 is 50.00 %, serialised as `50.0`. A count of no
/// one is 0.00 %.
pub type Percent = Hundredths;

/// `count` of `total` as a percent, rounded half up.
pub fn share(count: u64, total: u64) -> Percent {
    Hundredths(mean_half_up(count * 10_000, total))
}

/// A signed difference in hundredths: -25 is -0.25. Serialised as a number with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Delta(pub i64);

impl Delta {
    /// `now − before`.
    pub fn between(now: Hundredths, before: Hundredths) -> Self {
        Self(i64::from(now.0) - i64::from(before.0))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let m = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", m / 100, m % 100)
    }
}

impl Serialize for Delta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

/// The mean of signed values, rounded half away from zero, so that -0.005 and +0.005 round to
/// the same magnitude (Java's `HALF_UP`; on a non-negative sum it is [`mean_half_up`]).
pub fn signed_mean_half_up(sum: i64, count: u64) -> Delta {
    let magnitude = i64::from(mean_half_up(sum.unsigned_abs(), count));
    Delta(if sum < 0 { -magnitude } else { magnitude })
}

/// Mean, quartiles and range of one score over the accepted assessments, and how many of them
/// lie below the campaign's target level.
///
/// Quartiles and median use linear interpolation between closest ranks (Hyndman and Fan's
/// type 7, as Excel's `QUARTILE.INC` and NumPy's default): for p in {1/4, 1/2, 3/4} and the
/// sorted scores x₀ ≤ … ≤ xₙ₋₁, h = (n − 1)·p and the quantile is
/// x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋), computed exactly and rounded half up to hundredths. The
/// median of an even count is so the mean of the middle two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// How many scores the figures cover.
    pub n: u32,
    #[schema(value_type = f64)]
    pub mean: Hundredths,
    #[schema(value_type = f64)]
    pub min: Hundredths,
    #[schema(value_type = f64)]
    pub q1: Hundredths,
    #[schema(value_type = f64)]
    pub median: Hundredths,
    #[schema(value_type = f64)]
    pub q3: Hundredths,
    #[schema(value_type = f64)]
    pub max: Hundredths,
    /// How many are below the target level (their level, the integer part, is less than it).
    pub below_target: u32,
    /// `below_target` as a percent of `n`, in hundredths (50.00 is half).
    #[schema(value_type = f64)]
    pub below_target_share: Percent,
}

impl Summary {
    /// The summary of `values` (sorted in place); `None` when there are none.
    pub fn of(values: &mut [u32], target_level: u8) -> Option<Self> {
        values.sort_unstable();
        let (min, max) = (*values.first()?, *values.last()?);
        let n = values.len() as u64;
        let sum: u64 = values.iter().map(|v| u64::from(*v)).sum();
        let below = values.partition_point(|v| *v < 100 * u32::from(target_level)) as u64;
        Some(Self {
            n: n as u32,
            mean: Hundredths(mean_half_up(sum, n)),
            min: Hundredths(min),
            q1: Hundredths(quantile(values, 1, 4)),
            median: Hundredths(quantile(values, 1, 2)),
            q3: Hundredths(quantile(values, 3, 4)),
            max: Hundredths(max),
            below_target: below as u32,
            below_target_share: share(below, n),
        })
    }
}

/// The quantile at p = num/den of non-empty sorted values (the method of [`Summary`]).
fn quantile(sorted: &[u32], num: u64, den: u64) -> u32 {
    let h = (sorted.len() as u64).saturating_sub(1) * num;
    let j = (h / den) as usize;
    let r = h % den;
    let lo = sorted.get(j).copied().unwrap_or(0);
    match sorted.get(j + 1) {
        Some(hi) if r > 0 => mean_half_up(u64::from(lo) * (den - r) + u64::from(*hi) * r, den),
        _ => lo,
    }
}

/// The percentile rank of `value` among `sorted` (which holds it): the percent of scores below
/// it, ties counting half, (below + equal / 2) / n, in hundredths rounded half up. A group of
/// equal scores puts everyone at 50.00; it is never 0 nor 100.
pub fn percentile_rank(sorted: &[u32], value: u32) -> Percent {
    let below = sorted.partition_point(|v| *v < value) as u64;
    let equal = sorted.partition_point(|v| *v <= value) as u64 - below;
    Hundredths(mean_half_up(
        (2 * below + equal) * 10_000,
        2 * sorted.len() as u64,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(values: &[u32], target: u8) -> Summary {
        Summary::of(&mut values.to_vec(), target).unwrap()
    }

    #[test]
    fn quartiles_of_an_odd_count_by_hand() {
        // Sorted 100 150 200 260 300: h(q1) = 4/4 = 1 → 150; median h = 2 → 200;
        // q3 h = 3 → 260. Mean 1010 / 5 = 202. Below level 2: 100 and 150.
        let s = summary(&[300, 100, 260, 150, 200], 2);
        assert_eq!(
            [s.min, s.q1, s.median, s.q3, s.max, s.mean].map(|h| h.0),
            [100, 150, 200, 260, 300, 202]
        );
        assert_eq!((s.n, s.below_target, s.below_target_share.0), (5, 2, 4000));
    }

    #[test]
    fn quartiles_of_an_even_count_interpolate_by_hand() {
        // Sorted 101 150 200 261: q1 h = 3/4 → 101 + 0.75·49 = 137.75 → 138;
        // median h = 1.5 → (150 + 200) / 2 = 175; q3 h = 2.25 → 200 + 0.25·61 = 215.25 → 215.
        // Mean 712 / 4 = 178.
        let s = summary(&[261, 200, 101, 150], 3);
        assert_eq!(
            [s.min, s.q1, s.median, s.q3, s.max, s.mean].map(|h| h.0),
            [101, 138, 175, 215, 261, 178]
        );
        assert_eq!((s.below_target, s.below_target_share.0), (4, 10_000));
        // The middle two 150 and 151 average 150.5: half up to 151.
        assert_eq!(summary(&[150, 151], 0).median, Hundredths(151));
        assert_eq!(summary(&[150, 151], 0).below_target, 0);
    }

    #[test]
    fn a_single_score_is_every_quartile_and_none_is_no_summary() {
        let s = summary(&[234], 2);
        assert_eq!(
            [s.min, s.q1, s.median, s.q3, s.max, s.mean],
            [Hundredths(234); 6]
        );
        assert_eq!(s.below_target, 0, "2.34 is at level 2, not below it");
        assert_eq!(Summary::of(&mut [], 2), None);
    }

    #[test]
    fn shares_and_signed_means_round_half_up_by_hand() {
        assert_eq!(share(1, 3), Hundredths(3333));
        assert_eq!(share(2, 3), Hundredths(6667));
        assert_eq!(share(0, 0), Hundredths(0));
        // 1 / 8 = 12.5 % exactly: 1250.
        assert_eq!(share(1, 8), Hundredths(1250));
        // -1 / 2 = -0.5 hundredths: away from zero, like +1 / 2.
        assert_eq!(signed_mean_half_up(-1, 2), Delta(-1));
        assert_eq!(signed_mean_half_up(1, 2), Delta(1));
        assert_eq!(signed_mean_half_up(-10, 3), Delta(-3));
        assert_eq!(Delta(-25).to_string(), "-0.25");
        assert_eq!(Delta(130).to_string(), "1.30");
        assert_eq!(serde_json::to_value(Delta(-25)).unwrap(), -0.25);
    }

    #[test]
    fn percentile_ranks_count_ties_half_by_hand() {
        let sorted = [100, 200, 200, 300];
        // 100: (0 + 1/2) / 4 = 12.5 %; 200: (1 + 2/2) / 4 = 50 %; 300: (3 + 1/2) / 4 = 87.5 %.
        assert_eq!(percentile_rank(&sorted, 100), Hundredths(1250));
        assert_eq!(percentile_rank(&sorted, 200), Hundredths(5000));
        assert_eq!(percentile_rank(&sorted, 300), Hundredths(8750));
        assert_eq!(percentile_rank(&[5, 5, 5], 5), Hundredths(5000));
    }
}
