//! Properties of the roll-up over random clusters on the fixture questionnaire.

use proptest::prelude::*;

use super::*;

/// status, sharing, started, overdue, verified items, own items, industry, size.
type Row = (u8, u8, bool, bool, [u32; 3], [u32; 3], u8, u8);

fn row() -> impl Strategy<Value = Row> {
    (
        0u8..3,
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        [0u32..=500, 0u32..=500, 0u32..=500],
        [0u32..=500, 0u32..=500, 0u32..=500],
        0u8..2,
        0u8..4,
    )
}

fn campaign<'a>(q: &'a Questionnaire, rows: &[Row], target: u8) -> CampaignInput<'a> {
    let enterprises = rows
        .iter()
        .enumerate()
        .map(
            |(n, (status, sharing, started, overdue, verified, own, industry, size))| {
                let status = Status::ALL[usize::from(*status)];
                let scored = status != Status::Draft;
                let mut e = enterprise(
                    &format!("E{n}"),
                    ["mfg", "software"][usize::from(*industry)],
                    Size::ALL[usize::from(*size)],
                    Sharing::ALL[usize::from(*sharing)],
                    status,
                );
                e.started |= *started;
                e.overdue = *overdue;
                e.verified = scored.then(|| card(q, verified));
                e.own = scored.then(|| card(q, own));
                if verified[0] % 2 == 0 {
                    let appointed = verified[1] % 3 != 0;
                    let rank = ["board", "executive", "manager"][(verified[2] % 3) as usize];
                    profile(
                        &mut e,
                        i64::from(own[0] % 4),
                        (own[1] % 6) as usize,
                        (own[2] % 4) as usize,
                        appointed.then_some((rank, verified[0] % 4 == 0, (own[0] % 5) as usize)),
                    );
                }
                e
            },
        )
        .collect();
    CampaignInput {
        questionnaire: q,
        target_level: target,
        enterprises,
        previous: None,
    }
}

fn ordered(s: &Summary) -> bool {
    s.min <= s.q1
        && s.q1 <= s.median
        && s.median <= s.q3
        && s.q3 <= s.max
        && s.min <= s.mean
        && s.mean <= s.max
        && s.below_target <= s.n
        && s.below_target_share.0 <= 10_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn quartiles_are_ordered_shares_are_percents_and_counts_add_up(
        rows in prop::collection::vec(row(), 0..40),
        target in 0u8..=5,
    ) {
        let q = q2025();
        let input = campaign(&q, &rows, target);
        let r = rollup(&input, &RollupPolicy::default());

        let p = r.participation;
        prop_assert_eq!(p.invited as usize, rows.len());
        prop_assert_eq!(p.invited, p.not_started + p.started);
        prop_assert!(p.started >= p.submitted);
        prop_assert_eq!(p.submitted, p.awaiting_review + p.accepted);
        prop_assert!(p.overdue <= p.invited - p.submitted);

        for levels in [&r.levels, &r.provisional_levels] {
            prop_assert_eq!(levels.counts.iter().sum::<u32>(), levels.n);
            prop_assert!(levels.shares.iter().all(|s| s.0 <= 10_000));
        }
        prop_assert_eq!(r.levels.n, p.accepted);
        prop_assert_eq!(r.provisional_levels.n, p.awaiting_review);

        let summaries = r.overall.iter()
            .chain(r.domains.iter().filter_map(|d| d.summary.as_ref()))
            .chain(r.domains.iter().flat_map(|d| &d.items).filter_map(|i| i.summary.as_ref()));
        for s in summaries {
            prop_assert!(ordered(s), "{:?}", s);
            prop_assert_eq!(s.n, p.accepted);
        }

        prop_assert_eq!(r.heat_map.rows.len() as u32 + r.heat_map.anonymous, p.accepted);
        for row in &r.heat_map.rows {
            let e = input.enterprises.iter().find(|e| e.id == row.id).unwrap();
            prop_assert!(e.sharing != Sharing::Anonymous);
            prop_assert_eq!(&row.name, &e.name);
        }

        let c = &r.cdo;
        prop_assert!(c.decision_level <= c.appointed && c.in_charter <= c.appointed);
        prop_assert!(c.appointed <= c.n && c.n <= p.accepted);
        for s in [c.appointed_share, c.decision_level_share, c.in_charter_share] {
            prop_assert!(s.0 <= 10_000);
        }
        prop_assert!(c.mean_duties.is_none_or(|d| d.0 <= 600));
        let e = &r.eligibility;
        prop_assert!(e.n <= p.accepted && e.all_met <= e.n && e.all_met_share.0 <= 10_000);
        for cond in &e.conditions {
            prop_assert!(e.all_met <= cond.met && cond.met <= e.n && cond.share.0 <= 10_000);
        }

        prop_assert_eq!(r.readiness.tier.is_some(), p.accepted > 0);
        prop_assert!(r.weakest_items.len() <= 5);
        prop_assert!(r.weakest_items.windows(2).all(|w| w[0].mean <= w[1].mean));
    }

    #[test]
    fn benchmark_percentiles_lie_strictly_between_0_and_100(
        rows in prop::collection::vec(row(), 1..40),
        k in 1usize..8,
    ) {
        let q = q2025();
        let input = campaign(&q, &rows, 3);
        let policy = RollupPolicy { min_group: k, ..RollupPolicy::default() };
        for e in &input.enterprises {
            let Ok(b) = benchmark(&input, e.id, &policy) else {
                prop_assert!(e.status != Status::Accepted);
                continue;
            };
            for g in [&b.cluster, &b.industry, &b.size] {
                prop_assert_eq!(g.percentiles.is_some(), g.members as usize >= k);
                prop_assert_eq!(g.suppressed.is_some(), g.percentiles.is_none());
                prop_assert!(g.members <= b.cluster.members);
                if let Some(p) = &g.percentiles {
                    let all = std::iter::once(p.overall).chain(p.domains.iter().map(|d| d.percentile));
                    for pct in all {
                        prop_assert!(pct.0 > 0 && pct.0 < 10_000, "{:?}", pct);
                    }
                }
            }
        }
    }
}
