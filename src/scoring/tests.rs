//! Hand-worked examples for every rule, and properties over the real 2025 questionnaire.

use proptest::prelude::*;

use super::policy::Points;
use super::*;
use crate::questionnaire::{parse, Parsed, Questionnaire, Registry};

/// Domain 6 with items 6.1 (L1 ×2, L2 ×3, L3–L5 ×1) and 6.2 (one per level, L2 allows N/A);
/// domain 7 with item 7.1 (one per level).
fn small() -> Questionnaire {
    let mut s = String::from(
        "id = \"small\"\nkind = \"dcmm\"\nedition = \"2025\"\nstandard = \"t\"\n\
         title = { zh = \"小\", en = \"small\" }\n",
    );
    let crit = |s: &mut String, item: &str, level: u8, n: u8, na: bool| {
        s.push_str(&format!(
            "[[domain.item.criterion]]\nid = \"2025:{item}:L{level}:{n}\"\nlevel = {level}\n\
             dimension = \"process\"\ntext = {{ zh = \"文\", en = \"t\" }}\n\
             evidence = {{ zh = \"证\", en = \"e\" }}\nallow_na = {na}\n"
        ))
    };
    let head = |s: &mut String, kind: &str, section: &str| {
        s.push_str(&format!(
            "[[{kind}]]\nsection = \"{section}\"\nname = {{ zh = \"名\", en = \"n\" }}\n"
        ))
    };
    head(&mut s, "domain", "6");
    head(&mut s, "domain.item", "6.1");
    for (level, count) in [(1, 2), (2, 3), (3, 1), (4, 1), (5, 1)] {
        for n in 1..=count {
            crit(&mut s, "6.1", level, n, false);
        }
    }
    head(&mut s, "domain.item", "6.2");
    for level in 1..=5 {
        crit(&mut s, "6.2", level, 1, level == 2);
    }
    head(&mut s, "domain", "7");
    head(&mut s, "domain.item", "7.1");
    for level in 1..=5 {
        crit(&mut s, "7.1", level, 1, false);
    }
    match parse("small.toml", &s).unwrap() {
        Parsed::Dcmm(q) => q,
        _ => unreachable!(),
    }
}

fn sheet(q: &Questionnaire, answers: &[(&str, Rating)]) -> Sheet {
    Sheet::from_answers(q, answers.iter().map(|(id, r)| (*id, *r))).unwrap()
}

use Rating::{Fully, Largely, Na, Not, Partially};

/// The worked example of the module documentation:
/// 6.1: L1 = (100 + 70) / 2 = 85 passes; L2 = (100 + 70 + 50) / 3 = 73.33 → 73 fails:
///      level 1, item 1.73.
/// 6.2: L1 = 100; L2 all N/A = 100; L3 = 70 fails: level 2, item 2.70.
/// Domain 6 = (173 + 270) / 2 = 221.5 → 2.22 (half up). 7.1 unanswered: 0.00.
/// Overall = (222 + 0) / 2 = 1.11, level 1.
fn example(q: &Questionnaire) -> Sheet {
    sheet(
        q,
        &[
            ("2025:6.1:L1:1", Fully),
            ("2025:6.1:L1:2", Largely),
            ("2025:6.1:L2:1", Fully),
            ("2025:6.1:L2:2", Largely),
            ("2025:6.1:L2:3", Partially),
            ("2025:6.1:L3:1", Largely),
            ("2025:6.1:L4:1", Not),
            ("2025:6.2:L1:1", Fully),
            ("2025:6.2:L2:1", Na),
            ("2025:6.2:L3:1", Largely),
        ],
    )
}

#[test]
fn worked_example_scores_by_hand() {
    let q = small();
    let card = score(&q, &example(&q), &Policy::default());
    let i61 = &card.domains[0].items[0];
    assert_eq!(i61.level_scores.map(|h| h.0), [85, 73, 70, 0, 0]);
    assert_eq!((i61.level, i61.score), (1, Hundredths(173)));
    let i62 = &card.domains[0].items[1];
    assert_eq!(i62.level_scores.map(|h| h.0), [100, 100, 70, 0, 0]);
    assert_eq!((i62.level, i62.score), (2, Hundredths(270)));
    assert_eq!(
        card.domains[0].score,
        Hundredths(222),
        "221.5 rounds half up"
    );
    assert_eq!(card.domains[1].score, Hundredths(0));
    assert_eq!(card.overall.score, Hundredths(111));
    assert_eq!(card.overall.level, 1);
    assert_eq!(card.overall.score.to_string(), "1.11");
}

