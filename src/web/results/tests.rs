use super::*;
use chrono::NaiveDate;

use crate::domain::assessment::Status;
use crate::questionnaire::{Questionnaire, Registry};
use crate::report::enterprise::{enterprise_report, Facts, FIRST_STEPS};
use crate::scoring::{evaluate, Policy, Rating, ScoreReport, Sheet};

fn scored(q: &Questionnaire, rating: impl Fn(usize) -> Option<Rating>) -> ScoreReport {
    let sheet = Sheet(q.criteria().enumerate().map(|(i, _)| rating(i)).collect());
    evaluate(q, &sheet, &Policy::default(), Some(3))
}

static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(Policy::default);

fn facts(status: Status, unanswered: usize) -> Facts<'static> {
    Facts {
        enterprise: "闽江智造装备有限公司".into(),
        credit_code: "91350100MA2XXXXXX0".into(),
        campaign: "2026 年度贯标评估".into(),
        status,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        target: Some(3),
        profile: None,
        policy: &POLICY,
        notes: Vec::new(),
        rerated: Vec::new(),
        evidence: Vec::new(),
        unanswered,
        benchmark: None,
        previous: None,
    }
}

use crate::web::check::text;

fn figure(html: &str, name: &str) -> String {
    let marker = format!(r#"data-figure="{name}">"#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

#[test]
fn an_accepted_result_shows_verified_figures_and_never_a_criterion_id() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let own = scored(q, |i| {
        Some(if i % 3 == 0 {
            Rating::Fully
        } else {
            Rating::Largely
        })
    });
    let verified = scored(q, |i| {
        Some(if i % 4 == 0 {
            Rating::Partially
        } else {
            Rating::Largely
        })
    });
    let r = enterprise_report(
        q,
        &own,
        Some(&verified),
        facts(Status::Accepted, 0),
        Lang::Zh,
    );
    let html = body(&r, "a1");
    assert_eq!(
        figure(&html, "overall-verified"),
        verified.overall.score.to_string()
    );
    assert_eq!(figure(&html, "overall-self"), own.overall.score.to_string());
    assert_eq!(figure(&html, "level"), verified.overall.level.to_string());
    assert_eq!(
        figure(&html, "level-name"),
        crate::report::level_name(Lang::Zh, verified.overall.level)
    );
    assert_eq!(figure(&html, "status"), "已通过");
    assert!(!html.contains(r#"id="provisional""#));
    let item = &verified.domains[1].items[0];
    assert_eq!(
        figure(&html, &format!("item-verified-{}", item.id)),
        item.score.to_string()
    );
    let own_item = &own.domains[1].items[0];
    assert_eq!(
        figure(&html, &format!("item-self-{}", own_item.id)),
        own_item.score.to_string()
    );
    assert_eq!(html.matches("<svg ").count(), 1, "the radar");
    assert!(html.contains(r#"href="/assessments/a1/report.pdf""#));
    let shown = text(&html);
    for c in q.criteria() {
        assert!(!shown.contains(&c.id), "{} shown", c.id);
    }
    assert!(!shown.contains("2025:"), "no stored id of any kind");
    assert!(!r.gap.is_empty());
    for c in r.gap.iter().flat_map(|g| &g.criteria) {
        assert!(html.contains(&escape(&c.text)), "{}", c.criterion);
    }
    assert_eq!(
        html[html.find(r#"id="first-steps""#).unwrap()..]
            .split("</ol>")
            .next()
            .unwrap()
            .matches("<li>")
            .count(),
        FIRST_STEPS.min(r.gap.len())
    );
    assert!(!html.contains("style="), "no inline style");
}

#[test]
fn a_draft_with_nothing_met_is_provisional_below_initial_and_links_what_is_missing() {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let own = scored(q, |i| (i < 10).then_some(Rating::Not));
    let r = enterprise_report(
        q,
        &own,
        None,
        facts(Status::Draft, q.criterion_count() - 10),
        Lang::Zh,
    );
    let html = body(&r, "a2");
    assert_eq!(figure(&html, "level"), "0");
    assert_eq!(figure(&html, "level-name"), "未达初始级");
    assert_eq!(figure(&html, "status"), "填写中");
    assert!(html.contains(r#"id="provisional""#) && html.contains("暂定"));
    assert!(html.contains(r#"href="/assessments/a2/submit""#));
    assert!(!html.contains("overall-verified"), "nothing verified yet");
    assert!(
        html.contains("审核员核验通过后"),
        "why there is no benchmark"
    );
    let en = body(
        &enterprise_report(q, &own, None, facts(Status::Draft, 3), Lang::En),
        "a2",
    );
    assert_eq!(figure(&en, "level-name"), "below Initial");
    assert!(en.contains("/assessments/a2/report.pdf?lang=en"));
}

#[test]
fn each_item_says_why_it_scores_what_it_does_and_the_review_says_who() {
    use crate::report::enterprise::{Note, RatingFact};
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    for tau in [70, 80] {
        let policy = Policy {
            pass_threshold: tau,
            ..Policy::default()
        };
        let sheet = Sheet(
            q.criteria()
                .enumerate()
                .map(|(i, _)| {
                    Some(if i % 5 == 0 {
                        Rating::Partially
                    } else {
                        Rating::Fully
                    })
                })
                .collect(),
        );
        let own = evaluate(q, &sheet, &policy, Some(3));
        let first = q.criteria().next().unwrap();
        let f = Facts {
            policy: &policy,
            notes: vec![Note {
                auditor: "评估师 陈志远".into(),
                at: NaiveDate::from_ymd_opt(2026, 11, 21)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
                decision: "accept".into(),
                text: "抽查通过".into(),
            }],
            rerated: vec![RatingFact {
                criterion: first.id.clone(),
                self_rating: Some(Rating::Fully),
                verified: Rating::Largely,
                note: "执行记录仅覆盖半年".into(),
            }],
            ..facts(Status::Accepted, 0)
        };
        let r = enterprise_report(q, &own, Some(&own), f, Lang::Zh);
        let html = body(&r, "a3");
        for item in own.domains.iter().flat_map(|d| &d.items) {
            let why = figure(&html, &format!("why-{}", item.id));
            assert_eq!(
                why,
                escape(&crate::scoring::explain(item, &policy).short(Lang::Zh)),
                "τ = {tau}"
            );
        }
        assert_eq!(figure(&html, "auditor"), "评估师 陈志远");
        assert_eq!(figure(&html, "decided-on"), "2026-11-21");
        assert_eq!(figure(&html, "decision"), "通过");
        let reviews = &html[html.find(r#"id="reviews""#).unwrap()..];
        assert!(
            reviews.contains(&escape(&first.text.zh)) && reviews.contains("执行记录仅覆盖半年")
        );
        assert!(reviews.contains("完全满足") && reviews.contains("大部分满足"));
        assert!(html.contains(r#"id="readings""#));
        assert!(
            !text(&html).contains("2025:"),
            "criteria by text, never by id"
        );
    }
}
