//! `PATCH /api/v1/me`: the caller's own language and display name, audited; and the account's
//! language as the default of reports, on both backends.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{verify_audit, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

async fn patch_me(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.send(Method::PATCH, "/api/v1/me", Some(token), Some(body))
        .await
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

/// The audit entries with this action, newest last, as the admin reads them.
async fn audit_entries(app: &TestApp, action: &str) -> Vec<Value> {
    let admin = app.session("admin", PASSWORD).await.access;
    let r = app
        .send(
            Method::GET,
            "/api/v1/audit-log?limit=500",
            Some(&admin),
            None,
        )
        .await;
    let body = json_of(r, 200).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

/// The language recorded for the report a request answered.
async fn report_language(app: &TestApp, token: &str, r: reqwest::Response) -> String {
    assert_eq!(r.status().as_u16(), 200);
    let id = r.headers()["x-report-id"].to_str().unwrap().to_owned();
    let record = app
        .send(
            Method::GET,
            &format!("/api/v1/reports/{id}"),
            Some(token),
            None,
        )
        .await;
    json_of(record, 200).await["language"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn every_role_sets_its_own_language_and_display_name(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for account in [&w.admin, &w.manager_a, &w.enterprise_a1, &w.auditor_a] {
            let token = app.session(&account.username, PASSWORD).await.access;
            let body = json_of(
                patch_me(&app, &token, &json!({"language": "en", "display_name": "  李 伟 "})).await,
                200,
            )
            .await;
            assert_eq!(body["language"], "en", "{body}");
            assert_eq!(body["display_name"], "李 伟", "trimmed: {body}");
            assert_eq!(body["id"], account.id.as_str());
            // The same token keeps working: a language change ends no session.
            let me = json_of(app.me(&token).await, 200).await;
            assert_eq!(me, body);
            // One field at a time leaves the other as it is.
            let body = json_of(patch_me(&app, &token, &json!({"language": "zh"})).await, 200).await;
            assert_eq!((body["language"].as_str(), body["display_name"].as_str()), (Some("zh"), Some("李 伟")));
        }
    }

    async fn a_change_is_audited_with_the_account_before_and_after(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let before = json_of(app.me(&token).await, 200).await;
        let after = json_of(patch_me(&app, &token, &json!({"language": "en"})).await, 200).await;
        let entries = audit_entries(&app, "user.update").await;
        assert_eq!(entries.len(), 1, "{entries:?}");
        let entry = &entries[0];
        assert_eq!(entry["actor_id"], w.enterprise_a1.id.as_str());
        assert_eq!(entry["subject_id"], w.enterprise_a1.id.as_str());
        assert_eq!(entry["cluster_id"], w.a.as_str(), "filed under the user's cluster");
        // The audit keeps the account exactly as the API shows it.
        assert_eq!(entry["before"], before);
        assert_eq!(entry["after"], after);
        // An empty patch changes and records nothing.
        let same = json_of(patch_me(&app, &token, &json!({})).await, 200).await;
        assert_eq!(same, after);
        assert_eq!(audit_entries(&app, "user.update").await.len(), 1);
        assert_eq!(verify_audit(&app).first_broken, None);
    }

    async fn bad_fields_are_refused_by_name_and_nothing_changes(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let before = json_of(app.me(&token).await, 200).await;
        let cases = [
            (json!({"language": "fr"}), "language"),
            (json!({"language": "en", "display_name": "   "}), "display_name"),
            (json!({"language": "en", "display_name": "a\u{7}b"}), "display_name"),
            (json!({"language": "en", "disabled": true}), "disabled"),
            (json!({"language": "en", "role": "admin"}), "role"),
        ];
        for (body, field) in cases {
            let r = patch_me(&app, &token, &body).await;
            let error = error_body(r, 422, "validation_failed").await;
            assert!(error["fields"][field].is_array(), "{body} → {error}");
        }
        assert_eq!(json_of(app.me(&token).await, 200).await, before);
        let r = patch_me(&app, "not-a-token", &json!({"language": "en"})).await;
        error_body(r, 401, "unauthorized").await;
    }

    async fn reports_default_to_the_account_language(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let path = format!("/api/v1/assessments/{}/report.pdf", w.assessment_a1);
        let r = app.send(Method::GET, &path, Some(&token), None).await;
        assert_eq!(report_language(&app, &token, r).await, "zh", "a new account's language is zh");
        json_of(patch_me(&app, &token, &json!({"language": "en"})).await, 200).await;
        let r = app.send(Method::GET, &path, Some(&token), None).await;
        assert_eq!(report_language(&app, &token, r).await, "en", "the account's language when none is asked");
        let r = app.send(Method::GET, &format!("{path}?lang=zh"), Some(&token), None).await;
        assert_eq!(report_language(&app, &token, r).await, "zh", "an asked language wins");
    }
}
