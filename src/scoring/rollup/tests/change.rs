//! The change since the previous campaign, by id within an edition, through the crosswalk or by
//! section across editions, and a campaign with nothing accepted yet.

use super::*;

#[test]
fn the_same_edition_matches_domains_and_items_by_id_by_hand() {
    let q = q2025();
    // Previous: 100 200 200 → d6 150, d9 200, overall 175; 200 300 100 → d6 250, d9 100,
    // overall 175. Means: overall 1.75, d6 2.00, d9 1.50, 6.1 1.50, 6.2 2.50, 9.1 1.50.
    let previous = PreviousCampaign {
        questionnaire: &q,
        verified: vec![card(&q, &[100, 200, 200]), card(&q, &[200, 300, 100])],
        crosswalk: None,
    };
    let c = rollup(
        &CampaignInput {
            previous: Some(previous),
            ..input(&q)
        },
        &RollupPolicy::default(),
    )
    .change
    .unwrap();
    assert_eq!(
        (c.matched_by, c.editions_differ, c.note),
        (MatchedBy::Id, false, None)
    );
    assert_eq!(c.previous_n, 2);
    // Now 2.48, 2.59, 2.37; items 2.37, 2.80, 2.37.
    assert_eq!(c.overall.previous, Some(Hundredths(175)));
    assert_eq!(c.overall.difference, Some(Delta(73)));
    let domains: Vec<(Option<u32>, Option<u32>, Option<i64>)> = c
        .domains
        .iter()
        .map(|d| {
            (
                d.mean.previous.map(|h| h.0),
                d.mean.current.map(|h| h.0),
                d.mean.difference.map(|x| x.0),
            )
        })
        .collect();
    assert_eq!(
        domains,
        [
            (Some(200), Some(259), Some(59)),
            (Some(150), Some(237), Some(87))
        ]
    );
    let items: Vec<(&str, Option<i64>)> = c
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.mean.difference.map(|x| x.0)))
        .collect();
    assert_eq!(
        items,
        [
            ("2025:6.1", Some(87)),
            ("2025:6.2", Some(30)),
            ("2025:9.1", Some(87))
        ]
    );
    assert!(c.unmatched_previous.is_empty());
}

#[test]
fn editions_that_differ_match_domains_by_section_only_and_say_so() {
    let q = q2025();
    let q2018 = questionnaire(
        "small-2018",
        "2018",
        &[
            ("6", "Data strategy", &["6.1", "6.2", "6.3"]),
            ("9", "Data application", &["9.1"]),
            ("10", "Data security", &["10.1"]),
        ],
    );
    // 100 200 300 | 150 | 400 → d6 200, d9 150, d10 400, overall 250;
    // 200 200 200 | 250 | 100 → d6 200, d9 250, d10 100, overall 550 / 3 = 183.33 → 183.
    // Means: overall (250 + 183) / 2 = 216.5 → 2.17; d6 2.00; d9 2.00.
    let previous = PreviousCampaign {
        questionnaire: &q2018,
        verified: vec![
            card(&q2018, &[100, 200, 300, 150, 400]),
            card(&q2018, &[200, 200, 200, 250, 100]),
        ],
        crosswalk: None,
    };
    let c = rollup(
        &CampaignInput {
            previous: Some(previous),
            ..input(&q)
        },
        &RollupPolicy::default(),
    )
    .change
    .unwrap();
    assert_eq!(
        (c.matched_by, c.editions_differ),
        (MatchedBy::Section, true)
    );
    let note = c.note.unwrap();
    assert!(note.en.contains("section number only"), "{}", note.en);
    assert!(note.zh.contains("章节号"), "{}", note.zh);
    assert!(c.items.is_empty(), "items are not compared across editions");
    assert_eq!(c.overall.difference, Some(Delta(248 - 217)));
    // §9 is data assets now and was data application then: matched, and both names shown.
    let d9 = &c.domains[1];
    assert_eq!(d9.previous_id.as_deref(), Some("2018:9"));
    assert_eq!(
        (
            d9.name.en.as_str(),
            d9.previous_name.as_ref().map(|t| t.en.as_str())
        ),
        ("Data assets", Some("Data application"))
    );
    assert_eq!(d9.mean.difference, Some(Delta(237 - 200)));
    assert_eq!(c.domains[0].mean.difference, Some(Delta(259 - 200)));
    assert_eq!(c.unmatched_previous, ["2018:10"]);
}

#[test]
fn with_nothing_accepted_there_is_no_tier_and_no_figure_is_invented() {
    let q = q2025();
    let enterprises: Vec<EnterpriseResult> = cluster(&q)
        .into_iter()
        .filter(|e| e.status != Status::Accepted)
        .collect();
    let previous = PreviousCampaign {
        questionnaire: &q,
        verified: vec![card(&q, &[100, 200, 200])],
        crosswalk: None,
    };
    let input = CampaignInput {
        enterprises,
        previous: Some(previous),
        ..input(&q)
    };
    let r = rollup(&input, &RollupPolicy::default());
    assert_eq!((r.participation.invited, r.participation.accepted), (4, 0));
    assert_eq!((r.levels.n, r.provisional_levels.n), (0, 1));
    assert_eq!(r.levels.shares, [Hundredths(0); 6]);
    assert!(r.overall.is_none());
    assert!(r.domains.iter().all(|d| d.summary.is_none()));
    assert!(r
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .all(|i| i.summary.is_none()));
    assert!(r.weakest_items.is_empty());
    assert_eq!((r.cdo.n, r.cdo.mean_duties, r.eligibility.n), (0, None, 0));
    assert_eq!((r.bias.n, r.bias.overall), (0, None));
    assert_eq!(r.readiness.tier, None);
    assert!(r.heat_map.rows.is_empty());
    let change = r.change.as_ref().unwrap();
    assert_eq!(change.overall.previous, Some(Hundredths(175)));
    assert_eq!(
        (change.overall.current, change.overall.difference),
        (None, None)
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["readiness"]["tier"], serde_json::Value::Null);
    assert_eq!(json["readiness"]["indicative"], true);
}

