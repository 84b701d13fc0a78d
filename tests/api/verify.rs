//! Checking a report without an account: by its file, its SHA-256 or its id, with only what
//! the PDF prints in the answer, a tampered copy told apart, and the per-address throttle.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{error_body, spawn_app_with, TestApp};
use crate::reports::{check_pdf, pdf};

const VERIFY: &str = "/api/v1/reports/verify";
const PUBLIC_URL: &str = "https://dcmm.example.org";

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// A check with no login: its status and body.
async fn anonymous(
    app: &TestApp,
    path: &str,
    pdf: Option<Vec<u8>>,
    json: Option<Value>,
) -> (u16, Value) {
    let response = match (pdf, json) {
        (Some(bytes), _) => {
            app.send_bytes(Method::POST, path, None, "application/pdf", bytes)
                .await
        }
        (None, json) => app.send(Method::POST, path, None, json.as_ref()).await,
    };
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A check by report id from the client address `from` (the app trusts `X-Forwarded-For`).
async fn from_address(app: &TestApp, from: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(VERIFY))
        .header("X-Forwarded-For", format!("198.51.100.1, {from}"))
        .json(&json!({"report_id": "DCMM-0000-0000-0000-0001"}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

both_backends! {
    async fn anyone_checks_a_report_by_file_hash_or_id_and_learns_only_what_it_prints(backend: Backend) {
        let app = spawn_app_with(backend, &[("DCMM_PUBLIC_URL", PUBLIC_URL)]).await;
        let w = world(&app);
        let owner = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let path = format!("/api/v1/assessments/{}/report.pdf", w.assessment_a1);
        let (bytes, id, sha) = pdf(&app, &path, &owner).await;
        if let (Some(text), _, _) = check_pdf(&bytes) {
            assert!(text.contains(&format!("{PUBLIC_URL}/verify")), "the address is printed");
            assert!(text.contains("核验本报告") && text.contains(&id), "the cover says how, with the id");
        }

        // The genuine file: what it prints and nothing more.
        let (s, v) = anonymous(&app, VERIFY, Some(bytes.clone()), None).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(keys(&v), set(&["valid", "checked", "sha256_match", "report", "altered_copy_of", "statement"]), "{v}");
        assert_eq!((v["valid"].as_bool(), v["checked"].as_str(), v["sha256_match"].as_bool()), (Some(true), Some("file"), Some(true)));
        let r = &v["report"];
        assert_eq!(keys(r), set(&["id", "kind", "subject", "data_as_of", "issued_on", "indicated_level", "not_final"]), "{r}");
        assert_eq!(r["id"], id.as_str());
        assert_eq!(r["kind"], "assessment");
        assert_eq!(r["subject"], "A1 Ltd");
        assert_eq!(r["indicated_level"], "0（未达初始级）", "a draft with nothing answered");
        assert_eq!(r["not_final"], true);
        let today = chrono::Utc::now().date_naive().to_string();
        assert_eq!((r["issued_on"].as_str(), r["data_as_of"].as_str()), (Some(today.as_str()), Some(today.as_str())));
        assert!(v["statement"].as_str().unwrap().starts_with("真实："), "{v}");
        let text = v.to_string();
        for internal in [&w.assessment_a1, &w.a1, &w.enterprise_a1.id, &w.a, &w.campaign_a] {
            assert!(!text.contains(internal.as_str()), "{internal} leaked: {text}");
        }
        assert!(!text.contains(&app.db.data_dir.display().to_string()));

        // One byte changed: not genuine, and the answer names the report the copy claims to be.
        let mut tampered = bytes.clone();
        let at = tampered.len() / 2;
        tampered[at] ^= 0x01;
        let (s, v) = anonymous(&app, &format!("{VERIFY}?lang=en"), Some(tampered), None).await;
        assert_eq!(s, 200);
        assert_eq!((v["valid"].as_bool(), v["sha256_match"].as_bool(), v["report"].is_null()), (Some(false), Some(false), true), "{v}");
        assert_eq!(v["altered_copy_of"], id.as_str());
        assert!(v["statement"].as_str().unwrap().starts_with("Not genuine"), "{v}");
        let (_, v) = anonymous(&app, VERIFY, Some(b"%PDF-1.7 not a report".to_vec()), None).await;
        assert_eq!((v["valid"].as_bool(), v["altered_copy_of"].is_null()), (Some(false), true), "{v}");
        assert!(v["statement"].as_str().unwrap().starts_with("不是本服务签发的报告"), "{v}");

        // Its SHA-256, and its id: the id says what was issued, not that any file is genuine.
        let (s, v) = anonymous(&app, VERIFY, None, Some(json!({"sha256": sha.to_uppercase()}))).await;
        assert_eq!((s, v["valid"].as_bool(), v["checked"].as_str()), (200, Some(true), Some("sha256")), "{v}");
        let (s, v) = anonymous(&app, &format!("{VERIFY}?lang=en"), None, Some(json!({"report_id": id.to_lowercase()}))).await;
        assert_eq!((s, v["valid"].as_bool(), v["checked"].as_str()), (200, Some(true), Some("report_id")), "{v}");
        assert!(v["sha256_match"].is_null(), "nothing was compared: {v}");
        assert_eq!(v["report"]["subject"], "A1 Ltd");
        let statement = v["statement"].as_str().unwrap();
        assert!(statement.contains("not that a given file is genuine") && statement.contains(&id), "{statement}");
        let (_, v) = anonymous(&app, VERIFY, None, Some(json!({"report_id": "DCMM-0000-0000-0000-0001"}))).await;
        assert_eq!((v["valid"].as_bool(), v["report"].is_null()), (Some(false), true), "{v}");

        // Asking wrongly names the field.
        for (body, field) in [
            (json!({"report_id": "RPT-1"}), "report_id"),
            (json!({"report_id": id, "sha256": sha}), "report_id"),
            (json!({}), "report_id"),
            (json!({"report": id}), "report"),
        ] {
            let response = app.send(Method::POST, VERIFY, None, Some(&body)).await;
            let e = error_body(response, 422, "validation_failed").await;
            assert!(e["fields"][field].is_array(), "{body}: {e}");
        }

        // Logged in, whoever may read the subject also gets the record; others do not.
        let (s, v) = call(&app, &owner, json!({"report_id": id})).await;
        assert_eq!((s, v["record"]["subject_id"].as_str()), (200, Some(w.assessment_a1.as_str())), "{v}");
        let other = app.session(&w.enterprise_b1.username, PASSWORD).await.access;
        let (s, v) = call(&app, &other, json!({"report_id": id})).await;
        assert_eq!((s, v["valid"].as_bool(), v.get("record")), (200, Some(true), None), "{v}");
        // A token that is sent must be good.
        let response = app.send(Method::POST, VERIFY, Some("not-a-token"), Some(&json!({"report_id": id}))).await;
        error_body(response, 401, "unauthorized").await;
    }

    async fn the_check_after_the_limit_from_one_address_is_429_while_another_address_passes(backend: Backend) {
        let app = spawn_app_with(backend, &[("DCMM_TRUST_FORWARDED_FOR", "true")]).await;
        let w = world(&app);
        let limit = dcmm::auth::throttle::VERIFY_PER_ADDRESS.requests;
        for n in 1..=limit {
            let r = from_address(&app, "203.0.113.7", None).await;
            assert_eq!(r.status().as_u16(), 200, "check {n}");
        }
        let r = from_address(&app, "203.0.113.7", None).await;
        let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=600).contains(&retry), "{retry}");
        error_body(r, 429, "too_many_requests").await;
        assert_eq!(from_address(&app, "203.0.113.8", None).await.status().as_u16(), 200, "another address");
        // A logged-in caller is known and not counted by address.
        let token = app.session(&w.auditor_a.username, PASSWORD).await.access;
        assert_eq!(from_address(&app, "203.0.113.7", Some(&token)).await.status().as_u16(), 200);
        assert_eq!(from_address(&app, "203.0.113.7", None).await.status().as_u16(), 429);
    }
}

async fn call(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let response = app
        .send(Method::POST, VERIFY, Some(token), Some(&body))
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

both_backends! {
    async fn a_report_recorded_before_ids_came_from_the_model_still_verifies(backend: Backend) {
        // A record as the draft-derived scheme left it: its id and SHA-256 are looked up, never
        // derived again, so it verifies by either.
        let app = spawn_app_with(backend, &[]).await;
        let w = world(&app);
        let id: dcmm::ids::ReportId = "DCMM-5A1E-0C3D-77B2-9E40".parse().unwrap();
        let sha = "ab".repeat(32);
        let mut conn = crate::fixtures::pool(&app).get().unwrap();
        dcmm::db::reports::insert(&mut conn, &dcmm::db::reports::ReportRow {
            id,
            kind: "assessment".to_owned(),
            subject_id: w.assessment_a1.clone(),
            language: "zh".to_owned(),
            sha256: sha.clone(),
            size_bytes: 1000,
            questionnaire_id: "dcmm-2025".to_owned(),
            questionnaire_hash: "sha256:earlier".to_owned(),
            policy_version: "dcmm-policy-earlier".to_owned(),
            requested_by: None,
            created_at: dcmm::db::now(),
            subject_name: Some("早先企业".to_owned()),
            data_date: None,
            indicated_level: None,
            not_final: Some(false),
        }).unwrap();
        drop(conn);
        let (s, v) = anonymous(&app, VERIFY, None, Some(json!({"sha256": sha}))).await;
        assert_eq!((s, v["valid"].as_bool(), v["report"]["id"].as_str()), (200, Some(true), Some("DCMM-5A1E-0C3D-77B2-9E40")), "{v}");
        let (s, v) = anonymous(&app, VERIFY, None, Some(json!({"report_id": "DCMM-5A1E-0C3D-77B2-9E40"}))).await;
        assert_eq!((s, v["valid"].as_bool()), (200, Some(true)), "{v}");
    }
}
