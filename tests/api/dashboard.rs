//! The dashboard's data over HTTP, on the demo cluster.

use reqwest::Method;
use serde_json::Value;

use dcmm::db::{self, DbTarget};
use dcmm::questionnaire::Registry;

use crate::both_backends;
use crate::helpers::{error_body, spawn_app_on, Backend, TestApp, TestDb};

pub async fn demo_app(backend: Backend) -> TestApp {
    let test_db = TestDb::create(backend);
    {
        let pool = db::connect(&DbTarget::parse(&test_db.url).unwrap(), 1).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrate(&mut conn).unwrap();
        let registry = Registry::built_in().unwrap();
        db::questionnaire_versions::sync(&mut conn, &registry).unwrap();
        dcmm::demo::seed(&mut conn, &registry, &test_db.data_dir, 2026, 40).unwrap();
    }
    spawn_app_on(test_db, &[]).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = app.send(Method::GET, path, Some(token), None).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

both_backends! {
    async fn the_dashboard_rolls_up_the_current_campaign_as_the_scores_say(backend: Backend) {
        let app = demo_app(backend).await;
        let manager = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let auditor = app.session("auditor", dcmm::demo::PASSWORD).await.access;
        let (_, clusters) = get(&app, &manager, "/api/v1/clusters").await;
        let cluster = clusters["items"][0]["id"].as_str().unwrap().to_owned();
        let (_, campaigns) = get(&app, &manager, &format!("/api/v1/clusters/{cluster}/campaigns")).await;
        let current = campaigns["items"][1]["id"].as_str().unwrap().to_owned();
        let (s, dash) = get(&app, &manager, &format!("/api/v1/campaigns/{current}/dashboard")).await;
        assert_eq!(s, 200, "{dash}");
        let r = &dash["rollup"];
        assert_eq!(r["participation"]["invited"], 40);
        assert_eq!(r["participation"]["accepted"], 20);
        assert_eq!(r["levels"]["n"], 20);
        let counts: u64 = r["levels"]["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum();
        assert_eq!(counts, 20);
        assert_eq!(r["domains"].as_array().unwrap().len(), 9);
        assert_eq!(r["readiness"]["indicative"], true);
        assert_eq!(r["change"]["editions_differ"], true, "{}", r["change"]);

        // Every named heat-map row carries the verified domain scores the score endpoint gives.
        let rows = r["heat_map"]["rows"].as_array().unwrap();
        let anonymous = r["heat_map"]["anonymous"].as_u64().unwrap();
        assert_eq!(rows.len() as u64 + anonymous, 20);
        for row in rows.iter().take(3) {
            let enterprise = row["id"].as_str().unwrap();
            let (_, list) = get(&app, &auditor, &format!("/api/v1/enterprises/{enterprise}/assessments")).await;
            let a = list["items"].as_array().unwrap().iter().find(|a| a["campaign_id"] == current.as_str()).unwrap()["id"].as_str().unwrap().to_owned();
            let (_, score) = get(&app, &auditor, &format!("/api/v1/assessments/{a}/score")).await;
            let domains: Vec<&Value> = score["verified"]["domains"].as_array().unwrap().iter().map(|d| &d["score"]).collect();
            let shown: Vec<&Value> = row["scores"].as_array().unwrap().iter().collect();
            assert_eq!(shown, domains, "{enterprise}");
        }
        // Enterprises sharing only anonymous statistics never appear by name.
        let (_, enterprises) = get(&app, &manager, &format!("/api/v1/clusters/{cluster}/enterprises")).await;
        let text = dash.to_string();
        for e in enterprises["items"].as_array().unwrap().iter().filter(|e| e["sharing"] == "anonymous") {
            assert!(!text.contains(e["name"].as_str().unwrap()), "{} appears", e["name"]);
        }
        // An enterprise user sees its benchmark, not the dashboard.
        let user = app.session("e01", dcmm::demo::PASSWORD).await.access;
        let r = app.send(Method::GET, &format!("/api/v1/campaigns/{current}/dashboard"), Some(&user), None).await;
        error_body(r, 403, "forbidden").await;
    }

    async fn an_accepted_enterprise_gets_its_benchmark(backend: Backend) {
        let app = demo_app(backend).await;
        let user = app.session("e01", dcmm::demo::PASSWORD).await.access;
        let (_, me) = get(&app, &user, "/api/v1/me").await;
        let enterprise = me["enterprise_id"].as_str().unwrap();
        let (_, list) = get(&app, &user, &format!("/api/v1/enterprises/{enterprise}/assessments")).await;
        let current = list["items"][1]["id"].as_str().unwrap();
        let (s, b) = get(&app, &user, &format!("/api/v1/assessments/{current}/benchmark")).await;
        assert_eq!(s, 200, "{b}");
        // 20 accepted in the cluster: enough for percentiles; industries of the demo hold fewer
        // than 5 accepted each, so those are suppressed with a reason.
        let cluster = &b["cluster"];
        assert_eq!(cluster["members"], 20);
        assert_eq!(cluster["percentiles"]["domains"].as_array().unwrap().len(), 9);
        let p = cluster["percentiles"]["overall"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&p), "{p}");
        let industry = &b["industry"];
        let members = industry["members"].as_u64().unwrap();
        assert_eq!(industry["suppressed"].is_null(), members >= 5, "{industry}");
    }
}
