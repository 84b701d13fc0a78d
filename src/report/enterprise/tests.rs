use super::*;
use crate::questionnaire::{Registry, Text};
use crate::report::pdf::tests::{tool, TempPdf};
use crate::report::pdf::ReportFont;
use crate::scoring::rollup::{
    DomainPercentile, Group, GroupBenchmark, Percentiles, Suppressed, SuppressionReason,
};
use crate::scoring::score;
use crate::scoring::{evaluate, Policy, Rating, Sheet};

mod verification;

fn scored(q: &Questionnaire, rating: impl Fn(usize) -> Rating) -> ScoreReport {
    let sheet = Sheet(
        q.criteria()
            .enumerate()
            .map(|(i, _)| Some(rating(i)))
            .collect(),
    );
    evaluate(q, &sheet, &Policy::default(), Some(3))
}

/// The policy the tests' scores are computed with (`Policy::default()`).
pub(super) static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(Policy::default);

pub(super) fn facts<'a>(profile: Option<(&'a Profile, &'a ProfileAnswers)>) -> Facts<'a> {
    Facts {
        enterprise: "闽江智造装备有限公司".into(),
        credit_code: "91350100MA2XXXXXX0".into(),
        campaign: "2026 年度贯标评估".into(),
        status: Status::Accepted,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        target: Some(3),
        profile,
        policy: &POLICY,
        notes: vec![
            Note {
                auditor: "评估师 陈志远".into(),
                at: NaiveDate::from_ymd_opt(2026, 11, 10)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                decision: "return".into(),
                text: "数据质量检查记录缺少签字页。".into(),
            },
            Note {
                auditor: "评估师 王敏".into(),
                at: NaiveDate::from_ymd_opt(2026, 11, 20)
                    .unwrap()
                    .and_hms_opt(15, 30, 0)
                    .unwrap(),
                decision: "accept".into(),
                text: "证据齐全。".into(),
            },
        ],
        rerated: Vec::new(),
        evidence: vec![EvidenceEntry {
            file_name: "数据质量管理办法.pdf".into(),
            sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            size_bytes: 2048,
            criteria: vec!["2025:6.1:L1:1".into()],
        }],
        unanswered: 0,
        benchmark: None,
        previous: None,
    }
}

fn profile_answers() -> ProfileAnswers {
    serde_json::from_value(serde_json::json!({
        "data_staff": 12,
        "policy_domains": ["governance", "security", "quality"],
        "data_tools": 2,
        "cdo_appointed": true,
        "cdo_rank": "executive",
        "cdo_in_charter": true,
        "cdo_duties": ["strategy", "management"]
    }))
    .unwrap()
}

fn reports(lang: Lang) -> (EnterpriseReport, usize, usize) {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let self_scores = scored(q, |_| Rating::Fully);
    let verified = scored(q, |i| {
        if i % 2 == 0 {
            Rating::Largely
        } else {
            Rating::Partially
        }
    });
    let answers = profile_answers();
    let profile = registry.profile("enterprise-profile").unwrap();
    let report = enterprise_report(
        q,
        &self_scores,
        Some(&verified),
        facts(Some((profile, &answers))),
        lang,
    );
    (report, q.domains.len(), q.item_count())
}

#[test]
fn every_domain_and_item_is_named_with_self_and_verified_scores() {
    let (report, domains, items) = reports(Lang::Zh);
    assert_eq!(report.domains.len(), domains);
    assert_eq!(report.items.len(), items);
    assert_eq!(report.domains[0].domain, "数据战略");
    assert!(report
        .items
        .iter()
        .all(|r| !r.item.is_empty() && r.verified.is_some()));
    assert!(report.overall_verified.is_some());
    assert!(report.overall_verified < Some(report.overall_self));
    assert_eq!(
        Some(report.level),
        report.overall_verified.map(|v| v.whole()),
        "the indicated level is the verified one"
    );
    let (en, _, _) = reports(Lang::En);
    assert_ne!(en.domains[0].domain, "数据战略");
}

