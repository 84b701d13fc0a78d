//! Stored scorecards: written when an assessment is frozen, equal to scoring its sheets afresh,
//! read by the dashboard only while they were computed under the running policy.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use dcmm::db::schema::{assessment_cards, assessments};
use dcmm::questionnaire::Registry;
use dcmm::scoring::{score, stored, Policy, Scorecard, Sheet};
use dcmm::startup::Application;

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::fixtures::{pool, world, PASSWORD};
use crate::helpers::{call, test_settings, TestApp};

/// An assessment's stored cards and their policy key, as the database holds them.
type Stored = (Option<Vec<u8>>, Option<Vec<u8>>, Option<String>);

/// A row of `assessment_cards`: own card, verified card, key.
type CardRow = (Option<Vec<u8>>, Option<Vec<u8>>, String);

fn stored_of(app: &TestApp, id: &str) -> Stored {
    let row: Option<CardRow> = assessment_cards::table
        .filter(assessment_cards::assessment_id.eq(id))
        .select((
            assessment_cards::own_card,
            assessment_cards::verified_card,
            assessment_cards::card_key,
        ))
        .first(&mut pool(app).get().unwrap())
        .optional()
        .unwrap();
    row.map_or((None, None, None), |(own, verified, key)| {
        (own, verified, Some(key))
    })
}

fn set_stored(app: &TestApp, id: &str, verified: &[u8], key: &str) {
    let changed =
        diesel::update(assessment_cards::table.filter(assessment_cards::assessment_id.eq(id)))
            .set((
                assessment_cards::verified_card.eq(verified),
                assessment_cards::card_key.eq(key),
            ))
            .execute(&mut pool(app).get().unwrap())
            .unwrap();
    assert_eq!(changed, 1);
}

/// The assessment's own and verified cards scored afresh from its answer and verified rows.
fn fresh_of(app: &TestApp, id: &str, policy: &Policy) -> (Scorecard, Scorecard) {
    let mut conn = pool(app).get().unwrap();
    let row = dcmm::db::assessments::find(&mut conn, id.parse().unwrap()).unwrap();
    let registry = Registry::built_in().unwrap();
    let q = registry.dcmm(&row.questionnaire_id).unwrap();
    assert_eq!(q.hash, row.questionnaire_hash);
    let (own, verified) = dcmm::db::assessments::sheets(&mut conn, q, row.id).unwrap();
    (score(q, &own, policy), score(q, &verified, policy))
}

/// Decodes stored cards, checking they were computed under `policy`.
fn decoded(app: &TestApp, id: &str, policy: &Policy) -> (Scorecard, Scorecard) {
    let (own, verified, key) = stored_of(app, id);
    assert_eq!(key.as_deref(), Some(stored::policy_key(policy).as_str()));
    let q = Registry::built_in()
        .unwrap()
        .dcmm("dcmm-2025")
        .unwrap()
        .clone();
    (
        stored::decode(&q, &own.expect("an own card")).expect("the own card decodes"),
        stored::decode(&q, &verified.expect("a verified card")).expect("the verified card decodes"),
    )
}

/// Starts another server on the app's database (start-up runs its passes), and stops it.
async fn start_and_stop(app: &TestApp, extra: &[(&str, &str)]) {
    let other = Application::build(test_settings(&app.db, extra))
        .await
        .unwrap();
    let handle = other.handle();
    let running = tokio::spawn(other.run_until_stopped());
    handle.stop(true).await;
    running.await.unwrap().unwrap();
}

async fn token(app: &TestApp, username: &str, password: &str) -> String {
    app.session(username, password).await.access
}

/// The demo's current campaign and the heat-map row of an accepted assessment in it, with
/// that assessment's id.
async fn named_accepted(app: &TestApp, auditor: &str) -> (String, Value, String) {
    let (_, clusters) = call(app, Method::GET, "/api/v1/clusters", auditor, None).await;
    let cluster = clusters["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, campaigns) = call(
        app,
        Method::GET,
        &format!("/api/v1/clusters/{cluster}/campaigns"),
        auditor,
        None,
    )
    .await;
    let campaign = campaigns["items"][1]["id"].as_str().unwrap().to_owned();
    let dash = dashboard(app, auditor, &campaign).await;
    let row = dash["rollup"]["heat_map"]["rows"][0].clone();
    let enterprise = row["id"].as_str().unwrap();
    let id = dcmm::db::assessments::id_in_campaign(
        &mut pool(app).get().unwrap(),
        campaign.parse().unwrap(),
        enterprise.parse().unwrap(),
    )
    .unwrap()
    .to_string();
    (campaign, row, id)
}

async fn dashboard(app: &TestApp, token: &str, campaign: &str) -> Value {
    let (s, dash) = call(
        app,
        Method::GET,
        &format!("/api/v1/campaigns/{campaign}/dashboard"),
        token,
        None,
    )
    .await;
    assert_eq!(s, 200, "{dash}");
    dash
}

/// The heat-map row of `enterprise` in the dashboard.
fn row_of(dash: &Value, enterprise: &Value) -> Value {
    dash["rollup"]["heat_map"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == *enterprise)
        .unwrap()
        .clone()
}

