//! Evidence uploads: what is stored, listed and sent back, what is refused, and that a failed
//! upload leaves no file behind; on both backends.

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use dcmm::evidence::{EvidenceStore, FileKind, NewEvidence};

use crate::both_backends;
use crate::client_evidence::{full_profile, upload_parts, Part, CRITERION, OTHER_CRITERION, PDF};
use crate::fixtures::{
    audited_writes, insert_assessment, pool, set_assessment_status, world, PASSWORD,
};
use crate::helpers::{error_body, spawn_app, spawn_app_with, TestApp};

async fn token(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const CHINESE_NAME: &str = "数据管理制度（2026）.txt";
const CHINESE_TEXT: &str = "第一条 数据管理制度自发布之日起施行。\n";

both_backends! {
    async fn uploaded_files_are_listed_described_and_downloaded_byte_for_byte(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;

        let mut parts = upload_parts("policy.pdf", PDF, &[OTHER_CRITERION]);
        parts.push(Part::text("criteria", CRITERION));
        parts.push(Part::text("effective_date", "2026-03-01"));
        let pdf = json_of(app.upload(&user, &assessment, &parts).await, 201).await;
        assert_eq!(pdf["content_type"], "application/pdf");
        assert_eq!(pdf["size_bytes"], PDF.len());
        assert_eq!(pdf["sha256"], sha256(PDF));
        assert_eq!(pdf["criteria"], json!([CRITERION, OTHER_CRITERION]));
        assert_eq!(pdf["effective_date"], "2026-03-01");
        assert_eq!(pdf["assessment_id"], assessment.as_str());
        assert_eq!(pdf["uploaded_by"], w.enterprise_a1.id.as_str());

        let parts = upload_parts(CHINESE_NAME, CHINESE_TEXT.as_bytes(), &[CRITERION]);
        let text = json_of(app.upload(&user, &assessment, &parts).await, 201).await;
        assert_eq!(text["file_name"], CHINESE_NAME);
        assert_eq!(text["content_type"], "text/plain; charset=utf-8");
        assert_eq!(text["effective_date"], Value::Null);

        let list = json_of(app.list_evidence(&user, &assessment, "").await, 200).await;
        assert_eq!(list["items"], json!([pdf, text]));
        assert_eq!(list["next"], Value::Null);
        let first = json_of(app.list_evidence(&user, &assessment, "?limit=1").await, 200).await;
        assert_eq!(first["items"], json!([pdf]));
        let next = first["next"].as_str().unwrap();
        let second = json_of(app.list_evidence(&user, &assessment, &format!("?limit=1&after={next}")).await, 200).await;
        assert_eq!((second["items"].clone(), second["next"].clone()), (json!([text]), Value::Null));
        error_body(app.list_evidence(&user, &assessment, "?after=x").await, 422, "validation_failed").await;

        let id = text["id"].as_str().unwrap();
        assert_eq!(json_of(app.get_evidence(&user, id).await, 200).await, text);

        let response = app.download_evidence(&user, id).await;
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let encoded: String = CHINESE_NAME.bytes().map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        }).collect();
        assert!(disposition.contains(&format!("filename*=UTF-8''{encoded}")), "{disposition}");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), CHINESE_TEXT.as_bytes());
        assert_eq!(sha256(&bytes), text["sha256"]);

        let response = app.download_evidence(&user, pdf["id"].as_str().unwrap()).await;
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert_eq!(sha256(&response.bytes().await.unwrap()), sha256(PDF));

        let sha = sha256(PDF);
        let stored = app.db.data_dir.join("evidence").join(&sha[..2]).join(&sha);
        assert_eq!(std::fs::read(&stored).unwrap(), PDF);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&stored).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }

        // The profile and the uploads, one audit entry each, in one unbroken chain.
        json_of(app.put_profile(&user, &w.a1, &full_profile(), None).await, 200).await;
        assert_eq!(audited_writes(&app), 3);
    }

    async fn file_names_lose_bidirectional_overrides_and_zero_width_characters(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;
        // Each would make the name read otherwise than it is: "report\u{202E}fdp.txt" shows
        // as "reporttxt.pdf".
        let cases = [
            ("report\u{202E}fdp.txt", "reportfdp.txt"),
            ("\u{FEFF}制度\u{200B}说明\u{200D}.txt", "制度说明.txt"),
            ("\u{2066}a\u{2067}b\u{2068}c\u{2069}.txt", "abc.txt"),
            ("x\u{200E}y\u{200F}z\u{061C}\u{2060}.txt", "xyz.txt"),
            ("\u{E0001}tag\u{E0041}.txt", "tag.txt"),
        ];
        for (sent, kept) in cases {
            let parts = upload_parts(sent, b"plain text\n", &[CRITERION]);
            let body = json_of(app.upload(&user, &assessment, &parts).await, 201).await;
            assert_eq!(body["file_name"], kept, "{sent:?}");
            let id = body["id"].as_str().unwrap();
            assert_eq!(json_of(app.get_evidence(&user, id).await, 200).await["file_name"], kept);
        }
        let parts = upload_parts("\u{200B}\u{202E}", b"plain text\n", &[CRITERION]);
        let body = error_body(app.upload(&user, &assessment, &parts).await, 422, "validation_failed").await;
        assert!(body["fields"]["file"].is_array(), "{body}");
    }

    async fn programs_pages_and_disguised_files_are_refused_naming_the_file(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;
        let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
        for (name, bytes) in [
            ("tool", &elf),
            ("setup.exe", &exe),
            ("report.pdf", &elf),
            ("page.html", &html),
            ("notes.txt", &html),
            ("logo.svg", &svg),
            ("run.sh", &b"#!/bin/sh\necho hi\n".to_vec()),
        ] {
            let parts = upload_parts(name, bytes, &[CRITERION]);
            let body = error_body(app.upload(&user, &assessment, &parts).await, 422, "validation_failed").await;
            assert!(body["fields"]["file"].is_array(), "{name}: {body}");
        }
        let list = json_of(app.list_evidence(&user, &assessment, "").await, 200).await;
        assert_eq!(list["items"], json!([]));
        assert_eq!(audited_writes(&app), 0);
    }

    async fn a_file_over_the_limit_is_413(backend: Backend) {
        let app = spawn_app_with(backend, &[("DCMM_MAX_EVIDENCE_BYTES", "4096")]).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;
        let big = [PDF, &vec![b' '; 5000]].concat();
        let parts = upload_parts("big.pdf", &big, &[CRITERION]);
        error_body(app.upload(&user, &assessment, &parts).await, 413, "payload_too_large").await;
        let fits = [PDF, &vec![b' '; 3000]].concat();
        let parts = upload_parts("fits.pdf", &fits, &[CRITERION]);
        json_of(app.upload(&user, &assessment, &parts).await, 201).await;
    }

    async fn criteria_dates_and_the_file_part_are_checked_by_field(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;
        let fields = |parts: Vec<Part>| {
            let app = &app;
            let (user, assessment) = (user.clone(), assessment.clone());
            async move {
                let body = error_body(app.upload(&user, &assessment, &parts).await, 422, "validation_failed").await;
                body["fields"].as_object().unwrap().keys().cloned().collect::<Vec<_>>()
            }
        };
        let unknown = upload_parts("a.pdf", PDF, &[CRITERION, "2018:6.1:L1:1"]);
        assert_eq!(fields(unknown).await, ["criteria"]);
        assert_eq!(fields(upload_parts("a.pdf", PDF, &[])).await, ["criteria"]);
        let mut dated = upload_parts("a.pdf", PDF, &[CRITERION]);
        dated.push(Part::text("effective_date", "2026-02-30"));
        assert_eq!(fields(dated).await, ["effective_date"]);
        assert_eq!(fields(vec![Part::text("criteria", CRITERION)]).await, ["file"]);
        let mut two = upload_parts("a.pdf", PDF, &[CRITERION]);
        two.push(Part::file("b.pdf", PDF));
        assert_eq!(fields(two).await, ["file"]);
        let mut extra = upload_parts("a.pdf", PDF, &[CRITERION]);
        extra.push(Part::text("comment", "x"));
        assert_eq!(fields(extra).await, ["comment"]);
        let everything_wrong = upload_parts("a.exe", b"MZ", &["nope"]);
        assert_eq!(fields(everything_wrong).await, ["criteria", "file"]);

        let path = format!("/api/v1/assessments/{assessment}/evidence");
        let json = app.send(Method::POST, &path, Some(&user), Some(&json!({"file": "x"}))).await;
        error_body(json, 415, "unsupported_media_type").await;
        assert_eq!(audited_writes(&app), 0);
    }

    async fn a_submitted_or_accepted_assessment_takes_no_evidence(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let user = token(&app, "user.a1").await;
        json_of(app.upload(&user, &assessment, &upload_parts("a.pdf", PDF, &[CRITERION])).await, 201).await;
        for status in ["submitted", "accepted"] {
            set_assessment_status(&app, &assessment, status);
            let parts = upload_parts("b.pdf", PDF, &[CRITERION]);
            error_body(app.upload(&user, &assessment, &parts).await, 409, "assessment_frozen").await;
        }
        let list = json_of(app.list_evidence(&user, &assessment, "").await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!(audited_writes(&app), 1);
    }

    async fn a_failed_transaction_leaves_no_file_and_keeps_a_shared_one(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let store = EvidenceStore::new(&app.db.data_dir);
        let uploader: dcmm::ids::UserId = w.enterprise_a1.id.parse().unwrap();
        let new = |bytes: &[u8], criteria: &[&str]| NewEvidence {
            file_name: "a.pdf".into(),
            kind: FileKind::Pdf,
            content: store.stage(bytes).unwrap(),
            criteria: criteria.iter().map(|c| c.to_string()).collect(),
            effective_date: None,
        };
        let pool = pool(&app);
        let mut conn = pool.get().unwrap();
        let stored = |bytes: &[u8]| store.path_of(&EvidenceStore::key_of(&sha256(bytes))).unwrap().exists();
        // The same criterion twice breaks the second link's key after the file is in place.
        let broken = new(PDF, &[CRITERION, CRITERION]);
        assert!(dcmm::evidence::record(&mut conn, &store, assessment.parse().unwrap(), uploader, broken).is_err());
        assert!(!stored(PDF));
        dcmm::evidence::record(&mut conn, &store, assessment.parse().unwrap(), uploader, new(PDF, &[CRITERION])).unwrap();
        assert!(stored(PDF));
        let broken = new(PDF, &[CRITERION, CRITERION]);
        assert!(dcmm::evidence::record(&mut conn, &store, assessment.parse().unwrap(), uploader, broken).is_err());
        assert!(stored(PDF), "a file another row names must stay");
        let leftovers = std::fs::read_dir(app.db.data_dir.join("evidence/tmp")).unwrap().count();
        assert_eq!(leftovers, 0);
        let chain = dcmm::audit::verify(&mut conn, Some(&crate::helpers::audit_key(&app.db))).unwrap();
        assert_eq!((chain.entries, chain.first_broken), (1, None));
    }
}
