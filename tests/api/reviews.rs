//! The auditor's side over the API, on the demo cluster: the queue and its scope, the review
//! in progress saved rating by rating with `If-Match`, reproducible samples, the decision that
//! takes the saved ratings and needs a confirmation to accept.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::{error_body, TestApp};

const PASSWORD: &str = dcmm::demo::PASSWORD;

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let r = app.send(method, path, Some(token), body.as_ref()).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn token(app: &TestApp, user: &str) -> String {
    app.session(user, PASSWORD).await.access
}

/// The whole queue as `token` sees it, page by page.
async fn queue(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..50 {
        let path = match &after {
            Some(a) => format!("/api/v1/reviews?limit=3{query}&after={a}"),
            None => format!("/api/v1/reviews?limit=3{query}"),
        };
        let (s, page) = call(app, Method::GET, &path, token, None).await;
        assert_eq!(s, 200, "{page}");
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_owned()),
            None => return out,
        }
    }
    panic!("the queue's pages never end: {} items so far", out.len());
}

/// Every audit entry `token` may read with this action, page by page.
async fn audit_entries(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..1000 {
        let path = match &after {
            Some(a) => format!("/api/v1/audit-log?limit=500&after={a}"),
            None => "/api/v1/audit-log?limit=500".to_owned(),
        };
        let (s, page) = call(app, Method::GET, &path, token, None).await;
        assert_eq!(s, 200, "{page}");
        out.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["action"] == action)
                .cloned(),
        );
        match &page["next"] {
            Value::Null => return out,
            next => after = Some(next.to_string().trim_matches('"').to_owned()),
        }
    }
    panic!("the audit log's pages never end");
}

