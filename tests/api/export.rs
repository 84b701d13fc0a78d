//! The CSV and XLSX exports over HTTP, on the demo cluster.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::TestApp;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn json(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.send(Method::GET, path, Some(token), None).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

/// The demo cluster's id and its current campaign: (cluster, campaign).
async fn current(app: &TestApp, token: &str) -> (String, Value) {
    let clusters = json(app, token, "/api/v1/clusters").await;
    let cluster = clusters["items"][0]["id"].as_str().unwrap().to_owned();
    let campaigns = json(app, token, &format!("/api/v1/clusters/{cluster}/campaigns")).await;
    (cluster, campaigns["items"][1].clone())
}

/// The cluster's enterprises: (name, sharing).
async fn enterprises(app: &TestApp, token: &str, cluster: &str) -> Vec<(String, String)> {
    let list = json(
        app,
        token,
        &format!("/api/v1/clusters/{cluster}/enterprises?limit=500"),
    )
    .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap().to_owned();
            (field("name"), field("sharing"))
        })
        .collect()
}

/// The response's headers checked, its bytes.
async fn download(app: &TestApp, token: &str, path: &str, content_type: &str) -> Vec<u8> {
    let r = app.send(Method::GET, path, Some(token), None).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let header = |name: &str| r.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), content_type);
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename=\"dcmm-campaign-"),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    r.bytes().await.unwrap().to_vec()
}

/// The records of a CSV export after its byte-order mark: (header, records).
fn parse_csv(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    (header, reader.records().map(Result::unwrap).collect())
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// Every text cell of every sheet.
fn workbook_text(book: &mut Xlsx<Cursor<Vec<u8>>>) -> String {
    let mut text = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\t');
            }
        }
    }
    text
}

both_backends! {
    async fn an_auditor_gets_every_enterprise_by_name_in_the_csv(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = app.session("auditor", dcmm::demo::PASSWORD).await.access;
        let (cluster, campaign) = current(&app, &auditor).await;
        let id = campaign["id"].as_str().unwrap();
        let bytes = download(&app, &auditor, &format!("/api/v1/campaigns/{id}/export.csv"), "text/csv; charset=utf-8").await;
        let (header, records) = parse_csv(&bytes);
        assert_eq!(records.len(), 40);
        assert_eq!(&header[0], "企业 Enterprise");
        assert!(header.iter().any(|h| h == "6 数据战略"), "{header:?}");
        // Chinese names come through unchanged, and so does every enterprise.
        let names: BTreeSet<&str> = records.iter().map(|r| &r[0]).collect();
        let registered = enterprises(&app, &auditor, &cluster).await;
        let expected: BTreeSet<&str> = registered.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, expected);
        assert!(names.iter().all(|n| !n.is_ascii()), "{names:?}");
        // Accepted ones carry a verified score with two decimals and the level it implies.
        let accepted: Vec<_> = records.iter().filter(|r| &r[5] == "accepted").collect();
        assert_eq!(accepted.len(), 20);
        for r in accepted {
            let (whole, decimals) = r[6].split_once('.').unwrap();
            assert_eq!(decimals.len(), 2, "{r:?}");
            assert_eq!(whole, &r[7], "{r:?}");
        }
    }

    async fn a_manager_never_gets_an_anonymous_enterprise_by_name(backend: Backend) {
        let app = demo_app(backend).await;
        let manager = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let (cluster, campaign) = current(&app, &manager).await;
        let id = campaign["id"].as_str().unwrap();
        let registered = enterprises(&app, &manager, &cluster).await;
        let anonymous: Vec<&str> = registered.iter().filter(|(_, s)| s == "anonymous").map(|(n, _)| n.as_str()).collect();
        assert!(!anonymous.is_empty(), "the demo has anonymous enterprises");

        let bytes = download(&app, &manager, &format!("/api/v1/campaigns/{id}/export.csv"), "text/csv; charset=utf-8").await;
        let (_, records) = parse_csv(&bytes);
        assert_eq!(records.len(), 40 - anonymous.len());
        assert!(records.iter().all(|r| &r[4] != "anonymous"));
        let text = String::from_utf8(bytes).unwrap();
        let bytes = download(&app, &manager, &format!("/api/v1/campaigns/{id}/export.xlsx"), XLSX).await;
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let sheets = workbook_text(&mut book);
        for name in anonymous {
            assert!(!text.contains(name), "{name} in the CSV");
            assert!(!sheets.contains(name), "{name} in the workbook");
        }
    }

    async fn the_workbook_has_the_enterprises_the_items_and_what_they_are(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = app.session("auditor", dcmm::demo::PASSWORD).await.access;
        let (_, campaign) = current(&app, &auditor).await;
        let id = campaign["id"].as_str().unwrap();
        let csv = download(&app, &auditor, &format!("/api/v1/campaigns/{id}/export.csv"), "text/csv; charset=utf-8").await;
        let (_, records) = parse_csv(&csv);
        let bytes = download(&app, &auditor, &format!("/api/v1/campaigns/{id}/export.xlsx"), XLSX).await;
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["企业 Enterprises", "能力项 Items", "说明 About"]);

        // The same rows as the CSV, scores as numbers.
        let firms = book.worksheet_range("企业 Enterprises").unwrap();
        assert_eq!(firms.height(), 41);
        assert_eq!(cell(&firms, 0, 0), Data::String("企业 Enterprise".into()));
        for (n, record) in records.iter().enumerate() {
            let row = n as u32 + 1;
            assert_eq!(cell(&firms, row, 0).to_string(), record[0]);
            match cell(&firms, row, 6) {
                Data::Float(score) => assert_eq!(format!("{score:.2}"), record[6]),
                Data::Empty => assert_eq!(&record[6], ""),
                other => panic!("overall score {other:?}"),
            }
        }

        // One row per scored enterprise and item of the 2025 edition.
        let items = book.worksheet_range("能力项 Items").unwrap();
        let scored = records.iter().filter(|r| !r[6].is_empty()).count();
        let item_count = dcmm::questionnaire::Registry::built_in().unwrap().dcmm("dcmm-2025").unwrap().item_count();
        assert_eq!(items.height(), 1 + scored * item_count);
        assert_eq!(cell(&items, 1, 3), Data::String("2025:6.1".into()));
        assert_eq!(cell(&items, 1, 4), Data::String("数据战略规划".into()));

        let about = book.worksheet_range("说明 About").unwrap();
        let text: Vec<String> = about.rows().map(|r| r[1].to_string()).collect();
        assert!(text.contains(&campaign["name"].as_str().unwrap().to_owned()), "{text:?}");
        assert!(text.contains(&campaign["questionnaire_hash"].as_str().unwrap().to_owned()), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("dcmm-policy-")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("不代表")), "{text:?}");
    }
}
