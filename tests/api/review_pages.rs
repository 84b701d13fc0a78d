//! The auditor's pages over HTTP, on the demo cluster: the queue against the API's, the review
//! page (CSP, scope), its forms (CSRF, the sample, a return that needs a note) and the
//! confirmation before an acceptance.

use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::call;
use crate::web::{csrf_of, page, page_login, post_form};

const PASSWORD: &str = dcmm::demo::PASSWORD;

both_backends! {
    async fn the_auditor_s_pages_show_the_queue_and_take_a_review_through_its_forms(backend: Backend) {
        let app = demo_app(backend).await;
        let token = app.session("auditor", PASSWORD).await.access;
        let (_, queue) = call(&app, Method::GET, "/api/v1/reviews", &token, None).await;
        let waiting: Vec<&Value> = queue["items"].as_array().unwrap().iter().collect();
        let cookie = page_login(&app, "auditor", PASSWORD).await;
        let (status, html, headers) = page(&app, Some(&cookie), "/reviews").await;
        assert_eq!(status, 200);
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("style=") && !html.contains("<script>"));
        assert_eq!(html.matches(r#"<tr data-assessment=""#).count(), waiting.len());
        for w in &waiting {
            assert!(html.contains(&format!(r#"href="/assessments/{}/review""#, w["assessment_id"].as_str().unwrap())));
        }
        // The queue is the auditor's and the admin's; not the manager's nor an enterprise's.
        for user in ["manager", "e01"] {
            let other = page_login(&app, user, PASSWORD).await;
            assert_eq!(page(&app, Some(&other), "/reviews").await.0, 403, "{user}");
        }

        let id = waiting[0]["assessment_id"].as_str().unwrap();
        let path = format!("/assessments/{id}/review");
        let (status, html, headers) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("style=") && !html.contains("<script>"));
        assert!(html.contains(r#"<script src="/static/review.js"></script>"#));
        assert!(html.contains(r#"id="review-bar""#) && html.contains(r#"class="review-rating""#));
        let csrf = csrf_of(&html);

        // Without the CSRF token a form changes nothing.
        let (status, _) = post_form(&app, &cookie, &format!("{path}/sample"), &[("size", "12"), ("by", "domain")]).await;
        assert_eq!(status, 403);
        let (_, review) = call(&app, Method::GET, &format!("/api/v1{path}"), &token, None).await;
        assert!(review["sample"].is_null());
        // With it: the sample is drawn and the page shows only it.
        let (status, location) = post_form(&app, &cookie, &format!("{path}/sample"), &[("csrf", &csrf), ("size", "12"), ("by", "domain")]).await;
        assert_eq!((status, location.as_str()), (303, format!("{path}?sampled=1").as_str()));
        let (_, review) = call(&app, Method::GET, &format!("/api/v1{path}"), &token, None).await;
        assert_eq!(review["sample"]["criteria"].as_array().unwrap().len(), 12);
        assert_eq!(review["sample"]["by"], "domain");
        let (_, html, _) = page(&app, Some(&cookie), &location).await;
        let seed = review["sample"]["seed"].as_u64().unwrap().to_string();
        assert!(html.contains(&seed), "the page names the seed");

        // A return needs a note: refused without one, nothing changes.
        let decision = format!("{path}/decision");
        let (status, _) = post_form(&app, &cookie, &decision, &[("csrf", &csrf), ("decision", "return"), ("note", " ")]).await;
        assert_eq!(status, 422);
        // Accept only from the confirmation page, which says what will be frozen.
        let (status, _) = post_form(&app, &cookie, &decision, &[("csrf", &csrf), ("decision", "accept")]).await;
        assert_eq!(status, 422, "no confirmation, no acceptance");
        let (_, a) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}"), &token, None).await;
        assert_eq!(a["status"], "submitted");
        let (status, confirm, _) = page(&app, Some(&cookie), &format!("{path}/accept")).await;
        assert_eq!(status, 200);
        let standing = &review["standing"];
        assert!(confirm.contains(&format!("{:.2}", standing["verified_score"].as_f64().unwrap())), "{confirm}");
        assert!(confirm.contains(r#"name="confirm" value="1""#));
        let (status, location) = post_form(&app, &cookie, &decision, &[("csrf", &csrf), ("decision", "accept"), ("confirm", "1"), ("note", "抽查通过")]).await;
        assert_eq!((status, location), (303, format!("/assessments/{id}/results")));
        let (_, a) = call(&app, Method::GET, &format!("/api/v1/assessments/{id}"), &token, None).await;
        assert_eq!(a["status"], "accepted");
        // An accepted assessment's review page leads to its results.
        let (status, _, headers) = page(&app, Some(&cookie), &path).await;
        assert_eq!((status, headers["location"].to_str().unwrap()), (303, format!("/assessments/{id}/results").as_str()));

        // Another's review page: 404 for an enterprise user of another enterprise, 403 for the
        // enterprise itself (the auditor's working notes), 404 for a malformed id.
        let next = waiting[1]["assessment_id"].as_str().unwrap();
        let admin = app.session("admin", PASSWORD).await.access;
        let (_, users) = call(&app, Method::GET, "/api/v1/users?limit=500", &admin, None).await;
        let owner = users["items"].as_array().unwrap().iter()
            .find(|u| u["enterprise_id"] == waiting[1]["enterprise_id"]).unwrap()["username"].as_str().unwrap().to_owned();
        let stranger = if owner == "e01" { "e02" } else { "e01" };
        let own = page_login(&app, &owner, PASSWORD).await;
        assert_eq!(page(&app, Some(&own), &format!("/assessments/{next}/review")).await.0, 403);
        let other = page_login(&app, stranger, PASSWORD).await;
        assert_eq!(page(&app, Some(&other), &format!("/assessments/{next}/review")).await.0, 404);
        assert_eq!(page(&app, Some(&cookie), "/assessments/nope/review").await.0, 404);
        // The admin looks on: the page, without the forms.
        let admin_cookie = page_login(&app, "admin", PASSWORD).await;
        let (status, html, _) = page(&app, Some(&admin_cookie), &format!("/assessments/{next}/review")).await;
        assert_eq!(status, 200);
        assert!(!html.contains("/review/sample") && !html.contains("/review/decision"));
    }
}
