//! The gap plan by hand on small items, and by property: a step's changes, applied, give the
//! stated levels, scores and gain, and no smaller or cheaper set of raises would do (brute
//! force over small generated items), at τ = 70 and τ = 80 alike.

use proptest::prelude::*;

use super::cheapest::needed_sum;
use super::*;
use crate::questionnaire::{Criterion, Dimension, Domain, Text};
use crate::scoring::score::score;
use crate::scoring::Rating::{Fully, Largely, Na, Not, Partially};

fn text(s: &str) -> Text {
    Text {
        zh: s.to_owned(),
        en: s.to_owned(),
    }
}

/// A questionnaire of `items` (criteria per level 1–5), item `n` in domain `n % domains`.
fn generated(items: &[[usize; 5]], domains: usize) -> Questionnaire {
    let mut out: Vec<Domain> = (0..domains)
        .map(|d| Domain {
            id: format!("2025:{}", d + 6),
            section: format!("{}", d + 6),
            name: text("domain"),
            aliases: Vec::new(),
            items: Vec::new(),
        })
        .collect();
    for (n, counts) in items.iter().enumerate() {
        let d = n % domains;
        let section = format!("{}.{}", d + 6, n / domains + 1);
        let criteria = (1..=5u8)
            .flat_map(|level| (1..=counts[usize::from(level - 1)]).map(move |k| (level, k)))
            .map(|(level, k)| Criterion {
                id: format!("2025:{section}:L{level}:{k}"),
                level,
                text: text("criterion"),
                evidence: text("evidence"),
                dimension: Dimension::Process,
                allow_na: true,
            })
            .collect();
        out[d].items.push(Item {
            id: format!("2025:{section}"),
            section,
            name: text("item"),
            aliases: Vec::new(),
            criteria,
        });
    }
    Questionnaire::new(
        "generated".into(),
        "2025".into(),
        "t".into(),
        "h".into(),
        text("generated"),
        false,
        out,
    )
}

fn policy(tau: u32) -> Policy {
    Policy {
        pass_threshold: tau,
        ..Policy::default()
    }
}

