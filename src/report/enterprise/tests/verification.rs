//! Who verified, the criteria re-rated, the level change, the strengths and weaknesses with
//! their flags, each item's explanation, and the mark on every page of a report that is not
//! final; each at τ = 70 and at τ = 80.

use super::*;
use crate::scoring::explain;

const TAUS: [u32; 2] = [70, 80];

fn policy(tau: u32) -> Policy {
    Policy {
        pass_threshold: tau,
        ..Policy::default()
    }
}

fn scored_with(q: &Questionnaire, p: &Policy, rating: impl Fn(usize) -> Rating) -> ScoreReport {
    let sheet = Sheet(
        q.criteria()
            .enumerate()
            .map(|(i, _)| Some(rating(i)))
            .collect(),
    );
    evaluate(q, &sheet, p, Some(3))
}

fn q() -> &'static Questionnaire {
    static REGISTRY: std::sync::LazyLock<Registry> =
        std::sync::LazyLock::new(|| Registry::built_in().unwrap());
    REGISTRY.default_dcmm().unwrap()
}

/// The criteria of the item at `n` in questionnaire order.
fn item_range(q: &Questionnaire, n: usize) -> (String, std::ops::Range<usize>) {
    let mut start = 0;
    for (i, item) in q.domains.iter().flat_map(|d| &d.items).enumerate() {
        if i == n {
            return (item.id.clone(), start..start + item.criteria.len());
        }
        start += item.criteria.len();
    }
    unreachable!("no item {n}")
}

