//! Speed of the pure core: scoring, the gap plan, parsing the questionnaires, the cluster
//! roll-up, and the two PDF reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use dcmm::domain::assessment::Status;
use dcmm::domain::enterprise::Size;
use dcmm::domain::sharing::Sharing;
use dcmm::ids::EnterpriseId;
use dcmm::questionnaire::profile::ProfileAnswers;
use dcmm::questionnaire::Lang;
use dcmm::questionnaire::{parse, Questionnaire, Registry, BUILT_IN};
use dcmm::report::cluster::{cluster_report, CampaignFacts};
use dcmm::report::enterprise::{enterprise_report, EvidenceEntry, Facts, Note};
use dcmm::report::pdf::{deflate_streams, ReportFont, DEFLATE_LEVEL};
use dcmm::scoring::profile::{cdo_summary, eligibility, EligibilityRules};
use dcmm::scoring::rollup::{
    benchmark, rollup, CampaignInput, EnterpriseResult, PreviousCampaign, RollupPolicy,
};
use dcmm::scoring::{evaluate, gap_plan, score, Policy, Rating, Scorecard, Sheet};

/// A complete, varied 2025 answer sheet (deterministic).
fn complete_sheet(
    registry: &Registry,
) -> (std::sync::Arc<dcmm::questionnaire::Questionnaire>, Sheet) {
    let Some(q) = registry.dcmm("dcmm-2025").cloned() else {
        panic!("dcmm-2025 is built in");
    };
    let ratings = [
        Rating::Fully,
        Rating::Largely,
        Rating::Fully,
        Rating::Partially,
        Rating::Not,
    ];
    let sheet = Sheet(
        q.criteria()
            .enumerate()
            .map(|(n, c)| Some(ratings[(n * 7 + usize::from(c.level)) % ratings.len()]))
            .collect(),
    );
    (q, sheet)
}

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The scorecard of an enterprise of maturity `m` (1–4): criteria at levels up to m mostly
/// met, the next level partly, above it mostly not; most land at level 2, as in practice.
fn generated_card(q: &Questionnaire, m: u8, rng: &mut Lcg, policy: &Policy) -> Scorecard {
    let ratings = [
        Rating::Not,
        Rating::Partially,
        Rating::Largely,
        Rating::Fully,
    ];
    let sheet = Sheet(
        q.criteria()
            .map(|c| {
                let base: u64 = match c.level {
                    l if l <= m => 2,
                    l if l == m + 1 => 1,
                    _ => 0,
                };
                Some(ratings[(base + rng.next(2)) as usize])
            })
            .collect(),
    );
    score(q, &sheet, policy)
}

/// `n` enterprises, 80 % accepted, 10 % submitted, the rest drafts; profiles and sharing vary.
fn generated_cluster(q: &Questionnaire, n: u128) -> Vec<EnterpriseResult> {
    let policy = Policy::default();
    let mut rng = Lcg(36073);
    let industries = [
        "manufacturing",
        "software",
        "logistics",
        "energy",
        "finance",
    ];
    (0..n)
        .map(|i| {
            let m = [1, 2, 2, 2, 2, 3, 3, 4][rng.next(8) as usize];
            let status = match rng.next(10) {
                0 => Status::Submitted,
                1 => Status::Draft,
                _ => Status::Accepted,
            };
            let verified = generated_card(q, m, &mut rng, &policy);
            let own = generated_card(q, m + u8::from(rng.next(3) == 0), &mut rng, &policy);
            let appointed = rng.next(3) == 0;
            let policies =
                &["governance", "security", "quality", "standards"][..rng.next(5) as usize];
            let tools = &["metadata", "quality", "security"][..rng.next(4) as usize];
            let rank = ["board", "executive", "manager"][rng.next(3) as usize];
            let duties =
                &["strategy", "infrastructure", "management", "value"][..rng.next(5) as usize];
            let answers: ProfileAnswers = serde_json::from_value(serde_json::json!({
                "data_staff": rng.next(5),
                "policy_domains": policies,
                "data_tools": tools,
                "cdo_appointed": appointed,
                "cdo_rank": rank,
                "cdo_in_charter": rng.next(2) == 0,
                "cdo_duties": duties,
            }))
            .unwrap();
            EnterpriseResult {
                id: EnterpriseId::from(uuid::Uuid::from_u128(i + 1)),
                name: format!("企业 {i}"),
                industry: industries[rng.next(5) as usize].to_owned(),
                size: Size::ALL[rng.next(4) as usize],
                sharing: Sharing::ALL[rng.next(3) as usize],
                status,
                started: status != Status::Draft || rng.next(2) == 0,
                overdue: status == Status::Draft && rng.next(2) == 0,
                own: (status != Status::Draft).then_some(own),
                verified: (status != Status::Draft).then_some(verified),
                eligibility: Some(eligibility(&answers, &EligibilityRules::default())),
                cdo: Some(cdo_summary(&answers)),
            }
        })
        .collect()
}

