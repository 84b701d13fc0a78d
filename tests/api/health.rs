use crate::both_backends;
use crate::helpers::{error_body, spawn_app, Backend};

both_backends! {
    async fn readyz_answers_200_when_the_database_answers(backend: Backend) {
        let app = spawn_app(backend).await;
        let response = app.get("/readyz").await;
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        let expected = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        assert_eq!(body["database"], expected);
    }

    async fn healthz_answers_200_with_request_id_and_security_headers(backend: Backend) {
        let app = spawn_app(backend).await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers();
        assert!(headers.get("x-request-id").is_some());
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(headers.get("content-security-policy").is_some());
    }

    async fn unknown_route_answers_404_in_the_json_error_shape(backend: Backend) {
        let app = spawn_app(backend).await;
        error_body(app.get("/no/such/page").await, 404, "not_found").await;
        error_body(app.get("/api/v1/nothing-here").await, 404, "not_found").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_answers_503_while_postgres_is_gone_and_the_service_keeps_running() {
    let app = spawn_app(Backend::Postgres).await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
    app.db.drop_database();
    error_body(app.get("/readyz").await, 503, "unavailable").await;
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_health_endpoints() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/healthz"]["get"].is_object());
    assert!(doc["paths"]["/readyz"]["get"]["responses"]["503"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reference_page_is_served_from_built_in_assets() {
    let app = spawn_app(Backend::Sqlite).await;
    let page = app.get("/docs/").await;
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let init = app
        .get("/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status().as_u16(), 200);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}
