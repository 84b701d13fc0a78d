//! The cluster report model from realistic roll-ups on the built-in questionnaire: snapshots in
//! both languages, the sharing rules, the quantile bands, the heat map of 200 enterprises; the
//! shared actions in [`actions`], the roster and the names of codes in [`roster`], and the
//! PDF, checked with real tools, in [`pdf`].
//!
//! The dashboard page's tests draw the same reports ([`small_report`], [`report_of`]).

mod actions;
mod pdf;
mod roster;

use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::ids::EnterpriseId;
use crate::questionnaire::Registry;
use crate::scoring::profile::{cdo_summary, eligibility, EligibilityRules};
use crate::scoring::rollup::{rollup, CampaignInput, PreviousCampaign, RollupPolicy};
use crate::scoring::{score, Policy, Rating, Scorecard, Sheet};

/// The ratings of an enterprise that fully meets every level up to `base` (one more in every
/// third domain, shifted by `seed`), meets the next level in part, and nothing above.
fn card(q: &Questionnaire, base: u8, seed: usize) -> Scorecard {
    let mut ratings = Vec::with_capacity(q.criterion_count());
    for (di, d) in q.domains.iter().enumerate() {
        let reached = (base + u8::from((di + seed).is_multiple_of(3))).min(5);
        for c in d.items.iter().flat_map(|i| &i.criteria) {
            let n = ratings.len() + seed;
            ratings.push(Some(if c.level <= reached {
                Rating::Fully
            } else if c.level == reached + 1 {
                [
                    Rating::Fully,
                    Rating::Largely,
                    Rating::Partially,
                    Rating::Not,
                ][n % 4]
            } else {
                Rating::Not
            }));
        }
    }
    score(q, &Sheet(ratings), &Policy::default())
}

/// A profile with `staff` data staff and, when `cdo`, a chief data officer at executive level.
fn with_profile(e: &mut EnterpriseResult, staff: i64, cdo: bool) {
    let answers = serde_json::from_value(json!({
        "data_staff": staff,
        "policy_domains": ["governance", "architecture", "security", "quality"],
        "data_tools": ["metadata", "quality"],
        "cdo_appointed": cdo,
        "cdo_rank": cdo.then_some("executive"),
        "cdo_in_charter": cdo,
        "cdo_duties": if cdo { vec!["strategy", "management"] } else { vec![] },
    }))
    .unwrap();
    e.eligibility = Some(eligibility(&answers, &EligibilityRules::default()));
    e.cdo = Some(cdo_summary(&answers));
}

/// An invited enterprise; scored (`own` base, `verified` base) unless a draft.
fn firm(
    q: &Questionnaire,
    name: &str,
    sharing: Sharing,
    status: Status,
    (own, verified): (u8, u8),
    seed: usize,
) -> EnterpriseResult {
    let scored = status != Status::Draft;
    let mut e = EnterpriseResult {
        id: EnterpriseId::new(),
        name: name.to_owned(),
        industry: ["equipment", "software"][seed % 2].to_owned(),
        size: Size::ALL[seed % 4],
        sharing,
        status,
        started: scored,
        overdue: false,
        own: scored.then(|| card(q, own, seed)),
        verified: scored.then(|| card(q, verified, seed + 1)),
        eligibility: None,
        cdo: None,
    };
    if status == Status::Accepted {
        with_profile(&mut e, 1 + seed as i64 % 3, seed.is_multiple_of(2));
    }
    e
}

const ANONYMOUS: [&str; 2] = ["海峡云数据服务有限公司", "仓山食品有限公司"];

