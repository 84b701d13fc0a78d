//! The questionnaire page over HTTP: who may open it, in which mode, with the figures of
//! `GET /api/v1/assessments/{id}/score`; and evidence downloads for the page session.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::client_evidence::{upload_parts, CRITERION, PDF};
use crate::fixtures::{set_assessment_status, set_sharing, world, PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use crate::web::{figure, page, page_login};

async fn token(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

async fn answer(app: &TestApp, token: &str, assessment: &str, criterion: &str, rating: &str) {
    let path = format!("/api/v1/assessments/{assessment}/answers/{criterion}");
    let body = json!({ "rating": rating, "comment": "" });
    let r = app.send(Method::PUT, &path, Some(token), Some(&body)).await;
    assert_eq!(r.status().as_u16(), 200);
}

fn enabled_radios(html: &str) -> usize {
    html.match_indices(r#"<input type="radio""#)
        .filter(|(i, _)| {
            let tag = &html[*i..*i + html[*i..].find('>').unwrap()];
            !tag.contains("disabled")
        })
        .count()
}

both_backends! {
    async fn the_enterprise_answers_on_a_page_with_the_api_s_figures(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let a = &w.assessment_a1;
        for (c, r) in [("2025:6.1:L1:1", "fully"), ("2025:6.1:L1:2", "fully"), ("2025:6.1:L2:1", "largely")] {
            answer(&app, &user, a, c, r).await;
        }
        let cookie = page_login(&app, "user.a1", PASSWORD).await;
        let (status, html, headers) = page(&app, Some(&cookie), &format!("/assessments/{a}?item=2025%3A6.1")).await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("<script>") && !html.contains("style="), "inline script or style");
        assert!(html.contains(r#"<script src="/static/questionnaire.js"></script>"#));
        assert!(html.contains("在具体项目中识别了与项目相关的数据管理目标、范围和需求。"));
        let criteria = dcmm::questionnaire::BUILT_IN[0].1.matches("id = \"2025:6.1:").count();
        assert_eq!(enabled_radios(&html), criteria * 4);

        let r = app.send(Method::GET, &format!("/api/v1/assessments/{a}/score"), Some(&user), None).await;
        let score: Value = r.json().await.unwrap();
        let own = &score["self"];
        let domain = own["domains"].as_array().unwrap().iter().find(|d| d["id"] == "2025:6").unwrap();
        let item = domain["items"].as_array().unwrap().iter().find(|i| i["id"] == "2025:6.1").unwrap();
        let two = |v: &Value| format!("{:.2}", v.as_f64().unwrap());
        assert_eq!(figure(&html, "overall-score"), two(&own["overall"]["score"]));
        assert_eq!(figure(&html, "domain-score"), two(&domain["score"]));
        assert_eq!(figure(&html, "item-score"), two(&item["score"]));
        for (n, s) in item["level_scores"].as_array().unwrap().iter().enumerate() {
            let points = (s.as_f64().unwrap() * 100.0).round() as i64;
            assert_eq!(figure(&html, &format!("level-{}", n + 1)), points.to_string());
        }
        assert_eq!(figure(&html, "answered"), "3");
        assert_eq!(figure(&html, "status"), "填写中");

        // English on asking, every link keeping it.
        let (_, en, _) = page(&app, Some(&cookie), &format!("/assessments/{a}?lang=en")).await;
        assert!(en.contains("Data-management goals, scope and needs are identified within individual projects."));
        assert!(en.contains("&amp;lang=en"));
    }

    async fn only_those_who_may_read_the_answers_open_the_page(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let a = &w.assessment_a1;
        let path = format!("/assessments/{a}");
        // No session: through the session's renewal (and so the login form), coming back here.
        let (status, _, headers) = page(&app, None, &path).await;
        assert_eq!(status, 303);
        let location = headers["location"].to_str().unwrap();
        assert_eq!(location, format!("/session/renew?next=/assessments/{a}"));
        // Another enterprise: a page that does not exist, like a malformed id.
        let other = page_login(&app, "user.b1", PASSWORD).await;
        for wrong in [path.clone(), "/assessments/not-an-id".to_owned()] {
            let (status, html, headers) = page(&app, Some(&other), &wrong).await;
            assert_eq!(status, 404, "{wrong}");
            assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
            assert!(html.contains("没有找到该页面"));
        }
        // The manager reads it only when the enterprise shares its answers, and never edits.
        let manager = page_login(&app, "manager.a", PASSWORD).await;
        let (status, html, _) = page(&app, Some(&manager), &path).await;
        assert_eq!(status, 403, "{html}");
        set_sharing(&app, &w.a1, "full");
        for who in [&manager, &page_login(&app, "auditor.a", PASSWORD).await, &page_login(&app, "admin", PASSWORD).await] {
            let (status, html, _) = page(&app, Some(who), &path).await;
            assert_eq!(status, 200, "{html}");
            assert_eq!(enabled_radios(&html), 0);
            assert!(html.contains(r#"id="read-only""#) && !html.contains("<textarea"));
        }
        // Submitted, the enterprise's own page is read-only too.
        set_assessment_status(&app, a, "submitted");
        let own = page_login(&app, "user.a1", PASSWORD).await;
        let (status, html, _) = page(&app, Some(&own), &path).await;
        assert_eq!(status, 200);
        assert_eq!(enabled_radios(&html), 0);
        assert_eq!(figure(&html, "status"), "待审核");
    }

    async fn evidence_downloads_with_the_page_session_as_the_api_allows(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let r = app.upload(&user, &w.assessment_a1, &upload_parts("制度.pdf", PDF, &[CRITERION])).await;
        assert_eq!(r.status().as_u16(), 201);
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let cookie = page_login(&app, "user.a1", PASSWORD).await;
        let (_, html, _) = page(&app, Some(&cookie), &format!("/assessments/{}?item=2025%3A6.1", w.assessment_a1)).await;
        assert!(html.contains(&format!(r#"<a href="/evidence/{id}/download">制度.pdf</a>"#)), "{html}");

        let download = |cookie: String| {
            let url = app.url(&format!("/evidence/{id}/download"));
            async move { reqwest::Client::new().get(url).header("cookie", cookie).send().await.unwrap() }
        };
        let r = download(cookie).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
        let other = page_login(&app, "user.b1", PASSWORD).await;
        assert_eq!(download(other).await.status().as_u16(), 404);
        // The manager of an enterprise that shares scores only does not get its files.
        let manager = page_login(&app, "manager.a", PASSWORD).await;
        assert_eq!(download(manager.clone()).await.status().as_u16(), 403);

        // A PDF or an image also opens in a tab of its own: inline, nothing else may load.
        assert!(html.contains(&format!(r#"href="/evidence/{id}/view" target="_blank" rel="noopener""#)), "{html}");
        let view = |cookie: String, id: String| {
            let url = app.url(&format!("/evidence/{id}/view"));
            async move { reqwest::Client::new().get(url).header("cookie", cookie).send().await.unwrap() }
        };
        let cookie = page_login(&app, "user.a1", PASSWORD).await;
        let r = view(cookie.clone(), id.clone()).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("inline;"));
        assert!(r.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let other = page_login(&app, "user.b1", PASSWORD).await;
        assert_eq!(view(other, id.clone()).await.status().as_u16(), 404);
        assert_eq!(view(manager, id.clone()).await.status().as_u16(), 403);
        // Any other type is still a download.
        let r = app.upload(&user, &w.assessment_a1, &upload_parts("记录.txt", "一份执行记录".as_bytes(), &[CRITERION])).await;
        assert_eq!(r.status().as_u16(), 201);
        let text = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let r = view(cookie, text).await;
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    }
}
