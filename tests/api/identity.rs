//! Generated initial passwords, the password change they demand, resets, and the audit of
//! logins, logouts, refresh reuse and throttled logins.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{pool, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

/// An audit entry: (actor_id, subject_type, subject_id, cluster_id, before_json, after_json).
pub type EntryLine = (
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The audit entries with this action, oldest first:
/// (actor_id, subject_type, subject_id, cluster_id, before_json, after_json).
pub fn entries(app: &TestApp, action: &str) -> Vec<EntryLine> {
    use dcmm::db::schema::audit_log;
    let mut conn = pool(app).get().unwrap();
    dcmm::audit::settle(&mut conn, &crate::helpers::audit_key(&app.db)).unwrap();
    audit_log::table
        .filter(audit_log::action.eq(action))
        .order(audit_log::seq.asc())
        .select((
            audit_log::actor_id,
            audit_log::subject_type,
            audit_log::subject_id,
            audit_log::cluster_id,
            audit_log::before_json,
            audit_log::after_json,
        ))
        .load(&mut conn)
        .unwrap()
}

const NEW_PASSWORD: &str = "a fresh passphrase 42";

both_backends! {
    async fn an_account_created_without_a_password_must_change_the_generated_one_first(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let body = json!({"username": "new.a1", "role": "enterprise", "enterprise_id": w.a1});
        let response = app.create_user(&manager.access, &body).await;
        assert_eq!(response.status().as_u16(), 201);
        let created: Value = response.json().await.unwrap();
        let temporary = created["temporary_password"].as_str().unwrap().to_owned();
        assert!(temporary.chars().count() >= 16, "{temporary}");
        assert_eq!(created["must_change_password"], true);
        let id = created["id"].as_str().unwrap().to_owned();
        let created_entry = entries(&app, "user.create").pop().unwrap();
        assert!(!format!("{created_entry:?}").contains(&temporary), "the password is not audited");

        let user = app.session("new.a1", &temporary).await;
        let me: Value = app.me(&user.access).await.json().await.unwrap();
        assert_eq!(me["must_change_password"], true);
        let assessments = format!("/api/v1/enterprises/{}/assessments", w.a1);
        for (method, path, body) in [
            (Method::GET, "/api/v1/clusters", None),
            (Method::GET, assessments.as_str(), None),
            (Method::PATCH, "/api/v1/me", Some(json!({"language": "en"}))),
            (Method::GET, "/api/v1/questionnaires", None),
        ] {
            let r = app.send(method.clone(), path, Some(&user.access), body.as_ref()).await;
            error_body(r, 403, "password_change_required").await;
        }
        let refreshed = app.refresh(&user.refresh).await;
        assert_eq!(refreshed.status().as_u16(), 200, "refresh still answers");
        let refreshed = crate::client::Session::from_body(&refreshed.json().await.unwrap());
        error_body(app.send(Method::GET, "/api/v1/clusters", Some(&refreshed.access), None).await, 403, "password_change_required").await;

        let changed = app.change_password(&refreshed.access, &temporary, NEW_PASSWORD).await;
        assert_eq!(changed.status().as_u16(), 200);
        let fresh = crate::client::Session::from_body(&changed.json().await.unwrap());
        let r = app.send(Method::GET, &assessments, Some(&fresh.access), None).await;
        assert_eq!(r.status().as_u16(), 200);
        let me: Value = app.me(&fresh.access).await.json().await.unwrap();
        assert_eq!(me["must_change_password"], false);
        error_body(app.login("new.a1", &temporary).await, 401, "unauthorized").await;
        let listed: Value = app.list_users(&manager.access).await.json().await.unwrap();
        let row = listed["items"].as_array().unwrap().iter().find(|u| u["id"] == id.as_str()).unwrap();
        assert_eq!(row["must_change_password"], false);
        assert!(row.get("temporary_password").is_none());

        let chosen = json!({"username": "chosen.a1", "password": NEW_PASSWORD, "role": "enterprise", "enterprise_id": w.a1});
        let created: Value = app.create_user(&manager.access, &chosen).await.json().await.unwrap();
        assert!(created.get("temporary_password").is_none(), "{created}");
        assert_eq!(created["must_change_password"], false);
        let chosen = app.session("chosen.a1", NEW_PASSWORD).await;
        assert_eq!(app.send(Method::GET, &assessments, Some(&chosen.access), None).await.status().as_u16(), 200);
    }

    async fn a_reset_ends_the_accounts_sessions_and_old_password(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let worker = app.session(&w.enterprise_a1.username, PASSWORD).await;
        let response = app.reset_password(&admin.access, &w.enterprise_a1.id).await;
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        let temporary = body["temporary_password"].as_str().unwrap().to_owned();
        assert!(temporary.chars().count() >= 16);
        error_body(app.me(&worker.access).await, 401, "unauthorized").await;
        error_body(app.refresh(&worker.refresh).await, 401, "unauthorized").await;
        error_body(app.login(&w.enterprise_a1.username, PASSWORD).await, 401, "unauthorized").await;
        let again = app.session(&w.enterprise_a1.username, &temporary).await;
        let me: Value = app.me(&again.access).await.json().await.unwrap();
        assert_eq!(me["must_change_password"], true);
        error_body(app.send(Method::GET, "/api/v1/clusters", Some(&again.access), None).await, 403, "password_change_required").await;

        let (by, kind, subject, cluster, before, after) = entries(&app, "user.password_reset").pop().unwrap();
        assert_eq!(by.as_deref(), Some(w.admin.id.as_str()));
        assert_eq!((kind.as_str(), subject.as_str()), ("user", w.enterprise_a1.id.as_str()));
        assert_eq!(cluster.as_deref(), Some(w.a.as_str()));
        let after: Value = serde_json::from_str(&after.unwrap()).unwrap();
        assert_eq!(after["must_change_password"], true);
        for text in [before.unwrap_or_default(), after.to_string()] {
            assert!(!text.contains(&temporary) && !text.contains("argon2"), "{text}");
        }
        let own = error_body(app.reset_password(&admin.access, &w.admin.id).await, 422, "validation_failed").await;
        assert!(own["fields"]["id"].is_array(), "{own}");
    }

    async fn a_manager_resets_only_its_own_clusters_enterprise_users(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let response = app.reset_password(&manager.access, &w.enterprise_a1.id).await;
        assert_eq!(response.status().as_u16(), 200);
        let temporary = response.json::<Value>().await.unwrap()["temporary_password"].as_str().unwrap().to_owned();
        assert_eq!(app.login(&w.enterprise_a1.username, &temporary).await.status().as_u16(), 200);
        error_body(app.reset_password(&manager.access, &w.enterprise_b1.id).await, 404, "not_found").await;
        error_body(app.reset_password(&manager.access, &w.manager_b.id).await, 404, "not_found").await;
        error_body(app.reset_password(&manager.access, &w.admin.id).await, 403, "forbidden").await;
        error_body(app.reset_password(&manager.access, &w.auditor_a.id).await, 403, "forbidden").await;
        error_body(app.reset_password(&manager.access, &w.manager_a.id).await, 403, "forbidden").await;
        for account in [&w.enterprise_b1, &w.auditor_a] {
            let session = app.session(&account.username, PASSWORD).await;
            let r = app.reset_password(&session.access, &w.enterprise_a1.id).await;
            assert!([403, 404].contains(&r.status().as_u16()));
        }
        assert_eq!(app.login(&w.enterprise_b1.username, PASSWORD).await.status().as_u16(), 200);
        assert_eq!(entries(&app, "user.password_reset").len(), 1);
    }

    async fn logins_failures_logouts_reuse_and_throttling_are_audited(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = &w.enterprise_a1;
        let session = app.session(&user.username, PASSWORD).await;
        let logins = entries(&app, "auth.login");
        let (by, kind, subject, cluster, _, after) = logins.last().unwrap().clone();
        assert_eq!((by.as_deref(), kind.as_str(), subject.as_str()), (Some(user.id.as_str()), "user", user.id.as_str()));
        assert_eq!(cluster.as_deref(), Some(w.a.as_str()));
        assert!(after.unwrap().contains("127.0.0.1"));

        error_body(app.login(&user.username, "not the password").await, 401, "unauthorized").await;
        error_body(app.login("nobody.here", "not the password").await, 401, "unauthorized").await;
        let failed = entries(&app, "auth.login_failed");
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[0].0.as_deref(), Some(user.id.as_str()));
        assert!(!failed[0].5.as_deref().unwrap().contains("not the password"));
        assert_eq!((failed[1].0.as_deref(), failed[1].1.as_str(), failed[1].2.as_str()), (None, "username", "nobody.here"));

        let renewed = app.refresh(&session.refresh).await;
        assert_eq!(renewed.status().as_u16(), 200);
        error_body(app.refresh(&session.refresh).await, 401, "unauthorized").await;
        let reuse = entries(&app, "auth.refresh_reuse");
        assert_eq!(reuse.len(), 1);
        assert_eq!(reuse[0].0.as_deref(), Some(user.id.as_str()));
        assert_eq!(reuse[0].3.as_deref(), Some(w.a.as_str()));

        let other = app.session(&user.username, PASSWORD).await;
        assert_eq!(app.logout(&other.access).await.status().as_u16(), 204);
        let logouts = entries(&app, "auth.logout");
        assert_eq!(logouts.len(), 1);
        assert_eq!(logouts[0].2, user.id);

        for _ in 0..5 {
            let r = app.login(&w.manager_a.username, "wrong wrong wrong").await;
            assert_eq!(r.status().as_u16(), 401);
        }
        error_body(app.login(&w.manager_a.username, PASSWORD).await, 429, "too_many_requests").await;
        let throttled = entries(&app, "auth.throttled");
        assert_eq!(throttled.len(), 1);
        assert_eq!(throttled[0].0.as_deref(), Some(w.manager_a.id.as_str()));
        assert_eq!(crate::fixtures::verify_audit(&app).first_broken, None);
    }

    async fn the_login_history_shows_the_last_attempts_to_whoever_manages_the_account(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = &w.enterprise_a1;
        app.session(&user.username, PASSWORD).await;
        app.login(&user.username, "not the password").await;
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let response = app.logins(&manager.access, &user.id).await;
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        let outcomes: Vec<&str> = body.as_array().unwrap().iter().map(|a| a["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["failed", "success"]);
        assert_eq!(body[0]["address"], "127.0.0.1");
        for _ in 0..25 {
            app.login(&user.username, PASSWORD).await;
        }
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let body: Value = app.logins(&admin.access, &user.id).await.json().await.unwrap();
        assert_eq!(body.as_array().unwrap().len(), 20);
        error_body(app.logins(&manager.access, &w.enterprise_b1.id).await, 404, "not_found").await;
        error_body(app.logins(&manager.access, &w.admin.id).await, 403, "forbidden").await;
        let worker = app.session(&w.enterprise_b1.username, PASSWORD).await;
        error_body(app.logins(&worker.access, &w.enterprise_b1.id).await, 403, "forbidden").await;
    }
}
