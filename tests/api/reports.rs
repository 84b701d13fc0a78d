//! Reports through the API: the PDF opened with real PDF tools, its record, verification and
//! access, on both backends.

use std::path::Path;
use std::process::Command;

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::client_evidence::{full_profile, upload_parts, CRITERION};
use crate::fixtures::{assessment_of, seed_user, set_sharing, verify_audit, world, PASSWORD};
use crate::helpers::{call, error_body, spawn_app, TestApp};

/// A Chinese name with characters beyond the common ones, to prove any CJK name renders.
pub const NAME: &str = "闽江鑫淼燚数据科技有限公司";

/// Runs a PDF tool on `file`; `None` when it is not installed (`scripts/prerequisites`
/// installs them, and CI runs that first).
pub fn pdf_tool(name: &str, args: &[&str], file: &Path) -> Option<String> {
    let out = match Command::new(name).args(args).arg(file).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("{name} is not installed: skipping its check");
            return None;
        }
        Err(e) => panic!("{name}: {e}"),
    };
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes `bytes` to a temporary file, checks them with qpdf, and answers their text
/// (whitespace removed: pdftotext may split CJK runs) and fonts.
pub fn check_pdf(bytes: &[u8]) -> (Option<String>, Option<String>, Option<usize>) {
    let path = std::env::temp_dir().join(format!("dcmm-report-{}.pdf", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).unwrap();
    if let Some(out) = pdf_tool("qpdf", &["--check"], &path) {
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
    let text = pdf_tool("pdftotext", &["-enc", "UTF-8"], &path).map(|_| {
        let txt = path.with_extension("txt");
        let text = std::fs::read_to_string(&txt).unwrap();
        let _ = std::fs::remove_file(txt);
        text.chars().filter(|c| !c.is_whitespace()).collect()
    });
    let fonts = pdf_tool("pdffonts", &[], &path);
    let pages = pdf_tool("pdfinfo", &[], &path).and_then(|info| {
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
    });
    let _ = std::fs::remove_file(&path);
    (text, fonts, pages)
}

/// Every font is embedded as a subset (the `XXXXXX+` tag, emb and sub columns yes).
pub fn assert_subset_fonts(fonts: &str) {
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(cols[0].as_bytes().get(6), Some(&b'+'), "subset tag: {row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
    }
}

async fn login(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

/// A PDF download: its bytes and the report id and SHA-256 headers.
pub async fn pdf(app: &TestApp, path: &str, token: &str) -> (Vec<u8>, String, String) {
    let response = app.send(Method::GET, path, Some(token), None).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").starts_with("attachment;"));
    let (id, sha) = (header("x-report-id"), header("x-report-sha256"));
    let bytes = response.bytes().await.unwrap().to_vec();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        sha,
        "the header names these bytes"
    );
    (bytes, id, sha)
}

/// An enterprise with a Chinese name in cluster A of the world, its user, and its draft in
/// campaign A: the enterprise answers, uploads evidence, fills in its profile and submits; the
/// auditor returns it with a note, then accepts it.
async fn reviewed(app: &TestApp, w: &crate::fixtures::World) -> (String, String) {
    prepared(app, w, NAME, "user.cn").await
}

/// [`reviewed`] for an enterprise named `name` with user `username`.
async fn prepared(
    app: &TestApp,
    w: &crate::fixtures::World,
    name: &str,
    username: &str,
) -> (String, String) {
    let enterprise = crate::fixtures::insert_enterprise(app, &w.a, name);
    let mut conn = crate::fixtures::pool(app).get().unwrap();
    let campaign = dcmm::db::campaigns::find(&mut conn, w.campaign_a.parse().unwrap()).unwrap();
    dcmm::db::assessments::create_drafts(
        &mut conn,
        &campaign,
        &[enterprise.parse().unwrap()],
        None,
    )
    .unwrap();
    drop(conn);
    let assessment = assessment_of(app, &w.campaign_a, &enterprise);
    seed_user(
        app,
        username,
        dcmm::domain::Role::Enterprise,
        &[&enterprise],
    );
    let user = login(app, username).await;
    let q = dcmm::questionnaire::Registry::built_in().unwrap();
    let answers: Vec<Value> = q
        .dcmm("dcmm-2025")
        .unwrap()
        .criteria()
        .enumerate()
        .map(|(i, c)| json!({"criterion": c.id, "rating": if i % 3 == 0 { "partially" } else { "fully" }}))
        .collect();
    let (s, body) = call(
        app,
        Method::PUT,
        &format!("/api/v1/assessments/{assessment}/answers"),
        &user,
        Some(json!({"answers": answers})),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let response = app
        .upload(
            &user,
            &assessment,
            &upload_parts("数据质量管理办法.txt", "制度全文".as_bytes(), &[CRITERION]),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let response = app
        .put_profile(&user, &enterprise, &full_profile(), None)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    (enterprise, assessment)
}

async fn submit_and_accept(app: &TestApp, assessment: &str, user: &str, auditor: &str) {
    let submit = format!("/api/v1/assessments/{assessment}/submit");
    let review = format!("/api/v1/assessments/{assessment}/review");
    let (s, _) = call(app, Method::POST, &submit, user, None).await;
    assert_eq!(s, 200);
    let (s, body) = call(
        app,
        Method::POST,
        &review,
        auditor,
        Some(json!({
            "decision": "return", "note": "数据战略规划缺少审批记录",
            "verified": [{"criterion": "2025:6.1:L2:1", "rating": "not"}],
        })),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = call(app, Method::POST, &submit, user, None).await;
    assert_eq!(s, 200);
    let (s, _) = call(
        app,
        Method::POST,
        &review,
        auditor,
        Some(json!({"decision": "accept", "confirm": true, "note": "证据齐全"})),
    )
    .await;
    assert_eq!(s, 200);
}

both_backends! {
    async fn the_enterprise_report_is_a_valid_pdf_recorded_and_verifiable(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let (enterprise, assessment) = reviewed(&app, &w).await;
        let user = login(&app, "user.cn").await;
        let auditor = login(&app, &w.auditor_a.username).await;
        let path = format!("/api/v1/assessments/{assessment}/report.pdf");

        // A draft's report changes with its answers: another id.
        let (_, draft_id, _) = pdf(&app, &path, &user).await;
        let (s, _) = call(&app, Method::PUT, &format!("/api/v1/assessments/{assessment}/answers/2025:6.1:L1:1"), &user, Some(json!({"rating": "not"}))).await;
        assert_eq!(s, 200);
        let (_, changed_id, _) = pdf(&app, &path, &user).await;
        assert_ne!(draft_id, changed_id, "other data, another report");

        submit_and_accept(&app, &assessment, &user, &auditor).await;
        let (bytes, id, sha) = pdf(&app, &path, &user).await;
        assert!(id.starts_with("DCMM-") && id.len() == 24, "{id}");
        assert!(bytes.len() < 500_000, "{} bytes", bytes.len());
        let (again, again_id, _) = pdf(&app, &path, &auditor).await;
        assert_eq!((again_id.as_str(), again == bytes), (id.as_str(), true), "the same data gives the same report");

        let (text, fonts, pages) = check_pdf(&bytes);
        if let Some(text) = text {
            for expected in [NAME, "数据战略", "数据治理", "数据安全", "不构成认证", "差距与提升计划",
                             "数据战略规划缺少审批记录", "证据齐全", "数据质量管理办法.txt", "企业高管", id.as_str()] {
                assert!(text.contains(expected), "{expected} missing from the text");
            }
            let evidence_sha = hex::encode(Sha256::digest("制度全文".as_bytes()));
            assert!(text.contains(&evidence_sha[..32]), "the evidence index holds its SHA-256");
        }
        if let Some(fonts) = fonts {
            assert_subset_fonts(&fonts);
        }
        if let Some(pages) = pages {
            assert!((3..=30).contains(&pages), "{pages} pages");
        }

        let (en, en_id, _) = pdf(&app, &format!("{path}?lang=en"), &user).await;
        assert_ne!(en_id, id);
        if let (Some(text), _, _) = check_pdf(&en) {
            assert!(text.contains("Datastrategy") && text.contains("notacertification"), "English text");
        }
        let response = app.send(Method::GET, &format!("{path}?lang=fr"), Some(&user), None).await;
        let body = error_body(response, 422, "validation_failed").await;
        assert!(body["fields"]["lang"].is_array(), "{body}");

        // The record, for those who may read the subject; 404 for everyone else.
        let (s, record) = call(&app, Method::GET, &format!("/api/v1/reports/{id}"), &user, None).await;
        assert_eq!(s, 200, "{record}");
        assert_eq!(record["sha256"], sha.as_str());
        assert_eq!(record["kind"], "assessment");
        assert_eq!(record["subject_id"], assessment.as_str());
        assert_eq!(record["size_bytes"], bytes.len());
        assert_eq!(record["questionnaire_id"], "dcmm-2025");
        assert!(record["policy_version"].as_str().unwrap().starts_with("dcmm-policy"));
        for outsider in [&w.manager_b.username, &w.enterprise_b1.username, &w.enterprise_a1.username] {
            let token = login(&app, outsider).await;
            let response = app.send(Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
            error_body(response, 404, "not_found").await;
            let response = app.send(Method::GET, &path, Some(&token), None).await;
            assert_eq!(response.status().as_u16(), 404, "{outsider}");
        }
        let response = app.send(Method::GET, "/api/v1/reports/DCMM-0000-0000-0000-0000", Some(&user), None).await;
        error_body(response, 404, "not_found").await;
        // An id typed in lower case is the same report; one that is no report id is a 404.
        let (s, lower) = call(&app, Method::GET, &format!("/api/v1/reports/{}", id.to_lowercase()), &user, None).await;
        assert_eq!((s, &lower["id"]), (200, &record["id"]), "{lower}");
        for bad in ["DCMM-0000-0000-0000", "RPT-0000-0000-0000-0000", "0190c3a4-7b2a-7c3d-9e4f-0123456789ab"] {
            let response = app.send(Method::GET, &format!("/api/v1/reports/{bad}"), Some(&user), None).await;
            error_body(response, 404, "not_found").await;
        }

        // The cluster manager reads it only when the enterprise shares everything.
        let manager = login(&app, &w.manager_a.username).await;
        set_sharing(&app, &enterprise, "scores");
        let response = app.send(Method::GET, &path, Some(&manager), None).await;
        error_body(response, 403, "not_shared").await;
        set_sharing(&app, &enterprise, "full");
        let (manager_bytes, manager_id, _) = pdf(&app, &path, &manager).await;
        assert_eq!((manager_id, manager_bytes == bytes), (id.clone(), true));

        // Verification by bytes and by hash, by anyone logged in.
        let other = login(&app, &w.enterprise_b1.username).await;
        let response = app.send_bytes(Method::POST, "/api/v1/reports/verify", Some(&other), "application/pdf", bytes.clone()).await;
        assert_eq!(response.status().as_u16(), 200);
        let v: Value = response.json().await.unwrap();
        assert_eq!((v["valid"].as_bool(), v["report"]["id"].as_str()), (Some(true), Some(id.as_str())), "{v}");
        let mut tampered = bytes.clone();
        let at = tampered.len() / 2;
        tampered[at] ^= 1;
        let response = app.send_bytes(Method::POST, "/api/v1/reports/verify", Some(&other), "application/pdf", tampered).await;
        let v: Value = response.json().await.unwrap();
        assert_eq!((v["valid"].as_bool(), v["report"].is_null()), (Some(false), true), "{v}");
        let (s, v) = call(&app, Method::POST, "/api/v1/reports/verify", &other, Some(json!({"sha256": sha.to_uppercase()}))).await;
        assert_eq!((s, v["valid"].as_bool()), (200, Some(true)), "{v}");
        let response = app.send(Method::POST, "/api/v1/reports/verify", Some(&other), Some(&json!({"sha256": "abc"}))).await;
        let body = error_body(response, 422, "validation_failed").await;
        assert!(body["fields"]["sha256"].is_array(), "{body}");
        for (body, field) in [(json!({}), "sha256"), (json!({"sha256": 7}), "sha256"), (json!({"sha256": sha, "id": 1}), "id")] {
            let response = app.send(Method::POST, "/api/v1/reports/verify", Some(&other), Some(&body)).await;
            let body = error_body(response, 422, "validation_failed").await;
            assert!(body["fields"][field].is_array(), "{body}");
        }
        let response = app.send_bytes(Method::POST, "/api/v1/reports/verify", Some(&other), "application/json", b"{".to_vec()).await;
        error_body(response, 400, "invalid_json").await;
        let response = app.send_bytes(Method::POST, "/api/v1/reports/verify", Some(&other), "text/plain", b"x".to_vec()).await;
        error_body(response, 415, "unsupported_media_type").await;
        // Without a login it answers too, with what the PDF prints and no record.
        let response = app.send_bytes(Method::POST, "/api/v1/reports/verify", None, "application/pdf", bytes.clone()).await;
        assert_eq!(response.status().as_u16(), 200);
        let v: Value = response.json().await.unwrap();
        assert_eq!((v["valid"].as_bool(), v["report"]["id"].as_str(), v.get("record")), (Some(true), Some(id.as_str()), None), "{v}");

        // Every issue is in the audit log, whose chain holds.
        let mut issued = 0;
        let mut after = 0;
        loop {
            let (s, log) = call(&app, Method::GET, &format!("/api/v1/audit-log?limit=500&after={after}"), &auditor, None).await;
            assert_eq!(s, 200);
            issued += log["items"].as_array().unwrap().iter()
                .filter(|e| e["action"] == "report.issue" && e["subject_id"] == id.as_str())
                .count();
            match log["next"].as_str() {
                Some(next) => after = next.parse().unwrap(),
                None => break,
            }
        }
        assert_eq!(issued, 3, "the user, the auditor and the manager each got it");
        assert_eq!(verify_audit(&app).first_broken, None);
    }
}

both_backends! {
    async fn the_cluster_report_follows_sharing_and_is_recorded(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let auditor = login(&app, &w.auditor_a.username).await;
        let (shown, shown_assessment) = prepared(&app, &w, NAME, "user.cn").await;
        let hidden_name = "闽侯隐名匿迹材料有限公司";
        let (hidden, hidden_assessment) = prepared(&app, &w, hidden_name, "user.hidden").await;
        set_sharing(&app, &shown, "full");
        set_sharing(&app, &hidden, "anonymous");
        for (assessment, username) in [(&shown_assessment, "user.cn"), (&hidden_assessment, "user.hidden")] {
            let user = login(&app, username).await;
            submit_and_accept(&app, assessment, &user, &auditor).await;
        }
        let manager = login(&app, &w.manager_a.username).await;
        let path = format!("/api/v1/campaigns/{}/report.pdf", w.campaign_a);
        let (bytes, id, sha) = pdf(&app, &path, &manager).await;
        let (again, again_id, _) = pdf(&app, &path, &auditor).await;
        assert_eq!((again_id.as_str(), again == bytes), (id.as_str(), true), "the same data gives the same report");
        let (text, fonts, pages) = check_pdf(&bytes);
        if let Some(text) = text {
            for expected in [NAME, "数据战略", "数据治理", "集群就绪度", "不构成", id.as_str()] {
                assert!(text.contains(expected), "{expected} missing from the text");
            }
            assert!(!text.contains(hidden_name), "an anonymous enterprise is never named");
        }
        if let Some(fonts) = fonts {
            assert_subset_fonts(&fonts);
        }
        if let Some(pages) = pages {
            assert!((3..=30).contains(&pages), "{pages} pages");
        }
        let (en, en_id, _) = pdf(&app, &format!("{path}?lang=en"), &manager).await;
        assert_ne!(en_id, id);
        if let (Some(text), _, _) = check_pdf(&en) {
            assert!(text.contains("readiness") || text.contains("Readiness"), "English text");
        }

        let (s, record) = call(&app, Method::GET, &format!("/api/v1/reports/{id}"), &manager, None).await;
        assert_eq!((s, record["kind"].as_str(), record["sha256"].as_str()), (200, Some("campaign"), Some(sha.as_str())), "{record}");
        assert_eq!(record["subject_id"], w.campaign_a.as_str());
        // Enterprise users read their own reports, not the cluster's; other clusters see nothing.
        let user = login(&app, "user.cn").await;
        let response = app.send(Method::GET, &path, Some(&user), None).await;
        error_body(response, 403, "forbidden").await;
        let response = app.send(Method::GET, &format!("/api/v1/reports/{id}"), Some(&user), None).await;
        error_body(response, 404, "not_found").await;
        let other = login(&app, &w.manager_b.username).await;
        let response = app.send(Method::GET, &path, Some(&other), None).await;
        error_body(response, 404, "not_found").await;
        let (s, v) = call(&app, Method::POST, "/api/v1/reports/verify", &other, Some(json!({"sha256": sha}))).await;
        assert_eq!((s, v["valid"].as_bool(), v["report"]["kind"].as_str()), (200, Some(true), Some("campaign")));
        assert_eq!(verify_audit(&app).first_broken, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_gives_the_report_id_its_shape() {
    let app = spawn_app(crate::helpers::Backend::Sqlite).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schema = &doc["components"]["schemas"]["ReportId"];
    assert_eq!(schema["type"], "string", "{schema}");
    let pattern = schema["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema}"));
    assert!(pattern.starts_with("^DCMM-"), "{pattern}");
    let param = &doc["paths"]["/api/v1/reports/{id}"]["get"]["parameters"][0]["schema"]["$ref"];
    assert_eq!(param, "#/components/schemas/ReportId", "{param}");
    let record = &doc["components"]["schemas"]["ReportRecord"]["properties"]["id"]["$ref"];
    assert_eq!(record, "#/components/schemas/ReportId", "{record}");
}
