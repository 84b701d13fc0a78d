//! The enterprise's contact over the API (register, change, import) and the import's dry run.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{call, error_body, spawn_app, TestApp};

/// A valid credit code of its own range, apart from the other tests' and the demo's.
pub fn code(n: u32) -> String {
    dcmm::domain::CreditCode::complete(&format!("9135020{:010}", 5_000_000 + n))
        .unwrap()
        .to_string()
}

/// The code with a wrong check character.
pub fn bad_code(n: u32) -> String {
    let mut bad = code(n);
    let wrong = if bad.ends_with('0') { "1" } else { "0" };
    bad.replace_range(17.., wrong);
    bad
}

async fn count(app: &TestApp, token: &str, cluster: &str) -> usize {
    let (s, list) = call(
        app,
        Method::GET,
        &format!("/api/v1/clusters/{cluster}/enterprises?limit=500"),
        token,
        None,
    )
    .await;
    assert_eq!(s, 200);
    list["items"].as_array().unwrap().len()
}

async fn audit_entries(app: &TestApp, admin: &str) -> Vec<Value> {
    let (_, log) = call(app, Method::GET, "/api/v1/audit-log?limit=500", admin, None).await;
    log["items"].as_array().unwrap().clone()
}

both_backends! {
    async fn an_enterprise_is_registered_and_changed_with_its_contact(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let path = format!("/api/v1/clusters/{}/enterprises", w.a);
        let (s, e) = call(&app, Method::POST, &path, &manager, Some(json!({
            "name": "福州联络装备有限公司", "credit_code": code(1), "industry": "equipment", "size": "small",
            "contact_name": " 王经理 ", "contact_phone": "0591-87654321", "contact_email": "wang@example.com",
        }))).await;
        assert_eq!(s, 201, "{e}");
        assert_eq!((e["contact_name"].as_str(), e["contact_phone"].as_str(), e["contact_email"].as_str()),
            (Some("王经理"), Some("0591-87654321"), Some("wang@example.com")));
        let id = e["id"].as_str().unwrap();

        // Without a contact, the parts are null.
        let (s, plain) = call(&app, Method::POST, &path, &manager, Some(json!({
            "name": "无联系人公司", "credit_code": code(2), "industry": "equipment", "size": "small",
        }))).await;
        assert_eq!(s, 201);
        assert!(plain["contact_name"].is_null() && plain["contact_email"].is_null(), "{plain}");

        // A bad email is named, and nothing is registered.
        let before = count(&app, &manager, &w.a).await;
        let r = app.send(Method::POST, &path, Some(&manager), Some(&json!({
            "name": "坏邮箱公司", "credit_code": code(3), "industry": "equipment", "size": "small",
            "contact_email": "wang@localhost", "contact_phone": "电话",
        }))).await;
        let err = error_body(r, 422, "validation_failed").await;
        let fields: Vec<&String> = err["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["contact_email", "contact_phone"], "{err}");
        assert_eq!(count(&app, &manager, &w.a).await, before);

        // A change of the contact; an empty text clears a part; a bad one is named.
        let one = format!("/api/v1/enterprises/{id}");
        let (s, changed) = call(&app, Method::PATCH, &one, &manager, Some(json!({
            "contact_name": "李主任", "contact_phone": "", "contact_email": "li@example.org",
        }))).await;
        assert_eq!(s, 200, "{changed}");
        assert_eq!(changed["contact_name"], "李主任");
        assert!(changed["contact_phone"].is_null());
        assert_eq!(changed["contact_email"], "li@example.org");
        let r = app.send(Method::PATCH, &one, Some(&manager), Some(&json!({"contact_email": "li"}))).await;
        let err = error_body(r, 422, "validation_failed").await;
        assert!(err["fields"]["contact_email"].is_array(), "{err}");
        let (_, now) = call(&app, Method::GET, &one, &manager, None).await;
        assert_eq!(now["contact_email"], "li@example.org", "unchanged");

        // The audit entries carry the contact.
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let log = audit_entries(&app, &admin).await;
        let created = log.iter().find(|x| x["action"] == "enterprise.create" && x["subject_id"] == id).unwrap();
        assert_eq!(created["after"]["contact_email"], "wang@example.com");
        let update = log.iter().find(|x| x["action"] == "enterprise.update" && x["subject_id"] == id).unwrap();
        assert_eq!(update["before"]["contact_name"], "王经理");
        assert_eq!(update["after"]["contact_name"], "李主任");
        assert!(update["after"]["contact_phone"].is_null());
    }

    async fn an_import_reads_the_contact_columns_and_names_a_bad_part_per_row(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let csv = format!(
            "企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱\n\
             甲公司,{},装备制造,小型,福州,王经理,+86 591 8765 4321,wang@example.com\n\
             乙公司,{},equipment,small,福州,李,12,li@example.com\n",
            code(11), code(12));
        let r = app.send_csv(&format!("/api/v1/clusters/{}/enterprises/import", w.a), Some(&manager), &csv).await;
        assert_eq!(r.status().as_u16(), 200);
        let import: Value = r.json().await.unwrap();
        assert_eq!((import["created"].as_u64(), import["rejected"].as_u64()), (Some(1), Some(1)), "{import}");
        let id = import["rows"][0]["id"].as_str().unwrap();
        let (_, e) = call(&app, Method::GET, &format!("/api/v1/enterprises/{id}"), &manager, None).await;
        assert_eq!((e["contact_name"].as_str(), e["contact_phone"].as_str()), (Some("王经理"), Some("+86 591 8765 4321")));
        assert_eq!(import["rows"][1]["line"], 3);
        let fields: Vec<&String> = import["rows"][1]["errors"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["contact_phone"], "{import}");
    }

    async fn a_dry_run_names_the_rows_the_import_rejects_and_writes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let path = format!("/api/v1/clusters/{}/enterprises", w.a);
        let (s, _) = call(&app, Method::POST, &path, &manager, Some(json!({
            "name": "已登记公司", "credit_code": code(20), "industry": "equipment", "size": "small",
        }))).await;
        assert_eq!(s, 201);
        // Line 3: a wrong check character; line 4: registered already; line 6: repeats line 2.
        let csv = format!(
            "name,credit_code,industry,size,region\n\
             一号,{},equipment,small,福州\n\
             二号,{},equipment,small,福州\n\
             三号,{},equipment,small,福州\n\
             四号,{},software,micro,厦门\n\
             五号,{},equipment,small,福州\n",
            code(21), bad_code(22), code(20), code(23), code(21));
        let before = count(&app, &manager, &w.a).await;
        let log_before = audit_entries(&app, &admin).await.len();
        let r = app.send_csv(&format!("{path}/import?dry_run=true"), Some(&manager), &csv).await;
        assert_eq!(r.status().as_u16(), 200);
        let dry: Value = r.json().await.unwrap();
        assert_eq!(count(&app, &manager, &w.a).await, before, "nothing registered");
        assert_eq!(audit_entries(&app, &admin).await.len(), log_before, "nothing audited");
        let statuses: Vec<&str> = dry["rows"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["valid", "rejected", "rejected", "valid", "rejected"], "{dry}");
        assert!(dry["rows"].as_array().unwrap().iter().all(|r| r["id"].is_null()));
        assert_eq!((dry["created"].as_u64(), dry["rejected"].as_u64()), (Some(2), Some(3)));

        let r = app.send_csv(&format!("{path}/import"), Some(&manager), &csv).await;
        let real: Value = r.json().await.unwrap();
        assert_eq!(count(&app, &manager, &w.a).await, before + 2);
        let rejected = |v: &Value| -> Vec<(u64, Value)> {
            v["rows"].as_array().unwrap().iter()
                .filter(|r| r["status"] == "rejected")
                .map(|r| (r["line"].as_u64().unwrap(), r["errors"].clone()))
                .collect()
        };
        assert_eq!(rejected(&dry), rejected(&real), "the same rows, for the same reasons");
        assert_eq!(rejected(&real).iter().map(|(l, _)| *l).collect::<Vec<_>>(), [3, 4, 6]);
    }
}
