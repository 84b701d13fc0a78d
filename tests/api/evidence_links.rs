//! Linking evidence already uploaded to other criteria of its assessment: what changes, what
//! is refused and that a refusal changes nothing; on both backends.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::client_evidence::{upload_parts, CRITERION, OTHER_CRITERION, PDF};
use crate::fixtures::{
    insert_assessment, set_assessment_status, set_sharing, verify_audit, world, PASSWORD,
};
use crate::helpers::{error_body, spawn_app, TestApp};

async fn token(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

async fn link(app: &TestApp, token: &str, evidence: &str, body: Value) -> reqwest::Response {
    let path = format!("/api/v1/evidence/{evidence}/criteria");
    app.send(Method::PUT, &path, Some(token), Some(&body)).await
}

/// A draft of A1 with one PDF linked to [`CRITERION`]: (assessment, evidence id).
async fn uploaded(app: &TestApp, cluster: &str, enterprise: &str, user: &str) -> (String, String) {
    let assessment = insert_assessment(app, cluster, enterprise);
    let parts = upload_parts("制度.pdf", PDF, &[CRITERION]);
    let body = json_of(app.upload(user, &assessment, &parts).await, 201).await;
    (assessment, body["id"].as_str().unwrap().to_owned())
}

/// The audit entries about one subject, oldest first.
async fn audit_of(app: &TestApp, admin: &str, subject: &str) -> Vec<Value> {
    let log = json_of(
        app.send(
            Method::GET,
            "/api/v1/audit-log?limit=500",
            Some(admin),
            None,
        )
        .await,
        200,
    )
    .await;
    log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_id"] == subject)
        .cloned()
        .collect()
}

both_backends! {
    async fn linking_replaces_the_criteria_and_is_audited_with_before_and_after(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let (_, id) = uploaded(&app, &w.a, &w.a1, &user).await;

        // Given unsorted and twice, stored sorted and once.
        let body = json!({ "criteria": [OTHER_CRITERION, CRITERION, OTHER_CRITERION] });
        let linked = json_of(link(&app, &user, &id, body).await, 200).await;
        assert_eq!(linked["criteria"], json!([CRITERION, OTHER_CRITERION]));
        assert_eq!(linked["file_name"], "制度.pdf");
        let shown = json_of(app.get_evidence(&user, &id).await, 200).await;
        assert_eq!(shown, linked);

        // The same set again changes nothing and writes no entry.
        let again = json!({ "criteria": [CRITERION, OTHER_CRITERION] });
        assert_eq!(json_of(link(&app, &user, &id, again).await, 200).await, linked);
        // A smaller set unlinks.
        let fewer = json_of(link(&app, &user, &id, json!({ "criteria": [OTHER_CRITERION] })).await, 200).await;
        assert_eq!(fewer["criteria"], json!([OTHER_CRITERION]));

        let admin = token(&app, "admin").await;
        let entries = audit_of(&app, &admin, &id).await;
        let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["evidence.create", "evidence.link", "evidence.link"]);
        let first = &entries[1];
        assert_eq!(first["before"]["criteria"], json!([CRITERION]));
        assert_eq!(first["after"]["criteria"], json!([CRITERION, OTHER_CRITERION]));
        assert_eq!(first["cluster_id"], w.a.as_str());
        assert_eq!(first["actor_id"], w.enterprise_a1.id.as_str());
        let chain = verify_audit(&app);
        assert_eq!(chain.first_broken, None);
    }

    async fn bad_criteria_are_422_naming_criteria_and_change_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let (_, id) = uploaded(&app, &w.a, &w.a1, &user).await;
        let too_many: Vec<String> = (0..101).map(|n| format!("2025:6.1:L1:{n}")).collect();
        for (criteria, says) in [
            (json!([]), "at least one"),
            (json!([CRITERION, "2025:99.9:L1:1"]), "2025:99.9:L1:1"),
            // A criterion of the other edition is not one of this assessment's.
            (json!(["2018:6.1:L1:1"]), "not criteria of dcmm-2025"),
            (json!(too_many), "at most 100"),
        ] {
            let body = error_body(link(&app, &user, &id, json!({ "criteria": criteria })).await, 422, "validation_failed").await;
            let message = body["fields"]["criteria"][0].as_str().unwrap_or_default();
            assert!(message.contains(says), "{body}");
        }
        let body = error_body(link(&app, &user, &id, json!({ "criteria": CRITERION })).await, 422, "validation_failed").await;
        assert!(body["fields"].get("criteria").is_some(), "{body}");
        let body = error_body(link(&app, &user, &id, json!({ "criteria": [CRITERION], "file": "x" })).await, 422, "validation_failed").await;
        assert!(body["message"].as_str().unwrap().contains("file"), "{body}");

        let shown = json_of(app.get_evidence(&user, &id).await, 200).await;
        assert_eq!(shown["criteria"], json!([CRITERION]));
        let admin = token(&app, "admin").await;
        assert_eq!(audit_of(&app, &admin, &id).await.len(), 1);
    }

    async fn a_submitted_or_accepted_assessment_is_409_assessment_frozen(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let (assessment, id) = uploaded(&app, &w.a, &w.a1, &user).await;
        for status in ["submitted", "accepted"] {
            set_assessment_status(&app, &assessment, status);
            let body = json!({ "criteria": [CRITERION, OTHER_CRITERION] });
            error_body(link(&app, &user, &id, body).await, 409, "assessment_frozen").await;
        }
        // Returned to draft, it takes links again.
        set_assessment_status(&app, &assessment, "draft");
        let body = json!({ "criteria": [CRITERION, OTHER_CRITERION] });
        json_of(link(&app, &user, &id, body).await, 200).await;
    }

    async fn only_the_enterprise_s_own_users_link_its_evidence(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let (_, id) = uploaded(&app, &w.a, &w.a1, &user).await;
        let body = json!({ "criteria": [CRITERION, OTHER_CRITERION] });
        // Another enterprise never learns the evidence exists; an unknown id is the same 404.
        let other = token(&app, "user.b1").await;
        error_body(link(&app, &other, &id, body.clone()).await, 404, "not_found").await;
        let unknown = dcmm::ids::EvidenceId::new().to_string();
        error_body(link(&app, &user, &unknown, body.clone()).await, 404, "not_found").await;
        // The manager may read evidence shared in full, but never changes it; nor do others.
        set_sharing(&app, &w.a1, "full");
        for who in ["manager.a", "auditor.a", "admin"] {
            let t = token(&app, who).await;
            error_body(link(&app, &t, &id, body.clone()).await, 403, "forbidden").await;
        }
        let path = format!("/api/v1/evidence/{id}/criteria");
        error_body(app.send(Method::PUT, &path, None, Some(&body)).await, 401, "unauthorized").await;
        let shown = json_of(app.get_evidence(&user, &id).await, 200).await;
        assert_eq!(shown["criteria"], json!([CRITERION]));
    }

    async fn the_operation_is_in_the_openapi_document(backend: Backend) {
        let app = spawn_app(backend).await;
        let doc = json_of(app.get("/api/v1/openapi.json").await, 200).await;
        let op = &doc["paths"]["/api/v1/evidence/{id}/criteria"]["put"];
        assert!(op["requestBody"].is_object(), "{op}");
        for status in ["200", "401", "403", "404", "409", "422"] {
            assert!(op["responses"][status].is_object(), "{status}: {op}");
        }
        assert!(doc["components"]["schemas"]["CriteriaRequest"].is_object());
    }
}
