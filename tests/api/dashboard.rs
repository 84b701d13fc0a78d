//! The dashboard's data over HTTP, on the demo cluster.

use reqwest::Method;
use serde_json::Value;

use dcmm::db::{self, DbTarget};
use dcmm::questionnaire::Registry;

use crate::both_backends;
use crate::helpers::{error_body, spawn_app_on, Backend, TestApp, TestDb};
use crate::web::{current_dashboard, figure, page, page_login};

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

/// What a reader of `html` sees: the text between the tags, the page's `<head>` left out.
fn visible(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap_or(0)..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `word` stands alone in `text` (not inside a longer Latin word).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !letter(before) && !letter(after)
    })
}

fn industry_codes() -> Vec<String> {
    let registry = Registry::built_in().unwrap();
    let profile = registry.profile(dcmm::questionnaire::PROFILE_ID).unwrap();
    profile
        .question("industry")
        .unwrap()
        .options
        .iter()
        .map(|o| o.value.clone())
        .collect()
}

both_backends! {
    async fn the_chinese_dashboard_names_every_code_and_tells_the_statuses_apart(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, dash) = current_dashboard(&app).await;
        let cookie = page_login(&app, "manager", dcmm::demo::PASSWORD).await;
        let path = format!("/campaigns/{current}/dashboard");
        let (status, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200);
        let text = visible(&html);
        let codes = industry_codes();
        let stored = ["open", "closed", "draft", "submitted", "accepted", "returned", "full", "scores", "anonymous"];
        for code in codes.iter().map(String::as_str).chain(stored) {
            assert!(!has_word(&text, code), "{code} on the Chinese page");
        }
        assert!(text.contains("能源电力") && text.contains("进行中"));
        let roster = &html[html.find(r#"id="enterprises""#).unwrap()..];
        for s in ["未开始", "填写中", "已退回", "待审核", "已通过"] {
            assert!(roster.contains(&format!(">{s}<")), "{s} in the roster");
        }
        // The demo's 40 enterprises: 4 not started, 2 returned.
        assert_eq!(roster.matches(">未开始<").count(), 4);
        assert_eq!(roster.matches(">已退回<").count(), 2);
        let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
        assert!(header.contains("集群管理员 林晓") && !header.contains(">manager<"), "{header}");

        let (_, en, _) = page(&app, Some(&cookie), &format!("{path}?lang=en")).await;
        for s in ["Not started", "In progress", "Returned", "Awaiting review", "Accepted", "Energy and power"] {
            assert!(en.contains(&format!(">{s}<")), "{s} on the English page");
        }

        // The previous campaign is closed: no days counted, its status by name.
        let cluster = dash["campaign"]["cluster_id"].as_str().unwrap();
        let token = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let (_, campaigns) = get(&app, &token, &format!("/api/v1/clusters/{cluster}/campaigns")).await;
        let previous = campaigns["items"][0]["id"].as_str().unwrap();
        assert_eq!(campaigns["items"][0]["status"], "closed");
        let (status, closed, _) = page(&app, Some(&cookie), &format!("/campaigns/{previous}/dashboard")).await;
        assert_eq!(status, 200);
        assert!(closed.contains("已结束") && !closed.contains("已逾期天数") && !closed.contains("距截止天数"));
    }

    async fn an_unknown_filter_value_is_named_and_ignored(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, dash) = current_dashboard(&app).await;
        let invited = dash["rollup"]["participation"]["invited"].to_string();
        let cookie = page_login(&app, "manager", dcmm::demo::PASSWORD).await;
        let path = format!("/campaigns/{current}/dashboard");
        for (query, notice) in [
            ("industry=nonsense", "未知的行业筛选值“nonsense”"),
            ("size=huge", "未知的规模筛选值“huge”"),
            ("industry=nonsense&size=huge&lang=en", "Unknown size filter “huge”"),
        ] {
            let (status, html, _) = page(&app, Some(&cookie), &format!("{path}?{query}")).await;
            assert_eq!(status, 200, "{query}");
            assert!(html.contains(notice), "{query}: {notice}");
            assert!(html.contains(r#"class="notice" role="status""#), "{query}");
            assert_eq!(figure(&html, "invited"), invited, "{query}: the whole campaign");
        }
        // An industry's name filters as its code does.
        let (_, by_name, _) = page(&app, Some(&cookie), &format!("{path}?industry=能源电力")).await;
        let (_, by_code, _) = page(&app, Some(&cookie), &format!("{path}?industry=energy")).await;
        assert!(by_code.contains(r#"<option value="energy" selected>能源电力</option>"#));
        assert!(!by_code.contains(r#"class="notice""#));
        assert_eq!(figure(&by_name, "invited"), figure(&by_code, "invited"));
        assert!(figure(&by_code, "invited") != invited);
    }
}