#[test]
fn the_roll_up_serialises_figures_with_two_decimals() {
    let q = q2025();
    let json = serde_json::to_value(rollup(&input(&q), &RollupPolicy::default())).unwrap();
    assert_eq!(json["overall"]["mean"], 2.48);
    assert_eq!(json["overall"]["below_target_share"], 66.67);
    assert_eq!(json["readiness"]["tier"], "growing");
    assert_eq!(json["readiness"]["name"]["zh"], "成长级");
    assert_eq!(json["bias"]["domains"][1]["mean"], -0.07);
    assert_eq!(
        json["levels"]["counts"],
        serde_json::json!([1, 1, 2, 2, 0, 0])
    );
    assert_eq!(json["heat_map"]["rows"][0]["scores"][1], 3.0);
}

/// Item scores 100, 110, 120, … in questionnaire order: each item's score names its position.
fn numbered(q: &Questionnaire) -> Scorecard {
    let scores: Vec<u32> = (0..q.item_count() as u32).map(|i| 100 + 10 * i).collect();
    card(q, &scores)
}

fn card_item(c: &Scorecard, id: &str) -> Hundredths {
    c.domains
        .iter()
        .flat_map(|d| &d.items)
        .find(|i| i.id == id)
        .unwrap()
        .score
}

fn card_domain(c: &Scorecard, id: &str) -> Hundredths {
    c.domains.iter().find(|d| d.id == id).unwrap().score
}

#[test]
fn across_editions_a_crosswalk_pairs_domains_and_items_by_where_their_criteria_go() {
    let registry = crate::questionnaire::Registry::built_in().unwrap();
    let (old, new) = (
        registry.dcmm("dcmm-2018").unwrap(),
        registry.dcmm("dcmm-2025").unwrap(),
    );
    let crosswalk = registry
        .crosswalk_between("dcmm-2018", "dcmm-2025")
        .unwrap();
    let (before, now) = (numbered(old), numbered(new));
    let previous = PreviousCampaign {
        questionnaire: old,
        verified: vec![before.clone()],
        crosswalk: Some(crosswalk),
    };
    let current = EnterpriseResult {
        verified: Some(now.clone()),
        own: Some(now.clone()),
        ..enterprise("Alpha", "mfg", Size::Small, Sharing::Full, Status::Accepted)
    };
    let c = rollup(
        &CampaignInput {
            questionnaire: new,
            target_level: 3,
            enterprises: vec![current],
            previous: Some(previous),
        },
        &RollupPolicy::default(),
    )
    .change
    .unwrap();
    assert_eq!(
        (c.matched_by, c.editions_differ),
        (MatchedBy::Crosswalk, true)
    );
    assert!(c.note.unwrap().en.contains("crosswalk-2018-2025"));
    let domain = |id: &str| c.domains.iter().find(|d| d.id == id).unwrap();
    // Security is §10 in 2018 and §12 in 2025; §10 in 2025 is data standards, 2018 §12.
    for (now_id, then_id) in [
        ("2025:12", "2018:10"),
        ("2025:10", "2018:12"),
        ("2025:14", "2018:9"),
    ] {
        let d = domain(now_id);
        assert_eq!(d.previous_id.as_deref(), Some(then_id));
        assert_eq!(
            d.mean.previous,
            Some(card_domain(&before, then_id)),
            "{now_id}"
        );
        assert_eq!(d.mean.current, Some(card_domain(&now, now_id)));
    }
    assert_eq!(domain("2025:9").previous_id, None, "data assets is new");
    assert_eq!(c.unmatched_previous, Vec::<String>::new());
    let item = |id: &str| c.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(c.items.len(), new.item_count());
    for (now_id, then_id) in [
        ("2025:14.1", "2018:9.1"),
        ("2025:12.1", "2018:10.1"),
        ("2025:7.3", "2018:7.3"),
        ("2025:10.5", "2018:12.4"),
    ] {
        let i = item(now_id);
        assert_eq!(i.previous_id.as_deref(), Some(then_id));
        let (p, n) = (card_item(&before, then_id), card_item(&now, now_id));
        assert_eq!(
            (i.mean.previous, i.mean.current),
            (Some(p), Some(n)),
            "{now_id}"
        );
        assert_eq!(i.mean.difference, Some(Delta::between(n, p)));
    }
    // 2018 12.2 splits into 10.2 and 10.3; 9.1 is new.
    for id in ["2025:10.2", "2025:10.3", "2025:9.1", "2025:14.2"] {
        assert_eq!(
            (item(id).previous_id.as_ref(), item(id).mean.previous),
            (None, None),
            "{id}"
        );
    }
}