#[test]
fn the_radar_has_an_axis_per_domain_and_the_target() {
    let (report, _, _) = reports(Lang::Zh);
    let chart = report.radar();
    let texts = chart.texts();
    for d in &report.domains {
        assert!(texts.contains(&d.domain.as_str()), "{texts:?}");
    }
    assert!(texts.contains(&"目标"));
}

/// With `DCMM_SAMPLE_REPORT_PDF=path` the PDF is also kept there, to look at.
#[test]
fn the_pdf_shows_the_domains_and_the_indicative_statement() {
    let (report, _, _) = reports(Lang::Zh);
    let font = ReportFont::builtin().unwrap();
    let bytes = report.to_pdf(
        font,
        "RPT-0002",
        &crate::report::verify_at::VerifyAt::default(),
    );
    if let Ok(path) = std::env::var("DCMM_SAMPLE_REPORT_PDF") {
        std::fs::write(path, &bytes).unwrap();
    }
    let file = TempPdf::write(&bytes);
    if let Some(text) = tool("pdftotext", &["FILE", "-"], &file.0) {
        for d in &report.domains {
            assert!(text.contains(&d.domain), "{} missing", d.domain);
        }
        assert!(text.contains("不构成认证"));
        assert!(text.contains("RPT-0002"));
        for expected in [
            "闽江智造装备有限公司",
            "91350100MA2XXXXXX0",
            "数据质量管理办法.pdf",
            "9f86d081884c7d659a2feaa0c55ad015",
            "数据质量检查记录缺少签字页",
            "企业高管",
            "差距与提升计划",
        ] {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(compact.contains(expected), "{expected} missing");
        }
    }
    if let Some(out) = tool("qpdf", &["--check", "FILE"], &file.0) {
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
    // The document information names the enterprise and the report, dated by the data.
    if let Some(info) = tool("pdfinfo", &["FILE"], &file.0) {
        assert!(info.contains("闽江智造装备有限公司 · RPT-0002"), "{info}");
        assert!(info.contains("Nov 20 00:00:00 2026"), "{info}");
    }
}

#[test]
fn the_gap_plan_is_the_verified_path_with_criterion_texts() {
    let (report, _, _) = reports(Lang::Zh);
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let verified = scored(q, |i| {
        if i % 2 == 0 {
            Rating::Largely
        } else {
            Rating::Partially
        }
    });
    let plan = verified.gap.as_ref().unwrap();
    assert!(
        !plan.is_empty(),
        "verified ratings leave items below level 3"
    );
    assert_eq!(report.gap.len(), plan.len());
    for (row, step) in report.gap.iter().zip(plan) {
        assert_eq!(
            (row.item_id.as_str(), row.gain, row.level_after),
            (step.item.as_str(), step.gain, step.level_after)
        );
        let item = q
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == row.item_id)
            .unwrap();
        assert_eq!(row.item, item.name.zh);
        assert_eq!(row.criteria.len(), step.criteria.len());
        for (c, r) in row.criteria.iter().zip(&step.criteria) {
            assert_eq!(c.criterion, r.criterion);
            assert_eq!(c.text, q.criterion(&c.criterion).unwrap().text.zh);
            assert_eq!(c.level, row.level_before + 1);
            assert_eq!(
                c.to,
                if r.to == Rating::Fully {
                    "完全满足"
                } else {
                    "大部分满足"
                }
            );
            assert!(c.from == "大部分满足" || c.from == "一般满足", "{}", c.from);
        }
    }
    assert!(report.gap.iter().all(|g| g.level_before < 3));
}

