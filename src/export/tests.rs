use std::collections::HashMap;
use std::sync::Arc;

use super::csv::text;
use super::*;
use crate::questionnaire::Registry;
use crate::scoring::{score, Policy, Rating, Sheet};

fn questionnaire() -> Arc<Questionnaire> {
    Registry::built_in()
        .unwrap()
        .dcmm("dcmm-2025")
        .unwrap()
        .clone()
}

fn card(q: &Questionnaire, rating: Rating) -> Scorecard {
    let sheet = Sheet(vec![Some(rating); q.criterion_count()]);
    score(q, &sheet, &Policy::default())
}

fn enterprise(q: &Questionnaire, name: &str, sharing: Sharing, status: Status) -> EnterpriseResult {
    let scored = status != Status::Draft;
    EnterpriseResult {
        id: EnterpriseId::new(),
        name: name.to_owned(),
        industry: "装备制造".to_owned(),
        size: Size::Small,
        sharing,
        status,
        started: scored,
        overdue: false,
        own: scored.then(|| card(q, Rating::Fully)),
        verified: scored.then(|| card(q, Rating::Partially)),
        eligibility: None,
        cdo: None,
    }
}

fn sample(q: &Questionnaire) -> (Vec<EnterpriseResult>, HashMap<EnterpriseId, String>) {
    let list = vec![
        enterprise(q, "乙公司", Sharing::Scores, Status::Accepted),
        enterprise(q, "=HYPERLINK(\"x\")", Sharing::Full, Status::Submitted),
        enterprise(q, "匿名公司", Sharing::Anonymous, Status::Accepted),
        enterprise(q, "甲公司", Sharing::Full, Status::Draft),
    ];
    let codes = list
        .iter()
        .enumerate()
        .map(|(n, e)| (e.id, format!("91350100MA000000{n:02}")))
        .collect();
    (list, codes)
}

#[test]
fn a_cluster_manager_never_gets_an_anonymous_enterprise() {
    let q = questionnaire();
    let (list, codes) = sample(&q);
    let table = Table::new(&list, &codes, Audience::AsShared);
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.left_out, 1);
    assert!(table.rows.iter().all(|r| r.name != "匿名公司"));
    let all = Table::new(&list, &codes, Audience::Everything);
    assert_eq!(all.rows.len(), 4);
    assert_eq!(all.left_out, 0);
}

#[test]
fn the_bias_is_shown_once_accepted_only() {
    let q = questionnaire();
    let (list, codes) = sample(&q);
    let table = Table::new(&list, &codes, Audience::Everything);
    let by_name = |n: &str| table.rows.iter().find(|r| r.name == n).unwrap();
    // Fully is 5.00 everywhere; partially is 0.50 (50 points stay below any pass threshold here).
    assert_eq!(
        by_name("乙公司").bias().map(|d| d.to_string()),
        Some("4.50".into())
    );
    assert_eq!(by_name("=HYPERLINK(\"x\")").bias(), None);
    assert_eq!(by_name("甲公司").bias(), None);
    assert_eq!(by_name("甲公司").items().len(), 0);
    assert_eq!(by_name("乙公司").items().len(), q.item_count());
}

#[test]
fn text_that_looks_like_a_formula_is_quoted() {
    for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
        assert_eq!(text(bad), format!("'{bad}"));
    }
    for good in ["甲公司", "1-2", "a=b", ""] {
        assert_eq!(text(good), good);
    }
}

#[test]
fn the_csv_has_a_bom_a_header_with_the_domains_and_one_record_per_row() {
    let q = questionnaire();
    let (list, codes) = sample(&q);
    let table = Table::new(&list, &codes, Audience::AsShared);
    let bytes = to_csv(&q, &table).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
    let head = reader.headers().unwrap().clone();
    assert_eq!(head.len(), 10 + q.domains.len());
    assert_eq!(&head[8], "6 数据战略");
    let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    let names: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert!(names.contains(&"'=HYPERLINK(\"x\")"), "{names:?}");
    let accepted = records.iter().find(|r| &r[0] == "乙公司").unwrap();
    assert_eq!(
        (&accepted[5], &accepted[6], &accepted[7]),
        ("accepted", "0.50", "0")
    );
    assert_eq!(&accepted[head.len() - 1], "4.50");
    let draft = records.iter().find(|r| &r[0] == "甲公司").unwrap();
    assert_eq!(&draft[6], "");
}

#[test]
fn the_workbook_is_a_zip_archive() {
    let q = questionnaire();
    let (list, codes) = sample(&q);
    let table = Table::new(&list, &codes, Audience::Everything);
    let about = About {
        campaign_id: "c".into(),
        campaign_name: "2026年度评估".into(),
        policy_version: Policy::default().version(),
        generated: "2026-11-01 08:00:00 UTC".into(),
    };
    let bytes = to_xlsx(&q, &table, &about).unwrap();
    assert!(bytes.starts_with(b"PK"));
}
