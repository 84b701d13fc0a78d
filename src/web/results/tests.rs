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

fn facts(status: Status, unanswered: usize) -> Facts<'static> {
    Facts {
        enterprise: "闽江智造装备有限公司".into(),
        credit_code: "91350100MA2XXXXXX0".into(),
        campaign: "2026 年度贯标评估".into(),
        status,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        target: Some(3),
        profile: None,
        notes: Vec::new(),
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