#[test]
fn the_profile_summary_names_conditions_and_duties_in_the_report_language() {
    let (zh, _, _) = reports(Lang::Zh);
    let p = zh.profile.as_ref().unwrap();
    assert_eq!(p.conditions.len(), 3);
    assert_eq!(p.cdo_rank.as_deref(), Some("企业高管（副总经理及以上）"));
    assert!(p.cdo_decision_level && p.cdo_in_charter);
    assert!(p.cdo_duties.contains(&"数据战略与规划".to_owned()));
    assert!(!p.cdo_missing_duties.is_empty());
    let (en, _, _) = reports(Lang::En);
    let p = en.profile.as_ref().unwrap();
    assert!(p
        .cdo_duties
        .contains(&"Data strategy and planning".to_owned()));
}

/// The model of a small report, field by field: a change to what the PDF shows shows here.
#[test]
fn snapshot_of_a_small_report() {
    let registry = Registry::built_in().unwrap();
    let q = registry.dcmm("dcmm-2018").unwrap();
    // One criterion in three partially met, the rest fully: a clear but short gap plan.
    let own = scored(q, |i| {
        if i % 40 == 0 {
            Rating::Partially
        } else {
            Rating::Fully
        }
    });
    let mut report = enterprise_report(q, &own, None, facts(None), Lang::En);
    report.items.truncate(3);
    report.gap.truncate(3);
    insta::assert_json_snapshot!(report);
}

#[test]
fn the_level_is_named_and_zero_is_below_initial() {
    let (report, _, _) = reports(Lang::Zh);
    assert_eq!(
        report.level_name,
        crate::report::level_name(Lang::Zh, report.level)
    );
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let nothing = scored(q, |_| Rating::Not);
    let draft = Facts {
        status: Status::Draft,
        unanswered: 12,
        ..facts(None)
    };
    let zh = enterprise_report(q, &nothing, None, draft.clone(), Lang::Zh);
    assert_eq!((zh.level, zh.level_name.as_str()), (0, "未达初始级"));
    let en = enterprise_report(q, &nothing, None, draft, Lang::En);
    assert_eq!(en.level_name, "below Initial");
}

#[test]
fn a_result_is_provisional_until_accepted_and_says_what_is_missing() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let own = scored(q, |_| Rating::Largely);
    let with = |status, unanswered, lang| {
        let f = Facts {
            status,
            unanswered,
            ..facts(None)
        };
        enterprise_report(q, &own, None, f, lang).provisional
    };
    let draft = with(Status::Draft, 7, Lang::Zh).unwrap();
    assert!(
        draft.contains("暂定") && draft.contains("7 条未作答"),
        "{draft}"
    );
    let one = with(Status::Draft, 1, Lang::En).unwrap();
    assert!(one.contains("1 criterion is unanswered"), "{one}");
    let complete = with(Status::Draft, 0, Lang::Zh).unwrap();
    assert!(complete.contains("尚未提交"), "{complete}");
    let submitted = with(Status::Submitted, 0, Lang::Zh).unwrap();
    assert!(submitted.contains("等待审核员核验"), "{submitted}");
    assert_eq!(with(Status::Accepted, 0, Lang::Zh), None);
}

#[test]
fn the_gap_plan_groups_each_item_s_path_in_order_with_the_best_steps_first() {
    let (report, _, _) = reports(Lang::Zh);
    let groups = report.gap_by_item();
    assert_eq!(
        groups.iter().map(|g| g.rows.len()).sum::<usize>(),
        report.gap.len(),
        "every step in one group"
    );
    let mut ids: Vec<&str> = groups.iter().map(|g| g.item_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), groups.len(), "one group per item");
    // Groups follow the plan's order of their first steps.
    let firsts: Vec<usize> = groups
        .iter()
        .map(|g| {
            report
                .gap
                .iter()
                .position(|r| r.item_id == g.item_id)
                .unwrap()
        })
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    for g in &groups {
        assert!(g
            .rows
            .iter()
            .all(|r| r.item_id == g.item_id && r.item == g.item));
        // Each step starts where the one before left the item.
        assert!(g.rows.windows(2).all(
            |w| w[0].level_after == w[1].level_before && w[0].score_after == w[1].score_before
        ));
        assert_eq!(g.level_before, g.rows[0].level_before);
        assert_eq!(g.level_after, g.rows[g.rows.len() - 1].level_after);
        assert!(g.level_after >= 3);
        assert_eq!(g.gain.0, g.rows.iter().map(|r| r.gain.0).sum::<u32>());
    }
    let first = report.first_steps();
    assert_eq!(first.len(), FIRST_STEPS.min(report.gap.len()));
    assert_eq!(first, &report.gap[..first.len()]);
    assert!(first[0].gain.0 > 0);
}

