//! One error shape and one set of codes: a malformed body, a wrong Content-Type and a taken
//! unique key answer the same way on every endpoint and on both backends.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use dcmm::db::schema::enterprises;
use dcmm::error::{AppError, ErrorCode};

use crate::both_backends;
use crate::fixtures::{insert_cluster, pool, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, Backend, TestApp};

impl TestApp {
    async fn raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &str,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }
}

/// One endpoint of each kind: a JSON body read by the validating extractor with no rules
/// (login, password change, user), with rules (cluster) and by a handler reading its own body
/// (verify).
const JSON_ENDPOINTS: &[&str] = &[
    "/api/v1/auth/login",
    "/api/v1/me/password",
    "/api/v1/clusters",
    "/api/v1/users",
    "/api/v1/reports/verify",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_is_400_invalid_json_on_every_json_endpoint() {
    let app = spawn_app(Backend::Sqlite).await;
    let w = world(&app);
    let admin = app.session(&w.admin.username, PASSWORD).await.access;
    let mut codes = Vec::new();
    for path in JSON_ENDPOINTS {
        for malformed in ["{", "not json", "{\""] {
            let response = app
                .raw(path, Some(&admin), "application/json", malformed)
                .await;
            let body = error_body(response, 400, "invalid_json").await;
            assert!(
                body["fields"].as_object().unwrap().is_empty(),
                "{path}: {body}"
            );
            codes.push(body["error"].clone());
        }
    }
    codes.dedup();
    assert_eq!(codes, [json!("invalid_json")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_endpoint_answers_415_to_another_content_type() {
    let app = spawn_app(Backend::Sqlite).await;
    let w = world(&app);
    let admin = app.session(&w.admin.username, PASSWORD).await.access;
    for path in JSON_ENDPOINTS {
        for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
            let response = app.raw(path, Some(&admin), content_type, "name=x").await;
            error_body(response, 415, "unsupported_media_type").await;
        }
    }
    // No Content-Type at all.
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body("{}")
        .send()
        .await
        .unwrap();
    error_body(response, 415, "unsupported_media_type").await;
    // A charset parameter is still JSON.
    let login = json!({"username": w.admin.username, "password": PASSWORD}).to_string();
    let response = app
        .raw(
            "/api/v1/auth/login",
            None,
            "application/json; charset=utf-8",
            &login,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_or_unknown_field_is_a_422_naming_it_on_every_json_endpoint() {
    let app = spawn_app(Backend::Sqlite).await;
    let w = world(&app);
    let admin = app.session(&w.admin.username, PASSWORD).await.access;
    let cases = [
        (
            "/api/v1/auth/login",
            json!({"username": "admin", "password": PASSWORD, "otp": "1"}),
            "otp",
        ),
        (
            "/api/v1/auth/login",
            json!({"username": "admin", "password": 7}),
            "password",
        ),
        (
            "/api/v1/auth/login",
            json!({"username": "admin"}),
            "password",
        ),
        ("/api/v1/auth/refresh", json!({"token": "x"}), "token"),
        ("/api/v1/auth/refresh", json!({}), "refresh_token"),
        (
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "x", "again": "x"}),
            "again",
        ),
        (
            "/api/v1/clusters",
            json!({"name": "X", "colour": "red"}),
            "colour",
        ),
        (
            "/api/v1/users",
            json!({"username": "x.y", "password": PASSWORD, "role": "admin", "roles": []}),
            "roles",
        ),
        ("/api/v1/reports/verify", json!({"sha": "x"}), "sha"),
    ];
    for (path, body, field) in cases {
        let response = app
            .send(Method::POST, path, Some(&admin), Some(&body))
            .await;
        let err = error_body(response, 422, "validation_failed").await;
        assert!(err["fields"][field].is_array(), "{path}: {err}");
    }
    let response = app
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", w.admin.id),
            Some(&admin),
            Some(&json!({"disabled": "no"})),
        )
        .await;
    let err = error_body(response, 422, "validation_failed").await;
    assert!(err["fields"]["disabled"].is_array(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_error_codes_as_an_enum() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let error = &schemas["ErrorBody"]["properties"]["error"];
    let code = match error["$ref"].as_str() {
        Some(reference) => &schemas[reference.trim_start_matches("#/components/schemas/")],
        None => error,
    };
    let codes: Vec<&str> = code["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{error}"))
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    // The names clients already match on, and the ones this service added since.
    for name in [
        "invalid_json",
        "bad_body",
        "invalid_multipart",
        "bad_request",
        "unauthorized",
        "forbidden",
        "not_shared",
        "not_found",
        "method_not_allowed",
        "version_conflict",
        "assessment_frozen",
        "not_submitted",
        "not_accepted",
        "credit_code_taken",
        "username_taken",
        "already_exists",
        "payload_too_large",
        "unsupported_media_type",
        "validation_failed",
        "too_many_requests",
        "unavailable",
        "internal_error",
        "database_unavailable",
        "storage_full",
        "too_many_uploads",
        "request_timeout",
        "too_many_connections",
    ] {
        assert!(codes.contains(&name), "{name} missing from {codes:?}");
    }
    assert!(!codes.contains(&"bad_json"), "{codes:?}");
    let verify = &doc["paths"]["/api/v1/reports/verify"]["post"]["responses"];
    assert!(verify["415"].is_object(), "{verify}");
    let upload = &doc["paths"]["/api/v1/assessments/{id}/evidence"]["post"]["responses"];
    assert!(upload["415"].is_object(), "{upload}");
}

/// Inserts an enterprise row straight into the table and tells the error the way a handler does.
fn insert_enterprise(
    app: &TestApp,
    id: &str,
    cluster: &str,
    credit_code: &str,
) -> Result<(), AppError> {
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(enterprises::table)
        .values((
            enterprises::id.eq(id),
            enterprises::cluster_id.eq(cluster),
            enterprises::name.eq("某公司"),
            enterprises::credit_code.eq(credit_code),
            enterprises::created_at.eq(now),
            enterprises::updated_at.eq(now),
        ))
        .execute(&mut pool(app).get().unwrap())?;
    Ok(())
}

both_backends! {
    async fn a_unique_violation_is_told_by_the_key_it_concerns(backend: Backend) {
        let app = spawn_app(backend).await;
        let cluster = insert_cluster(&app, "Cluster");
        let first = uuid::Uuid::now_v7().to_string();
        insert_enterprise(&app, &first, &cluster, "91350100M000100Y43").unwrap();

        let taken = insert_enterprise(&app, &uuid::Uuid::now_v7().to_string(), &cluster, "91350100M000100Y43").unwrap_err();
        let body = taken.body();
        assert_eq!(body.error, ErrorCode::CreditCodeTaken, "{taken:?}");
        assert_eq!(body.fields.keys().collect::<Vec<_>>(), ["credit_code"]);

        // The same insert colliding on another key (its id) is not a taken credit code.
        let same_id = insert_enterprise(&app, &first, &cluster, "91350100M000200Y43").unwrap_err();
        let body = same_id.body();
        assert_eq!(body.error, ErrorCode::AlreadyExists, "{same_id:?}");
        assert!(body.fields.is_empty(), "{body:?}");
    }
}