#[test]
fn a_level_at_exactly_the_threshold_passes() {
    let q = small();
    // L2 = (100 + 70 + 70) / 3 = 80 exactly.
    let s = sheet(
        &q,
        &[
            ("2025:6.1:L1:1", Fully),
            ("2025:6.1:L1:2", Fully),
            ("2025:6.1:L2:1", Fully),
            ("2025:6.1:L2:2", Largely),
            ("2025:6.1:L2:3", Largely),
        ],
    );
    let item = &score(&q, &s, &Policy::default()).domains[0].items[0];
    assert_eq!(item.level_scores[1], Hundredths(80));
    assert_eq!((item.level, item.score), (2, Hundredths(200)));
    let strict = Policy {
        pass_threshold: 81,
        ..Policy::default()
    };
    let item = &score(&q, &s, &strict).domains[0].items[0];
    assert_eq!((item.level, item.score), (1, Hundredths(180)));
}

#[test]
fn a_level_score_rounds_half_up() {
    let q = small();
    // With largely = 75: L1 = (100 + 75) / 2 = 87.5 → 88.
    let policy = Policy {
        points: Points {
            largely: 75,
            ..Policy::default().points
        },
        ..Policy::default()
    };
    let s = sheet(&q, &[("2025:6.1:L1:1", Fully), ("2025:6.1:L1:2", Largely)]);
    let item = &score(&q, &s, &policy).domains[0].items[0];
    assert_eq!(item.level_scores[0], Hundredths(88));
    assert_eq!(mean_half_up_for_test(5, 2), 3);
    assert_eq!(mean_half_up_for_test(7, 3), 2);
}

fn mean_half_up_for_test(sum: u64, count: u64) -> u32 {
    score::mean_half_up(sum, count)
}

#[test]
fn an_all_na_level_scores_100_and_unanswered_counts_as_not() {
    let q = small();
    let s = sheet(&q, &[("2025:6.2:L2:1", Na)]);
    let card = score(&q, &s, &Policy::default());
    let i62 = &card.domains[0].items[1];
    assert_eq!(i62.level_scores.map(|h| h.0), [0, 100, 0, 0, 0]);
    assert_eq!((i62.level, i62.score), (0, Hundredths(0)));
    let empty = score(&q, &Sheet::empty(&q), &Policy::default());
    assert_eq!(empty.overall.score, Hundredths(0));
    assert_eq!(empty.overall.level, 0, "0 means below Initial");
}

#[test]
fn every_level_fully_met_scores_five() {
    let q = small();
    let all: Vec<(&str, Rating)> = q.criteria().map(|c| (c.id.as_str(), Fully)).collect();
    let card = score(&q, &sheet(&q, &all), &Policy::default());
    assert_eq!(card.overall.score, Hundredths(500));
    assert_eq!(card.overall.level, 5);
}

#[test]
fn na_is_refused_where_the_criterion_does_not_allow_it() {
    let q = small();
    let err = Sheet::from_answers(&q, [("2025:6.1:L1:1", Na)]).unwrap_err();
    assert_eq!(err, SheetError::NaNotAllowed("2025:6.1:L1:1".into()));
    let err = Sheet::from_answers(&q, [("2025:9.9:L1:1", Fully)]).unwrap_err();
    assert_eq!(err.criterion(), "2025:9.9:L1:1");
}

#[test]
fn the_gap_plan_to_level_2_is_ordered_with_gains_by_hand() {
    let q = small();
    let s = example(&q);
    let policy = Policy::default();
    let card = score(&q, &s, &policy);
    let plan = gap_plan(&q, &s, &card, &policy, 2);
    let got: Vec<(&str, u8, u32)> = plan
        .iter()
        .map(|g| (g.criterion.as_str(), g.level, g.gain.0))
        .collect();
    // 7.1:L1:1 → fully: item 7.1 = 1.00, overall (222 + 100) / 2 = 1.61, gain 0.50.
    // 6.1:L2:2 or 6.1:L2:3 → fully: 6.1 reaches level 2 with L3 = 0.70: 2.70; domain 6 = 2.70;
    // overall 1.35, gain 0.24. The others change no achieved level: gain 0.
    assert_eq!(
        got,
        [
            ("2025:7.1:L1:1", 1, 50),
            ("2025:6.1:L1:2", 1, 0),
            ("2025:6.1:L2:2", 2, 24),
            ("2025:6.1:L2:3", 2, 24),
            ("2025:7.1:L2:1", 2, 0),
        ]
    );
}