fn group(group: Group, members: u32, p: Option<(u32, &[(&str, u32)])>) -> GroupBenchmark {
    GroupBenchmark {
        group,
        value: None,
        members,
        percentiles: p.map(|(overall, domains)| Percentiles {
            overall: Hundredths(overall),
            domains: domains
                .iter()
                .map(|(id, pct)| DomainPercentile {
                    id: (*id).to_owned(),
                    score: Hundredths(0),
                    percentile: Hundredths(*pct),
                })
                .collect(),
        }),
        suppressed: p.is_none().then(|| Suppressed {
            reason: SuppressionReason::TooFewEnterprises,
            min_group: 5,
            message: Text {
                zh: "该组少于 5 家。".into(),
                en: "Fewer than 5.".into(),
            },
        }),
    }
}

#[test]
fn the_benchmark_shows_the_groups_large_enough_and_names_the_others() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let own = scored(q, |_| Rating::Largely);
    let first = q.domains[0].id.as_str();
    let facts_with = |b| Facts {
        benchmark: b,
        ..facts(None)
    };
    let b = BenchmarkFacts {
        benchmark: Benchmark {
            enterprise: crate::ids::EnterpriseId::new(),
            cluster: group(Group::Cluster, 20, Some((6250, &[(first, 5000)]))),
            industry: group(Group::Industry, 3, None),
            size: group(Group::Size, 8, Some((4375, &[]))),
        },
        industry: "能源电力".into(),
        size: "中型".into(),
    };
    let report = enterprise_report(q, &own, Some(&own), facts_with(Some(b)), Lang::Zh);
    let block = &report.benchmark;
    let table = block.table.as_ref().unwrap();
    assert_eq!(table.header.len(), 4, "{:?}", table.header);
    assert!(table.header[2].contains("本集群") && table.header[2].contains("20"));
    assert!(table.header[3].contains("同规模（中型）"));
    assert_eq!(table.rows[0][2], "62.50%");
    assert_eq!(table.rows[1][2], "50.00%");
    assert_eq!(
        table.rows[1][3], "–",
        "a domain the group has no percentile for"
    );
    assert_eq!(table.keys[0], "overall");
    assert_eq!(table.keys[1], first);
    assert!(block
        .notes
        .iter()
        .any(|n| n.contains("同行业（能源电力）") && n.contains("少于 5 家")));
    let none = enterprise_report(q, &own, None, facts_with(None), Lang::Zh);
    assert!(none.benchmark.table.is_none());
    assert!(none.benchmark.notes[0].contains("审核员核验通过后"));
}

/// The change table's row for a domain or item id.
fn change_row<'a>(table: &'a Table, key: &str) -> &'a [String] {
    let i = table.keys.iter().position(|k| k == key).unwrap();
    &table.rows[i]
}

