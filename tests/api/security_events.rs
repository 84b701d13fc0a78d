//! Security events in the audit log (read through its API) with the client's address; the
//! password policy's refusals by code; and uniqueness errors that tell a cluster manager
//! nothing of another cluster; on both backends.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::enterprise_contacts::code;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

const NEW_PASSWORD: &str = "a fresh passphrase 42";

/// The audit entries of `action`, oldest first, as an admin reads them through the API.
async fn audited(app: &TestApp, admin: &str, action: &str) -> Vec<Value> {
    let r = app
        .send(
            Method::GET,
            &format!("/api/v1/audit-log?action={action}&limit=500"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    let mut items = body["items"].as_array().expect("items").clone();
    items.sort_by_key(|e| e["seq"].as_i64());
    items
}

fn assert_from_loopback(entries: &[Value], subject: &str) {
    assert!(!entries.is_empty());
    for e in entries {
        assert_eq!(e["subject_id"], subject, "{e}");
        assert_eq!(e["after"]["address"], "127.0.0.1", "{e}");
        let text = e.to_string();
        for secret in [PASSWORD, NEW_PASSWORD, "not the password"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

both_backends! {
    async fn sign_ins_logouts_password_changes_and_throttling_are_audited_with_the_address(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = &w.enterprise_a1;
        error_body(app.login(&user.username, "not the password").await, 401, "unauthorized").await;
        let session = app.session(&user.username, PASSWORD).await;
        // A login through the page form is the same event.
        crate::web::page_login(&app, &user.username, PASSWORD).await;
        let wrong = app.change_password(&session.access, "not the password", NEW_PASSWORD).await;
        error_body(wrong, 422, "validation_failed").await;
        let changed = app.change_password(&session.access, PASSWORD, NEW_PASSWORD).await;
        assert_eq!(changed.status().as_u16(), 200);
        let fresh: Value = changed.json().await.unwrap();
        let fresh = fresh["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.logout(&fresh).await.status().as_u16(), 204);
        for _ in 0..5 {
            error_body(app.login(&w.manager_a.username, "not the password").await, 401, "unauthorized").await;
        }
        error_body(app.login(&w.manager_a.username, PASSWORD).await, 429, "too_many_requests").await;

        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let failed = audited(&app, &admin, "auth.login_failed").await;
        assert_from_loopback(&failed[..1], &user.id);
        assert_from_loopback(&failed[1..], &w.manager_a.id);
        let logins: Vec<Value> = audited(&app, &admin, "auth.login").await.into_iter()
            .filter(|e| e["subject_id"] == user.id.as_str()).collect();
        assert_eq!(logins.len(), 2, "the API's and the form's");
        assert_from_loopback(&logins, &user.id);
        let change_failed = audited(&app, &admin, "auth.password_change_failed").await;
        assert_eq!(change_failed.len(), 1);
        assert_from_loopback(&change_failed, &user.id);
        let changes = audited(&app, &admin, "auth.password_change").await;
        assert_eq!(changes.len(), 1);
        assert_from_loopback(&changes, &user.id);
        assert_eq!(changes[0]["actor_id"], user.id.as_str());
        assert_eq!(changes[0]["cluster_id"], w.a.as_str());
        let logouts = audited(&app, &admin, "auth.logout").await;
        assert_eq!(logouts.len(), 1);
        assert_from_loopback(&logouts, &user.id);
        let throttled = audited(&app, &admin, "auth.throttled").await;
        assert_eq!(throttled.len(), 1);
        assert_from_loopback(&throttled, &w.manager_a.id);
        // Their order is the order they happened in.
        assert!(failed[0]["seq"].as_i64() < logins[0]["seq"].as_i64());
        assert!(change_failed[0]["seq"].as_i64() < changes[0]["seq"].as_i64());
        assert!(changes[0]["seq"].as_i64() < logouts[0]["seq"].as_i64());
    }

    async fn a_refused_password_names_its_rule_by_code(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let cases = [
            ("eleven char", "password_too_short"),
            (&*"long enough ".repeat(11), "password_too_long"),
            ("Password1234", "password_too_common"),
            ("1q2w3e4r5t6y7u8i", "password_too_common"),
            ("my name is li.wei, ok", "password_contains_username"),
        ];
        for (password, rule) in cases {
            let body = json!({"username": "li.wei", "password": password, "role": "enterprise", "enterprise_id": w.a1});
            let err = error_body(app.create_user(&admin.access, &body).await, 422, "validation_failed").await;
            assert_eq!(err["codes"]["password"], json!([rule]), "{password}: {err}");
            assert!(err["fields"]["password"].is_array(), "{err}");
            if rule != "password_contains_username" {
                let err = error_body(app.change_password(&admin.access, PASSWORD, password).await, 422, "validation_failed").await;
                assert_eq!(err["codes"]["new_password"], json!([rule]), "{password}: {err}");
            }
        }
        let err = error_body(app.change_password(&admin.access, PASSWORD, "I am the admin, really").await, 422, "validation_failed").await;
        assert_eq!(err["codes"]["new_password"], json!(["password_contains_username"]), "{err}");
        // No composition rules: a long phrase of any characters is fine, and so is the demo's.
        for (name, password) in [("li.wei", "长城长江黄河泰山华山长城长江"), ("li.na", dcmm::demo::PASSWORD)] {
            let body = json!({"username": name, "password": password, "role": "enterprise", "enterprise_id": w.a1});
            assert_eq!(app.create_user(&admin.access, &body).await.status().as_u16(), 201);
            assert_eq!(app.login(name, password).await.status().as_u16(), 200);
        }
        // Other 422s carry no codes.
        let err = error_body(app.create_user(&admin.access, &json!({"username": "x", "role": "enterprise"})).await, 422, "validation_failed").await;
        assert!(err.get("codes").is_none(), "{err}");
    }

    async fn a_cluster_manager_cannot_tell_a_username_of_another_cluster_from_its_own(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let account = |username: &str| json!({
            "username": username, "password": NEW_PASSWORD, "role": "enterprise", "enterprise_id": w.a1,
        });
        let elsewhere = error_body(app.create_user(&manager.access, &account(&w.enterprise_b1.username)).await, 422, "validation_failed").await;
        let own = error_body(app.create_user(&manager.access, &account(&w.enterprise_a1.username)).await, 422, "validation_failed").await;
        let admin_account = error_body(app.create_user(&manager.access, &account(&w.admin.username.to_uppercase())).await, 422, "validation_failed").await;
        assert_eq!(elsewhere["codes"], json!({"username": ["not_available"]}), "{elsewhere}");
        assert_eq!(elsewhere, own);
        assert_eq!(elsewhere, admin_account);
        assert_eq!(app.create_user(&manager.access, &account("brand.new")).await.status().as_u16(), 201);
        // An admin, who sees every cluster, is told the name is taken.
        let admin = app.session(&w.admin.username, PASSWORD).await;
        error_body(app.create_user(&admin.access, &account(&w.enterprise_b1.username)).await, 409, "username_taken").await;
    }

    async fn a_cluster_manager_cannot_tell_a_credit_code_of_another_cluster_from_its_own(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let register = |cluster: &str, n: u32| {
            let path = format!("/api/v1/clusters/{cluster}/enterprises");
            let body = json!({"name": format!("某公司{n}"), "credit_code": code(n), "industry": "equipment", "size": "small"});
            (path, body)
        };
        let (path_b, body) = register(&w.b, 1);
        assert_eq!(app.send(Method::POST, &path_b, Some(&admin), Some(&body)).await.status().as_u16(), 201);
        let (path_a, own) = register(&w.a, 2);
        assert_eq!(app.send(Method::POST, &path_a, Some(&manager), Some(&own)).await.status().as_u16(), 201);

        let in_b = app.send(Method::POST, &path_a, Some(&manager), Some(&register(&w.a, 1).1)).await;
        let in_b = error_body(in_b, 422, "validation_failed").await;
        let in_a = app.send(Method::POST, &path_a, Some(&manager), Some(&own)).await;
        let in_a = error_body(in_a, 422, "validation_failed").await;
        assert_eq!(in_b["codes"], json!({"credit_code": ["not_available"]}), "{in_b}");
        assert_eq!(in_b, in_a);
        let by_admin = app.send(Method::POST, &path_a, Some(&admin), Some(&register(&w.a, 1).1)).await;
        error_body(by_admin, 409, "credit_code_taken").await;

        // The import says the same, in its dry run and for real.
        let csv = format!("name,credit_code,industry,size,region\n甲公司,{},equipment,small,福州\n乙公司,{},equipment,small,福州\n", code(1), code(2));
        for dry_run in ["true", "false"] {
            let r = app.send_csv(&format!("{path_a}/import?dry_run={dry_run}"), Some(&manager), &csv).await;
            let import: Value = r.json().await.unwrap();
            for row in 0..2 {
                assert_eq!(import["rows"][row]["errors"]["credit_code"], json!(["is not available; choose another"]), "{import}");
            }
        }
        let r = app.send_csv(&format!("{path_a}/import?dry_run=true"), Some(&admin), &csv).await;
        let import: Value = r.json().await.unwrap();
        assert_eq!(import["rows"][0]["errors"]["credit_code"], json!(["is already registered"]), "{import}");
    }
}
