//! A whole campaign through the API, and the error paths of the workflow.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{seed_user, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

fn code(n: u32) -> String {
    dcmm::domain::CreditCode::complete(&format!("9144030{:010}", 7_000_000 + n))
        .unwrap()
        .to_string()
}

impl TestApp {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let response = self.send(method, path, Some(token), body.as_ref()).await;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    async fn token(&self, username: &str) -> String {
        self.session(username, PASSWORD).await.access
    }
}

fn all_criteria(rating: &str) -> Vec<Value> {
    let registry = dcmm::questionnaire::Registry::built_in().unwrap();
    let q = registry.dcmm("dcmm-2025").unwrap();
    q.criteria()
        .map(|c| json!({"criterion": c.id, "rating": rating, "comment": "制度文件已发布"}))
        .collect()
}

both_backends! {
    async fn a_cluster_runs_a_whole_campaign_through_the_api(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "root", dcmm::domain::Role::Admin, &[]);
        let admin = app.token("root").await;

        let (s, cluster) = app.call(Method::POST, "/api/v1/clusters", &admin, Some(json!({"name": "福州数字产业集群", "region": "福建"}))).await;
        assert_eq!(s, 201, "{cluster}");
        let cid = cluster["id"].as_str().unwrap();
        let (s, _) = app.call(Method::POST, "/api/v1/users", &admin, Some(json!({
            "username": "manager", "password": PASSWORD, "role": "cluster_manager", "cluster_id": cid,
        }))).await;
        assert_eq!(s, 201);
        let (s, _) = app.call(Method::POST, "/api/v1/users", &admin, Some(json!({
            "username": "auditor", "password": PASSWORD, "role": "auditor", "cluster_ids": [cid],
        }))).await;
        assert_eq!(s, 201);
        let manager = app.token("manager").await;

        // One enterprise by hand, one by CSV (with a bad row that rejects nothing else).
        let (s, e1) = app.call(Method::POST, &format!("/api/v1/clusters/{cid}/enterprises"), &manager, Some(json!({
            "name": "福州星海装备有限公司", "credit_code": code(1), "industry": "装备制造", "size": "medium", "region": "福州",
        }))).await;
        assert_eq!(s, 201, "{e1}");
        assert_eq!(e1["industry"], "equipment");
        let csv = format!("\u{FEFF}企业名称,统一社会信用代码,行业,规模,地区\n榕城软件有限公司,{},software,small,福州\n坏行,123,software,small,福州\n", code(2));
        let response = app.send_csv(&format!("/api/v1/clusters/{cid}/enterprises/import"), Some(&manager), &csv).await;
        assert_eq!(response.status().as_u16(), 200);
        let import: Value = response.json().await.unwrap();
        assert_eq!((import["created"].as_u64(), import["rejected"].as_u64()), (Some(1), Some(1)));
        assert_eq!(import["rows"][1]["line"], 3);
        assert!(import["rows"][1]["errors"]["credit_code"].is_array());
        let e2 = import["rows"][0]["id"].as_str().unwrap().to_owned();
        let e1 = e1["id"].as_str().unwrap().to_owned();

        for (name, enterprise) in [("user1", &e1), ("user2", &e2)] {
            let (s, body) = app.call(Method::POST, "/api/v1/users", &manager, Some(json!({
                "username": name, "password": PASSWORD, "role": "enterprise", "enterprise_id": enterprise,
            }))).await;
            assert_eq!(s, 201, "{body}");
        }

        let (s, campaign) = app.call(Method::POST, &format!("/api/v1/clusters/{cid}/campaigns"), &manager, Some(json!({
            "name": "2026年度评估", "due_date": "2099-06-30", "target_level": 3,
        }))).await;
        assert_eq!(s, 201, "{campaign}");
        assert_eq!(campaign["questionnaire"], "dcmm-2025");
        assert_eq!(campaign["participation"]["invited"], 2);

        let user1 = app.token("user1").await;
        let user2 = app.token("user2").await;
        let (_, list) = app.call(Method::GET, &format!("/api/v1/enterprises/{e1}/assessments"), &user1, None).await;
        let a1 = list["items"][0]["id"].as_str().unwrap().to_owned();
        let (_, list) = app.call(Method::GET, &format!("/api/v1/enterprises/{e2}/assessments"), &user2, None).await;
        let a2 = list["items"][0]["id"].as_str().unwrap().to_owned();

        // Enterprise 1 meets every criterion; enterprise 2 largely everything.
        let (s, _) = app.call(Method::PUT, &format!("/api/v1/assessments/{a1}/answers"), &user1, Some(json!({"answers": all_criteria("fully")}))).await;
        assert_eq!(s, 200);
        let (s, _) = app.call(Method::PUT, &format!("/api/v1/assessments/{a2}/answers"), &user2, Some(json!({"answers": all_criteria("largely")}))).await;
        assert_eq!(s, 200);
        let (_, got) = app.call(Method::GET, &format!("/api/v1/assessments/{a1}"), &user1, None).await;
        assert_eq!(got["progress"]["answered"], got["progress"]["total"]);
        assert_eq!(got["progress"]["domains"].as_array().unwrap().len(), 9);

        for (token, id) in [(&user1, &a1), (&user2, &a2)] {
            let (s, body) = app.call(Method::POST, &format!("/api/v1/assessments/{id}/submit"), token, None).await;
            assert_eq!((s, body["status"].as_str()), (200, Some("submitted")), "{body}");
        }
        let (_, c) = app.call(Method::GET, &format!("/api/v1/campaigns/{}", campaign["id"].as_str().unwrap()), &manager, None).await;
        assert_eq!(c["participation"]["submitted"], 2);

        // The auditor returns enterprise 1 with a verified rating, which then resubmits; then accepts.
        let auditor = app.token("auditor").await;
        let (s, body) = app.call(Method::POST, &format!("/api/v1/assessments/{a1}/review"), &auditor, Some(json!({
            "decision": "return", "note": "6.1 二级证据不足",
            "verified": [
                {"criterion": "2025:6.1:L2:1", "rating": "not", "note": "无审批记录"},
                {"criterion": "2025:6.1:L2:2", "rating": "not", "note": "无需求清单"},
            ],
        }))).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("draft")), "{body}");
        assert_eq!(body["return_note"], "6.1 二级证据不足");
        let (s, _) = app.call(Method::POST, &format!("/api/v1/assessments/{a1}/submit"), &user1, None).await;
        assert_eq!(s, 200);
        let (s, body) = app.call(Method::POST, &format!("/api/v1/assessments/{a1}/review"), &auditor, Some(json!({"decision": "accept", "confirm": true}))).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("accepted")));

        // Self 5.00; verified: 6.1 L2 = (0 + 0 + 100 + 100) / 4 = 0.50 < 0.70, so 6.1 = 1.50,
        // domain 6 = (150 + 500 + 500) / 3 = 383.33 → 3.83; overall (383 + 8 × 500) / 9 = 4.87.
        let (s, score) = app.call(Method::GET, &format!("/api/v1/assessments/{a1}/score"), &manager, None).await;
        assert_eq!(s, 200, "{score}");
        assert_eq!(score["self"]["overall"], json!({"score": 5.0, "level": 5}));
        assert_eq!(score["verified"]["overall"], json!({"score": 4.87, "level": 4}));
        assert_eq!(score["verified"]["domains"][0]["items"][0]["score"], 1.5);
        // The path to the target 3: the one step that lifts 6.1 past level 1 again, raising one
        // of the re-rated criteria to fully: (100 + 0 + 200) / 4 = 0.75 ≥ 0.70.
        let gap = score["verified"]["gap"].as_array().unwrap();
        let item = &score["verified"]["domains"][0]["items"][0];
        assert_eq!(gap.len(), 1, "{gap:?}");
        let raised = gap[0]["criteria"].as_array().unwrap();
        assert_eq!(raised.len(), 1, "{gap:?}");
        assert!(["2025:6.1:L2:1", "2025:6.1:L2:2"].contains(&raised[0]["criterion"].as_str().unwrap()));
        assert_eq!((&raised[0]["from"], &raised[0]["to"]), (&json!("not"), &json!("fully")));
        assert_eq!(&gap[0]["score_before"], &item["score"]);
        assert!(gap[0]["score_after"].as_f64().unwrap() >= 2.0, "{gap:?}");

        // Accepted is final; the audit trail covers the flow and its chain is intact.
        let (s, _) = app.call(Method::PUT, &format!("/api/v1/assessments/{a1}/answers/2025:6.1:L1:1"), &user1, Some(json!({"rating": "not"}))).await;
        assert_eq!(s, 409);
        let mut actions = Vec::new();
        let mut after = 0;
        loop {
            let (s, log) = app.call(Method::GET, &format!("/api/v1/audit-log?limit=500&after={after}"), &auditor, None).await;
            assert_eq!(s, 200);
            for e in log["items"].as_array().unwrap() {
                actions.push(e["action"].as_str().unwrap().to_owned());
            }
            match log["next"].as_str() {
                Some(next) => after = next.parse().unwrap(),
                None => break,
            }
        }
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        for action in ["enterprise.create", "campaign.create", "answer.write", "assessment.submit", "assessment.return", "assessment.accept"] {
            assert!(actions.contains(&action), "{action} missing from {actions:?}");
        }
        let pool = dcmm::db::connect(&dcmm::db::DbTarget::parse(&app.db.url).unwrap(), 1).unwrap();
        let key = crate::helpers::audit_key(&app.db);
        let v = dcmm::audit::verify(&mut pool.get().unwrap(), Some(&key)).unwrap();
        assert_eq!(v.first_broken, None);
        assert!(v.entries > 1000, "{}", v.entries);
    }

    async fn a_bad_credit_code_is_named_and_a_duplicate_is_not_available(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.token(&w.manager_a.username).await;
        let path = format!("/api/v1/clusters/{}/enterprises", w.a);
        let mut bad = code(9);
        bad.replace_range(17.., if bad.ends_with('0') { "1" } else { "0" });
        let body = json!({"name": "某公司", "credit_code": bad, "industry": "equipment", "size": "small"});
        let response = app.send(Method::POST, &path, Some(&manager), Some(&body)).await;
        let err = error_body(response, 422, "validation_failed").await;
        assert!(err["fields"]["credit_code"][0].as_str().unwrap().contains("check character"));
        let body = json!({"name": "某公司", "credit_code": code(9), "industry": "equipment", "size": "small"});
        assert_eq!(app.send(Method::POST, &path, Some(&manager), Some(&body)).await.status().as_u16(), 201);
        // A cluster manager is not told that the code is registered (it might be in another
        // cluster): the field is not available.
        let again = app.send(Method::POST, &path, Some(&manager), Some(&body)).await;
        let err = error_body(again, 422, "validation_failed").await;
        assert_eq!(err["fields"].as_object().unwrap().keys().collect::<Vec<_>>(), ["credit_code"], "{err}");
        assert_eq!(err["codes"]["credit_code"], json!(["not_available"]), "{err}");
        // In an import, a taken code rejects its row naming the field and creates the others.
        let csv = format!("name,credit_code,industry,size,region\n某公司,{},equipment,small,福州\n另一公司,{},equipment,small,福州\n", code(9), code(10));
        let response = app.send_csv(&format!("{path}/import"), Some(&manager), &csv).await;
        let import: Value = response.json().await.unwrap();
        assert_eq!((import["created"].as_u64(), import["rejected"].as_u64()), (Some(1), Some(1)), "{import}");
        assert_eq!(import["rows"][0]["errors"]["credit_code"], json!(["is not available; choose another"]), "{import}");
    }

    async fn a_registered_enterprise_is_audited_as_the_api_shows_it(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.token(&w.manager_a.username).await;
        let path = format!("/api/v1/clusters/{}/enterprises", w.a);
        let (s, by_hand) = app.call(Method::POST, &path, &manager, Some(json!({
            "name": "福州星海装备有限公司", "credit_code": code(20), "industry": "equipment", "size": "medium", "region": "福州",
        }))).await;
        assert_eq!(s, 201, "{by_hand}");
        let csv = format!("name,credit_code,industry,size,region\n厦门导入软件有限公司,{},software,micro,厦门\n", code(21));
        let import: Value = app.send_csv(&format!("{path}/import"), Some(&manager), &csv).await.json().await.unwrap();
        let imported = import["rows"][0]["id"].as_str().unwrap();
        let admin = app.token(&w.admin.username).await;
        let (_, log) = app.call(Method::GET, "/api/v1/audit-log?limit=500", &admin, None).await;
        let created = |id: &str| -> Value {
            let entry = log["items"].as_array().unwrap().iter()
                .find(|e| e["action"] == "enterprise.create" && e["subject_id"] == id)
                .unwrap_or_else(|| panic!("no enterprise.create of {id} in {log}"));
            assert_eq!(entry["cluster_id"], w.a.as_str());
            assert_eq!(entry["before"], Value::Null);
            entry["after"].clone()
        };
        assert_eq!(created(by_hand["id"].as_str().unwrap()), by_hand);
        // Stored timestamps may be rounded (PostgreSQL keeps microseconds): all but those.
        let (_, mut shown) = app.call(Method::GET, &format!("/api/v1/enterprises/{imported}"), &manager, None).await;
        let mut after = created(imported);
        for v in [&mut shown, &mut after] {
            let fields = v.as_object_mut().unwrap();
            assert!(fields.remove("created_at").is_some() && fields.remove("updated_at").is_some(), "{fields:?}");
        }
        assert_eq!(after, shown);
        assert_eq!((after["region"].as_str(), after["sharing"].as_str()), (Some("厦门"), Some("scores")));
    }

    async fn a_stale_if_match_is_409_and_changes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.token(&w.enterprise_a1.username).await;
        let path = format!("/api/v1/assessments/{}/answers/2025:6.1:L1:1", w.assessment_a1);
        let first = app.client.put(app.url(&path)).bearer_auth(&user).header("If-Match", "\"0\"")
            .json(&json!({"rating": "partially"})).send().await.unwrap();
        assert_eq!(first.status().as_u16(), 200);
        assert_eq!(first.headers()["etag"], "\"1\"");
        let stale = app.client.put(app.url(&path)).bearer_auth(&user).header("If-Match", "\"0\"")
            .json(&json!({"rating": "fully"})).send().await.unwrap();
        error_body(stale, 409, "version_conflict").await;
        let (_, answers) = app.call(Method::GET, &format!("/api/v1/assessments/{}/answers", w.assessment_a1), &user, None).await;
        assert_eq!(answers["items"][0]["rating"], "partially");
        assert_eq!(answers["items"][0]["version"], 1);
    }

    async fn concurrent_writes_to_one_answer_let_exactly_one_win(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.token(&w.enterprise_a1.username).await;
        let path = format!("/api/v1/assessments/{}/answers/2025:6.2:L1:1", w.assessment_a1);
        let send = |rating: &'static str| {
            app.client.put(app.url(&path)).bearer_auth(&user).header("If-Match", "0")
                .json(&json!({"rating": rating})).send()
        };
        let results = futures_util::future::join_all((0..6).map(|i| send(if i % 2 == 0 { "fully" } else { "not" }))).await;
        let mut codes: Vec<u16> = results.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
        codes.sort();
        assert_eq!(codes, [200, 409, 409, 409, 409, 409]);
    }

    async fn a_batch_is_all_or_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.token(&w.enterprise_a1.username).await;
        let path = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let (s, body) = app.call(Method::PUT, &path, &user, Some(json!({"answers": [
            {"criterion": "2025:6.1:L1:1", "rating": "fully"},
            {"criterion": "2025:6.1:L1:2", "rating": "mostly"},
            {"criterion": "2025:99.1:L1:1", "rating": "fully"},
        ]}))).await;
        assert_eq!(s, 422);
        assert!(body["fields"]["answers[1].rating"].is_array(), "{body}");
        assert!(body["fields"]["answers[2].criterion"].is_array(), "{body}");
        // A stale version in the second entry undoes the first.
        app.call(Method::PUT, &format!("{path}/2025:6.1:L1:2"), &user, Some(json!({"rating": "not"}))).await;
        let (s, _) = app.call(Method::PUT, &path, &user, Some(json!({"answers": [
            {"criterion": "2025:6.1:L1:1", "rating": "fully"},
            {"criterion": "2025:6.1:L1:2", "rating": "fully", "version": 0},
        ]}))).await;
        assert_eq!(s, 409);
        let (_, answers) = app.call(Method::GET, &path, &user, None).await;
        let items = answers["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["rating"], "not");
    }

    async fn submit_lists_what_is_missing_and_then_freezes(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.token(&w.enterprise_a1.username).await;
        let id = &w.assessment_a1;
        let mut answers = all_criteria("largely");
        answers.truncate(answers.len() - 2);
        app.call(Method::PUT, &format!("/api/v1/assessments/{id}/answers"), &user, Some(json!({"answers": answers}))).await;
        let (s, body) = app.call(Method::POST, &format!("/api/v1/assessments/{id}/submit"), &user, None).await;
        assert_eq!(s, 422);
        let last = all_criteria("largely").split_off(answers.len());
        let expected: Vec<&Value> = last.iter().map(|a| &a["criterion"]).collect();
        assert_eq!(body["fields"]["missing"], json!(expected));
        app.call(Method::PUT, &format!("/api/v1/assessments/{id}/answers"), &user, Some(json!({"answers": last}))).await;
        let (s, _) = app.call(Method::POST, &format!("/api/v1/assessments/{id}/submit"), &user, None).await;
        assert_eq!(s, 200);
        let (s, _) = app.call(Method::POST, &format!("/api/v1/assessments/{id}/submit"), &user, None).await;
        assert_eq!(s, 409);
        let response = app.send(Method::PUT, &format!("/api/v1/assessments/{id}/answers/2025:6.1:L1:1"), Some(&user), Some(&json!({"rating": "not"}))).await;
        error_body(response, 409, "assessment_frozen").await;
    }

    async fn sharing_decides_what_the_cluster_manager_sees(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.token(&w.enterprise_a1.username).await;
        let manager = app.token(&w.manager_a.username).await;
        let answers = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let score = format!("/api/v1/assessments/{}/score", w.assessment_a1);
        let enterprise = format!("/api/v1/enterprises/{}", w.a1);
        error_body(app.send(Method::GET, &answers, Some(&manager), None).await, 403, "not_shared").await;
        let (s, _) = app.call(Method::PATCH, &enterprise, &user, Some(json!({"sharing": "full"}))).await;
        assert_eq!(s, 200);
        assert_eq!(app.send(Method::GET, &answers, Some(&manager), None).await.status().as_u16(), 200);
        app.call(Method::PATCH, &enterprise, &user, Some(json!({"sharing": "anonymous"}))).await;
        error_body(app.send(Method::GET, &score, Some(&manager), None).await, 403, "not_shared").await;
        // The manager cannot choose the enterprise's sharing for it.
        let (s, _) = app.call(Method::PATCH, &enterprise, &manager, Some(json!({"sharing": "full"}))).await;
        assert_eq!(s, 403);
        let (s, body) = app.call(Method::PATCH, &enterprise, &user, Some(json!({"sharing": "public"}))).await;
        assert_eq!(s, 422);
        assert!(body["fields"]["sharing"].is_array());
    }

    async fn another_enterprise_never_sees_an_assessment(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let other = app.token(&w.enterprise_b1.username).await;
        for path in ["", "/answers", "/score"] {
            let response = app.send(Method::GET, &format!("/api/v1/assessments/{}{path}", w.assessment_a1), Some(&other), None).await;
            error_body(response, 404, "not_found").await;
        }
        let response = app.send(Method::GET, "/api/v1/assessments/not-a-uuid", Some(&other), None).await;
        error_body(response, 404, "not_found").await;
    }
}
