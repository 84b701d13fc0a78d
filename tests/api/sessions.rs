//! Logging in, refreshing, logging out, changing the password, and login throttling.

use serde_json::Value;

use dcmm::domain::Role;

use crate::both_backends;
use crate::client::Session;
use crate::fixtures::{seed_user, PASSWORD};
use crate::helpers::{error_body, spawn_app, spawn_app_with, TestApp};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn login_via_proxy(
    app: &TestApp,
    forwarded_for: &str,
    username: &str,
    password: &str,
) -> u16 {
    let body = serde_json::json!({"username": username, "password": password});
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", forwarded_for)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both_backends! {
    async fn login_answers_a_bearer_token_pair_that_no_cache_keeps(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let response = app.login("  Alice ", PASSWORD).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        let session = Session::from_body(&body);
        let me: Value = app.me(&session.access).await.json().await.unwrap();
        assert_eq!(me["username"], "alice");
        assert_eq!(me["role"], "admin");
        assert!(me.get("password_hash").is_none());
    }

    async fn unknown_user_and_wrong_password_answer_the_same(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let wrong = error_body(app.login("alice", "not the password").await, 401, "unauthorized").await;
        let unknown = error_body(app.login("mallory", PASSWORD).await, 401, "unauthorized").await;
        assert_eq!(wrong, unknown);
        let body = serde_json::json!({"username": "alice"});
        let response = app.send(reqwest::Method::POST, "/api/v1/auth/login", None, Some(&body)).await;
        let missing = error_body(response, 422, "validation_failed").await;
        assert!(missing["fields"]["password"].is_array(), "{missing}");
    }

    async fn refresh_rotates_the_refresh_token(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let first = app.session("alice", PASSWORD).await;
        let response = app.refresh(&first.refresh).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let second = Session::from_body(&response.json().await.unwrap());
        assert_ne!(second.refresh, first.refresh);
        assert_eq!(app.me(&second.access).await.status().as_u16(), 200);
        let third = Session::from_body(&app.refresh(&second.refresh).await.json().await.unwrap());
        assert_eq!(app.me(&third.access).await.status().as_u16(), 200);
        error_body(app.refresh("0123456789abcdef").await, 401, "unauthorized").await;
    }

    async fn reusing_a_rotated_refresh_token_ends_the_whole_session(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let stolen = app.session("alice", PASSWORD).await;
        let elsewhere = app.session("alice", PASSWORD).await;
        let rotated = Session::from_body(&app.refresh(&stolen.refresh).await.json().await.unwrap());
        error_body(app.refresh(&stolen.refresh).await, 401, "unauthorized").await;
        // The family is gone: the newest refresh token and its access token stop too.
        error_body(app.refresh(&rotated.refresh).await, 401, "unauthorized").await;
        error_body(app.me(&rotated.access).await, 401, "unauthorized").await;
        // Another session of the same user lives on.
        assert_eq!(app.me(&elsewhere.access).await.status().as_u16(), 200);
        assert_eq!(app.refresh(&elsewhere.refresh).await.status().as_u16(), 200);
    }

    async fn concurrent_refreshes_of_many_sessions_all_succeed(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let mut sessions = Vec::new();
        for _ in 0..8 {
            sessions.push(app.session("alice", PASSWORD).await);
        }
        // Each session trades its token in turn while the others do the same: every trade reads
        // the token and then writes its successor, and none may fail for another's write.
        let chains = sessions.into_iter().map(|mut session| {
            let app = &app;
            async move {
                let mut statuses = Vec::new();
                for _ in 0..12 {
                    let response = app.refresh(&session.refresh).await;
                    statuses.push(response.status().as_u16());
                    if response.status().is_success() {
                        session = Session::from_body(&response.json().await.unwrap());
                    }
                }
                statuses
            }
        });
        let statuses: Vec<u16> = futures_util::future::join_all(chains).await.into_iter().flatten().collect();
        assert_eq!(statuses.len(), 96);
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    }

    async fn logout_ends_this_session_only(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let leaving = app.session("alice", PASSWORD).await;
        let staying = app.session("alice", PASSWORD).await;
        assert_eq!(app.logout(&leaving.access).await.status().as_u16(), 204);
        error_body(app.me(&leaving.access).await, 401, "unauthorized").await;
        error_body(app.refresh(&leaving.refresh).await, 401, "unauthorized").await;
        error_body(app.logout(&leaving.access).await, 401, "unauthorized").await;
        assert_eq!(app.me(&staying.access).await.status().as_u16(), 200);
    }

    async fn a_password_change_ends_every_other_session(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let here = app.session("alice", PASSWORD).await;
        let there = app.session("alice", PASSWORD).await;
        let response = app.change_password(&here.access, PASSWORD, NEW_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let fresh = Session::from_body(&response.json().await.unwrap());
        assert_eq!(app.me(&fresh.access).await.status().as_u16(), 200);
        for old in [&here, &there] {
            error_body(app.me(&old.access).await, 401, "unauthorized").await;
            error_body(app.refresh(&old.refresh).await, 401, "unauthorized").await;
        }
        error_body(app.login("alice", PASSWORD).await, 401, "unauthorized").await;
        assert_eq!(app.login("alice", NEW_PASSWORD).await.status().as_u16(), 200);
    }

    async fn a_password_change_names_the_field_at_fault(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        let session = app.session("alice", PASSWORD).await;
        let weak = error_body(
            app.change_password(&session.access, PASSWORD, "short").await,
            422,
            "validation_failed",
        )
        .await;
        assert!(weak["fields"]["new_password"][0].as_str().unwrap().contains("12"), "{weak}");
        let wrong = error_body(
            app.change_password(&session.access, "not my password", NEW_PASSWORD).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(wrong["fields"]["current_password"].is_array(), "{wrong}");
        let same = error_body(
            app.change_password(&session.access, PASSWORD, PASSWORD).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(same["fields"]["new_password"].is_array(), "{same}");
        assert_eq!(app.me(&session.access).await.status().as_u16(), 200, "nothing changed");
    }

    async fn five_wrong_passwords_lock_the_account_with_retry_after(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        seed_user(&app, "bob", Role::Admin, &[]);
        for _ in 0..5 {
            error_body(app.login("alice", "wrong password!").await, 401, "unauthorized").await;
        }
        // Even the right password waits now, and the case of the name does not matter.
        let response = app.login("ALICE", PASSWORD).await;
        let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=15).contains(&retry_after), "{retry_after}");
        error_body(response, 429, "too_many_requests").await;
        // Another account from the same address is not affected.
        assert_eq!(app.login("bob", PASSWORD).await.status().as_u16(), 200);
    }

    async fn many_failures_from_one_address_lock_every_login_from_it(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        for n in 0..20 {
            let name = format!("guess{n}");
            error_body(app.login(&name, "wrong password!").await, 401, "unauthorized").await;
        }
        let response = app.login("alice", PASSWORD).await;
        assert!(response.headers().get("retry-after").is_some());
        error_body(response, 429, "too_many_requests").await;
    }

    async fn a_successful_login_forgets_earlier_failures(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        for _ in 0..4 {
            error_body(app.login("alice", "wrong password!").await, 401, "unauthorized").await;
        }
        assert_eq!(app.login("alice", PASSWORD).await.status().as_u16(), 200);
        for _ in 0..4 {
            error_body(app.login("alice", "wrong password!").await, 401, "unauthorized").await;
        }
        assert_eq!(app.login("alice", PASSWORD).await.status().as_u16(), 200);
    }

    async fn behind_a_proxy_the_address_is_the_one_the_proxy_appended(backend: Backend) {
        let app = spawn_app_with(backend, &[("DCMM_TRUST_FORWARDED_FOR", "true")]).await;
        seed_user(&app, "alice", Role::Admin, &[]);
        for n in 0..20 {
            // The client varies the first entry; the proxy's entry stays the same.
            let header = format!("10.9.8.{n}, 203.0.113.7");
            assert_eq!(login_via_proxy(&app, &header, &format!("guess{n}"), "wrong password!").await, 401);
        }
        assert_eq!(login_via_proxy(&app, "1.1.1.1, 203.0.113.7", "alice", PASSWORD).await, 429);
        assert_eq!(login_via_proxy(&app, "203.0.113.8", "alice", PASSWORD).await, 200);
    }
}
