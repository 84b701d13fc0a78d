//! The campaign pages over HTTP: opening a campaign through its form (CSRF, a field refused in
//! place, nothing half-written), the campaign page and who sees it, the reminder list and its
//! CSV, the exports with the page session, moving the due date and closing.

use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{call, TestApp};
use crate::web::{csrf_of, page, page_login, post_form};

async fn campaigns_of(app: &TestApp, token: &str, cluster: &str) -> Vec<Value> {
    let (_, listed) = call(
        app,
        Method::GET,
        &format!("/api/v1/clusters/{cluster}/campaigns"),
        token,
        None,
    )
    .await;
    listed["items"].as_array().unwrap().clone()
}

async fn get_bytes(app: &TestApp, cookie: &str, path: &str) -> (u16, Vec<u8>, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let disposition = r
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, r.bytes().await.unwrap().to_vec(), disposition)
}

both_backends! {
    async fn a_manager_opens_a_campaign_through_the_form(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.manager_a.username, PASSWORD).await.access;
        let cookie = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let before = campaigns_of(&app, &token, &w.a).await.len();

        let (status, html, headers) = page(&app, Some(&cookie), "/campaigns/new").await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("style=") && !html.contains("<script>"));
        for field in ["name", "questionnaire", "due_date", "target_level", "copy_previous"] {
            assert!(html.contains(&format!(r#"for="{field}""#)) || html.contains(&format!(r#"id="{field}""#)), "{field}");
            assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
        }
        let csrf = csrf_of(&html);
        let form = |due: &'static str| vec![("cluster", w.a.clone()), ("name", "页面开启的评估".to_owned()),
            ("questionnaire", "dcmm-2025".to_owned()), ("due_date", due.to_owned()), ("target_level", "3".to_owned())];

        // No CSRF token: refused, nothing written.
        let no_token = form("2099-03-31");
        let plain: Vec<(&str, &str)> = no_token
            .iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _) = post_form(&app, &cookie, "/campaigns/new", &plain).await;
        assert_eq!(status, 403);
        // A day in the past: 422, named next to its field, nothing written.
        let client = reqwest::Client::new();
        let mut past = form("2001-01-01");
        past.push(("csrf", csrf.clone()));
        let r = client.post(app.url("/campaigns/new")).header("cookie", &cookie).form(&past).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="error-due_date""#) && html.contains(r#"aria-describedby="error-due_date""#), "{html}");
        assert!(html.contains("页面开启的评估"), "what was typed stays");
        assert_eq!(campaigns_of(&app, &token, &w.a).await.len(), before);

        let mut good = form("2099-03-31");
        good.push(("csrf", csrf.clone()));
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, location) = post_form(&app, &cookie, "/campaigns/new", &good).await;
        assert_eq!(status, 303);
        let id = location.trim_start_matches("/campaigns/").split('?').next().unwrap().to_owned();
        let (s, opened) = call(&app, Method::GET, &format!("/api/v1/campaigns/{id}"), &token, None).await;
        assert_eq!(s, 200);
        assert_eq!(opened["name"], "页面开启的评估");
        assert_eq!(opened["participation"]["invited"], 2, "A1 and A2 got drafts");

        // Another cluster's manager cannot open one in this cluster, nor see this campaign.
        let other = page_login(&app, &w.manager_b.username, PASSWORD).await;
        let (status, _, _) = page(&app, Some(&other), &format!("/campaigns/new?cluster={}", w.a)).await;
        assert_eq!(status, 404);
        let (status, _, _) = page(&app, Some(&other), &format!("/campaigns/{id}")).await;
        assert_eq!(status, 404);
        // An enterprise user opens none.
        let enterprise = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        let (status, _, _) = page(&app, Some(&enterprise), "/campaigns/new").await;
        assert_eq!(status, 403);
    }

    async fn the_campaign_page_reminds_exports_moves_and_closes(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let (s, _) = call(&app, Method::PUT, &format!("/api/v1/assessments/{}/answers/2025:6.1:L1:1", w.assessment_a1),
            &token, Some(serde_json::json!({"rating": "fully"}))).await;
        assert_eq!(s, 200);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let (s, _) = call(&app, Method::PATCH, &format!("/api/v1/enterprises/{}", w.a1), &manager,
            Some(serde_json::json!({"contact_name": "李伟", "contact_phone": "0591-88880000", "contact_email": "li.wei@a1.example.cn"}))).await;
        assert_eq!(s, 200);
        let cookie = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let campaign = &w.campaign_a;

        let (status, html, _) = page(&app, Some(&cookie), &format!("/campaigns/{campaign}")).await;
        assert_eq!(status, 200, "{html}");
        for link in ["dashboard", "chase", "export.csv", "export.xlsx", "report.pdf"] {
            assert!(html.contains(&format!(r#"href="/campaigns/{campaign}/{link}""#)), "{link}");
        }
        let csrf = csrf_of(&html);

        let (status, html, _) = page(&app, Some(&cookie), &format!("/campaigns/{campaign}/chase?sort=progress")).await;
        assert_eq!(status, 200);
        let stages: Vec<&str> = html.match_indices(r#"<tr data-stage=""#)
            .map(|(i, m)| html[i + m.len()..].split('"').next().unwrap()).collect();
        assert_eq!(stages, ["not_started", "in_progress"], "least progress first: A2, then A1");
        assert!(html.contains("1 / "), "A1's one answer is its progress");
        assert!(html.contains(r#"<a href="mailto:li.wei@a1.example.cn">"#) && html.contains("0591-88880000"), "the contact to remind");
        let (status, html, _) = page(&app, Some(&cookie), &format!("/campaigns/{campaign}/chase?stage=not_started")).await;
        assert_eq!(status, 200);
        assert_eq!(html.matches(r#"<tr data-stage=""#).count(), 1);
        assert!(html.contains("A2 Ltd") && !html.contains("A1 Ltd"));

        let (status, csv, disposition) = get_bytes(&app, &cookie, &format!("/campaigns/{campaign}/chase.csv")).await;
        assert_eq!(status, 200);
        assert!(disposition.starts_with("attachment"));
        let text = String::from_utf8(csv.strip_prefix(b"\xEF\xBB\xBF").expect("a byte-order mark").to_vec()).unwrap();
        assert!(text.starts_with("企业名称,状态"), "{text}");
        assert!(text.contains("A1 Ltd,填写中,1,") && text.contains("A2 Ltd,未开始,0,"), "{text}");
        assert!(text.contains(",李伟,0591-88880000,li.wei@a1.example.cn"), "{text}");

        for ext in ["csv", "xlsx"] {
            let (status, bytes, disposition) = get_bytes(&app, &cookie, &format!("/campaigns/{campaign}/export.{ext}")).await;
            assert_eq!(status, 200, "{ext}");
            assert!(disposition.starts_with("attachment"), "{ext}");
            assert!(!bytes.is_empty());
        }
        let enterprise = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        assert_eq!(get_bytes(&app, &enterprise, &format!("/campaigns/{campaign}/export.csv")).await.0, 403);
        assert_eq!(page(&app, Some(&enterprise), &format!("/campaigns/{campaign}/chase")).await.0, 403);
        let other = page_login(&app, &w.manager_b.username, PASSWORD).await;
        assert_eq!(page(&app, Some(&other), &format!("/campaigns/{campaign}/chase")).await.0, 404);

        let (status, _) = post_form(&app, &cookie, &format!("/campaigns/{campaign}/due-date"), &[("csrf", &csrf), ("due_date", "2001-01-01")]).await;
        assert_eq!(status, 422);
        let (status, location) = post_form(&app, &cookie, &format!("/campaigns/{campaign}/due-date"), &[("csrf", &csrf), ("due_date", "2099-05-01")]).await;
        assert_eq!((status, location), (303, format!("/campaigns/{campaign}?moved=1")));
        let (_, read) = call(&app, Method::GET, &format!("/api/v1/campaigns/{campaign}"), &manager, None).await;
        assert_eq!(read["due_date"], "2099-05-01");

        let (status, html, _) = page(&app, Some(&cookie), &format!("/campaigns/{campaign}/close")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"data-figure="not_started">1<"#) && html.contains(r#"data-figure="in_progress">1<"#), "{html}");
        let (status, _) = post_form(&app, &cookie, &format!("/campaigns/{campaign}/close"), &[]).await;
        assert_eq!(status, 403, "no CSRF token");
        let (_, read) = call(&app, Method::GET, &format!("/api/v1/campaigns/{campaign}"), &manager, None).await;
        assert_eq!(read["status"], "open");
        let (status, location) = post_form(&app, &cookie, &format!("/campaigns/{campaign}/close"), &[("csrf", &csrf)]).await;
        assert_eq!((status, location), (303, format!("/campaigns/{campaign}?closed=1")));
        let (_, read) = call(&app, Method::GET, &format!("/api/v1/campaigns/{campaign}"), &manager, None).await;
        assert_eq!(read["status"], "closed");
        let (_, html, _) = page(&app, Some(&cookie), &format!("/campaigns/{campaign}")).await;
        assert!(!html.contains("due-date-form"), "a closed campaign offers no changes");
    }
}