fn rollup_benches(c: &mut Criterion, registry: &Registry) {
    let (Some(q), Some(q2018)) = (registry.dcmm("dcmm-2025"), registry.dcmm("dcmm-2018")) else {
        panic!("both editions are built in");
    };
    let mut rng = Lcg(2018);
    let policy = Policy::default();
    let previous: Vec<Scorecard> = (0..8_000)
        .map(|_| generated_card(q2018, 2, &mut rng, &policy))
        .collect();
    let input = CampaignInput {
        questionnaire: q,
        target_level: 3,
        enterprises: generated_cluster(q, 10_000),
        previous: Some(PreviousCampaign {
            questionnaire: q2018,
            verified: previous,
            crosswalk: registry
                .crosswalk_between(&q2018.id, &q.id)
                .map(|c| c.as_ref()),
        }),
    };
    let rollup_policy = RollupPolicy::default();
    c.bench_function("rollup of a 2025 campaign of 10,000 enterprises", |b| {
        b.iter(|| rollup(black_box(&input), &rollup_policy))
    });
    let last = input
        .enterprises
        .iter()
        .rev()
        .find(|e| e.status == Status::Accepted);
    let Some(last) = last else {
        panic!("most generated assessments are accepted");
    };
    c.bench_function("rollup: benchmark of one enterprise among 10,000", |b| {
        b.iter(|| benchmark(black_box(&input), last.id, &rollup_policy))
    });
}

/// The enterprise report of a complete 2025 assessment (verified, with a profile, notes and
/// evidence) and the cluster report of a 200-enterprise campaign: model and PDF.
fn report_benches(c: &mut Criterion, registry: &Registry) -> Vec<(&'static str, Vec<u8>)> {
    let font = ReportFont::builtin().unwrap();
    let (q, sheet) = complete_sheet(registry);
    let policy = Policy::default();
    let own = evaluate(&q, &sheet, &policy, Some(3));
    let mut verified_sheet = sheet.clone();
    for rating in verified_sheet.0.iter_mut().step_by(5) {
        *rating = Some(Rating::Partially);
    }
    let verified = evaluate(&q, &verified_sheet, &policy, Some(3));
    let profile = registry.profile("enterprise-profile").unwrap();
    let answers: ProfileAnswers = serde_json::from_value(serde_json::json!({
        "data_staff": 4, "policy_domains": ["governance", "security"], "data_tools": ["metadata"],
        "cdo_appointed": true, "cdo_rank": "executive", "cdo_in_charter": true,
        "cdo_duties": ["strategy", "management"],
    }))
    .unwrap();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let facts = || Facts {
        enterprise: "福州闽江众联化工有限公司".into(),
        credit_code: "91350100MA2XXXXXX0".into(),
        campaign: "2026 年度数据管理能力评估".into(),
        status: Status::Accepted,
        as_of: at.date(),
        target: Some(3),
        profile: Some((profile, &answers)),
        policy: &policy,
        notes: vec![Note {
            auditor: "评估师 陈志远".into(),
            at,
            decision: "accept".into(),
            text: "证据齐全，核验通过。".into(),
        }],
        rerated: Vec::new(),
        evidence: (0..12)
            .map(|i| EvidenceEntry {
                file_name: format!("数据管理制度第{i}号.pdf"),
                sha256: format!("{i:064x}"),
                size_bytes: 40_000,
                criteria: vec![format!("2025:6.1:L{}:1", 1 + i % 3)],
            })
            .collect(),
        unanswered: 0,
        benchmark: None,
        previous: None,
    };
    let report = enterprise_report(&q, &own, Some(&verified), facts(), Lang::Zh);
    let bytes = report.to_pdf(
        font,
        "DCMM-0000-0000-0000-0000",
        &dcmm::report::verify_at::VerifyAt::default(),
    );
    eprintln!("enterprise report: {} bytes", bytes.len());
    c.bench_function("enterprise report: model and PDF", |b| {
        b.iter(|| {
            let report = enterprise_report(&q, &own, Some(&verified), facts(), Lang::Zh);
            black_box(report.to_pdf(
                font,
                "DCMM-0000-0000-0000-0000",
                &dcmm::report::verify_at::VerifyAt::default(),
            ))
        })
    });

    let input = CampaignInput {
        questionnaire: &q,
        target_level: 3,
        enterprises: generated_cluster(&q, 200),
        previous: None,
    };
    let rollup_policy = RollupPolicy::default();
    let facts = CampaignFacts {
        cluster: "榕城数字经济产业集群".into(),
        campaign: "2026 年度数据管理能力评估".into(),
        campaign_id: "01a22a45-cadc-771d-ba0a-2110940c42dd".into(),
        status: "open".into(),
        due_date: at.date(),
        as_of: at.date(),
        policy: policy.version(),
    };
    let cluster = |input: &CampaignInput<'_>| {
        let rolled = rollup(input, &rollup_policy);
        let report = cluster_report(facts.clone(), &q, &rolled, &input.enterprises, Lang::Zh);
        report.to_pdf(
            font,
            "DCMM-0000-0000-0000-0000",
            &dcmm::report::verify_at::VerifyAt::default(),
        )
    };
    let cluster_bytes = cluster(&input);
    eprintln!(
        "cluster report of 200 enterprises: {} bytes",
        cluster_bytes.len()
    );
    let mut group = c.benchmark_group("reports");
    group.sample_size(20);
    group.bench_function(
        "cluster report of 200 enterprises: roll-up, model and PDF",
        |b| b.iter(|| black_box(cluster(black_box(&input)))),
    );
    group.finish();
    vec![
        ("enterprise report", bytes),
        ("cluster report of 200 enterprises", cluster_bytes),
    ]
}

