//! Deterministic draws for the demo cluster: a small generator, names, codes and answers.

use crate::domain::CreditCode;
use crate::questionnaire::Questionnaire;
use crate::scoring::Rating;

/// SplitMix64: tiny, fast and the same sequence on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PLACES: &[&str] = &[
    "闽江", "榕城", "鼓山", "马尾", "长乐", "福清", "闽侯", "连江", "罗源", "永泰", "仓山", "晋安",
];
const WORDS: &[&str] = &[
    "智能", "精工", "恒信", "华创", "新元", "博远", "众联", "海峡", "东方", "瑞丰", "天行", "同舟",
];

/// An enterprise name fitting its industry, unique by the index.
pub fn enterprise_name(rng: &mut Rng, industry: &str, index: usize) -> String {
    let trade = match industry {
        "equipment" => "装备制造",
        "electronics" => "电子科技",
        "automotive" => "汽车零部件",
        "materials" => "新材料",
        "chemicals" => "化工",
        "pharma" => "生物医药",
        "textiles" => "纺织服饰",
        "food" => "食品",
        "energy" => "能源",
        "logistics" => "供应链管理",
        "software" => "软件",
        _ => "实业",
    };
    let place = PLACES[index % PLACES.len()];
    let word = WORDS[(index / PLACES.len() + rng.below(WORDS.len())) % WORDS.len()];
    format!("福州{place}{word}{trade}有限公司")
}

/// A valid unified social credit code of a Fuzhou company.
pub fn credit_code(rng: &mut Rng) -> CreditCode {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    loop {
        let mut first17 = String::from("91350100");
        for _ in 0..9 {
            // Mostly digits, as organisation codes are.
            let c = if rng.chance(80) {
                ALPHABET[rng.below(10)]
            } else {
                ALPHABET[rng.below(ALPHABET.len())]
            };
            first17.push(char::from(c));
        }
        if let Some(code) = CreditCode::complete(&first17) {
            return code;
        }
    }
}

/// Ratings of an enterprise whose practice reaches `capability` (0–5): criteria below it are
/// met (fully, now and then largely), those at it mostly met, the next level partly, the ones
/// above mostly not. Every criterion answered.
pub fn answers(rng: &mut Rng, q: &Questionnaire, capability: u8) -> Vec<(String, Rating)> {
    q.criteria()
        .map(|c| {
            let roll = rng.below(100);
            let rating = if c.level < capability {
                match roll {
                    0..=84 => Rating::Fully,
                    _ => Rating::Largely,
                }
            } else if c.level == capability {
                match roll {
                    0..=64 => Rating::Fully,
                    65..=94 => Rating::Largely,
                    _ => Rating::Partially,
                }
            } else if c.level == capability + 1 {
                match roll {
                    0..=9 => Rating::Fully,
                    10..=34 => Rating::Largely,
                    35..=69 => Rating::Partially,
                    _ => Rating::Not,
                }
            } else {
                match roll {
                    0..=7 => Rating::Largely,
                    8..=27 => Rating::Partially,
                    _ => Rating::Not,
                }
            };
            (c.id.clone(), rating)
        })
        .collect()
}

/// Capabilities shaped like the certified population: most at level 2, some at 3, few at 4,
/// a few still below.
pub fn capability(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..=9 => 1,
        10..=54 => 2,
        55..=84 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;
    use crate::scoring::{score, Policy, Sheet};

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(8).next_u64(), xs[0]);
    }

    #[test]
    fn drawn_codes_are_valid() {
        let mut rng = Rng::new(1);
        for _ in 0..50 {
            let code = credit_code(&mut rng);
            assert!(CreditCode::parse(code.as_str()).is_ok());
        }
    }

    #[test]
    fn answers_drawn_for_a_capability_score_at_it_with_no_item_below_initial() {
        let registry = Registry::built_in().unwrap();
        let policy = Policy::default();
        for q in registry.dcmm_all() {
            for seed in 1..=20 {
                let mut rng = Rng::new(seed);
                for capability in 1..=4 {
                    let drawn = answers(&mut rng, q, capability);
                    let sheet =
                        Sheet::from_answers(q, drawn.iter().map(|(id, r)| (id.as_str(), *r)))
                            .unwrap();
                    let card = score(q, &sheet, &policy);
                    assert_eq!(
                        card.overall.level, capability,
                        "{} seed {seed}: capability {capability} scored {}",
                        q.id, card.overall.score
                    );
                    let lowest = card
                        .domains
                        .iter()
                        .flat_map(|d| &d.items)
                        .min_by_key(|i| i.score)
                        .unwrap();
                    assert!(
                        lowest.level + 1 >= capability,
                        "{} seed {seed}: capability {capability}, item {} at {}",
                        q.id,
                        lowest.id,
                        lowest.score
                    );
                }
            }
        }
    }
}