#[test]
fn the_report_shape_carries_questionnaire_policy_and_gap() {
    let q = small();
    let report = evaluate(&q, &example(&q), &Policy::default(), Some(1));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["questionnaire"]["id"], "small");
    assert_eq!(json["policy"], Policy::default().version());
    assert_eq!(json["overall"]["score"], 1.11);
    assert_eq!(json["overall"]["level"], 1);
    assert_eq!(json["domains"][0]["score"], 2.22);
    assert_eq!(json["domains"][0]["items"][0]["level_scores"][0], 0.85);
    assert_eq!(json["gap"].as_array().unwrap().len(), 2);
    let no_target =
        serde_json::to_value(evaluate(&q, &example(&q), &Policy::default(), None)).unwrap();
    assert!(no_target.get("gap").is_none());
}

fn dcmm_2025() -> &'static Questionnaire {
    static Q: std::sync::OnceLock<Questionnaire> = std::sync::OnceLock::new();
    Q.get_or_init(|| {
        let registry = Registry::built_in().unwrap();
        registry.dcmm("dcmm-2025").unwrap().as_ref().clone()
    })
}

fn rating_of(code: u8) -> Option<Rating> {
    match code {
        0 => None,
        1 => Some(Not),
        2 => Some(Partially),
        3 => Some(Largely),
        _ => Some(Fully),
    }
}