/// Eight invited: every sharing setting and status, an overdue draft, one never started.
pub(crate) fn small(q: &Questionnaire) -> Vec<EnterpriseResult> {
    use Sharing::{Anonymous, Full, Scores};
    use Status::{Accepted, Draft, Submitted};
    let mut firms = vec![
        firm(q, "榕城精密机械有限公司", Full, Accepted, (3, 2), 0),
        firm(q, "闽江智造科技股份有限公司", Scores, Accepted, (3, 3), 1),
        firm(q, ANONYMOUS[0], Anonymous, Accepted, (2, 1), 2),
        firm(q, "长乐纺织有限公司", Full, Accepted, (2, 1), 3),
        firm(q, "鼓山新材料有限公司", Full, Submitted, (2, 2), 4),
        firm(q, "马尾船舶配件厂", Scores, Draft, (0, 0), 5),
        firm(q, ANONYMOUS[1], Anonymous, Draft, (0, 0), 6),
        firm(q, "三坊七巷文旅集团", Full, Draft, (0, 0), 7),
    ];
    (firms[5].started, firms[5].overdue) = (true, true);
    firms[6].overdue = true;
    firms
}

pub(crate) fn facts() -> CampaignFacts {
    CampaignFacts {
        cluster: "榕城数字经济产业集群".to_owned(),
        campaign: "2025 年度数据管理能力评估".to_owned(),
        campaign_id: "0197a1b2-0000-7000-8000-000000000001".to_owned(),
        status: "open".to_owned(),
        due_date: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
        as_of: NaiveDate::from_ymd_opt(2025, 6, 18).unwrap(),
        policy: Policy::default().version(),
    }
}

pub(crate) fn registry() -> Registry {
    Registry::built_in().unwrap()
}

/// The report of `firms` on `q`, with a previous campaign of two accepted assessments on
/// `previous` when given.
pub(crate) fn report_of(
    q: &Questionnaire,
    firms: Vec<EnterpriseResult>,
    previous: Option<&Questionnaire>,
    lang: Lang,
) -> ClusterReport {
    let input = CampaignInput {
        questionnaire: q,
        target_level: 3,
        enterprises: firms,
        previous: previous.map(|p| PreviousCampaign {
            questionnaire: p,
            verified: vec![card(p, 1, 0), card(p, 2, 1)],
            crosswalk: None,
        }),
    };
    let r = rollup(&input, &RollupPolicy::default());
    cluster_report(facts(), q, &r, &input.enterprises, lang)
}

pub(crate) fn small_report(lang: Lang) -> ClusterReport {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    report_of(q, small(q), Some(q), lang)
}

fn json(report: &ClusterReport) -> String {
    serde_json::to_string(report).unwrap()
}

#[test]
fn the_chinese_report_model() {
    insta::assert_json_snapshot!(small_report(Lang::Zh));
}

#[test]
fn the_english_report_model() {
    insta::assert_json_snapshot!(small_report(Lang::En));
}

#[test]
fn the_english_report_has_no_chinese_beyond_the_names_it_was_given() {
    let mut report = small_report(Lang::En);
    let given: Vec<String> = report
        .annex
        .table
        .iter()
        .flat_map(|t| &t.rows)
        .map(|row| row[0].clone())
        .chain(report.cover.facts.iter().take(2).map(|f| f.value.clone()))
        .collect();
    let mut text = json(&report);
    for name in &given {
        text = text.replace(name.as_str(), "");
    }
    let chinese: String = text
        .chars()
        .filter(|c| matches!(*c as u32, 0x3000..=0x9fff | 0xff00..=0xffef))
        .collect();
    assert!(chinese.is_empty(), "untranslated: {chinese}");
    report.lang = Lang::Zh;
    assert_ne!(report, small_report(Lang::Zh));
}

#[test]
fn anonymous_enterprises_appear_nowhere_in_the_model() {
    for lang in [Lang::Zh, Lang::En] {
        let report = small_report(lang);
        let text = json(&report);
        for name in ANONYMOUS {
            assert!(!text.contains(name), "{name} in the {lang:?} model");
        }
        assert!(text.contains("榕城精密机械有限公司"));
        assert_eq!(
            report.heat.anonymous, 1,
            "one anonymous accepted assessment"
        );
        let named: Vec<&str> = report
            .heat
            .chunks
            .iter()
            .flat_map(|c| &c.rows)
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(
            named,
            [
                "榕城精密机械有限公司",
                "长乐纺织有限公司",
                "闽江智造科技股份有限公司"
            ],
            "accepted and shared, by name"
        );
        let annex = report.annex.table.as_ref().unwrap();
        assert_eq!(annex.rows.len(), 6, "every invited enterprise but the two");
        assert!(report.annex.after[0].contains('2'));
    }
}

