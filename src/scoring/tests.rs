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

/// The stricter threshold τ = 80 the hand-worked examples were worked out under.
fn strict() -> Policy {
    Policy {
        pass_threshold: 80,
        ..Policy::default()
    }
}

#[test]
fn worked_example_scores_by_hand() {
    let q = small();
    let card = score(&q, &example(&q), &strict());
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

/// A step of the plan as the hand-worked tests compare it: item, raises, levels, scores, gain.
type Step<'a> = (
    &'a str,
    Vec<(&'a str, Option<Rating>, Rating)>,
    u8,
    u8,
    u32,
    u32,
    u32,
);

/// At τ = 80, to level 2. 7.1 (0.00) needs its one level-1 criterion fully (largely, 70, is
/// short of 80): 1.00, overall (222 + 100) / 2 = 1.61, a gain of 0.50; then level 2 the same
/// way: 2.00, overall 2.11, again 0.50. 6.1 needs a level-2 sum of 239: 6.1:L2:3 partially →
/// largely makes 240 (0.80), one criterion and the fewest points; level 3 is 0.70, so 6.1 =
/// 2.70, domain 6 = 2.70, overall 1.35, a gain of 0.24. 6.2 is at level 2 already.
#[test]
fn the_path_to_level_2_by_hand() {
    let q = small();
    let s = example(&q);
    let policy = strict();
    let card = score(&q, &s, &policy);
    let plan = gap_plan(&q, &s, &card, &policy, 2);
    let got: Vec<Step<'_>> = plan
        .iter()
        .map(|g| {
            (
                g.item.as_str(),
                g.criteria
                    .iter()
                    .map(|r| (r.criterion.as_str(), r.from, r.to))
                    .collect(),
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
            (
                "2025:7.1",
                vec![("2025:7.1:L1:1", None, Fully)],
                0,
                1,
                0,
                100,
                50
            ),
            (
                "2025:7.1",
                vec![("2025:7.1:L2:1", None, Fully)],
                1,
                2,
                100,
                200,
                50
            ),
            (
                "2025:6.1",
                vec![("2025:6.1:L2:3", Some(Partially), Largely)],
                1,
                2,
                173,
                270,
                24
            ),
        ]
    );
}

#[test]
fn the_report_shape_carries_questionnaire_policy_and_gap() {
    let q = small();
    let report = evaluate(&q, &example(&q), &strict(), Some(1));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["questionnaire"]["id"], "small");
    assert_eq!(json["policy"], strict().version());
    assert_eq!(json["overall"]["score"], 1.11);
    assert_eq!(json["overall"]["level"], 1);
    assert_eq!(json["domains"][0]["score"], 2.22);
    assert_eq!(json["domains"][0]["items"][0]["level_scores"][0], 0.85);
    // Only 7.1 is below level 1: one step, of its one level-1 criterion.
    let gap = json["gap"].as_array().unwrap();
    assert_eq!(gap.len(), 1);
    assert_eq!(gap[0]["item"], "2025:7.1");
    assert_eq!(gap[0]["criteria"][0]["criterion"], "2025:7.1:L1:1");
    let no_target =
        serde_json::to_value(evaluate(&q, &example(&q), &Policy::default(), None)).unwrap();
    assert!(no_target.get("gap").is_none());
}

/// Ratings drawn per case: more than the built-in 2025 questionnaire has criteria (checked in
/// `dcmm_2025`); each sheet takes as many as it needs.
const CODES: usize = 800;

fn dcmm_2025() -> &'static Questionnaire {
    static Q: std::sync::OnceLock<Questionnaire> = std::sync::OnceLock::new();
    Q.get_or_init(|| {
        let registry = Registry::built_in().unwrap();
        let q = registry.dcmm("dcmm-2025").unwrap().as_ref().clone();
        assert!(q.criterion_count() <= CODES, "draw more ratings per case");
        q
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
    fn integer_part_is_the_level_and_scores_stay_in_range(codes in prop::collection::vec(0u8..5, CODES)) {
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
        codes in prop::collection::vec(0u8..5, CODES),
        pick in 0usize..CODES,
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
fn the_pre_check_counts_the_domains_of_the_assessment_s_edition() {
    use super::profile::{eligibility, EligibilityRules};
    let answers = profile_answers(serde_json::json!({
        "policy_domains": ["assets", "governance", "security", "quality"],
    }));
    let of = |edition| {
        let e = eligibility(&answers, &EligibilityRules::for_edition(edition));
        let c = e
            .conditions
            .into_iter()
            .find(|c| c.key == "policy_domains")
            .unwrap();
        (c.value, c.met, c.label.zh)
    };
    let (value, met, label) = of("2025");
    assert_eq!((value, met), (4, true), "data assets is a 2025 domain");
    assert!(label.contains("8 个能力域"), "{label}");
    let (value, met, label) = of("2018");
    assert_eq!((value, met), (3, false), "2018 has no data-assets domain");
    assert!(label.contains("7 个能力域"), "{label}");
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
    use super::profile::{keys, CDO_DUTIES, NON_STRATEGY_DOMAINS_2018, NON_STRATEGY_DOMAINS_2025};
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
    for d in NON_STRATEGY_DOMAINS_2018
        .iter()
        .chain(&NON_STRATEGY_DOMAINS_2025)
    {
        assert!(
            options(keys::POLICY_DOMAINS).contains(&(*d).to_owned()),
            "{d}"
        );
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

/// The scenario table of the README ("How answers score"), computed on the built-in 2025
/// questionnaire under the default τ = 70 and the stricter τ = 80.
fn scenario_table() -> String {
    use crate::questionnaire::Lang;
    use crate::report::level_name;

    let registry = Registry::built_in().unwrap();
    let q = registry.dcmm("dcmm-2025").unwrap();
    let fill = |f: &dyn Fn(&crate::questionnaire::Criterion, bool) -> Rating| {
        let mut first_l1 = std::collections::HashSet::new();
        let sheet = Sheet(
            q.domains
                .iter()
                .flat_map(|d| &d.items)
                .flat_map(|i| i.criteria.iter().map(move |c| (i, c)))
                .map(|(i, c)| Some(f(c, c.level == 1 && first_l1.insert(i.id.clone()))))
                .collect(),
        );
        sheet
    };
    let upto3 = |c: &crate::questionnaire::Criterion| {
        if c.level <= 3 {
            Rating::Fully
        } else {
            Rating::Not
        }
    };
    let scenarios: Vec<(&str, Sheet)> = vec![
        ("every criterion 大部分满足", fill(&|_, _| Rating::Largely)),
        (
            "every criterion 完全满足, except one level-1 criterion per item 一般满足",
            fill(&|_, first| {
                if first {
                    Rating::Partially
                } else {
                    Rating::Fully
                }
            }),
        ),
        ("levels 1–3 完全满足, 4–5 不满足", fill(&|c, _| upto3(c))),
        (
            "the same, but `2025:12.2:L1:1` 不满足",
            fill(&|c, _| {
                if c.id == "2025:12.2:L1:1" {
                    Rating::Not
                } else {
                    upto3(c)
                }
            }),
        ),
    ];
    let strict = Policy {
        pass_threshold: 80,
        ..Policy::default()
    };
    let cell = |s: &Sheet, p: &Policy| {
        let o = score(q, s, p).overall;
        format!("{}, {}", o.score, level_name(Lang::Zh, o.level))
    };
    let mut out = String::from(
        "| answers (built-in 2025 questionnaire) | overall, τ = 70 (default) | overall, τ = 80 |\n\
         | --- | --- | --- |\n",
    );
    for (name, sheet) in &scenarios {
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            cell(sheet, &Policy::default()),
            cell(sheet, &strict)
        ));
    }
    out
}

#[test]
fn the_readme_shows_the_scenario_table_as_computed() {
    let table = scenario_table();
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&table),
        "README.md must show the scenario table as computed:\n{table}"
    );
}