/// What each deflate level costs and saves: each report read back with its streams inflated,
/// then deflated at the level and saved, as `PdfDoc::finish` does at `DEFLATE_LEVEL`.
fn deflate_benches(c: &mut Criterion, reports: &[(&'static str, Vec<u8>)]) {
    let mut group = c.benchmark_group("report deflate level");
    group.sample_size(10);
    for (name, pdf) in reports {
        let Ok(mut plain) = lopdf::Document::load_mem(pdf) else {
            panic!("the {name} reads back");
        };
        plain.decompress();
        let save = |level: u32| {
            let mut doc = plain.clone();
            deflate_streams(&mut doc, level);
            let mut out = Vec::new();
            doc.save_to(&mut out).unwrap();
            out
        };
        for level in [1, 2, 3, 4, 6, 9] {
            let chosen = if level == DEFLATE_LEVEL {
                " (chosen)"
            } else {
                ""
            };
            eprintln!(
                "{name}, deflate level {level}{chosen}: {} bytes",
                save(level).len()
            );
            group.bench_function(format!("{name}: deflate level {level}"), |b| {
                b.iter(|| black_box(save(black_box(level))))
            });
        }
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let Ok(registry) = Registry::built_in() else {
        panic!("built-in questionnaires load");
    };
    let (q, sheet) = complete_sheet(&registry);
    let policy = Policy::default();

    c.bench_function("score a complete 2025 assessment", |b| {
        b.iter(|| score(black_box(&q), black_box(&sheet), &policy))
    });

    let card = score(&q, &sheet, &policy);
    c.bench_function("gap plan to level 3 (2025)", |b| {
        b.iter(|| gap_plan(black_box(&q), black_box(&sheet), &card, &policy, 3))
    });

    // The longest path: nothing met yet, every item raised one level at a time up to 5.
    let blank = Sheet(vec![Some(Rating::Not); sheet.0.len()]);
    let blank_card = score(&q, &blank, &policy);
    c.bench_function("gap path to level 5 from nothing met (2025)", |b| {
        b.iter(|| gap_plan(black_box(&q), black_box(&blank), &blank_card, &policy, 5))
    });

    c.bench_function("parse and validate both editions", |b| {
        b.iter(|| {
            for (file, source) in BUILT_IN.iter().filter(|(f, _)| f.contains("dcmm-")) {
                let _ = black_box(parse(file, source));
            }
        })
    });

    rollup_benches(c, &registry);
    let reports = report_benches(c, &registry);
    deflate_benches(c, &reports);
}

criterion_group!(core, benches);
criterion_main!(core);