#[test]
fn the_annex_gives_scores_of_accepted_assessments_only_in_name_order() {
    let report = small_report(Lang::Zh);
    let rows = &report.annex.table.as_ref().unwrap().rows;
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    for row in rows {
        let accepted = row[4] == "已通过";
        assert_eq!(row[5] != "–", accepted, "{row:?}");
        assert_eq!(row[6] != "–", accepted, "{row:?}");
    }
    let overdue = rows.iter().find(|r| r[0] == "马尾船舶配件厂").unwrap();
    assert_eq!(overdue[4], "填写中（逾期）");
}

#[test]
fn with_everyone_anonymous_the_model_holds_quantile_bands_and_no_heat_rows() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let mut firms = small(q);
    for f in &mut firms {
        f.sharing = Sharing::Anonymous;
    }
    let report = report_of(q, firms, None, Lang::Zh);
    assert!(report.heat.chunks.is_empty());
    assert_eq!(report.heat.anonymous, 4);
    let bands = report.heat.bands.as_ref().expect("bands instead");
    assert_eq!(bands.rows.len(), q.domains.len());
    assert_eq!(bands.rows[0].domain, "数据战略");
    for band in &bands.rows {
        let b = band.quartiles.expect("every domain was scored");
        assert_eq!(b.n, 4);
        assert!(b.min <= b.q1 && b.q1 <= b.median && b.median <= b.q3 && b.q3 <= b.max);
    }
    assert!(report.annex.table.as_ref().unwrap().rows.is_empty());
    assert!(report.annex.after[0].contains('8'));
    let chart = report.bands_chart().unwrap();
    assert!(chart.texts().contains(&"数据战略"));
    assert!(report.heat_charts().is_empty());
}

#[test]
fn with_nothing_accepted_there_is_no_tier_no_heat_map_and_no_bands() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms: Vec<EnterpriseResult> = small(q)
        .into_iter()
        .filter(|f| f.status != Status::Accepted)
        .collect();
    let report = report_of(q, firms, None, Lang::En);
    assert_eq!(report.readiness.tier, None);
    assert!(report.readiness.rules.is_none());
    assert!(report.readiness.notes[0].contains("no readiness tier"));
    assert!(report.heat.chunks.is_empty() && report.heat.bands.is_none());
    assert!(report.weakest.table.is_none());
    assert_eq!(
        report.change.notes,
        ["The cluster has no previous campaign."]
    );
    assert!(
        report.levels.notes[1].contains("1 more"),
        "{:?}",
        report.levels
    );
}

#[test]
fn the_readiness_section_shows_the_rules_and_the_figures_of_the_tier() {
    let report = small_report(Lang::Zh);
    let r = &report.readiness;
    let rules = r.rules.as_ref().unwrap();
    assert_eq!(rules.rows.len(), 3);
    assert_eq!(rules.rows[0][0], "引领级");
    assert_eq!(rules.rows[0][1], "S ≥ 3.00 · P3 ≥ 50.00%");
    let name = r.tier.unwrap().name().zh;
    assert!(r.tier_line.ends_with(&name), "{}", r.tier_line);
    assert!(r.notes.iter().any(|n| n.contains("指示性")));
    assert!(report.cover.statement.contains("不构成"));
}

