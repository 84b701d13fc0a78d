//! Answers carried from a 2018 campaign into a 2025 one through the edition crosswalk, marked
//! for the enterprise to confirm until it saves them.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use crate::web::{page, page_login};

const MARK: &str = "沿用上次评估，请确认";

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

/// Every answer of the assessment, by criterion, following the pages.
async fn answers(app: &TestApp, token: &str, assessment: &str) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/assessments/{assessment}/answers?limit=500");
        if let Some(a) = &after {
            path.push_str(&format!("&after={}", a.replace(':', "%3A")));
        }
        let (s, page) = call(app, Method::GET, &path, token, None).await;
        assert_eq!(s, 200, "{page}");
        for a in page["items"].as_array().unwrap() {
            out.insert(a["criterion"].as_str().unwrap().to_owned(), a.clone());
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_owned()),
            None => return out,
        }
    }
}

/// The newest assessment of the enterprise (ids grow with time).
async fn newest(app: &TestApp, token: &str, enterprise: &str) -> String {
    let (_, list) = call(
        app,
        Method::GET,
        &format!("/api/v1/enterprises/{enterprise}/assessments"),
        token,
        None,
    )
    .await;
    list["items"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn a_2025_campaign_carries_the_2018_answers_through_the_crosswalk(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let auditor = app.session(&w.auditor_a.username, PASSWORD).await.access;
        let registry = dcmm::questionnaire::Registry::built_in().unwrap();
        let old = registry.dcmm("dcmm-2018").unwrap();
        let crosswalk = registry.crosswalk_between("dcmm-2018", "dcmm-2025").unwrap();
        let merged = crosswalk.links().iter().find(|l| l.from.len() >= 2).unwrap();
        let single = crosswalk.links().iter().find(|l| l.from.len() == 1).unwrap();

        // 2018: everything largely, except a merged criterion's sources (one partially, the
        // rest fully) and one one-to-one source (fully, with a comment).
        let (s, campaign) = call(&app, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "2025年度（2018版）", "due_date": "2099-01-01", "questionnaire": "dcmm-2018"}))).await;
        assert_eq!((s, campaign["questionnaire"].as_str()), (201, Some("dcmm-2018")), "{campaign}");
        let a2018 = newest(&app, &user, &w.a1).await;
        let rating = |id: &str| {
            if id == merged.from[1] {
                "partially"
            } else if merged.from.iter().any(|f| f == id) || id == single.from[0] {
                "fully"
            } else {
                "largely"
            }
        };
        let batch: Vec<Value> = old.criteria()
            .map(|c| json!({"criterion": c.id, "rating": rating(&c.id),
                "comment": if c.id == single.from[0] { "见2018版制度文件" } else { "" }}))
            .collect();
        let (s, body) = call(&app, Method::PUT, &format!("/api/v1/assessments/{a2018}/answers"), &user, Some(json!({"answers": batch}))).await;
        assert_eq!(s, 200, "{body}");
        let (s, _) = call(&app, Method::POST, &format!("/api/v1/assessments/{a2018}/submit"), &user, None).await;
        assert_eq!(s, 200);
        let (s, body) = call(&app, Method::POST, &format!("/api/v1/assessments/{a2018}/review"), &auditor, Some(json!({"decision": "accept", "confirm": true}))).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("accepted")), "{body}");

        let (s, _) = call(&app, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "2026年度", "due_date": "2099-01-01", "copy_previous": true}))).await;
        assert_eq!(s, 201);
        let a2025 = newest(&app, &user, &w.a1).await;
        let got = answers(&app, &user, &a2025).await;
        assert_eq!(got.len(), crosswalk.links().len(), "every 2025 criterion that takes something over");
        assert!(got.values().all(|a| a["carried_over"] == true));
        assert_eq!(got[&merged.to]["rating"], "partially", "the lowest of {:?}", merged.from);
        assert_eq!(got[&single.to]["rating"], "fully");
        assert_eq!(got[&single.to]["comment"], "见2018版制度文件");
        let plain = crosswalk.links().iter()
            .find(|l| l.from.len() == 1 && l.to != single.to && !merged.from.contains(&l.from[0]))
            .unwrap();
        assert_eq!(got[&plain.to]["rating"], "largely");
        let new = registry.dcmm("dcmm-2025").unwrap().criteria().find(|c| crosswalk.sources(&c.id).is_none()).unwrap();
        assert!(!got.contains_key(&new.id), "{} is new in 2025", new.id);

        // The page marks carried answers; saving one clears its mark and its flag.
        let cookie = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        let item = |id: &str| id.rsplitn(3, ':').nth(2).unwrap().replace(':', "%3A");
        let path = format!("/assessments/{a2025}?item={}", item(&single.to));
        let (s, html) = { let (s, h, _) = page(&app, Some(&cookie), &path).await; (s, h) };
        assert_eq!(s, 200);
        let before = html.matches(MARK).count();
        assert!(before >= 1, "no carried mark");
        let (s, saved) = call(&app, Method::PUT, &format!("/api/v1/assessments/{a2025}/answers/{}", single.to), &user,
            Some(json!({"rating": "fully", "comment": "已确认"}))).await;
        assert_eq!((s, &saved["carried_over"]), (200, &json!(false)), "{saved}");
        let after = answers(&app, &user, &a2025).await;
        assert_eq!(after[&single.to]["carried_over"], false);
        assert_eq!(after[&plain.to]["carried_over"], true);
        let (_, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(html.matches(MARK).count(), before - 1);
    }

    async fn a_same_edition_copy_is_marked_too(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let (s, _) = call(&app, Method::PUT, &format!("/api/v1/assessments/{}/answers/2025:6.1:L2:1", w.assessment_a1), &user,
            Some(json!({"rating": "largely"}))).await;
        assert_eq!(s, 200);
        let (s, _) = call(&app, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "第二轮", "due_date": "2099-01-01", "copy_previous": true}))).await;
        assert_eq!(s, 201);
        let got = answers(&app, &user, &newest(&app, &user, &w.a1).await).await;
        assert_eq!(got.len(), 1);
        assert_eq!((&got["2025:6.1:L2:1"]["rating"], &got["2025:6.1:L2:1"]["carried_over"]), (&json!("largely"), &json!(true)));
        // Without copy_previous nothing is carried.
        let (s, _) = call(&app, Method::POST, &format!("/api/v1/clusters/{}/campaigns", w.a), &manager,
            Some(json!({"name": "第三轮", "due_date": "2099-01-01"}))).await;
        assert_eq!(s, 201);
        assert!(answers(&app, &user, &newest(&app, &user, &w.a1).await).await.is_empty());
    }
}