#[test]
fn the_change_matches_domains_by_section_across_editions_and_says_so() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let before_q = registry.dcmm("dcmm-2018").unwrap();
    let before_sheet = Sheet(
        before_q
            .criteria()
            .map(|_| Some(Rating::Partially))
            .collect(),
    );
    let before = score(before_q, &before_sheet, &Policy::default());
    let own = scored(q, |_| Rating::Fully);
    let previous = PreviousFacts {
        campaign: "2025 年度评估".into(),
        questionnaire: before_q,
        verified: &before,
        crosswalk: None,
    };
    let f = Facts {
        previous: Some(previous),
        ..facts(None)
    };
    let report = enterprise_report(q, &own, Some(&own), f, Lang::Zh);
    let c = &report.change;
    let table = c.table.as_ref().unwrap();
    assert_eq!(table.rows.len(), 1 + q.domains.len() + q.item_count());
    assert_eq!(
        table.header[1], "上期对应",
        "editions differ: the matched domain"
    );
    let overall = &table.rows[0];
    assert_eq!(overall[2], before.overall.score.to_string());
    assert_eq!(overall[3], own.overall.score.to_string());
    assert_eq!(
        overall[4],
        format!(
            "+{}",
            crate::scoring::rollup::Delta::between(own.overall.score, before.overall.score)
        )
    );
    for d in &q.domains {
        let row = change_row(table, &d.id);
        let matched = before_q.domains.iter().find(|p| p.section == d.section);
        assert_eq!(row[2] != "–", matched.is_some(), "{}", d.section);
        assert_eq!(
            row[1],
            matched.map_or("–", |m| m.name.zh.as_str()),
            "{}",
            d.section
        );
        for i in &d.items {
            assert_eq!(
                change_row(table, &i.id)[2],
                "–",
                "items are not compared by section"
            );
        }
    }
    assert!(c.notes.iter().any(|n| n.contains("2025 年度评估")));
    assert!(
        c.notes.iter().any(|n| n.contains("章节号")),
        "the editions note"
    );
    let alone = enterprise_report(q, &own, Some(&own), facts(None), Lang::En);
    assert!(alone.change.table.is_none());
}

#[test]
fn the_change_pairs_domains_and_items_through_the_crosswalk() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let before_q = registry.dcmm("dcmm-2018").unwrap();
    let crosswalk = registry
        .crosswalk_between("dcmm-2018", "dcmm-2025")
        .unwrap();
    // 2018: level 1 and 2 fully and the rest not in 10.x (security), largely elsewhere.
    let before_sheet = Sheet(
        before_q
            .criteria()
            .map(|c| {
                Some(if !c.id.starts_with("2018:10.") {
                    Rating::Largely
                } else if c.level <= 2 {
                    Rating::Fully
                } else {
                    Rating::Not
                })
            })
            .collect(),
    );
    let before = score(before_q, &before_sheet, &Policy::default());
    let own = scored(q, |_| Rating::Fully);
    let f = Facts {
        previous: Some(PreviousFacts {
            campaign: "2025 年度评估".into(),
            questionnaire: before_q,
            verified: &before,
            crosswalk: Some(crosswalk),
        }),
        ..facts(None)
    };
    let report = enterprise_report(q, &own, Some(&own), f, Lang::En);
    let table = report.change.table.as_ref().unwrap();
    let domain_score = |s: &crate::scoring::Scorecard, id: &str| {
        s.domains
            .iter()
            .find(|d| d.id == id)
            .unwrap()
            .score
            .to_string()
    };
    let item_score = |s: &crate::scoring::Scorecard, id: &str| {
        s.domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == id)
            .unwrap()
            .score
            .to_string()
    };
    // Data security: 2025 §12 against 2018 §10, not against 2018 §12 (data standards).
    let security = change_row(table, "2025:12");
    assert_eq!(security[1], "Data security");
    assert_eq!(security[2], domain_score(&before, "2018:10"));
    assert_ne!(security[2], domain_score(&before, "2018:12"));
    let compliance = change_row(table, "2025:12.1");
    assert!(compliance[1].starts_with("10.1 "), "{compliance:?}");
    assert_eq!(compliance[2], item_score(&before, "2018:10.1"));
    assert_eq!(
        change_row(table, "2025:14.1")[2],
        item_score(&before, "2018:9.1")
    );
    for new in ["2025:9", "2025:9.1", "2025:10.2", "2025:14.2"] {
        assert_eq!(change_row(table, new)[2], "–", "{new} has no counterpart");
    }
    assert!(report
        .change
        .notes
        .iter()
        .any(|n| n.contains("crosswalk-2018-2025")));
}