#[test]
fn a_previous_campaign_of_another_edition_is_compared_by_section_with_its_note() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let old = registry
        .dcmm_all()
        .find(|p| p.edition != q.edition)
        .unwrap();
    let report = report_of(q, small(q), Some(old), Lang::Zh);
    assert_eq!(report.change.notes.len(), 2, "{:?}", report.change.notes);
    assert!(report.change.notes[1].contains("标准版本不同"));
    let rows = &report.change.table.as_ref().unwrap().rows;
    assert_eq!(rows.len(), 1 + q.domains.len());
}

/// Two hundred invited enterprises: a third each sharing full, scores and anonymous, with every
/// status, ten names per prefix.
fn many(q: &Questionnaire) -> Vec<EnterpriseResult> {
    let places = [
        "榕城", "闽江", "鼓楼", "台江", "仓山", "马尾", "晋安", "长乐", "福清", "闽侯",
    ];
    let trades = [
        "精密", "智造", "数据", "云联", "新材", "食品", "纺织", "船舶", "医药", "电子",
    ];
    (0..200)
        .map(|i| {
            let name = format!("{}{}科技{i:03}", places[i % 10], trades[(i / 10) % 10]);
            let sharing = Sharing::ALL[i % 3];
            let status = [
                Status::Accepted,
                Status::Accepted,
                Status::Submitted,
                Status::Draft,
            ][(i / 3) % 4];
            firm(q, &name, sharing, status, (2, (i % 4) as u8), i)
        })
        .collect()
}

#[test]
fn two_hundred_enterprises_split_the_heat_map_into_charts_of_twenty() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms = many(q);
    let report = report_of(q, firms.clone(), Some(q), Lang::Zh);
    let shown: Vec<&str> = report
        .heat
        .chunks
        .iter()
        .flat_map(|c| &c.rows)
        .map(|r| r.name.as_str())
        .collect();
    let mut expected: Vec<&str> = firms
        .iter()
        .filter(|f| f.status == Status::Accepted && f.sharing != Sharing::Anonymous)
        .map(|f| f.name.as_str())
        .collect();
    expected.sort_unstable();
    assert_eq!(shown, expected);
    let sizes: Vec<usize> = report.heat.chunks.iter().map(|c| c.rows.len()).collect();
    assert!(
        sizes.iter().all(|s| *s <= build::domains::HEAT_ROWS),
        "{sizes:?}"
    );
    assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
    assert_eq!(report.heat_charts().len(), sizes.len());
    assert!(report.heat.chunks[0]
        .title
        .contains(&format!("共 {} 家", shown.len())));
}

#[test]
fn heat_map_columns_are_short_enough_to_sit_side_by_side() {
    assert_eq!(build::domains::short("数据战略"), "战略");
    assert_eq!(build::domains::short("数据生存周期"), "生存周期");
    assert_eq!(build::domains::short("Data strategy"), "strategy");
    assert_eq!(build::domains::short("Data governance"), "govern.");
    assert_eq!(
        build::domains::short("Data application and circulation"),
        "applic."
    );
    assert_eq!(build::domains::short("Data lifecycle"), "lifecycle");
}

#[test]
fn the_report_of_an_open_campaign_says_it_is_interim_and_a_closed_one_is_final() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let input = CampaignInput {
        questionnaire: q,
        target_level: 3,
        enterprises: small(q),
        previous: None,
    };
    let r = rollup(&input, &RollupPolicy::default());
    let open = cluster_report(facts(), q, &r, &input.enterprises, Lang::Zh);
    let mark = open
        .mark
        .clone()
        .expect("an open campaign's report is marked");
    assert!(
        mark.contains("并非最终结果") && mark.contains("2025-06-18"),
        "{mark}"
    );
    assert!(
        crate::report::issue::Model::Cluster(Box::new(open))
            .printed()
            .not_final
    );
    let closed = CampaignFacts {
        status: "closed".to_owned(),
        ..facts()
    };
    let final_report = cluster_report(closed, q, &r, &input.enterprises, Lang::Zh);
    assert_eq!(final_report.mark, None);
    assert!(
        !crate::report::issue::Model::Cluster(Box::new(final_report))
            .printed()
            .not_final
    );
}
