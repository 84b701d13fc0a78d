//! The enterprise profile: round trip with derived results, per-question errors, versions,
//! tenancy and sharing, on both backends.

use serde_json::{json, Value};

use crate::both_backends;
use crate::client_evidence::full_profile;
use crate::fixtures::{audited_writes, set_sharing, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

async fn token(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    response.json().await.unwrap()
}

both_backends! {
    async fn a_profile_round_trips_with_its_eligibility_and_cdo_summary(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;

        let empty = json_of(app.get_profile(&user, &w.a1).await, 200).await;
        assert_eq!(empty["version"], 0);
        assert_eq!(empty["answers"], json!({}));
        assert_eq!(empty["questionnaire_id"], "enterprise-profile");
        assert_eq!(empty["questionnaire_hash"].as_str().unwrap().len(), 64);
        assert_eq!(empty["eligibility"]["indicative"], true);
        assert_eq!(empty["eligibility"]["all_met"], false);
        assert_eq!(empty["cdo"]["appointed"], false);
        assert_eq!(empty["cdo"]["missing_duties"].as_array().unwrap().len(), 6);

        let response = app.put_profile(&user, &w.a1, &full_profile(), None).await;
        assert_eq!(response.headers()["etag"], "\"1\"");
        let saved = json_of(response, 200).await;
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["answers"], full_profile());
        assert_eq!(saved["updated_by"], w.enterprise_a1.id.as_str());
        let eligibility = &saved["eligibility"];
        assert_eq!(eligibility["all_met"], true, "{eligibility}");
        let values: Vec<(&str, i64)> = eligibility["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["key"].as_str().unwrap(), c["value"].as_i64().unwrap()))
            .collect();
        // Strategy does not count among the policy domains.
        assert_eq!(values, [("data_staff", 3), ("policy_domains", 4), ("data_tools", 3)]);
        let cdo = &saved["cdo"];
        assert_eq!((cdo["appointed"].clone(), cdo["decision_level"].clone()), (json!(true), json!(true)));
        assert_eq!(cdo["missing_duties"], json!(["infrastructure", "value", "culture"]));

        let read = json_of(app.get_profile(&user, &w.a1).await, 200).await;
        assert_eq!(read, saved);

        let mut fewer = full_profile();
        fewer["data_staff"] = json!(1);
        fewer["cdo_appointed"] = json!(false);
        let changed = json_of(app.put_profile(&user, &w.a1, &fewer, Some("1")).await, 200).await;
        assert_eq!(changed["version"], 2);
        assert_eq!(changed["eligibility"]["all_met"], false);
        assert_eq!(changed["eligibility"]["conditions"][0]["met"], false);
        assert_eq!(changed["cdo"]["appointed"], false);
        assert_eq!(changed["cdo"]["rank"], Value::Null);

        assert_eq!(audited_writes(&app), 2);
    }

    async fn each_bad_answer_is_named_by_its_question_and_nothing_is_saved(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        let mut answers = full_profile();
        answers["size"] = json!("huge");
        answers["employees"] = json!(0);
        answers["data_tools"] = json!(["metadata", "spreadsheets"]);
        answers["favourite_colour"] = json!("blue");
        answers.as_object_mut().unwrap().remove("industry");
        let body = error_body(app.put_profile(&user, &w.a1, &answers, None).await, 422, "validation_failed").await;
        let named: Vec<&String> = body["fields"].as_object().unwrap().keys().collect();
        assert_eq!(
            named,
            [
                "answers.data_tools",
                "answers.employees",
                "answers.favourite_colour",
                "answers.industry",
                "answers.size",
            ]
        );
        let body = error_body(
            app.send(reqwest::Method::PUT, &format!("/api/v1/enterprises/{}/profile", w.a1), Some(&user), Some(&json!({"answers": 3}))).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(body["fields"]["answers"].is_array(), "{body}");
        let read = json_of(app.get_profile(&user, &w.a1).await, 200).await;
        assert_eq!(read["version"], 0);
        assert_eq!(audited_writes(&app), 0);
    }

    async fn a_stale_if_match_is_a_conflict_and_changes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = token(&app, "user.a1").await;
        json_of(app.put_profile(&user, &w.a1, &full_profile(), Some("0")).await, 200).await;

        let mut other = full_profile();
        other["employees"] = json!(9);
        for stale in ["0", "\"2\""] {
            let body = error_body(app.put_profile(&user, &w.a1, &other, Some(stale)).await, 409, "version_conflict").await;
            assert!(body["message"].as_str().unwrap().contains('1'), "{body}");
        }
        let read = json_of(app.get_profile(&user, &w.a1).await, 200).await;
        assert_eq!((read["version"].clone(), read["answers"].clone()), (json!(1), full_profile()));

        let body = error_body(app.put_profile(&user, &w.a1, &other, Some("latest")).await, 422, "validation_failed").await;
        assert!(body["fields"]["If-Match"].is_array(), "{body}");
        let saved = json_of(app.put_profile(&user, &w.a1, &other, Some("\"1\"")).await, 200).await;
        assert_eq!((saved["version"].clone(), saved["answers"]["employees"].clone()), (json!(2), json!(9)));
        assert_eq!(audited_writes(&app), 2);
    }

    async fn another_enterprise_never_sees_or_changes_a_profile(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let owner = token(&app, "user.a1").await;
        json_of(app.put_profile(&owner, &w.a1, &full_profile(), None).await, 200).await;
        for other in [token(&app, "user.b1").await, token(&app, "manager.b").await] {
            error_body(app.get_profile(&other, &w.a1).await, 404, "not_found").await;
            error_body(app.put_profile(&other, &w.a1, &full_profile(), None).await, 404, "not_found").await;
        }
        let admin = token(&app, "admin").await;
        for missing in ["not-a-uuid", &uuid::Uuid::now_v7().to_string()] {
            error_body(app.get_profile(&admin, missing).await, 404, "not_found").await;
        }
        assert_eq!(json_of(app.get_profile(&owner, &w.a1).await, 200).await["answers"], full_profile());
    }

    async fn readers_see_the_profile_as_sharing_allows_and_only_the_enterprise_writes_it(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = token(&app, "manager.a").await;
        for sharing in ["full", "scores"] {
            set_sharing(&app, &w.a1, sharing);
            json_of(app.get_profile(&manager, &w.a1).await, 200).await;
        }
        set_sharing(&app, &w.a1, "anonymous");
        error_body(app.get_profile(&manager, &w.a1).await, 403, "not_shared").await;
        for reader in ["auditor.a", "admin"] {
            let reader = token(&app, reader).await;
            json_of(app.get_profile(&reader, &w.a1).await, 200).await;
            error_body(app.put_profile(&reader, &w.a1, &full_profile(), None).await, 403, "forbidden").await;
        }
        error_body(app.put_profile(&manager, &w.a1, &full_profile(), None).await, 403, "forbidden").await;
        assert_eq!(audited_writes(&app), 0);
    }
}
