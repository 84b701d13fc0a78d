//! The users pages over HTTP: who sees which, a new account's password shown once, a reset
//! from the page ending the user's sessions, the forced password change, and forms without
//! their CSRF token writing nothing.

use serde_json::Value;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use crate::web::{csrf_of, header_text, page, page_login, post_page};

/// Posts a form with the session cookie: status, `Cache-Control`, `Location` and page.
async fn post(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String, String) {
    let (status, headers, html) = post_page(app, cookie, path, form).await;
    let header = |name| header_text(&headers, name);
    (status, header("cache-control"), header("location"), html)
}

/// The password shown in a page's temporary-password box.
fn shown_password(html: &str) -> String {
    let marker = r#"<code id="temporary-password" class="secret">"#;
    let start = html.find(marker).expect("a temporary password") + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

both_backends! {
    async fn admins_and_managers_see_their_users_pages_and_nobody_else_does(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for who in [&w.enterprise_a1, &w.auditor_a] {
            let cookie = page_login(&app, &who.username, PASSWORD).await;
            for path in ["/users", "/users/new", &format!("/users/{}", w.enterprise_a1.id)] {
                let (status, html, _) = page(&app, Some(&cookie), path).await;
                assert_eq!(status, 403, "{} {path}", who.username);
                assert!(html.contains("您的角色不能打开此页面"));
            }
            let (_, home, _) = page(&app, Some(&cookie), "/campaigns").await;
            assert!(!home.contains(r#"href="/users""#), "no link for {}", who.username);
        }
        let manager = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&manager), "/users").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"<a href="/users">用户</a>"#));
        assert!(html.contains("user.a1") && html.contains("A1 Ltd") && !html.contains("user.b1"));
        let (status, _, _) = page(&app, Some(&manager), &format!("/users/{}", w.enterprise_b1.id)).await;
        assert_eq!(status, 404);
        let (status, html, _) = page(&app, Some(&manager), &format!("/users/{}", w.enterprise_a1.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"id="reset-password""#) && !html.contains("还没有登录记录"));
        let admin = page_login(&app, "admin", PASSWORD).await;
        let (_, html, _) = page(&app, Some(&admin), "/users?q=USER.&role=enterprise&lang=en").await;
        assert!(html.contains("user.a1") && html.contains("user.b1") && !html.contains("manager.a"));
        assert!(html.contains("2 accounts."));
    }

    async fn a_new_account_shows_its_password_once_and_must_change_it_first(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let manager = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let (status, form, _) = page(&app, Some(&manager), &format!("/users/new?enterprise={}", w.a1)).await;
        assert_eq!(status, 200);
        assert!(form.contains(&format!(r#"<option value="{}" selected>A1 Ltd</option>"#, w.a1)));
        assert!(!form.contains("B1 Ltd"));
        let csrf = csrf_of(&form);
        let (status, _, _, html) = post(&app, &manager, "/users", &[("csrf", &csrf), ("username", "new.worker"), ("role", "enterprise")]).await;
        assert_eq!(status, 422);
        assert!(html.contains(r#"id="enterprise_id" name="enterprise_id" aria-describedby="error-enterprise_id" aria-invalid="true""#), "{html}");
        let (status, _, _, html) = post(&app, &manager, "/users", &[("csrf", &csrf), ("username", "user.a1"), ("role", "enterprise"), ("enterprise_id", &w.a1)]).await;
        assert_eq!(status, 422, "a taken name, told as to a manager");
        assert!(html.contains("该用户名不可用"));
        let (status, cache, _, html) = post(&app, &manager, "/users", &[("csrf", &csrf), ("username", "new.worker"), ("display_name", "新同事"), ("role", "enterprise"), ("enterprise_id", &w.a1)]).await;
        assert_eq!(status, 200, "{html}");
        assert_eq!(cache, "no-store");
        let password = shown_password(&html);
        assert!(password.chars().count() >= 16);
        let (_, list, _) = page(&app, Some(&manager), "/users").await;
        assert!(list.contains("new.worker") && !list.contains(&password), "shown once");

        let session = app.session("new.worker", &password).await;
        let me: Value = app.me(&session.access).await.json().await.unwrap();
        assert_eq!(me["must_change_password"], true);
        let id = me["id"].as_str().unwrap().to_owned();
        let (_, account, _) = page(&app, Some(&manager), &format!("/users/{id}")).await;
        assert!(!account.contains(&password));
        let worker = page_login(&app, "new.worker", &password).await;
        let (status, _, headers) = page(&app, Some(&worker), "/campaigns").await;
        assert_eq!((status, headers["location"].to_str().unwrap()), (303, "/account"));
        let (status, html, _) = page(&app, Some(&worker), "/account").await;
        assert_eq!(status, 200);
        assert!(html.contains("请先修改初始密码"));
        let fresh = "a fresh passphrase 42";
        let (status, _, location, _) = post(&app, &worker, "/account/password", &[("csrf", &csrf_of(&html)), ("current_password", &password), ("new_password", fresh), ("repeat_password", fresh)]).await;
        assert_eq!((status, location.as_str()), (303, "/account?password=changed"));
        let again = page_login(&app, "new.worker", fresh).await;
        assert_eq!(page(&app, Some(&again), "/campaigns").await.0, 200);
    }

    async fn a_reset_from_the_page_ends_the_users_sessions(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let worker = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        assert_eq!(page(&app, Some(&worker), "/campaigns").await.0, 200);
        let admin = page_login(&app, "admin", PASSWORD).await;
        let path = format!("/users/{}", w.enterprise_a1.id);
        let (_, html, _) = page(&app, Some(&admin), &path).await;
        let csrf = csrf_of(&html);
        let (status, cache, _, html) = post(&app, &admin, &format!("{path}/password-reset"), &[("csrf", &csrf)]).await;
        assert_eq!((status, cache.as_str()), (200, "no-store"));
        let password = shown_password(&html);
        let (status, _, headers) = page(&app, Some(&worker), "/campaigns").await;
        assert_eq!(status, 303);
        assert!(headers["location"].to_str().unwrap().starts_with("/session/renew"));
        assert_eq!(app.login(&w.enterprise_a1.username, PASSWORD).await.status().as_u16(), 401);
        assert_eq!(app.login(&w.enterprise_a1.username, &password).await.status().as_u16(), 200);
        let (_, html, _) = page(&app, Some(&admin), &path).await;
        assert!(!html.contains(&password));
        assert!(html.contains(r#"<dd data-figure="must-change">是</dd>"#));
        assert!(html.contains("登录成功") && html.contains("127.0.0.1"), "the login history");
    }

    async fn the_users_forms_without_their_csrf_token_write_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let admin = page_login(&app, "admin", PASSWORD).await;
        let (status, _, _, _) = post(&app, &admin, "/users", &[("username", "sneaky"), ("role", "admin")]).await;
        assert_eq!(status, 403);
        let (_, list, _) = page(&app, Some(&admin), "/users").await;
        assert!(!list.contains("sneaky"));
        let path = format!("/users/{}", w.enterprise_a1.id);
        assert_eq!(post(&app, &admin, &format!("{path}/password-reset"), &[("csrf", "forged")]).await.0, 403);
        assert_eq!(post(&app, &admin, &path, &[("disabled", "true")]).await.0, 403);
        assert_eq!(app.login(&w.enterprise_a1.username, PASSWORD).await.status().as_u16(), 200, "neither reset nor disabled");
        let (_, html, _) = page(&app, Some(&admin), &path).await;
        let (status, _, location, _) = post(&app, &admin, &path, &[("csrf", &csrf_of(&html)), ("disabled", "true")]).await;
        assert_eq!((status, location.as_str()), (303, path.as_str()));
        assert_eq!(app.login(&w.enterprise_a1.username, PASSWORD).await.status().as_u16(), 401, "disabled with the token");
    }
}