#[test]
fn the_review_names_the_auditor_the_day_the_decision_and_its_note() {
    let q = q();
    let own = scored_with(q, &POLICY, |_| Rating::Fully);
    let r = enterprise_report(q, &own, Some(&own), facts(None), Lang::Zh);
    let v = r.verification.as_ref().unwrap();
    assert_eq!(v.auditor, "评估师 王敏", "the latest review decides");
    assert_eq!(v.decision, "通过");
    assert_eq!(v.note, "证据齐全。");
    assert_eq!(v.at.date(), NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let who = r
        .summary
        .iter()
        .find(|l| l.contains("评估师 王敏"))
        .unwrap();
    assert!(
        who.contains("2026-11-20") && who.contains("通过") && who.contains("证据齐全"),
        "{who}"
    );
    assert_eq!(
        r.notes[0].auditor, "评估师 陈志远",
        "every review keeps its auditor"
    );
    let en = enterprise_report(q, &own, Some(&own), facts(None), Lang::En);
    assert_eq!(en.verification.unwrap().decision, "accepted");
    let none = Facts {
        notes: Vec::new(),
        status: Status::Submitted,
        ..facts(None)
    };
    let r = enterprise_report(q, &own, None, none, Lang::Zh);
    assert!(r.verification.is_none());
    assert!(!r.summary.iter().any(|l| l.contains("审核员 ")));
}

#[test]
fn the_criteria_the_auditor_rated_show_both_ratings_the_item_and_the_note() {
    let q = q();
    let first = q.criteria().next().unwrap();
    let last = q.criteria().last().unwrap();
    let f = Facts {
        rerated: vec![
            RatingFact {
                criterion: first.id.clone(),
                self_rating: Some(Rating::Fully),
                verified: Rating::Partially,
                note: "记录不完整".into(),
            },
            RatingFact {
                criterion: last.id.clone(),
                self_rating: None,
                verified: Rating::Largely,
                note: String::new(),
            },
        ],
        ..facts(None)
    };
    let own = scored_with(q, &POLICY, |_| Rating::Fully);
    let r = enterprise_report(q, &own, Some(&own), f, Lang::Zh);
    assert_eq!(r.rerated.len(), 2);
    let a = &r.rerated[0];
    assert_eq!(
        (a.self_rating.as_str(), a.verified.as_str(), a.lowered),
        ("完全满足", "一般满足", true)
    );
    assert_eq!(a.item, q.domains[0].items[0].name.zh);
    assert_eq!(a.text, first.text.zh);
    assert_eq!(a.note, "记录不完整");
    let b = &r.rerated[1];
    assert_eq!((b.self_rating.as_str(), b.lowered), ("未作答", false));
    assert!(
        r.summary.iter().any(|l| l.contains("评定了 2 条")),
        "{:?}",
        r.summary
    );
    let font = ReportFont::builtin().unwrap();
    let file = TempPdf::write(&r.to_pdf(
        font,
        "RPT-0003",
        &crate::report::verify_at::VerifyAt::default(),
    ));
    if let Some(text) = tool("pdftotext", &["FILE", "-"], &file.0) {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for expected in [
            "审核与核验",
            "审核员评定的条款",
            "记录不完整",
            "评估师王敏",
            "一般满足",
        ] {
            assert!(compact.contains(expected), "{expected} missing");
        }
    }
}

#[test]
fn the_summary_says_when_verification_changes_the_level() {
    let q = q();
    for tau in TAUS {
        let p = policy(tau);
        let own = scored_with(q, &p, |_| Rating::Fully);
        // The auditor finds level 1 of every item only partly met.
        let level_one: Vec<bool> = q.criteria().map(|c| c.level == 1).collect();
        let verified = scored_with(q, &p, |i| {
            if level_one[i] {
                Rating::Partially
            } else {
                Rating::Fully
            }
        });
        assert_ne!(own.overall.level, verified.overall.level, "τ = {tau}");
        let f = Facts {
            policy: &p,
            ..facts(None)
        };
        let r = enterprise_report(q, &own, Some(&verified), f.clone(), Lang::Zh);
        let (from, to) = (own.overall.level, verified.overall.level);
        let expected = format!(
            "自评等级 {from}（{}） → 核验后等级 {to}（{}）",
            crate::report::level_name(Lang::Zh, from),
            crate::report::level_name(Lang::Zh, to)
        );
        let change = r.level_change.as_deref().unwrap();
        assert!(change.contains(&expected), "{change}");
        assert!(r.summary.iter().any(|l| l == change));
        assert_eq!((r.self_level, r.level), (from, to));
        let en = enterprise_report(q, &own, Some(&verified), f.clone(), Lang::En);
        assert!(en.level_change.unwrap().contains(&format!(
            "self-assessed level {from} (Optimizing) → verified level {to}"
        )));
        let same = enterprise_report(q, &own, Some(&own), f, Lang::Zh);
        assert_eq!(same.level_change, None, "τ = {tau}");
    }
}

#[test]
fn items_far_below_the_overall_score_are_flagged_and_read_as_weaknesses() {
    let q = q();
    for tau in TAUS {
        let p = policy(tau);
        // One item with nothing met, one at level 2 only, the rest fully met.
        let (weak_id, weak) = item_range(q, 4);
        let (mid_id, mid) = item_range(q, 9);
        let levels: Vec<u8> = q.criteria().map(|c| c.level).collect();
        let own = scored_with(q, &p, |i| {
            if weak.contains(&i) || (mid.contains(&i) && levels[i] > 2) {
                Rating::Not
            } else {
                Rating::Fully
            }
        });
        let f = Facts {
            policy: &p,
            ..facts(None)
        };
        let r = enterprise_report(q, &own, Some(&own), f, Lang::Zh);
        let overall = own.overall.score;
        for row in &r.items {
            let shown = row.verified.unwrap();
            assert_eq!(
                row.far_below,
                shown.0 + FAR_BELOW.0 <= overall.0,
                "{} at τ = {tau}",
                row.id
            );
        }
        let flagged: Vec<&str> = r
            .items
            .iter()
            .filter(|i| i.far_below)
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(flagged, [weak_id.as_str(), mid_id.as_str()], "τ = {tau}");
        let weak_row = r.items.iter().find(|i| i.id == weak_id).unwrap();
        let reading = r
            .readings
            .iter()
            .find(|d| d.domain == weak_row.domain)
            .unwrap();
        assert!(reading
            .weaknesses
            .contains(&format!("{FLAG}{} 0.00", weak_row.item)));
        assert!(!reading.strengths.contains(&weak_row.item));
        assert!(r
            .reading_rule
            .contains(&format!("比总分 {overall} 低 1.00")));
        assert!(r
            .summary
            .iter()
            .any(|l| l.contains("远低于") && l.contains(&weak_row.item)));
        // An overall level of 4: items at 5 are strengths, the flagged ones weaknesses.
        for d in &r.readings {
            for s in &d.strengths {
                let row = r.items.iter().find(|i| &i.item == s).unwrap();
                assert!(row.level > r.level);
            }
        }
    }
}

#[test]
fn every_item_says_which_levels_passed_and_which_stopped_it() {
    let q = q();
    for tau in TAUS {
        let p = policy(tau);
        let own = scored_with(q, &p, |i| match i % 4 {
            0 => Rating::Partially,
            1 => Rating::Largely,
            _ => Rating::Fully,
        });
        let f = Facts {
            policy: &p,
            ..facts(None)
        };
        let r = enterprise_report(q, &own, None, f, Lang::Zh);
        let scores = own.domains.iter().flat_map(|d| &d.items);
        for (row, item) in r.items.iter().zip(scores) {
            let e = explain(item, &p);
            assert_eq!(row.why, e.short(Lang::Zh));
            assert_eq!(row.explanation, e.sentence(Lang::Zh));
            assert_eq!(
                row.level_name,
                crate::report::level_name(Lang::Zh, item.level)
            );
            let tau_text = format!("{}", Hundredths(tau));
            match e.stopped {
                Some(s) => assert!(
                    row.why.contains(&format!("{} < {tau_text}", s.score)),
                    "{}",
                    row.why
                ),
                None => assert!(row.why.contains(&tau_text)),
            }
        }
        assert!(r.why_intro.contains(&Hundredths(tau).to_string()));
    }
}

/// The text of each page of `bytes`, when pdftotext is installed.
fn pages(bytes: &[u8]) -> Option<Vec<String>> {
    let file = TempPdf::write(bytes);
    let text = tool("pdftotext", &["-layout", "FILE", "-"], &file.0)?;
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

#[test]
fn a_draft_or_submitted_report_says_so_on_every_page() {
    let q = q();
    let font = ReportFont::builtin().unwrap();
    for tau in TAUS {
        let p = policy(tau);
        let own = scored_with(q, &p, |i| {
            if i % 3 == 0 {
                Rating::Not
            } else {
                Rating::Largely
            }
        });
        let draft = Facts {
            status: Status::Draft,
            unanswered: 42,
            policy: &p,
            notes: Vec::new(),
            ..facts(None)
        };
        let r = enterprise_report(q, &own, None, draft, Lang::Zh);
        let mark = r.mark.clone().unwrap();
        assert!(
            mark.contains("非最终") && mark.contains("42 条未作答"),
            "{mark}"
        );
        if let Some(pages) = pages(&r.to_pdf(
            font,
            "RPT-0004",
            &crate::report::verify_at::VerifyAt::default(),
        )) {
            assert!(pages.len() > 2, "{} pages", pages.len());
            for (n, page) in pages.iter().enumerate() {
                assert!(page.contains(&mark), "page {} has no mark", n + 1);
            }
        }
        let submitted = Facts {
            status: Status::Submitted,
            unanswered: 0,
            policy: &p,
            ..facts(None)
        };
        let en = enterprise_report(q, &own, None, submitted, Lang::En);
        let mark = en.mark.clone().unwrap();
        assert!(
            mark.contains("not final") && mark.contains("awaiting"),
            "{mark}"
        );
        if let Some(pages) = pages(&en.to_pdf(
            font,
            "RPT-0005",
            &crate::report::verify_at::VerifyAt::default(),
        )) {
            assert!(pages.iter().all(|page| page.contains(&mark)));
        }
    }
    let accepted = enterprise_report(
        q,
        &scored(q, |_| Rating::Fully),
        None,
        facts(None),
        Lang::Zh,
    );
    assert_eq!(accepted.mark, None);
    if let Some(pages) = pages(&accepted.to_pdf(
        font,
        "RPT-0006",
        &crate::report::verify_at::VerifyAt::default(),
    )) {
        assert!(pages.iter().all(|page| !page.contains("暂定报告")));
    }
}
