//! Who creates, lists and changes which accounts.

use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{error_body, spawn_app};

const NEW_PASSWORD: &str = "a fresh passphrase 42";

fn enterprise_user(username: &str, enterprise: &str) -> Value {
    json!({
        "username": username,
        "password": NEW_PASSWORD,
        "display_name": "王芳",
        "role": "enterprise",
        "enterprise_id": enterprise,
    })
}

both_backends! {
    async fn an_admin_creates_a_manager_who_creates_enterprise_users_in_its_own_cluster_only(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let body = json!({
            "username": "zhang.manager",
            "password": NEW_PASSWORD,
            "display_name": "张经理",
            "role": "cluster_manager",
            "cluster_id": w.a,
        });
        let response = app.create_user(&admin.access, &body).await;
        assert_eq!(response.status().as_u16(), 201);
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["role"], "cluster_manager");
        assert_eq!(created["cluster_id"], w.a.as_str());
        assert_eq!(created["display_name"], "张经理");
        assert!(created["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());

        let manager = app.session("zhang.manager", NEW_PASSWORD).await;
        let response = app.create_user(&manager.access, &enterprise_user("wang.a1", &w.a1)).await;
        assert_eq!(response.status().as_u16(), 201);
        let worker: Value = response.json().await.unwrap();
        assert_eq!(worker["enterprise_id"], w.a1.as_str());
        assert_eq!(app.login("wang.a1", NEW_PASSWORD).await.status().as_u16(), 200);

        let other = app.create_user(&manager.access, &enterprise_user("wang.b1", &w.b1)).await;
        error_body(other, 404, "not_found").await;
        let nowhere = enterprise_user("wang.x", &uuid::Uuid::now_v7().to_string());
        error_body(app.create_user(&manager.access, &nowhere).await, 404, "not_found").await;
        let peer = json!({
            "username": "second.manager", "password": NEW_PASSWORD,
            "role": "cluster_manager", "cluster_id": w.a,
        });
        error_body(app.create_user(&manager.access, &peer).await, 403, "forbidden").await;
        let admin_body = json!({"username": "root2", "password": NEW_PASSWORD, "role": "admin"});
        error_body(app.create_user(&manager.access, &admin_body).await, 403, "forbidden").await;
    }

    async fn enterprise_users_and_auditors_create_no_accounts(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for account in [&w.enterprise_a1, &w.auditor_a] {
            let session = app.session(&account.username, PASSWORD).await;
            let own = app.create_user(&session.access, &enterprise_user("x.own", &w.a1)).await;
            error_body(own, 403, "forbidden").await;
            let other = app.create_user(&session.access, &enterprise_user("x.other", &w.b1)).await;
            error_body(other, 404, "not_found").await;
        }
    }

    async fn a_bad_new_account_names_its_fields(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let weak = json!({"username": "li", "password": "123", "role": "enterprise"});
        let body = error_body(app.create_user(&admin.access, &weak).await, 422, "validation_failed").await;
        for field in ["username", "password", "enterprise_id"] {
            assert!(body["fields"][field].is_array(), "{field}: {body}");
        }
        let bad_role = json!({"username": "li.si", "password": NEW_PASSWORD, "role": "boss"});
        let body = error_body(app.create_user(&admin.access, &bad_role).await, 422, "validation_failed").await;
        assert!(body["fields"]["role"].is_array(), "{body}");
        let taken = enterprise_user(&w.enterprise_a1.username.to_uppercase(), &w.a1);
        let body = error_body(app.create_user(&admin.access, &taken).await, 409, "username_taken").await;
        assert_eq!(body["fields"]["username"], json!(["is already taken"]), "{body}");
        let typo = json!({"username": "li.si", "password": NEW_PASSWORD, "role": "enterprise", "enterprise": w.a1});
        let body = error_body(app.create_user(&admin.access, &typo).await, 422, "validation_failed").await;
        assert!(body["fields"]["enterprise"].is_array(), "{body}");
    }

    async fn an_auditor_is_created_with_its_clusters(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let body = json!({
            "username": "auditor.ab", "password": NEW_PASSWORD, "role": "auditor",
            "cluster_ids": [w.a, w.b, w.a],
        });
        let response = app.create_user(&admin.access, &body).await;
        assert_eq!(response.status().as_u16(), 201);
        let created: Value = response.json().await.unwrap();
        let mut expected = vec![w.a.clone(), w.b.clone()];
        expected.sort();
        assert_eq!(created["cluster_ids"], json!(expected));
    }

    async fn each_role_lists_the_accounts_in_its_scope(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let names = |body: Value| -> Vec<String> {
            body["items"].as_array().unwrap().iter()
                .map(|u| u["username"].as_str().unwrap().to_owned()).collect()
        };
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let all = names(app.list_users(&admin.access).await.json().await.unwrap());
        assert_eq!(all.len(), 6, "{all:?}");
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let response = app.list_users(&manager.access).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(names(response.json().await.unwrap()), ["manager.a", "user.a1"]);
        for account in [&w.enterprise_a1, &w.auditor_a] {
            let session = app.session(&account.username, PASSWORD).await;
            error_body(app.list_users(&session.access).await, 403, "forbidden").await;
        }
    }

    async fn a_manager_changes_and_disables_its_enterprise_users_but_not_their_role(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = app.session(&w.manager_a.username, PASSWORD).await;
        let worker = app.session(&w.enterprise_a1.username, PASSWORD).await;
        let id = &w.enterprise_a1.id;
        let response = app.update_user(&manager.access, id, &json!({"display_name": "新名字", "language": "en"})).await;
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!((body["display_name"].as_str(), body["language"].as_str()), (Some("新名字"), Some("en")));
        assert_eq!(app.me(&worker.access).await.status().as_u16(), 200, "a rename ends nothing");
        let regrant = json!({"role": "cluster_manager", "cluster_id": w.a});
        error_body(app.update_user(&manager.access, id, &regrant).await, 403, "forbidden").await;
        let moved = json!({"enterprise_id": w.a2});
        error_body(app.update_user(&manager.access, id, &moved).await, 403, "forbidden").await;
        let peer = &w.manager_a.id;
        error_body(app.update_user(&manager.access, peer, &json!({"disabled": true})).await, 403, "forbidden").await;
        let other = &w.enterprise_b1.id;
        error_body(app.update_user(&manager.access, other, &json!({"disabled": true})).await, 404, "not_found").await;
        error_body(app.update_user(&manager.access, "not-an-id", &json!({})).await, 404, "not_found").await;
        let response = app.update_user(&manager.access, id, &json!({"disabled": true})).await;
        assert_eq!(response.status().as_u16(), 200);
        error_body(app.me(&worker.access).await, 401, "unauthorized").await;
        error_body(app.login(&w.enterprise_a1.username, PASSWORD).await, 401, "unauthorized").await;
    }

    async fn an_admin_changes_role_and_scope_which_ends_the_users_sessions(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = app.session(&w.admin.username, PASSWORD).await;
        let worker = app.session(&w.enterprise_a1.username, PASSWORD).await;
        let id = &w.enterprise_a1.id;
        let body = json!({"role": "cluster_manager", "cluster_id": w.b});
        let response = app.update_user(&admin.access, id, &body).await;
        assert_eq!(response.status().as_u16(), 200);
        let changed: Value = response.json().await.unwrap();
        assert_eq!((changed["role"].as_str(), changed["cluster_id"].as_str()), (Some("cluster_manager"), Some(w.b.as_str())));
        assert!(changed["enterprise_id"].is_null());
        error_body(app.me(&worker.access).await, 401, "unauthorized").await;
        error_body(app.refresh(&worker.refresh).await, 401, "unauthorized").await;
        let incomplete = json!({"role": "auditor"});
        let body = error_body(app.update_user(&admin.access, id, &incomplete).await, 422, "validation_failed").await;
        assert!(body["fields"]["cluster_ids"].is_array(), "{body}");
        let own = &w.admin.id;
        let body = error_body(app.update_user(&admin.access, own, &json!({"disabled": true})).await, 422, "validation_failed").await;
        assert!(body["fields"]["disabled"].is_array(), "{body}");
        let nowhere = json!({"cluster_id": uuid::Uuid::now_v7().to_string()});
        error_body(app.update_user(&admin.access, &w.manager_b.id, &nowhere).await, 404, "not_found").await;
    }
}
