//! The questionnaire page's rendering, without a database.

use std::sync::Arc;

use chrono::NaiveDate;

use super::markup::body;
use super::view::{Filter, Mode};
use super::{Loaded, SheetQuery, View};
use crate::db::assessments::{AnswerRow, AssessmentRow, VerifiedRow};
use crate::db::campaigns::CampaignRow;
use crate::db::evidence::{Evidence, EvidenceRow};
use crate::db::refs::{AssessmentRef, EnterpriseRef};
use crate::domain::assessment::Status;
use crate::domain::campaign::CampaignStatus;
use crate::domain::sharing::Sharing;
use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId, EvidenceId, ReviewId, UserId};
use crate::questionnaire::{Lang, Registry};
use crate::scoring::{evaluate, Policy, Rating, Sheet};

fn at() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

/// How many criteria of `dcmm-2025` sit under a domain or item section.
fn criteria_under(section: &str) -> usize {
    let registry = Registry::built_in().unwrap();
    let prefix = format!("2025:{section}.");
    let item = format!("2025:{section}:");
    registry
        .dcmm("dcmm-2025")
        .unwrap()
        .criteria()
        .filter(|c| c.id.starts_with(&prefix) || c.id.starts_with(&item))
        .count()
}

/// An assessment of `dcmm-2025` with these answers (criterion, rating, comment).
fn loaded(status: Status, editable: bool, answers: &[(&str, Rating, &str)]) -> Loaded {
    let registry = Registry::built_in().unwrap();
    let q = Arc::clone(registry.dcmm("dcmm-2025").unwrap());
    let id = AssessmentId::new();
    let campaign = CampaignId::new();
    let enterprise = EnterpriseRef {
        id: EnterpriseId::new(),
        cluster_id: ClusterId::new(),
        name: "福州<星海>装备 & Co".into(),
        sharing: Sharing::Scores,
    };
    let answers: Vec<AnswerRow> = answers
        .iter()
        .map(|(c, r, comment)| AnswerRow {
            assessment_id: id,
            criterion_id: (*c).to_owned(),
            rating: *r,
            comment: (*comment).to_owned(),
            version: 2,
            updated_by: None,
            updated_at: at(),
        })
        .collect();
    let sheet = Sheet::from_answers(
        &q,
        answers.iter().map(|a| (a.criterion_id.as_str(), a.rating)),
    )
    .unwrap();
    Loaded {
        assessment: AssessmentRef {
            id,
            campaign_id: campaign,
            enterprise,
            status,
            version: 3,
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            target_level: 3,
            campaign_status: crate::domain::campaign::CampaignStatus::Open,
        },
        row: AssessmentRow {
            id,
            campaign_id: campaign,
            enterprise_id: EnterpriseId::new(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            status,
            version: 3,
            return_note: None,
            submitted_at: None,
            reviewed_at: None,
            created_at: at(),
            updated_at: at(),
            own_sheet: None,
            verified_sheet: None,
        },
        campaign: CampaignRow {
            id: campaign,
            cluster_id: ClusterId::new(),
            name: "2026 年度评估".into(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            target_level: 3,
            status: CampaignStatus::Open,
            created_by: None,
            created_at: at(),
            updated_at: at(),
        },
        scores: evaluate(&q, &sheet, &Policy::default(), None),
        questionnaire: q,
        answers,
        carried: Default::default(),
        verified: Vec::new(),
        evidence: Vec::new(),
        editable,
        threshold: 80,
        review: None,
        may_review: false,
    }
}

fn html(l: &Loaded, lang: Lang, query: &SheetQuery) -> String {
    body(&View::new(l, lang, query))
}

fn item(id: &str) -> SheetQuery {
    SheetQuery {
        item: Some(id.to_owned()),
        ..SheetQuery::default()
    }
}

/// The opening tags of `tag` in `html`.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    html.match_indices(&open)
        .filter(|(i, _)| {
            html[i + open.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == ' ' || c == '>')
        })
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

#[test]
fn a_read_only_page_has_no_enabled_control() {
    let answers = [("2025:6.1:L1:1", Rating::Fully, "制度已发布")];
    for (status, editable, mode) in [
        (Status::Submitted, false, Mode::Submitted),
        (Status::Accepted, false, Mode::Accepted),
        (Status::Draft, false, Mode::Viewer),
    ] {
        let l = loaded(status, editable, &answers);
        let view = View::new(&l, Lang::Zh, &item("2025:6.1"));
        assert_eq!(view.mode, mode);
        let page = body(&view);
        let inputs = tags(&page, "input");
        // The filters stay usable: they change nothing.
        let controls: Vec<&&str> = inputs
            .iter()
            .filter(|t| !t.contains(r#"id="only-open""#) && !t.contains(r#"type="hidden""#))
            .collect();
        assert!(!controls.is_empty());
        assert!(
            controls.iter().all(|t| t.contains(" disabled")),
            "{controls:?}"
        );
        assert!(tags(&page, "textarea").is_empty() && !page.contains(r#"type="file""#));
        assert!(!page.contains("data-link") && !page.contains("/submit"));
        assert!(page.contains(r#"id="read-only""#));
        assert!(page.contains(r#"data-editable="0""#));
        // The comment is still shown, as text.
        assert!(page.contains("制度已发布"));
    }
}

#[test]
fn an_editable_page_offers_every_control_with_a_label() {
    let l = loaded(
        Status::Draft,
        true,
        &[("2025:6.1:L1:1", Rating::Largely, "")],
    );
    let page = html(&l, Lang::Zh, &item("2025:6.1"));
    assert!(!page.contains(r#"id="read-only""#));
    assert!(page.contains(r#"data-editable="1""#));
    let radios: Vec<&str> = tags(&page, "input")
        .into_iter()
        .filter(|t| t.contains(r#"type="radio""#))
        .collect();
    // 6.1 has no criterion that allows na: four ratings for each of its criteria.
    assert_eq!(radios.len(), criteria_under("6.1") * 4);
    assert!(radios.iter().all(|t| !t.contains("disabled")));
    // Every radio sits inside its label; every other control is named by a label's `for`.
    assert_eq!(
        page.matches(r#"<label class="choice" title="#).count(),
        radios.len()
    );
    for tag in tags(&page, "textarea")
        .into_iter()
        .chain(tags(&page, "select"))
        .chain(
            tags(&page, "input")
                .into_iter()
                .filter(|t| t.contains(r#"type="file""#)),
        )
    {
        let id = tag
            .split(r#"id=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            page.contains(&format!(r#"<label for="{id}">"#)),
            "no label for {id}"
        );
    }
    // Each rating group is a fieldset whose legend names the criterion.
    let text = "在具体项目中识别了与项目相关的数据管理目标、范围和需求。";
    assert!(page.contains(&format!(
        r#"<fieldset class="rating"><legend><span class="ctext" id="t-2025-6-1-L1-1">{text}</span>"#
    )));
    assert_eq!(page.matches("<fieldset").count(), criteria_under("6.1"));
    assert_eq!(page.matches("<legend>").count(), criteria_under("6.1"));
    // The answer is checked, its version is where the script finds it.
    assert!(page.contains(r#"name="r-2025-6-1-L1-1" value="largely" checked>"#));
    assert!(page.contains(r#"data-criterion="2025:6.1:L1:1" data-level="1" data-version="2""#));
    assert!(page.contains(r#"data-criterion="2025:6.1:L1:2" data-level="1" data-version="0""#));
    assert!(page.contains("/assessments/") && page.contains("/submit"));
}

#[test]
fn not_applicable_is_offered_only_where_the_criterion_allows_it() {
    let l = loaded(Status::Draft, true, &[]);
    let page = html(&l, Lang::Zh, &item("2025:9.3"));
    let q = &l.questionnaire;
    let item = q
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .find(|i| i.id == "2025:9.3")
        .unwrap();
    for c in &item.criteria {
        let name = format!(
            r#"name="r-{}" value="na""#,
            &crate::web::html::criterion_anchor(&c.id)[2..]
        );
        assert_eq!(page.contains(&name), c.allow_na, "{}", c.id);
    }
    assert!(item.criteria.iter().any(|c| c.allow_na));
    assert_eq!(
        page.matches(r#"value="na""#).count(),
        item.criteria.iter().filter(|c| c.allow_na).count()
    );
    assert!(page.contains("不适用"));
}

#[test]
fn no_criterion_id_is_shown_as_text() {
    let l = loaded(Status::Draft, true, &[("2025:6.1:L1:1", Rating::Fully, "")]);
    for lang in [Lang::Zh, Lang::En] {
        let page = html(&l, lang, &item("2025:6.1"));
        // Drop every tag: what is left is the text a person reads.
        let mut text = String::new();
        let mut inside = false;
        for c in page.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => text.push(c),
                _ => {}
            }
        }
        assert!(!text.contains("2025:"), "{text}");
        assert!(!text.contains(":L1:"), "{text}");
    }
}

#[test]
fn text_is_escaped() {
    let mut l = loaded(
        Status::Draft,
        true,
        &[(
            "2025:6.1:L1:1",
            Rating::Fully,
            "<script>alert('x')</script>",
        )],
    );
    l.evidence = vec![Evidence {
        row: EvidenceRow {
            id: EvidenceId::new(),
            assessment_id: l.assessment.id,
            file_name: "a\"<b>.txt".into(),
            content_type: "text/plain; charset=utf-8".into(),
            size_bytes: 2048,
            sha256: "0".repeat(64),
            storage_key: "k".into(),
            effective_date: None,
            uploaded_by: None,
            created_at: at(),
        },
        criteria: vec!["2025:6.1:L1:1".into()],
    }];
    let page = html(&l, Lang::Zh, &item("2025:6.1"));
    assert!(!page.contains("<script>") && !page.contains("<b>"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.contains("福州&lt;星海&gt;装备 &amp; Co"));
    assert!(page.contains("a&quot;&lt;b&gt;.txt"));
    // Linked to the first criterion, offered to link to the others.
    assert!(page.contains(r#"<span class="count" data-count="files">1</span>"#));
    assert_eq!(
        page.matches(&format!(r#"<option value="{}">"#, l.evidence[0].row.id))
            .count(),
        criteria_under("6.1") - 1
    );
    assert!(page.contains("2.0 KB"));
}

#[test]
fn the_figures_are_those_of_the_score_report() {
    // Level 1 of 6.1 fully met, level 2 partly: level 1 reached, level 2 scores 50.
    let mut answers = vec![
        ("2025:6.1:L1:1", Rating::Fully, ""),
        ("2025:6.1:L1:2", Rating::Fully, ""),
        ("2025:6.1:L1:3", Rating::Fully, ""),
    ];
    for n in [
        "2025:6.1:L2:1",
        "2025:6.1:L2:2",
        "2025:6.1:L2:3",
        "2025:6.1:L2:4",
    ] {
        answers.push((n, Rating::Partially, ""));
    }
    let l = loaded(Status::Draft, true, &answers);
    let view = View::new(&l, Lang::Zh, &item("2025:6.1"));
    let s = view.item_score().unwrap();
    assert_eq!((s.level, s.score.to_string()), (1, "1.50".to_owned()));
    let page = body(&view);
    assert!(page.contains(r#"<strong data-figure="item-score">1.50</strong>"#));
    assert!(page.contains(r#"<strong data-figure="item-level">第 1 级 · 初始级</strong>"#));
    assert!(page.contains(&format!(
        r#"<span data-figure="domain-score">{}</span>"#,
        view.domain_score().unwrap().score
    )));
    assert!(page.contains(r#"<span data-figure="level-1">100</span>"#));
    assert!(page.contains(r#"<span data-figure="level-2">50</span>"#));
    assert!(page.contains(r#"<li class="met" data-ladder="1">"#));
    assert!(page.contains(r#"<li class="unmet" data-ladder="2">"#));
    assert!(page.contains(&format!(
        r#"<span data-figure="overall-score">{}</span>"#,
        l.scores.overall.score
    )));
    let (domain, item) = (criteria_under("6"), criteria_under("6.1"));
    assert!(page.contains(&format!(
        r#"<span class="count" data-count="domain">7/{domain}</span>"#
    )));
    assert!(page.contains(&format!(
        r#"<span class="count" data-count="item">7/{item}</span>"#
    )));
}

#[test]
fn without_a_choice_the_first_open_item_is_shown_and_an_unknown_one_says_so() {
    let answers: Vec<(String, Rating)> = Registry::built_in()
        .unwrap()
        .dcmm("dcmm-2025")
        .unwrap()
        .domains[0]
        .items[0]
        .criteria
        .iter()
        .map(|c| (c.id.clone(), Rating::Fully))
        .collect();
    let answers: Vec<(&str, Rating, &str)> =
        answers.iter().map(|(c, r)| (c.as_str(), *r, "")).collect();
    let l = loaded(Status::Draft, true, &answers);
    let view = View::new(&l, Lang::En, &SheetQuery::default());
    assert_eq!(view.item().id, "2025:6.2");
    assert!(view.notice.is_none());
    let view = View::new(&l, Lang::En, &item("2025:99.1"));
    assert_eq!(view.item().id, "2025:6.2");
    assert!(view.notice.is_some());
    let page = body(&view);
    assert!(page.contains("no such item"));
    assert!(page.contains(r#"aria-current="page">6.2 "#));
    // English links keep the language.
    assert!(page.contains("item=2025%3A6.3&amp;lang=en"), "{page}");
}

#[test]
fn the_filters_hide_what_they_leave_out_and_stay_in_the_links() {
    let l = loaded(Status::Draft, true, &[("2025:6.1:L1:1", Rating::Fully, "")]);
    let query = SheetQuery {
        item: Some("2025:6.1".into()),
        unanswered: Some("1".into()),
        level: Some("1".into()),
        ..SheetQuery::default()
    };
    let view = View::new(&l, Lang::Zh, &query);
    assert_eq!(
        view.filter,
        Filter {
            unanswered: true,
            level: Some(1),
            ..Filter::default()
        }
    );
    let page = body(&view);
    // Of level 1 only the unanswered criterion shows; levels 2 to 5 are hidden.
    assert!(
        page.contains(r#"data-criterion="2025:6.1:L1:1" data-level="1" data-version="2" hidden>"#)
    );
    assert!(page.contains(r#"data-criterion="2025:6.1:L1:2" data-level="1" data-version="0">"#));
    assert!(page
        .contains(r#"<section class="level" id="lv-1" data-level="1" aria-labelledby="lv-1-h">"#));
    assert!(page.contains(
        r#"<section class="level" id="lv-2" data-level="2" aria-labelledby="lv-2-h" hidden>"#
    ));
    assert!(page.contains("&amp;unanswered=1&amp;level=1"));
    assert!(page.contains(r#"id="only-open" checked>"#));
    assert!(page.contains(r#"<option value="1" selected>"#));
    assert!(page.contains(r#"<ol class="domains open-only">"#));
    // Bad values are no filter.
    let query = SheetQuery {
        item: None,
        unanswered: Some("maybe".into()),
        level: Some("9".into()),
        ..SheetQuery::default()
    };
    assert_eq!(Filter::of(&query), Filter::default());
}

#[test]
fn a_returned_assessment_shows_the_note_and_the_criteria_rated_otherwise() {
    let mut l = loaded(
        Status::Draft,
        true,
        &[
            ("2025:6.1:L2:1", Rating::Fully, ""),
            ("2025:6.1:L2:2", Rating::Largely, ""),
        ],
    );
    l.row.return_note = Some("请补充<制度>文件".into());
    let verified = |c: &str, r: Rating| VerifiedRow {
        assessment_id: l.assessment.id,
        criterion_id: c.into(),
        rating: r,
        note: "执行记录不完整".into(),
        review_id: ReviewId::new(),
        auditor_id: UserId::new(),
        created_at: at(),
    };
    // One differs, one agrees.
    l.verified = vec![
        verified("2025:6.1:L2:1", Rating::Partially),
        verified("2025:6.1:L2:2", Rating::Largely),
    ];
    let view = View::new(&l, Lang::Zh, &SheetQuery::default());
    assert_eq!(view.status_word(), "已退回");
    assert_eq!(view.mode, Mode::Edit);
    let page = body(&view);
    assert!(page.contains("请补充&lt;制度&gt;文件"));
    assert!(page.contains("审核员对以下 1 个条款的评定与自评不同"));
    assert_eq!(page.matches(r#"<tr data-criterion="#).count(), 1);
    assert!(page.contains(r#"<tr data-criterion="2025:6.1:L2:1">"#));
    assert!(page.contains("?item=2025%3A6.1#c-2025-6-1-L2-1"));
    assert!(page.contains("<td>完全满足</td><td>一般满足</td><td>执行记录不完整</td>"));
}

#[test]
fn the_status_is_named_in_words() {
    let words =
        |status, returned, answered| super::view::status_word(Lang::Zh, status, returned, answered);
    assert_eq!(words(Status::Draft, false, 0), "未开始");
    assert_eq!(words(Status::Draft, false, 3), "填写中");
    assert_eq!(words(Status::Draft, true, 3), "已退回");
    assert_eq!(words(Status::Submitted, false, 517), "待审核");
    assert_eq!(words(Status::Accepted, false, 517), "已通过");
}

#[test]
fn the_review_page_is_the_same_sheet_with_the_auditor_s_rating_under_each_criterion() {
    use crate::assessment::review::{Comparison, InProgress, Sample, SavedRating};
    use crate::assessment::sample::Stratum;
    use crate::scoring::Hundredths;
    let mut l = loaded(
        Status::Submitted,
        false,
        &[
            ("2025:6.1:L1:1", Rating::Fully, "制度已发布"),
            ("2025:6.1:L1:2", Rating::Fully, ""),
        ],
    );
    let standing = Comparison {
        self_score: Hundredths(150),
        self_level: 1,
        verified_score: Hundredths(120),
        verified_level: 1,
        difference: -0.3,
        re_rated: 1,
    };
    l.review = Some(super::ReviewLoaded {
        progress: InProgress {
            ratings: vec![SavedRating {
                criterion: "2025:6.1:L1:2".into(),
                rating: Rating::Partially,
                note: "现场未见记录".into(),
                version: 4,
                auditor_id: UserId::new(),
                updated_at: at(),
            }],
            earlier: vec![],
            sample: Some(Sample {
                seed: 42,
                by: Stratum::Level,
                size: 1,
                criteria: vec!["2025:6.1:L1:2".into()],
                drawn_by: UserId::new(),
                drawn_at: at(),
            }),
            standing,
        },
        may_rate: true,
    });
    let query = SheetQuery {
        item: Some("2025:6.1".into()),
        sampled: Some("1".into()),
        ..SheetQuery::default()
    };
    let mut view = View::new(&l, Lang::Zh, &query);
    view.csrf = r#"<input type="hidden" name="csrf" value="t">"#.into();
    assert_eq!(view.mode, Mode::Review { may_rate: true });
    let page = body(&view);
    // Only the sampled criterion shows; the other keeps its markup, hidden.
    assert!(
        page.contains(r#"data-criterion="2025:6.1:L1:1" data-level="1" data-version="2" hidden>"#)
    );
    assert!(page.contains(r#"data-criterion="2025:6.1:L1:2" data-level="1" data-version="2">"#));
    // The enterprise's answer cannot change; the auditor's rating is chosen, with its note
    // and version, marked sampled and re-rated.
    assert!(!page.contains(r#"value="fully" checked>"#));
    assert!(page.contains(r#"value="fully" checked disabled>"#));
    assert!(page.contains(r#"<div class="review-rating" data-review-version="4">"#));
    assert!(page.contains(r#"<option value="partially" selected>"#));
    assert!(page.contains("现场未见记录</textarea>"));
    assert!(page.contains(r#"class="badge sampled""#));
    assert!(page.contains(r#"data-rerated>"#), "re-rated shown");
    // The bar: the standing figures, the sample and the forms with the CSRF field.
    assert!(page.contains(r#"data-figure="review-verified">1.20<"#));
    assert!(page.contains(r#"data-figure="review-rerated">1<"#));
    assert!(page.contains("种子 42"));
    assert_eq!(
        page.matches(r#"name="csrf" value="t""#).count(),
        2,
        "sample and return"
    );
    assert!(page.contains("/review/accept"));
    // Links to other items stay on the review page with the filter.
    assert!(
        page.contains("/review?item=2025%3A6.2&amp;sampled=1"),
        "{page}"
    );
    // An admin looks on: nothing to choose, no forms.
    l.review.as_mut().unwrap().may_rate = false;
    let page = body(&View::new(&l, Lang::Zh, &query));
    assert!(page.contains(r#"<select id="v-"#) && page.contains(r#"aria-describedby="t-"#));
    assert!(!page.contains("/review/sample"));
    assert!(page.contains(r#" disabled><option"#));
}