both_backends! {
    async fn the_stored_cards_are_the_fresh_scores_after_submit_and_after_review(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let id = &w.assessment_a1;
        let policy = Policy::default();
        assert_eq!(stored_of(&app, id), (None, None, None), "a draft has no card");
        let user = token(&app, &w.enterprise_a1.username, PASSWORD).await;
        let q = Registry::built_in().unwrap().dcmm("dcmm-2025").unwrap().clone();
        let ratings = ["fully", "largely", "partially", "not"];
        let answers: Vec<Value> = q.criteria().enumerate()
            .map(|(n, c)| json!({"criterion": c.id, "rating": ratings[(n * 7 + usize::from(c.level)) % 4]}))
            .collect();
        let (s, body) = call(&app, Method::PUT, &format!("/api/v1/assessments/{id}/answers"), &user, Some(json!({"answers": answers}))).await;
        assert_eq!(s, 200, "{body}");
        let (s, body) = call(&app, Method::POST, &format!("/api/v1/assessments/{id}/submit"), &user, None).await;
        assert_eq!(s, 200, "{body}");
        let (own, verified) = decoded(&app, id, &policy);
        assert_eq!((&own, &verified), (&fresh_of(&app, id, &policy).0, &fresh_of(&app, id, &policy).1));
        assert_eq!(own, verified, "nothing is verified yet");

        // The auditor lowers a fully met criterion: the verified card moves, the own one not.
        let auditor = token(&app, &w.auditor_a.username, PASSWORD).await;
        let lowered = q.criteria().enumerate()
            .find(|(n, c)| ratings[(n * 7 + usize::from(c.level)) % 4] == "fully" && c.level == 1)
            .map(|(_, c)| c.id.clone())
            .unwrap();
        let review = format!("/api/v1/assessments/{id}/review");
        let (s, body) = call(&app, Method::PUT, &format!("{review}/ratings/{lowered}"), &auditor, Some(json!({"rating": "not", "note": "无记录"}))).await;
        assert_eq!(s, 200, "{body}");
        let (s, body) = call(&app, Method::POST, &review, &auditor, Some(json!({"decision": "accept", "confirm": true}))).await;
        assert_eq!(s, 200, "{body}");
        let (own_after, verified_after) = decoded(&app, id, &policy);
        let (fresh_own, fresh_verified) = fresh_of(&app, id, &policy);
        assert_eq!(own_after, fresh_own);
        assert_eq!(verified_after, fresh_verified);
        assert_eq!(own_after, own);
        assert_ne!(verified_after, verified, "the verified card follows the review");
    }

    async fn a_returned_assessment_keeps_no_card(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = token(&app, "auditor", dcmm::demo::PASSWORD).await;
        let (_, queue) = call(&app, Method::GET, "/api/v1/reviews?limit=1", &auditor, None).await;
        let id = queue["items"][0]["assessment_id"].as_str().unwrap().to_owned();
        assert!(stored_of(&app, &id).0.is_some(), "a submitted assessment has its card");
        let (s, body) = call(&app, Method::POST, &format!("/api/v1/assessments/{id}/review"), &auditor, Some(json!({"decision": "return", "note": "请补充证据"}))).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(stored_of(&app, &id), (None, None, None));
    }

    async fn a_card_stored_under_another_policy_key_is_scored_again(backend: Backend) {
        let app = demo_app(backend).await;
        let auditor = token(&app, "auditor", dcmm::demo::PASSWORD).await;
        let (campaign, row, id) = named_accepted(&app, &auditor).await;
        let q = Registry::built_in().unwrap().dcmm("dcmm-2025").unwrap().clone();
        let policy = Policy::default();
        let empty = stored::encode(&score(&q, &Sheet::empty(&q), &policy)).unwrap();

        // Under the running policy's key the dashboard reads the stored card as it is...
        set_stored(&app, &id, &empty, &stored::policy_key(&policy));
        let shown = row_of(&dashboard(&app, &auditor, &campaign).await, &row["id"]);
        assert_eq!(shown["overall"], 0.0, "{shown}");
        assert_ne!(row["overall"], 0.0, "{row}");
        // ...under another key (another policy or scoring version) it scores the sheet again.
        set_stored(&app, &id, &empty, "another-policy");
        let shown = row_of(&dashboard(&app, &auditor, &campaign).await, &row["id"]);
        assert_eq!(shown, row);

        // A server starting on that database stores the card scored under its policy.
        start_and_stop(&app, &[]).await;
        assert_eq!(decoded(&app, &id, &policy).1, fresh_of(&app, &id, &policy).1);
        // So does one with another policy, for every frozen assessment.
        let strict = Policy { pass_threshold: 80, ..Policy::default() };
        start_and_stop(&app, &[("DCMM_SCORING_PASS_THRESHOLD", "80")]).await;
        let frozen: Vec<String> = assessments::table
            .filter(assessments::campaign_id.eq(&campaign))
            .filter(assessments::own_sheet.is_not_null())
            .select(assessments::id)
            .load(&mut pool(&app).get().unwrap())
            .unwrap();
        assert!(frozen.len() >= 20, "{}", frozen.len());
        for a in &frozen {
            assert_eq!(decoded(&app, a, &strict), fresh_of(&app, a, &strict), "{a}");
        }
        // The first server, still on the default policy, scores those cards again itself.
        assert_eq!(row_of(&dashboard(&app, &auditor, &campaign).await, &row["id"]), row);
    }
}