fn raise(r: Option<Rating>) -> Option<Rating> {
    match r {
        None | Some(Not) => Some(Partially),
        Some(Partially) => Some(Largely),
        _ => Some(Fully),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn integer_part_is_the_level_and_scores_stay_in_range(codes in prop::collection::vec(0u8..5, 517)) {
        let q = dcmm_2025();
        let s = Sheet(codes.iter().take(q.criterion_count()).map(|c| rating_of(*c)).collect());
        let card = score(q, &s, &Policy::default());
        for d in &card.domains {
            prop_assert!(d.score.0 <= 500);
            prop_assert_eq!(d.score.whole(), d.level);
            for i in &d.items {
                prop_assert!(i.score.0 <= 500);
                prop_assert_eq!(i.score.whole(), i.level);
                prop_assert!(i.level_scores.iter().all(|l| l.0 <= 100));
            }
        }
        prop_assert!(card.overall.score.0 <= 500);
        prop_assert_eq!(card.overall.score.whole(), card.overall.level);
    }

    #[test]
    fn raising_a_rating_never_lowers_a_score(
        codes in prop::collection::vec(0u8..5, 517),
        pick in 0usize..517,
    ) {
        let q = dcmm_2025();
        let n = q.criterion_count();
        let before = Sheet(codes.iter().take(n).map(|c| rating_of(*c)).collect());
        let mut after = before.clone();
        after.0[pick % n] = raise(after.0[pick % n]);
        let policy = Policy::default();
        let (a, b) = (score(q, &before, &policy), score(q, &after, &policy));
        prop_assert!(b.overall.score >= a.overall.score);
        for (da, db) in a.domains.iter().zip(&b.domains) {
            prop_assert!(db.score >= da.score);
            for (ia, ib) in da.items.iter().zip(&db.items) {
                prop_assert!(ib.score >= ia.score);
            }
        }
    }

    #[test]
    fn each_gap_gain_equals_a_full_rescore(codes in prop::collection::vec(0u8..5, 517), target in 1u8..=5) {
        let q = dcmm_2025();
        let s = Sheet(codes.iter().take(q.criterion_count()).map(|c| rating_of(*c)).collect());
        let policy = Policy::default();
        let card = score(q, &s, &policy);
        let plan = gap_plan(q, &s, &card, &policy, target);
        for entry in plan.iter().step_by(7) {
            let mut raised = s.clone();
            let n = q.index_of(&entry.criterion).unwrap();
            prop_assert!(raised.0[n] != Some(Fully));
            raised.0[n] = Some(Fully);
            let rescored = score(q, &raised, &policy);
            prop_assert_eq!(entry.gain.0, rescored.overall.score.0 - card.overall.score.0);
            prop_assert!(entry.level <= target);
        }
        let levels: Vec<u8> = plan.iter().map(|g| g.level).collect();
        prop_assert!(levels.windows(2).all(|w| w[0] <= w[1]));
    }
}

fn profile_answers(json: serde_json::Value) -> crate::questionnaire::profile::ProfileAnswers {
    serde_json::from_value(json).unwrap()
}

#[test]
fn eligibility_reports_each_condition_as_indicative() {
    use super::profile::{eligibility, EligibilityRules};
    let met = profile_answers(serde_json::json!({
        "data_staff": 2,
        "policy_domains": ["strategy", "governance", "security", "quality", "standards"],
        "data_tools": ["metadata", "quality"],
    }));
    let e = eligibility(&met, &EligibilityRules::default());
    assert!(e.indicative && e.all_met);
    assert_eq!(
        e.conditions.iter().map(|c| c.value).collect::<Vec<_>>(),
        [2, 4, 2]
    );

    // Strategy does not count toward the four domains; one staff member is too few.
    let short = profile_answers(serde_json::json!({
        "data_staff": 1,
        "policy_domains": ["strategy", "governance", "security", "quality"],
        "data_tools": ["metadata", "quality", "security"],
    }));
    let e = eligibility(&short, &EligibilityRules::default());
    assert!(!e.all_met);
    let met: Vec<(&str, bool)> = e.conditions.iter().map(|c| (c.key, c.met)).collect();
    assert_eq!(
        met,
        [
            ("data_staff", false),
            ("policy_domains", false),
            ("data_tools", true)
        ]
    );
}

#[test]
fn the_cdo_summary_reads_rank_charter_and_duties() {
    use super::profile::cdo_summary;
    let s = cdo_summary(&profile_answers(serde_json::json!({
        "cdo_appointed": true, "cdo_rank": "executive", "cdo_in_charter": true,
        "cdo_duties": ["strategy", "security"],
    })));
    assert!(s.appointed && s.decision_level && s.in_charter);
    assert_eq!(s.duties, ["strategy", "security"]);
    assert_eq!(
        s.missing_duties,
        ["infrastructure", "management", "value", "culture"]
    );

    let none = cdo_summary(&profile_answers(serde_json::json!({
        "cdo_appointed": false, "cdo_rank": "board", "cdo_in_charter": true,
    })));
    assert!(!none.appointed && !none.decision_level && !none.in_charter);
    assert_eq!(none.missing_duties.len(), 6);
}

#[test]
fn the_built_in_profile_asks_every_question_the_results_read() {
    use super::profile::{keys, CDO_DUTIES, NON_STRATEGY_DOMAINS};
    let registry = Registry::built_in().unwrap();
    let p = registry.profile(crate::questionnaire::PROFILE_ID).unwrap();
    for key in [
        keys::DATA_STAFF,
        keys::POLICY_DOMAINS,
        keys::DATA_TOOLS,
        keys::CDO_APPOINTED,
        keys::CDO_RANK,
        keys::CDO_IN_CHARTER,
        keys::CDO_DUTIES,
    ] {
        assert!(p.question(key).is_some(), "{key}");
    }
    let options = |id: &str| -> Vec<String> {
        p.question(id)
            .unwrap()
            .options
            .iter()
            .map(|o| o.value.clone())
            .collect()
    };
    for d in NON_STRATEGY_DOMAINS {
        assert!(options(keys::POLICY_DOMAINS).contains(&d.to_owned()), "{d}");
    }
    for d in CDO_DUTIES {
        assert!(options(keys::CDO_DUTIES).contains(&d.to_owned()), "{d}");
    }
}

#[test]
fn a_sheet_survives_its_compact_form() {
    let q = small();
    let s = example(&q);
    let text = s.to_compact();
    assert_eq!(text.len(), q.criterion_count());
    assert_eq!(&text[..3], "FLF");
    assert_eq!(Sheet::from_compact(&q, &text), Some(s));
    assert_eq!(Sheet::from_compact(&q, "FL"), None);
    assert_eq!(
        Sheet::from_compact(&q, &"X".repeat(q.criterion_count())),
        None
    );
}
