//! Every figure of the roll-up of the cluster in [`super::cluster`].

use super::*;

fn figures(s: &Option<Summary>) -> [u32; 8] {
    let s = s.unwrap();
    [
        s.mean,
        s.min,
        s.q1,
        s.median,
        s.q3,
        s.max,
        Hundredths(s.below_target),
        s.below_target_share,
    ]
    .map(|h| h.0)
}

#[test]
fn participation_counts_each_stage_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    let p = r.participation;
    assert_eq!(
        [
            p.invited,
            p.not_started,
            p.started,
            p.submitted,
            p.awaiting_review,
            p.accepted,
            p.overdue
        ],
        [10, 2, 8, 7, 1, 6, 2]
    );
}

#[test]
fn level_distributions_count_accepted_and_submitted_apart() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    // Delta L0, Beta L1, Alpha and Epsilon L2, Gamma and Zeta L3; 1/6 = 16.67 %, 2/6 = 33.33 %.
    assert_eq!(r.levels.counts, [1, 1, 2, 2, 0, 0]);
    assert_eq!(r.levels.shares.map(|s| s.0), [1667, 1667, 3333, 3333, 0, 0]);
    assert_eq!(r.provisional_levels.counts, [0, 0, 0, 1, 0, 0]);
    assert_eq!(r.provisional_levels.n, 1);
}

#[test]
fn overall_and_domain_statistics_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    // Overall 76 175 250 285 305 395: sum 1486 / 6 = 247.67 → 248; q1 h = 1.25:
    // 175 + 0.25·75 = 193.75 → 194; median (250 + 285) / 2 = 267.5 → 268;
    // q3 h = 3.75: 285 + 0.75·20 = 300; below level 3: four of six, 66.67 %.
    assert_eq!(figures(&r.overall), [248, 76, 194, 268, 300, 395, 4, 6667]);
    // Domain 6: 101 200 250 260 330 410: 1551 / 6 = 258.5 → 259; q1 200 + 0.25·50 = 212.5
    // → 213; median 255; q3 260 + 0.75·70 = 312.5 → 313; below 3: four.
    assert_eq!(
        figures(&r.domains[0].summary),
        [259, 101, 213, 255, 313, 410, 4, 6667]
    );
    // Domain 9: 50 100 280 300 310 380: 1420 / 6 = 236.67 → 237; q1 145; median 290;
    // q3 300 + 0.75·10 = 307.5 → 308; below 3: three, 50 %.
    assert_eq!(
        figures(&r.domains[1].summary),
        [237, 50, 145, 290, 308, 380, 3, 5000]
    );
}

#[test]
fn item_statistics_and_the_weakest_items_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    let items = &r.domains[0].items;
    // 6.1: 100 150 200 250 320 400: 1420 / 6 → 237; q1 150 + 0.25·50 = 162.5 → 163;
    // median 225; q3 250 + 0.75·70 = 302.5 → 303.
    assert_eq!(
        figures(&items[0].summary),
        [237, 100, 163, 225, 303, 400, 4, 6667]
    );
    // 6.2: 101 250 270 300 340 420: 1681 / 6 = 280.17 → 280; q1 255; median 285; q3 330.
    assert_eq!(
        figures(&items[1].summary),
        [280, 101, 255, 285, 330, 420, 3, 5000]
    );
    assert_eq!(items[1].name.en, "item 6.2");
    // 6.1 and 9.1 tie at 2.37: the larger share below target (66.67 % against 50 %) first.
    let weakest: Vec<(&str, u32, u32)> = r
        .weakest_items
        .iter()
        .map(|w| (w.id.as_str(), w.mean.0, w.below_target_share.0))
        .collect();
    assert_eq!(
        weakest,
        [
            ("2025:6.1", 237, 6667),
            ("2025:9.1", 237, 5000),
            ("2025:6.2", 280, 5000)
        ]
    );
    assert_eq!(r.weakest_items[0].name.zh, "项6.1");
    let two = RollupPolicy {
        weakest_items: 2,
        ..RollupPolicy::default()
    };
    assert_eq!(rollup(&input(&q), &two).weakest_items.len(), 2);
}

