//! The sample an auditor checks first: N criteria drawn at random, stratified by level or by
//! domain so that every level (or domain) gets its share. The draw depends only on the
//! questionnaire, the size, the stratification and the seed, with a generator written down
//! here (SplitMix64), so anyone holding the seed can draw the same sample again and check it.

use serde::{Deserialize, Serialize};

use crate::questionnaire::Questionnaire;

/// How the criteria are grouped before drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stratum {
    /// Levels 1 to 5.
    Level,
    /// The capability domains, in questionnaire order.
    Domain,
}

impl Stratum {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Level => "level",
            Self::Domain => "domain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "level" => Some(Self::Level),
            "domain" => Some(Self::Domain),
            _ => None,
        }
    }
}

/// The largest seed: seeds stay exact as JSON numbers (2^53 − 1).
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// SplitMix64 (Steele, Lea and Flood, 2014).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// `size` criteria of `q` (all of them when it has fewer), in questionnaire order.
///
/// Each stratum gets `size × its share of the criteria`, rounded by largest remainder (ties to
/// the earlier stratum); inside a stratum the criteria are drawn by a partial Fisher–Yates
/// shuffle, the strata one after another in order from one generator.
pub fn draw(q: &Questionnaire, size: usize, by: Stratum, seed: u64) -> Vec<String> {
    let mut strata: Vec<Vec<&str>> = Vec::new();
    for (d, domain) in q.domains.iter().enumerate() {
        for c in domain.items.iter().flat_map(|i| &i.criteria) {
            let key = match by {
                Stratum::Level => usize::from(c.level.saturating_sub(1)),
                Stratum::Domain => d,
            };
            if strata.len() <= key {
                strata.resize_with(key + 1, Vec::new);
            }
            strata[key].push(c.id.as_str());
        }
    }
    let total: usize = strata.iter().map(Vec::len).sum();
    let size = size.min(total);
    if size == 0 {
        return Vec::new();
    }
    // Largest remainder: the floors first, then one more to the largest remainders.
    let mut shares: Vec<(usize, usize)> = strata
        .iter()
        .map(|s| (size * s.len() / total, size * s.len() % total))
        .collect();
    let mut left = size - shares.iter().map(|s| s.0).sum::<usize>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].1.cmp(&shares[*a].1).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        if shares[i].0 < strata[i].len() {
            shares[i].0 += 1;
            left -= 1;
        }
    }
    let mut rng = SplitMix64(seed);
    let mut drawn: Vec<&str> = Vec::with_capacity(size);
    for (stratum, (take, _)) in strata.iter_mut().zip(&shares) {
        let n = stratum.len();
        for k in 0..*take {
            let j = k + rng.below((n - k) as u64) as usize;
            stratum.swap(k, j);
            drawn.push(stratum[k]);
        }
    }
    // Back into questionnaire order.
    let place: std::collections::HashMap<&str, usize> = q
        .criteria()
        .enumerate()
        .map(|(n, c)| (c.id.as_str(), n))
        .collect();
    drawn.sort_by_key(|id| place.get(id).copied().unwrap_or(usize::MAX));
    drawn.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;

    fn q() -> std::sync::Arc<Questionnaire> {
        Registry::built_in()
            .unwrap()
            .dcmm("dcmm-2025")
            .cloned()
            .unwrap()
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_and_another_seed_another() {
        let q = q();
        let a = draw(&q, 40, Stratum::Level, 7);
        assert_eq!(a, draw(&q, 40, Stratum::Level, 7));
        assert_ne!(a, draw(&q, 40, Stratum::Level, 8));
        assert_ne!(a, draw(&q, 40, Stratum::Domain, 7));
        assert_eq!(a.len(), 40);
        let unique: std::collections::HashSet<_> = a.iter().collect();
        assert_eq!(unique.len(), 40, "no criterion twice");
    }

    #[test]
    fn every_stratum_gets_its_share_of_the_sample() {
        let q = q();
        let total = q.criterion_count();
        for seed in 0..20 {
            let sample = draw(&q, 50, Stratum::Level, seed);
            for level in 1..=5u8 {
                let all = q.criteria().filter(|c| c.level == level).count();
                let got = sample
                    .iter()
                    .filter(|id| q.criterion(id).is_some_and(|c| c.level == level))
                    .count();
                let exact = 50.0 * all as f64 / total as f64;
                assert!(
                    (got as f64 - exact).abs() < 1.0,
                    "level {level}: {got} vs {exact}"
                );
            }
            let sample = draw(&q, 50, Stratum::Domain, seed);
            for d in &q.domains {
                let all = d.items.iter().map(|i| i.criteria.len()).sum::<usize>();
                let got = sample
                    .iter()
                    .filter(|id| {
                        d.items
                            .iter()
                            .flat_map(|i| &i.criteria)
                            .any(|c| &c.id == *id)
                    })
                    .count();
                let exact = 50.0 * all as f64 / total as f64;
                assert!(
                    (got as f64 - exact).abs() < 1.0,
                    "{}: {got} vs {exact}",
                    d.id
                );
            }
        }
    }

    #[test]
    fn the_sample_is_in_questionnaire_order_and_never_larger_than_the_questionnaire() {
        let q = q();
        let order: Vec<&str> = q.criteria().map(|c| c.id.as_str()).collect();
        let sample = draw(&q, 30, Stratum::Domain, 3);
        let places: Vec<usize> = sample
            .iter()
            .map(|id| order.iter().position(|o| o == id).unwrap())
            .collect();
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");
        assert_eq!(
            draw(&q, 100_000, Stratum::Level, 1).len(),
            q.criterion_count()
        );
        assert!(draw(&q, 0, Stratum::Level, 1).is_empty());
    }

    #[test]
    fn the_generator_is_splitmix64() {
        // The published first outputs for seed 0 (the reference implementation's test vector).
        let mut g = SplitMix64(0);
        assert_eq!(g.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next(), 0x6E78_9E6A_A1B9_65F4);
    }
}
