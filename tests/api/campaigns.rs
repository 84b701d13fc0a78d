//! Campaigns: questionnaire versions pinned by hash, starting from previous answers.

use actix_web::dev::ServerHandle;
use reqwest::Method;
use serde_json::{json, Value};

use dcmm::startup::Application;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{test_settings, TestApp};

/// A second instance of the service on the same database, with its own settings.
async fn second_instance(app: &TestApp, extra: &[(&str, &str)]) -> (String, ServerHandle) {
    let built = Application::build(test_settings(&app.db, extra))
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", built.port());
    let handle = built.handle();
    tokio::spawn(built.run_until_stopped());
    (address, handle)
}

async fn call(
    address: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{address}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// The built-in 2025 questionnaire without criterion 2025:6.1:L2:4.
fn edited_2025() -> String {
    let source = dcmm::questionnaire::BUILT_IN[0].1;
    let start = source.find("id = \"2025:6.1:L2:4\"").unwrap();
    let block = source[..start].rfind("[[domain.item.criterion]]").unwrap();
    let end = block
        + source[block + 1..]
            .find("[[domain.item.criterion]]")
            .unwrap()
        + 1;
    format!("{}{}", &source[..block], &source[end..])
}

both_backends! {
    async fn an_assessment_keeps_the_questionnaire_version_it_was_opened_with(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let dir = app.db.data_dir.join("questionnaires");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("dcmm-2025.toml"), edited_2025()).unwrap();
        let (other, handle) = second_instance(&app, &[("DCMM_QUESTIONNAIRE_DIR", dir.to_str().unwrap())]).await;

        let path = format!("/api/v1/assessments/{}", w.assessment_a1);
        let (_, before) = call(&app.address, Method::GET, &path, &token, None).await;
        let (s, pinned) = call(&other, Method::GET, &path, &token, None).await;
        assert_eq!(s, 200);
        assert_eq!(pinned["questionnaire_hash"], before["questionnaire_hash"]);
        let built_in = dcmm::questionnaire::BUILT_IN[0].1.matches("[[domain.item.criterion]]").count();
        assert_eq!(pinned["progress"]["total"], built_in);
        let (s, _) = call(&other, Method::PUT, &format!("{path}/answers/2025:6.1:L2:4"), &token, Some(json!({"rating": "fully"}))).await;
        assert_eq!(s, 200, "the pinned version still has the criterion");

        let (s, campaign) = call(&other, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "新版本", "due_date": "2099-01-01"}))).await;
        assert_eq!(s, 201);
        assert_ne!(campaign["questionnaire_hash"], before["questionnaire_hash"]);
        let (_, list) = call(&other, Method::GET, &format!("/api/v1/enterprises/{}/assessments", w.a1), &token, None).await;
        let newest = list["items"].as_array().unwrap().last().unwrap()["id"].as_str().unwrap().to_owned();
        let (_, fresh) = call(&other, Method::GET, &format!("/api/v1/assessments/{newest}"), &token, None).await;
        assert_eq!(fresh["progress"]["total"], built_in - 1);
        // The first instance, on the built-in file, reads the new version from the database.
        let (s, seen) = call(&app.address, Method::GET, &format!("/api/v1/assessments/{newest}"), &token, None).await;
        assert_eq!((s, &seen["progress"]["total"]), (200, &json!(built_in - 1)));
        drop(handle.stop(false));
    }

    async fn a_new_campaign_can_start_from_the_previous_answers(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let path = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let (s, _) = call(&app.address, Method::PUT, &path, &token, Some(json!({"answers": [
            {"criterion": "2025:6.1:L1:1", "rating": "fully", "comment": "已有规划"},
            {"criterion": "2025:7.1:L1:1", "rating": "partially"},
        ]}))).await;
        assert_eq!(s, 200);
        let (s, _) = call(&app.address, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "第二轮", "due_date": "2099-01-01", "copy_previous": true}))).await;
        assert_eq!(s, 201);
        let (_, list) = call(&app.address, Method::GET, &format!("/api/v1/enterprises/{}/assessments", w.a1), &token, None).await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        let newest = items[1]["id"].as_str().unwrap();
        let (_, answers) = call(&app.address, Method::GET, &format!("/api/v1/assessments/{newest}/answers"), &token, None).await;
        let got: Vec<(&str, &str, &str)> = answers["items"].as_array().unwrap().iter()
            .map(|a| (a["criterion"].as_str().unwrap(), a["rating"].as_str().unwrap(), a["comment"].as_str().unwrap()))
            .collect();
        assert_eq!(got, [("2025:6.1:L1:1", "fully", "已有规划"), ("2025:7.1:L1:1", "partially", "")]);
    }
}
