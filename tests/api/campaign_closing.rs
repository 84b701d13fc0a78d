//! A campaign's due date moved and the campaign closed: after closing, nothing of its
//! assessments changes (409 `campaign_closed`), and the closing is audited.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::client_evidence::{full_profile, upload_parts, CRITERION, PDF};
use crate::fixtures::{pool, world, PASSWORD};
use crate::helpers::call;

both_backends! {
    async fn the_due_date_moves_to_a_day_not_in_the_past(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let enterprise = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let other = app.session(&w.manager_b.username, PASSWORD).await.access;
        let path = format!("/api/v1/campaigns/{}", w.campaign_a);

        let (s, moved) = call(&app, Method::PATCH, &path, &manager, Some(json!({"due_date": "2099-06-30"}))).await;
        assert_eq!(s, 200, "{moved}");
        assert_eq!(moved["due_date"], "2099-06-30");
        let (_, read) = call(&app, Method::GET, &path, &manager, None).await;
        assert_eq!(read["due_date"], "2099-06-30");

        let (s, body) = call(&app, Method::PATCH, &path, &manager, Some(json!({"due_date": "2001-01-01"}))).await;
        assert_eq!(s, 422);
        assert!(body["fields"]["due_date"].is_array(), "{body}");
        let (s, body) = call(&app, Method::PATCH, &path, &manager, Some(json!({"due_date": "soon"}))).await;
        assert_eq!(s, 422, "{body}");
        assert!(body["fields"]["due_date"].is_array(), "{body}");
        let (s, _) = call(&app, Method::PATCH, &path, &enterprise, Some(json!({"due_date": "2099-07-01"}))).await;
        assert_eq!(s, 403);
        let (s, _) = call(&app, Method::PATCH, &path, &other, Some(json!({"due_date": "2099-07-01"}))).await;
        assert_eq!(s, 404);
        let (_, read) = call(&app, Method::GET, &path, &manager, None).await;
        assert_eq!(read["due_date"], "2099-06-30", "refused changes left nothing behind");
    }

    async fn a_closed_campaign_takes_no_more_writes(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let enterprise = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let other = app.session(&w.manager_b.username, PASSWORD).await.access;
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let answers = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let one = format!("{answers}/{CRITERION}");

        let (s, _) = call(&app, Method::PUT, &one, &enterprise, Some(json!({"rating": "fully"}))).await;
        assert_eq!(s, 200, "an open campaign takes answers");
        let profile = format!("/api/v1/enterprises/{}/profile", w.a1);
        let (s, _) = call(&app, Method::PUT, &profile, &enterprise, Some(json!({"answers": full_profile()}))).await;
        assert_eq!(s, 200);

        let close = format!("/api/v1/campaigns/{}/close", w.campaign_a);
        let (s, _) = call(&app, Method::POST, &close, &enterprise, None).await;
        assert_eq!(s, 403, "an enterprise does not close campaigns");
        let (s, _) = call(&app, Method::POST, &close, &other, None).await;
        assert_eq!(s, 404, "another cluster's manager does not see it");
        let (s, closed) = call(&app, Method::POST, &close, &manager, None).await;
        assert_eq!(s, 200, "{closed}");
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["participation"]["started"], 1);

        let refused = |s: u16, body: &serde_json::Value, what: &str| {
            assert_eq!(s, 409, "{what}: {body}");
            assert_eq!(body["error"], "campaign_closed", "{what}: {body}");
        };
        let (s, body) = call(&app, Method::PUT, &one, &enterprise, Some(json!({"rating": "partially"}))).await;
        refused(s, &body, "one answer");
        let (s, body) = call(&app, Method::PUT, &answers, &enterprise,
            Some(json!({"answers": [{"criterion": CRITERION, "rating": "not"}]}))).await;
        refused(s, &body, "answers in bulk");
        let upload = app.upload(&enterprise, &w.assessment_a1, &upload_parts("late.pdf", PDF, &[CRITERION])).await;
        let s = upload.status().as_u16();
        refused(s, &upload.json().await.unwrap(), "evidence");
        let (s, body) = call(&app, Method::POST, &format!("/api/v1/assessments/{}/submit", w.assessment_a1), &enterprise, None).await;
        refused(s, &body, "submission");
        let (s, body) = call(&app, Method::POST, &close, &admin, None).await;
        refused(s, &body, "closing twice");
        let (s, body) = call(&app, Method::PATCH, &format!("/api/v1/campaigns/{}", w.campaign_a), &manager,
            Some(json!({"due_date": "2099-01-01"}))).await;
        refused(s, &body, "a new due date");

        let (_, stored) = call(&app, Method::GET, &answers, &enterprise, None).await;
        let ratings: Vec<&str> = stored["items"].as_array().unwrap().iter()
            .map(|a| a["rating"].as_str().unwrap()).collect();
        assert_eq!(ratings, ["fully"], "the answer saved before closing stands");

        let (s, log) = call(&app, Method::GET, "/api/v1/audit-log?action=campaign.close", &admin, None).await;
        assert_eq!(s, 200);
        let entries = log["items"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{log}");
        assert_eq!(entries[0]["subject_id"], w.campaign_a.as_str());
        assert_eq!(entries[0]["after"]["status"], "closed");

        // The profile stays the enterprise's to change; the closed campaign keeps it as it was.
        let mut changed = full_profile();
        changed["data_staff"] = json!(9);
        let (s, _) = call(&app, Method::PUT, &profile, &enterprise, Some(json!({"answers": changed}))).await;
        assert_eq!(s, 200);
        let kept: Option<String> = {
            use diesel::prelude::*;
            use dcmm::db::schema::assessments;
            assessments::table
                .filter(assessments::id.eq(&w.assessment_a1))
                .select(assessments::profile_at_close)
                .first(&mut pool(&app).get().unwrap())
                .unwrap()
        };
        let kept: serde_json::Value = serde_json::from_str(&kept.expect("kept at closing")).unwrap();
        assert_eq!(kept["data_staff"], 3, "{kept}");

        // The other cluster's campaign is still open.
        let b1 = app.session(&w.enterprise_b1.username, PASSWORD).await.access;
        let (s, _) = call(&app, Method::PUT, &format!("/api/v1/assessments/{}/answers/{CRITERION}", w.assessment_b1),
            &b1, Some(json!({"rating": "fully"}))).await;
        assert_eq!(s, 200);
    }
}