fn sheet(q: &Questionnaire, answers: &[(&str, Rating)]) -> Sheet {
    Sheet::from_answers(q, answers.iter().map(|(id, r)| (*id, *r)))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn raises(step: &GapStep) -> Vec<(&str, Option<Rating>, Rating)> {
    step.criteria
        .iter()
        .map(|r| (r.criterion.as_str(), r.from, r.to))
        .collect()
}

#[test]
fn the_least_passing_sum_passes_and_one_less_does_not() {
    for tau in 1..=100 {
        for count in 1..=20u64 {
            let s = needed_sum(tau, count);
            assert!(mean_half_up(s, count) >= tau, "τ {tau}, {count}");
            assert!(
                s == 0 || mean_half_up(s - 1, count) < tau,
                "τ {tau}, {count}"
            );
        }
    }
}

/// Two unmet level-1 criteria: at τ = 70 both to largely (70) pass; at τ = 80 that is 70 < 80,
/// so one goes to fully (85): two criteria either way, the least points that do.
#[test]
fn largely_is_asked_where_it_is_enough_under_tau() {
    let q = generated(&[[2, 1, 1, 1, 1]], 1);
    let s = sheet(&q, &[("2025:6.1:L1:1", Not)]);
    let card = score(&q, &s, &policy(70));
    let plan = gap_plan(&q, &s, &card, &policy(70), 1);
    assert_eq!(plan.len(), 1);
    assert_eq!(
        raises(&plan[0]),
        [
            ("2025:6.1:L1:1", Some(Not), Largely),
            ("2025:6.1:L1:2", None, Largely)
        ]
    );
    // Level 1 = 0.70 passes; level 2 is unanswered: 1.00, and so the overall.
    assert_eq!((plan[0].level_before, plan[0].score_before.0), (0, 0));
    assert_eq!((plan[0].level_after, plan[0].score_after.0), (1, 100));
    assert_eq!(plan[0].gain.0, 100);

    let card = score(&q, &s, &policy(80));
    let plan = gap_plan(&q, &s, &card, &policy(80), 1);
    assert_eq!(
        raises(&plan[0]),
        [
            ("2025:6.1:L1:1", Some(Not), Fully),
            ("2025:6.1:L1:2", None, Largely)
        ]
    );
}

/// Item 6.1: L1 fully; L2 = (100 + 50 + 0) / 3 = 50 fails: 1.50. Item 6.2 at level 3 already.
/// Item 7.1: L1 = 50 fails: 0.50. Domain 6 = (150 + 300) / 2 = 2.25; overall (225 + 50) / 2
/// = 1.38 (137.5 half up).
/// At τ = 70, to level 2: 6.1 needs an L2 sum of 209: 6.1:L2:3 not → largely makes 220 (0.73),
/// one criterion and the fewest points; L3 then is 0, so 6.1 = 2.00: domain 6 = 2.50, overall (250 + 50) / 2 = 1.50, a
/// gain of 0.12. 7.1: L1 partially → largely (70), then 7.1 = 1.00, overall (225 + 100) / 2 =
/// 1.63 (162.5 half up), gain 0.25; then L2 (one unanswered) → largely: 2.00, overall 2.13, gain
/// 0.50. 7.1's first step gains most per criterion and comes first; its second, 0.50, next.
#[test]
fn the_path_to_level_2_by_hand() {
    let q = generated(&[[1, 3, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]], 2);
    let ids: Vec<&str> = q
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(ids, ["2025:6.1", "2025:6.2", "2025:7.1"]);
    let s = sheet(
        &q,
        &[
            ("2025:6.1:L1:1", Fully),
            ("2025:6.1:L2:1", Fully),
            ("2025:6.1:L2:2", Partially),
            ("2025:6.1:L2:3", Not),
            ("2025:6.2:L1:1", Fully),
            ("2025:6.2:L2:1", Fully),
            ("2025:6.2:L3:1", Largely),
            ("2025:7.1:L1:1", Partially),
        ],
    );
    let p = policy(70);
    let card = score(&q, &s, &p);
    assert_eq!(card.overall.score.0, 138);
    let plan = gap_plan(&q, &s, &card, &p, 2);
    let got: Vec<(&str, u8, u8, u32, u32, u32)> = plan
        .iter()
        .map(|g| {
            (
                g.item.as_str(),
                g.level_before,
                g.level_after,
                g.score_before.0,
                g.score_after.0,
                g.gain.0,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2025:7.1", 0, 1, 50, 100, 25),
            ("2025:7.1", 1, 2, 100, 200, 50),
            ("2025:6.1", 1, 2, 150, 200, 12),
        ]
    );
    assert_eq!(
        raises(&plan[0]),
        [("2025:7.1:L1:1", Some(Partially), Largely)]
    );
    assert_eq!(raises(&plan[1]), [("2025:7.1:L2:1", None, Largely)]);
    assert_eq!(raises(&plan[2]), [("2025:6.1:L2:3", Some(Not), Largely)]);
}

/// N/A is never raised and leaves its level; a level all N/A is met, so a step can lift an item
/// by more than one level.
#[test]
fn na_is_never_a_candidate_and_a_step_may_pass_several_levels() {
    let q = generated(&[[2, 1, 2, 1, 1]], 1);
    let s = sheet(
        &q,
        &[
            ("2025:6.1:L1:1", Na),
            ("2025:6.1:L1:2", Partially),
            ("2025:6.1:L2:1", Na),
            ("2025:6.1:L3:1", Fully),
            ("2025:6.1:L3:2", Largely),
        ],
    );
    let p = policy(80);
    let card = score(&q, &s, &p);
    let plan = gap_plan(&q, &s, &card, &p, 4);
    assert_eq!(
        raises(&plan[0]),
        [("2025:6.1:L1:2", Some(Partially), Fully)]
    );
    assert_eq!((plan[0].level_before, plan[0].level_after), (0, 3));
    assert_eq!(plan[0].score_after.0, 300);
    assert_eq!(plan.len(), 2);
    assert_eq!(raises(&plan[1]), [("2025:6.1:L4:1", None, Fully)]);
    assert!(plan
        .iter()
        .flat_map(|g| &g.criteria)
        .all(|r| r.from != Some(Na)));
}

#[test]
fn items_at_the_target_have_no_steps() {
    let q = generated(&[[1, 1, 1, 1, 1]; 2], 1);
    let s = sheet(&q, &[("2025:6.1:L1:1", Fully), ("2025:6.1:L2:1", Largely)]);
    let p = policy(70);
    let plan = gap_plan(&q, &s, &score(&q, &s, &p), &p, 2);
    assert!(plan.iter().all(|g| g.item == "2025:6.2"));
    assert_eq!(plan.len(), 2);
}

/// The fewest criteria that lift `item` from `ratings` to at least `goal`, and the least points
/// they add, by trying every set of that size with every raise; over the criteria of level
/// `only` when given, else over all of the item's.
fn brute_force(
    item: &Item,
    ratings: &[Option<Rating>],
    policy: &Policy,
    goal: u8,
    only: Option<u8>,
) -> Option<(usize, u64)> {
    let points = |r: Option<Rating>| u64::from(policy.points_of(r).unwrap_or(0));
    let open: Vec<usize> = (0..item.criteria.len())
        .filter(|p| !matches!(ratings[*p], Some(Fully | Na)))
        .filter(|p| only.is_none_or(|l| item.criteria[*p].level == l))
        .collect();
    for size in 0..=open.len() {
        let mut best: Option<u64> = None;
        for set in 0u32..1 << open.len() {
            if set.count_ones() as usize != size {
                continue;
            }
            let chosen: Vec<usize> = (0..open.len())
                .filter(|b| set & (1 << b) != 0)
                .map(|b| open[b])
                .collect();
            'raise: for to_fully in 0u32..1 << size {
                let mut trial = ratings.to_vec();
                let mut added = 0;
                for (b, pos) in chosen.iter().enumerate() {
                    let to = if to_fully & (1 << b) != 0 {
                        Fully
                    } else {
                        Largely
                    };
                    if points(Some(to)) <= points(trial[*pos]) {
                        continue 'raise;
                    }
                    added += points(Some(to)) - points(trial[*pos]);
                    trial[*pos] = Some(to);
                }
                if item_score(&level_scores(item, &trial, policy), policy).0 >= goal {
                    best = Some(best.map_or(added, |b| b.min(added)));
                }
            }
        }
        if let Some(added) = best {
            return Some((size, added));
        }
    }
    None
}

fn rating_of(code: u8) -> Option<Rating> {
    [
        None,
        Some(Not),
        Some(Partially),
        Some(Largely),
        Some(Fully),
        Some(Na),
    ]
    .get(usize::from(code))
    .copied()
    .flatten()
}

/// How [`check_plan`] checks that a step is the smallest and cheapest.
#[derive(Clone, Copy, PartialEq)]
enum Brute {
    /// Over every criterion of the item.
    Item,
    /// Over the criteria of the level the step must pass.
    Level,
}

/// Applies the plan item by item in its order and checks every stated figure against a full
/// rescore, and that each step is the smallest and cheapest by brute force as `brute` says.
fn check_plan(
    q: &Questionnaire,
    s: &Sheet,
    policy: &Policy,
    target: u8,
    brute: Brute,
) -> Result<(), TestCaseError> {
    let card = score(q, s, policy);
    let plan = gap_plan(q, s, &card, policy, target);
    let items: Vec<&Item> = q.domains.iter().flat_map(|d| &d.items).collect();
    let scores: Vec<&crate::scoring::score::ItemScore> =
        card.domains.iter().flat_map(|d| &d.items).collect();
    // Ranked: each step is no worse than the next step of every other item, and wins a tie
    // only over a later item.
    let position = |id: &str| items.iter().position(|i| i.id == id);
    for (n, step) in plan.iter().enumerate() {
        for other in &items {
            let Some(head) = plan[n..].iter().find(|g| g.item == other.id) else {
                continue;
            };
            if head.item == step.item {
                continue;
            }
            match head.better_than(step) {
                Some(better) => prop_assert!(!better, "{} before {}", step.item, head.item),
                None => prop_assert!(position(&step.item) < position(&head.item)),
            }
        }
    }
    for (i, item) in items.iter().enumerate() {
        let path: Vec<&GapStep> = plan.iter().filter(|g| g.item == item.id).collect();
        let start = q.index_of(&item.criteria[0].id).unwrap_or(0);
        let mut sheet = s.clone();
        let mut before_overall = card.overall.score;
        let mut level = scores[i].level;
        let mut item_score_now = scores[i].score;
        prop_assert_eq!(path.is_empty(), level >= target);
        for step in path {
            prop_assert_eq!(
                (step.level_before, step.score_before),
                (level, item_score_now)
            );
            prop_assert!(!step.criteria.is_empty());
            let slice = sheet.0[start..start + item.criteria.len()].to_vec();
            let only = (brute == Brute::Level).then_some(level + 1);
            let found = brute_force(item, &slice, policy, level + 1, only);
            let added: u64 = step
                .criteria
                .iter()
                .map(|r| {
                    u64::from(policy.points_of(Some(r.to)).unwrap_or(0))
                        - u64::from(policy.points_of(r.from).unwrap_or(0))
                })
                .sum();
            prop_assert_eq!(found, Some((step.criteria.len(), added)), "{}", item.id);
            for r in &step.criteria {
                let n = q.index_of(&r.criterion).unwrap_or(usize::MAX);
                prop_assert_eq!(sheet.0[n], r.from);
                prop_assert_eq!(r.level, level + 1);
                prop_assert!(matches!(r.to, Fully | Largely));
                prop_assert!(policy.points_of(Some(r.to)) > policy.points_of(r.from));
                sheet.0[n] = Some(r.to);
            }
            let after = score(q, &sheet, policy);
            let now = after.domains.iter().flat_map(|d| &d.items).nth(i).cloned();
            let now = now.ok_or_else(|| TestCaseError::fail("item"))?;
            prop_assert_eq!((now.level, now.score), (step.level_after, step.score_after));
            prop_assert!(step.level_after > step.level_before);
            prop_assert_eq!(after.overall.score.0 - before_overall.0, step.gain.0);
            before_overall = after.overall.score;
            level = now.level;
            item_score_now = now.score;
        }
        prop_assert!(level >= target.min(5));
    }
    Ok(())
}

fn dcmm_2025() -> &'static Questionnaire {
    static Q: std::sync::OnceLock<Questionnaire> = std::sync::OnceLock::new();
    Q.get_or_init(|| {
        let registry = crate::questionnaire::Registry::built_in().unwrap_or_else(|e| panic!("{e}"));
        registry
            .dcmm("dcmm-2025")
            .unwrap_or_else(|| panic!("built in"))
            .as_ref()
            .clone()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn steps_on_small_items_are_exact_and_the_smallest(
        shapes in prop::collection::vec(prop::array::uniform5(1usize..=2), 1..=4),
        codes in prop::collection::vec(0u8..6, 40),
        target in 1u8..=5,
        domains in 1usize..=2,
    ) {
        let q = generated(&shapes, domains);
        let s = Sheet(codes.iter().cycle().take(q.criterion_count()).map(|c| rating_of(*c)).collect());
        for tau in [70, 80] {
            check_plan(&q, &s, &policy(tau), target, Brute::Item)?;
        }
    }

    #[test]
    fn steps_on_wide_cells_are_exact_and_the_smallest(
        shape in prop::array::uniform5(1usize..=9),
        codes in prop::collection::vec(0u8..5, 45),
        tau in 50u32..=100,
    ) {
        // Brute force over the level the step must pass keeps wide cells affordable; the small
        // items above check over the whole item that no other level's criteria would do.
        let q = generated(&[shape, [1; 5]], 1);
        let s = Sheet(codes.iter().cycle().take(q.criterion_count()).map(|c| rating_of(*c)).collect());
        check_plan(&q, &s, &policy(tau), 5, Brute::Level)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn steps_on_the_2025_questionnaire_are_exact(
        codes in prop::collection::vec(0u8..5, 600),
        target in 1u8..=5,
    ) {
        let q = dcmm_2025();
        let s = Sheet(codes.iter().cycle().take(q.criterion_count()).map(|c| rating_of(*c)).collect());
        for tau in [70, 80] {
            check_plan(q, &s, &policy(tau), target, Brute::Level)?;
        }
    }
}