both_backends! {
    async fn the_queue_lists_what_waits_oldest_first_in_the_auditor_s_clusters_only(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = token(&app, "auditor").await;
        let waiting = queue(&app, &auditor, "").await;
        assert_eq!(waiting.len(), 8, "the demo's submitted assessments");
        let times: Vec<&str> = waiting.iter().map(|w| w["submitted_at"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        for w in &waiting {
            assert!(w["criteria"].as_u64().unwrap() > 400, "{w}");
            assert!(w["enterprise_name"].as_str().is_some_and(|n| !n.is_empty()));
            assert_eq!(w["in_progress"], false);
        }
        // The admin sees the same; the manager and an enterprise have no queue.
        let admin = token(&app, "admin").await;
        assert_eq!(queue(&app, &admin, "").await.len(), 8);
        for user in ["manager", "e01"] {
            let t = token(&app, user).await;
            let r = app.send(Method::GET, "/api/v1/reviews", Some(&t), None).await;
            error_body(r, 403, "forbidden").await;
        }
        // Filters: by campaign, by cluster; a bad cursor names the field.
        let campaign = waiting[0]["campaign_id"].as_str().unwrap();
        let cluster = waiting[0]["cluster_id"].as_str().unwrap();
        assert_eq!(queue(&app, &auditor, &format!("&campaign={campaign}")).await.len(), 8);
        assert_eq!(queue(&app, &auditor, &format!("&cluster={cluster}")).await.len(), 8);
        let r = app.send(Method::GET, "/api/v1/reviews?after=nonsense", Some(&auditor), None).await;
        let body = error_body(r, 422, "validation_failed").await;
        assert!(body["fields"]["after"].is_array(), "{body}");

        // Another cluster's auditor sees nothing of this cluster, not even by asking for it.
        let (s, other) = call(&app, Method::POST, "/api/v1/clusters", &admin, Some(json!({"name": "厦门软件集群"}))).await;
        assert_eq!(s, 201, "{other}");
        let (s, body) = call(&app, Method::POST, "/api/v1/users", &admin, Some(json!({
            "username": "auditor2", "password": PASSWORD, "role": "auditor", "cluster_ids": [other["id"]],
        }))).await;
        assert_eq!(s, 201, "{body}");
        let auditor2 = token(&app, "auditor2").await;
        assert!(queue(&app, &auditor2, "").await.is_empty());
        assert!(queue(&app, &auditor2, &format!("&cluster={cluster}")).await.is_empty());
        let id = waiting[0]["assessment_id"].as_str().unwrap();
        let r = app.send(Method::GET, &format!("/api/v1/assessments/{id}/review"), Some(&auditor2), None).await;
        error_body(r, 404, "not_found").await;
    }

    async fn a_review_is_saved_rating_by_rating_and_the_decision_takes_it(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = token(&app, "auditor").await;
        let waiting = queue(&app, &auditor, "").await;
        let id = waiting[0]["assessment_id"].as_str().unwrap().to_owned();
        let review = format!("/api/v1/assessments/{id}/review");
        let (s, before) = call(&app, Method::GET, &review, &auditor, None).await;
        assert_eq!(s, 200, "{before}");
        assert!(before["ratings"].as_array().unwrap().is_empty());
        let own = before["standing"]["self_score"].as_f64().unwrap();

        // The criterion the enterprise rated best in the first item: the auditor lowers it.
        let (_, answers) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}/answers?limit=500"), &auditor, None).await;
        let fully: Vec<String> = answers["items"].as_array().unwrap().iter()
            .filter(|a| a["rating"] == "fully")
            .map(|a| a["criterion"].as_str().unwrap().to_owned())
            .take(3)
            .collect();
        assert_eq!(fully.len(), 3, "the demo enterprise fully meets some criteria");
        let rate = |c: &str| format!("{review}/ratings/{c}");
        let put = |c: String, rating: &'static str, version: Option<i64>| {
            let app = &app;
            let auditor = &auditor;
            let path = rate(&c);
            async move {
                let mut request = app.client.put(app.url(&path)).bearer_auth(auditor).json(&json!({"rating": rating, "note": "现场核查：记录不完整"}));
                if let Some(v) = version {
                    request = request.header("if-match", format!("\"{v}\""));
                }
                let r = request.send().await.unwrap();
                let status = r.status().as_u16();
                let etag = r.headers().get("etag").map(|e| e.to_str().unwrap().to_owned());
                (status, etag, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let (s, etag, saved) = put(fully[0].clone(), "partially", Some(0)).await;
        assert_eq!((s, etag.as_deref()), (200, Some("\"1\"")), "{saved}");
        assert_eq!(saved["version"], 1);
        // A second sitting that still holds version 0 is refused and changes nothing.
        let (s, _, body) = put(fully[0].clone(), "not", Some(0)).await;
        assert_eq!((s, body["error"].as_str()), (409, Some("version_conflict")), "{body}");
        let (s, _, saved) = put(fully[0].clone(), "not", Some(1)).await;
        assert_eq!((s, saved["version"].as_i64()), (200, Some(2)));
        let (s, _, _) = put(fully[1].clone(), "largely", None).await;
        assert_eq!(s, 200);
        let (s, _, body) = put(fully[2].clone(), "sometimes", None).await;
        assert_eq!(s, 422);
        assert!(body["fields"]["rating"].is_array(), "{body}");
        let (s, _, _) = put("2025:99.9:L1:1".into(), "not", None).await;
        assert_eq!(s, 404);
        // The enterprise cannot rate for the auditor, nor read the review in progress.
        let enterprise_user = {
            let (_, a) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}"), &auditor, None).await;
            let e = a["enterprise_id"].as_str().unwrap().to_owned();
            let (_, users) = call(&app, Method::GET, "/api/v1/users?limit=500", &token(&app, "admin").await, None).await;
            let user = users["items"].as_array().unwrap().iter().find(|u| u["enterprise_id"] == e.as_str()).expect("the enterprise's user");
            user["username"].as_str().unwrap().to_owned()
        };
        let own_token = token(&app, &enterprise_user).await;
        let r = app.send(Method::GET, &review, Some(&own_token), None).await;
        error_body(r, 403, "forbidden").await;

        // Later: everything saved is there, with the score as the review stands.
        let (s, now) = call(&app, Method::GET, &review, &auditor, None).await;
        assert_eq!(s, 200);
        let ratings = now["ratings"].as_array().unwrap();
        assert_eq!(ratings.len(), 2, "{now}");
        let first = ratings.iter().find(|r| r["criterion"] == fully[0].as_str()).unwrap();
        assert_eq!((first["rating"].as_str(), first["version"].as_i64()), (Some("not"), Some(2)));
        assert_eq!(first["note"], "现场核查：记录不完整");
        assert_eq!(now["standing"]["re_rated"], 2);
        assert!(now["standing"]["verified_score"].as_f64().unwrap() <= own);
        assert_eq!(now["standing"]["self_score"].as_f64().unwrap(), own);

        // Taking one back: the enterprise's rating stands again.
        let r = app.client.delete(app.url(&rate(&fully[1]))).bearer_auth(&auditor).header("if-match", "\"1\"").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 204);
        let (_, now) = call(&app, Method::GET, &review, &auditor, None).await;
        assert_eq!(now["ratings"].as_array().unwrap().len(), 1);

        // Accept without the confirmation: refused, nothing changes.
        let (s, body) = call(&app, Method::POST, &review, &auditor, Some(json!({"decision": "accept"}))).await;
        assert_eq!(s, 422, "{body}");
        assert!(body["fields"]["confirm"].is_array(), "{body}");
        let (_, a) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}"), &auditor, None).await;
        assert_eq!(a["status"], "submitted");
        let (_, still) = call(&app, Method::GET, &review, &auditor, None).await;
        assert_eq!(still["ratings"].as_array().unwrap().len(), 1);

        // With it: the saved rating becomes a verified one, and the answer says what changed.
        let (s, body) = call(&app, Method::POST, &review, &auditor, Some(json!({"decision": "accept", "confirm": true, "note": "抽查通过"}))).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("accepted")), "{body}");
        assert_eq!(body["review"]["decision"], "accept");
        assert_eq!(body["review"]["rated"], 1);
        assert!(body["review"]["re_rated"].as_u64().unwrap() >= 1);
        let difference = body["review"]["difference"].as_f64().unwrap();
        let expected = body["review"]["verified_score"].as_f64().unwrap() - body["review"]["self_score"].as_f64().unwrap();
        assert!((difference - expected).abs() < 1e-9, "{body}");
        let (_, score) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}/score"), &auditor, None).await;
        assert_eq!(score["verified"]["overall"]["score"], body["review"]["verified_score"]);
        let (_, after) = call(&app, Method::GET, &review, &auditor, None).await;
        assert!(after["ratings"].as_array().unwrap().is_empty(), "the review in progress is over");
        assert!(after["earlier"].as_array().unwrap().iter().any(|e| e["criterion"] == fully[0].as_str() && e["rating"] == "not"));
        // The audit entry states the same.
        let accepts = audit_entries(&app, &token(&app, "admin").await, "assessment.accept").await;
        let accept = accepts.iter().find(|e| e["subject_id"] == id.as_str()).expect("an accept entry");
        assert_eq!(accept["after"]["re_rated"], body["review"]["re_rated"], "{accept}");
        assert_eq!(accept["after"]["difference"], body["review"]["difference"]);
        // Nothing more to rate on an accepted assessment.
        let (s, _, _) = put(fully[2].clone(), "not", None).await;
        assert_eq!(s, 409);
    }

    async fn a_sample_is_stratified_recorded_and_drawn_again_from_its_seed(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = token(&app, "auditor").await;
        let waiting = queue(&app, &auditor, "").await;
        let id = waiting[1]["assessment_id"].as_str().unwrap().to_owned();
        let sample = format!("/api/v1/assessments/{id}/review/sample");
        let (s, drawn) = call(&app, Method::POST, &sample, &auditor, Some(json!({"size": 25, "by": "level"}))).await;
        assert_eq!(s, 200, "{drawn}");
        let criteria: Vec<&str> = drawn["criteria"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(criteria.len(), 25);
        for level in 1..=5 {
            assert!(criteria.iter().any(|c| c.contains(&format!(":L{level}:"))), "level {level} in {criteria:?}");
        }
        let seed = drawn["seed"].as_u64().unwrap();
        // The same seed draws the same criteria; the review keeps the latest draw.
        let (s, again) = call(&app, Method::POST, &sample, &auditor, Some(json!({"size": 25, "by": "level", "seed": seed}))).await;
        assert_eq!(s, 200);
        assert_eq!(again["criteria"], drawn["criteria"]);
        let (_, other) = call(&app, Method::POST, &sample, &auditor, Some(json!({"size": 25, "by": "domain", "seed": seed}))).await;
        assert_ne!(other["criteria"], drawn["criteria"]);
        let (_, review) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}/review"), &auditor, None).await;
        assert_eq!(review["sample"]["criteria"], other["criteria"]);
        assert_eq!(review["sample"]["by"], "domain");
        let (_, queue_now) = call(&app, Method::GET, "/api/v1/reviews?limit=500", &auditor, None).await;
        let row = queue_now["items"].as_array().unwrap().iter().find(|w| w["assessment_id"] == id.as_str()).unwrap();
        assert_eq!(row["in_progress"], true);
        // Every draw is in the audit log with its seed and criteria.
        let draws = audit_entries(&app, &auditor, "review.sample").await;
        assert_eq!(draws.len(), 3);
        assert!(draws.iter().any(|e| e["after"]["seed"] == seed && e["after"]["criteria"] == drawn["criteria"]));
        // Bad requests name the field.
        for (body, field) in [
            (json!({"size": 0, "by": "level"}), "size"),
            (json!({"size": 100000, "by": "level"}), "size"),
            (json!({"size": 5, "by": "item"}), "by"),
            (json!({"size": 5, "by": "level", "seed": 9007199254740992u64}), "seed"),
        ] {
            let (s, e) = call(&app, Method::POST, &sample, &auditor, Some(body.clone())).await;
            assert_eq!(s, 422, "{body}: {e}");
            assert!(e["fields"][field].is_array(), "{body}: {e}");
        }
    }
}
