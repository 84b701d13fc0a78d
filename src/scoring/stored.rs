//! Scorecards kept beside the frozen sheets they were scored from, so that roll-ups read
//! them instead of scoring every sheet again.
//!
//! A stored card is only numbers: the questionnaire it was scored against gives the ids and
//! the order (domains, then their items, as [`score`](super::score) walks them), and the
//! assessment pins that questionnaire by content hash. Every card is kept with the
//! [`policy_key`] it was computed under; a card whose key is not the running policy's is
//! scored again, never used.

use sha2::{Digest, Sha256};

use super::policy::Policy;
use super::score::{DomainScore, Hundredths, ItemScore, Overall, Scorecard};
use crate::questionnaire::Questionnaire;

/// The version of the scoring rules. Bump it whenever [`score`](super::score) would give
/// another card for the same sheet and policy, or the stored layout changes: every stored
/// card is then recomputed.
pub const SCORING_VERSION: u32 = 1;

/// The first byte of a stored card: its layout.
const LAYOUT: u8 = 1;

/// What a stored card was computed under: a stable hash (SHA-256, hex) of
/// [`SCORING_VERSION`] and every constant of the policy.
pub fn policy_key(policy: &Policy) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("dcmm-scoring-{SCORING_VERSION}\n").as_bytes());
    // Serialising the whole struct names every constant, including ones added later.
    hash.update(serde_json::to_vec(policy).unwrap_or_default());
    hash.update(policy.version().as_bytes());
    hex::encode(&hash.finalize()[..16])
}

/// How many bytes the card of `q` takes: the layout byte, then 16-bit numbers: the overall
/// score, and per domain its score, then per item its score, its level and five level scores.
fn encoded_len(q: &Questionnaire) -> usize {
    let numbers: usize = 1 + q
        .domains
        .iter()
        .map(|d| 1 + 7 * d.items.len())
        .sum::<usize>();
    1 + 2 * numbers
}

/// The card as stored; `None` if a number does not fit (no card of a valid policy has one).
pub fn encode(card: &Scorecard) -> Option<Vec<u8>> {
    let items: usize = card.domains.iter().map(|d| d.items.len()).sum();
    let mut out = Vec::with_capacity(1 + 2 * (1 + card.domains.len() + 7 * items));
    out.push(LAYOUT);
    let mut put = |v: u32| -> Option<()> {
        out.extend_from_slice(&u16::try_from(v).ok()?.to_le_bytes());
        Some(())
    };
    put(card.overall.score.0)?;
    for d in &card.domains {
        put(d.score.0)?;
        for i in &d.items {
            put(i.score.0)?;
            put(u32::from(i.level))?;
            for l in &i.level_scores {
                put(l.0)?;
            }
        }
    }
    Some(out)
}

/// Reads 16-bit numbers off a stored card.
struct Reader<'a>(std::slice::Iter<'a, u8>);

impl Reader<'_> {
    fn next(&mut self) -> Option<u32> {
        let lo = *self.0.next()?;
        let hi = *self.0.next()?;
        Some(u32::from(u16::from_le_bytes([lo, hi])))
    }

    fn score(&mut self) -> Option<Hundredths> {
        self.next().map(Hundredths)
    }
}

/// The card of [`encode`], with its ids from `q`, the questionnaire it was scored against;
/// `None` when the bytes do not fit `q`.
pub fn decode(q: &Questionnaire, bytes: &[u8]) -> Option<Scorecard> {
    if bytes.len() != encoded_len(q) || bytes.first() != Some(&LAYOUT) {
        return None;
    }
    let mut r = Reader(bytes.get(1..)?.iter());
    let overall = r.score()?;
    let mut domains = Vec::with_capacity(q.domains.len());
    for d in &q.domains {
        let score = r.score()?;
        let mut items = Vec::with_capacity(d.items.len());
        for i in &d.items {
            let score = r.score()?;
            let level = u8::try_from(r.next()?).ok()?;
            let mut level_scores = [Hundredths(0); 5];
            for l in &mut level_scores {
                *l = r.score()?;
            }
            items.push(ItemScore {
                id: i.id.clone(),
                score,
                level,
                level_scores,
            });
        }
        domains.push(DomainScore {
            id: d.id.clone(),
            score,
            level: score.whole(),
            items,
        });
    }
    Some(Scorecard {
        overall: Overall {
            score: overall,
            level: overall.whole(),
        },
        domains,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::questionnaire::Registry;
    use crate::scoring::policy::Points;
    use crate::scoring::{score, Rating, Sheet};

    /// The built-in questionnaires, parsed once for every case.
    fn registry() -> &'static Registry {
        static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        REGISTRY.get_or_init(|| Registry::built_in().unwrap())
    }

    fn rating(code: u8) -> Option<Rating> {
        match code {
            0 => None,
            1 => Some(Rating::Not),
            2 => Some(Rating::Partially),
            3 => Some(Rating::Largely),
            4 => Some(Rating::Fully),
            _ => Some(Rating::Na),
        }
    }

    fn policy_of(tau: u32, largely: u32, partially: u32) -> Policy {
        let partially = partially.min(largely);
        Policy {
            points: Points {
                fully: 100,
                largely,
                partially,
                not: 0,
            },
            pass_threshold: tau,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn a_stored_card_decodes_to_the_fresh_score_of_its_sheet(
            edition in prop::sample::select(vec!["dcmm-2025", "dcmm-2018"]),
            codes in prop::collection::vec(0u8..6, 200),
            tau in 1u32..=100,
            largely in 0u32..=100,
            partially in 0u32..=100,
        ) {
            let q = registry().dcmm(edition).unwrap();
            let sheet = Sheet(codes.iter().cycle().take(q.criterion_count()).map(|c| rating(*c)).collect());
            let policy = policy_of(tau, largely, partially);
            prop_assert!(policy.validate().is_ok());
            let fresh = score(q, &sheet, &policy);
            let stored = encode(&fresh).unwrap();
            prop_assert_eq!(decode(q, &stored), Some(fresh));
        }
    }

    #[test]
    fn a_card_of_another_questionnaire_does_not_decode() {
        let registry = Registry::built_in().unwrap();
        let (q25, q18) = (
            registry.dcmm("dcmm-2025").unwrap(),
            registry.dcmm("dcmm-2018").unwrap(),
        );
        let card = score(q18, &Sheet::empty(q18), &Policy::default());
        let stored = encode(&card).unwrap();
        assert_eq!(decode(q25, &stored), None);
        assert_eq!(decode(q18, &stored[..stored.len() - 1]), None);
        let mut other_layout = stored.clone();
        other_layout[0] = LAYOUT + 1;
        assert_eq!(decode(q18, &other_layout), None);
    }

    #[test]
    fn the_policy_key_changes_with_every_constant_and_only_then() {
        let base = Policy::default();
        assert_eq!(policy_key(&base), policy_key(&Policy::default()));
        let mut keys = vec![policy_key(&base)];
        let mut p = base.clone();
        p.pass_threshold = 80;
        keys.push(policy_key(&p));
        for change in 0..4 {
            let mut p = base.clone();
            match change {
                0 => p.points.fully = 99,
                1 => p.points.largely = 71,
                2 => p.points.partially = 51,
                _ => p.points.not = 1,
            }
            keys.push(policy_key(&p));
        }
        let distinct: std::collections::HashSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert!(keys.iter().all(|k| k.len() == 32));
    }
}
