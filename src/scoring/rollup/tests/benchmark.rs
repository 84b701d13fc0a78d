//! The benchmark of one enterprise of the cluster in [`super::cluster`].

use super::*;

#[test]
fn benchmarks_by_hand_and_suppressed_below_k() {
    let q = q2025();
    let input = input(&q);
    let alpha = input.enterprises[0].id;
    let b = benchmark(&input, alpha, &RollupPolicy::default()).unwrap();
    // Cluster of six: overall 2.50 has two below: (2 + 1/2) / 6 = 41.67 %; domain 6 2.00 has
    // one below: 25 %; domain 9 3.00 has three below: 58.33 %.
    let p = b.cluster.percentiles.as_ref().unwrap();
    assert_eq!(b.cluster.members, 6);
    assert_eq!(p.overall, Hundredths(4167));
    let domains: Vec<(u32, u32)> = p
        .domains
        .iter()
        .map(|d| (d.score.0, d.percentile.0))
        .collect();
    assert_eq!(domains, [(200, 2500), (300, 5833)]);
    // Manufacturing, five accepted (Zeta is software, Eta only submitted): 50 %, 30 %, 70 %.
    assert_eq!(
        (b.industry.members, b.industry.value.as_deref()),
        (5, Some("mfg"))
    );
    let p = b.industry.percentiles.as_ref().unwrap();
    let figures: Vec<u32> = std::iter::once(p.overall.0)
        .chain(p.domains.iter().map(|d| d.percentile.0))
        .collect();
    assert_eq!(figures, [5000, 3000, 7000]);
    assert!(b.industry.suppressed.is_none());
    // Small: Alpha, Gamma, Delta: three, fewer than five.
    assert_eq!(
        (b.size.members, b.size.value.as_deref()),
        (3, Some("small"))
    );
    assert!(b.size.percentiles.is_none());
    let s = b.size.suppressed.as_ref().unwrap();
    assert_eq!(
        (s.reason, s.min_group),
        (SuppressionReason::TooFewEnterprises, 5)
    );

    let k7 = RollupPolicy {
        min_group: 7,
        ..RollupPolicy::default()
    };
    let b = benchmark(&input, alpha, &k7).unwrap();
    assert!(b.cluster.percentiles.is_none() && b.cluster.suppressed.is_some());
}

#[test]
fn a_benchmark_needs_an_accepted_assessment_in_the_campaign() {
    let q = q2025();
    let input = input(&q);
    let eta = input.enterprises[6].id;
    let policy = RollupPolicy::default();
    assert_eq!(
        benchmark(&input, eta, &policy),
        Err(BenchmarkError::NotAccepted)
    );
    assert_eq!(
        benchmark(&input, EnterpriseId::new(), &policy),
        Err(BenchmarkError::NotInCampaign)
    );
}
