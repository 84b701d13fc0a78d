//! The questionnaires over the API: the list, the whole content with the rating scale, and a
//! version by hash that never changes.

use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{spawn_app, TestApp};

async fn get(app: &TestApp, token: &str, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .request(Method::GET, app.url(path))
        .bearer_auth(token);
    if let Some(tag) = etag {
        request = request.header("if-none-match", tag);
    }
    request.send().await.unwrap()
}

both_backends! {
    async fn a_client_reads_every_questionnaire_and_each_version_by_hash(backend: Backend) {
        let app = spawn_app(backend).await;
        let world = world(&app);
        let token = app.session(&world.enterprise_a1.username, PASSWORD).await.access;

        let list: Value = get(&app, &token, "/api/v1/questionnaires", None).await.json().await.unwrap();
        let ids: Vec<&str> = list.as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
        for id in ["dcmm-2025", "dcmm-2018", "enterprise-profile"] {
            assert!(ids.contains(&id), "{ids:?}");
        }
        let listed = list.as_array().unwrap().iter().find(|q| q["id"] == "dcmm-2025").unwrap();
        assert_eq!((listed["kind"].as_str(), listed["domains"].as_u64(), listed["items"].as_u64()), (Some("dcmm"), Some(9), Some(33)));
        let hash = listed["hash"].as_str().unwrap().to_owned();

        let r = get(&app, &token, "/api/v1/questionnaires/dcmm-2025", None).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["etag"].to_str().unwrap(), format!("\"{hash}\""));
        let q: Value = r.json().await.unwrap();
        let domains = q["domains"].as_array().unwrap();
        assert_eq!(domains.len(), 9);
        let criteria: Vec<&Value> = domains
            .iter()
            .flat_map(|d| d["items"].as_array().unwrap())
            .flat_map(|i| i["criteria"].as_array().unwrap())
            .collect();
        assert_eq!(criteria.len() as u64, listed["criteria"].as_u64().unwrap());
        let first = criteria[0];
        for field in ["id", "level", "text", "evidence", "dimension", "allow_na"] {
            assert!(!first[field].is_null(), "criterion field {field}: {first}");
        }
        assert!(first["text"]["zh"].as_str().is_some_and(|t| !t.is_empty()));
        let scale: Vec<&str> = q["rating_scale"].as_array().unwrap().iter().map(|s| s["rating"].as_str().unwrap()).collect();
        assert_eq!(scale, ["fully", "largely", "partially", "not", "na"]);
        assert_eq!(q["rating_scale"][0]["name"]["zh"], "完全满足");
        assert_eq!(q["rating_scale"][0]["points"], 100);
        assert!(q["rating_scale"][4]["points"].is_null());

        // A version by hash: the same content, immutable, and 304 for a client that holds it.
        let path = format!("/api/v1/questionnaires/dcmm-2025/versions/{hash}");
        let r = get(&app, &token, &path, None).await;
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let tag = r.headers()["etag"].to_str().unwrap().to_owned();
        let same: Value = r.json().await.unwrap();
        assert_eq!(same, q);
        let r = get(&app, &token, &path, Some(&tag)).await;
        assert_eq!(r.status().as_u16(), 304);
        assert!(r.bytes().await.unwrap().is_empty());
        let r = get(&app, &token, &path, Some("\"something-else\"")).await;
        assert_eq!(r.status().as_u16(), 200);

        // An assessment links the version it is pinned to.
        let assessment: Value = get(&app, &token, &format!("/api/v1/assessments/{}", world.assessment_a1), None)
            .await
            .json()
            .await
            .unwrap();
        let url = assessment["questionnaire_url"].as_str().unwrap().to_owned();
        assert_eq!(get(&app, &token, &url, None).await.status().as_u16(), 200, "{url}");

        // The profile is served the same way; unknown ids and hashes name nothing.
        let profile: Value = get(&app, &token, "/api/v1/questionnaires/enterprise-profile", None).await.json().await.unwrap();
        assert!(profile["questions"].as_array().is_some_and(|q| !q.is_empty()));
        assert!(profile.get("rating_scale").is_none());
        for missing in [
            "/api/v1/questionnaires/dcmm-1999".to_owned(),
            format!("/api/v1/questionnaires/dcmm-2025/versions/{}", "0".repeat(64)),
            format!("/api/v1/questionnaires/dcmm-2018/versions/{hash}"),
        ] {
            let r = get(&app, &token, &missing, None).await;
            assert_eq!(r.status().as_u16(), 404, "{missing}");
        }
    }
}