#[test]
fn cdo_coverage_and_eligibility_count_accepted_profiles_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    // Five accepted profiles (Delta has none; Eta is only submitted). CDOs: Alpha, Beta,
    // Epsilon; at decision level Alpha and Epsilon; in the charter Alpha; duties (4 + 1 + 3) / 3
    // = 2.67.
    let c = &r.cdo;
    assert_eq!(
        (c.n, c.appointed, c.decision_level, c.in_charter),
        (5, 3, 2, 1)
    );
    assert_eq!(
        [
            c.appointed_share,
            c.decision_level_share,
            c.in_charter_share
        ]
        .map(|s| s.0),
        [6000, 4000, 2000]
    );
    assert_eq!((c.mean_duties, c.duties_total), (Some(Hundredths(267)), 6));
    // All met: Alpha, Epsilon. Staff ≥ 2: Alpha, Beta, Epsilon. Policies ≥ 4: Alpha, Gamma,
    // Epsilon. Tools ≥ 2: Alpha, Gamma, Epsilon, Zeta.
    let e = &r.eligibility;
    assert!(e.indicative);
    assert_eq!((e.n, e.all_met, e.all_met_share.0), (5, 2, 4000));
    let met: Vec<(&str, u32, u32)> = e
        .conditions
        .iter()
        .map(|c| (c.key.as_str(), c.met, c.share.0))
        .collect();
    assert_eq!(
        met,
        [
            ("data_staff", 3, 6000),
            ("policy_domains", 3, 6000),
            ("data_tools", 4, 8000)
        ]
    );
}

#[test]
fn bias_is_the_mean_of_self_minus_verified_over_accepted_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    // Alpha: own d6 225, overall 262.5 → 263: +25, +13. Delta: own d6 150.5 → 151, overall
    // 100.5 → 101: +50, +25. Zeta: own d9 340, overall 375: d9 −40, −20. Others 0; Eta, only
    // submitted, is left out. Overall 18 / 6 = 0.03; d6 75 / 6 = 12.5 → 0.13; d9 −40 / 6 =
    // −6.67 → −0.07.
    assert_eq!(r.bias.n, 6);
    assert_eq!(r.bias.overall, Some(Delta(3)));
    let domains: Vec<Option<Delta>> = r.bias.domains.iter().map(|d| d.mean).collect();
    assert_eq!(domains, [Some(Delta(13)), Some(Delta(-7))]);
}

#[test]
fn the_tier_and_the_figures_that_decided_it_by_hand() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default()).readiness;
    // S = 2.48 < 2.50 rules out Advancing; P2 = 4 / 6 = 66.67 % ≥ 50 %: Growing.
    assert_eq!(r.tier, Some(Tier::Growing));
    assert_eq!(r.mean_overall, Some(Hundredths(248)));
    assert_eq!(r.share_level_2_or_above, Some(Hundredths(6667)));
    assert_eq!(r.share_level_3_or_above, Some(Hundredths(3333)));
    assert_eq!(
        r.checks.iter().map(|c| c.met).collect::<Vec<_>>(),
        [false, false, true]
    );
}

#[test]
fn an_anonymous_enterprise_never_appears_by_name_but_counts() {
    let q = q2025();
    let r = rollup(&input(&q), &RollupPolicy::default());
    let names: Vec<&str> = r.heat_map.rows.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "Beta", "Delta", "Zeta"]);
    assert_eq!(r.heat_map.anonymous, 2);
    assert_eq!(r.heat_map.domains, ["2025:6", "2025:9"]);
    let delta = &r.heat_map.rows[2];
    assert_eq!((delta.overall, delta.level), (Hundredths(76), 0));
    assert_eq!(delta.scores, [Some(Hundredths(101)), Some(Hundredths(50))]);
    let json = serde_json::to_string(&r).unwrap();
    for hidden in ["Gamma", "Epsilon"] {
        assert!(!json.contains(hidden), "{hidden} appears in the roll-up");
    }
    // Gamma's 3.30 and Epsilon's 2.60 are still in domain 6's figures (max 4.10 is Zeta's).
    assert_eq!(r.domains[0].summary.unwrap().n, 6);
    let everyone_named = CampaignInput {
        enterprises: cluster(&q)
            .into_iter()
            .map(|e| EnterpriseResult {
                sharing: Sharing::Full,
                ..e
            })
            .collect(),
        ..input(&q)
    };
    let named = rollup(&everyone_named, &RollupPolicy::default());
    assert_eq!(named.domains, r.domains);
    assert_eq!(named.heat_map.rows.len(), 6);
}

#[test]
fn a_scorecard_is_matched_to_the_questionnaire_by_id_whatever_its_order() {
    let q = q2025();
    let mut input = input(&q);
    let expected = rollup(&input, &RollupPolicy::default());
    for e in &mut input.enterprises {
        for card in e.verified.iter_mut().chain(e.own.iter_mut()) {
            card.domains.reverse();
            for d in &mut card.domains {
                d.items.reverse();
            }
        }
    }
    let r = rollup(&input, &RollupPolicy::default());
    assert_eq!(r.domains, expected.domains);
    assert_eq!(r.bias, expected.bias);
    assert_eq!(r.heat_map, expected.heat_map);
}
