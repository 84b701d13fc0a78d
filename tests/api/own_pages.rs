//! The enterprise's profile and sharing pages and the account page over HTTP, on both
//! backends: each form posts through the same service as the API (checked through the API
//! afterwards), refuses a post without the session's CSRF token, and names what it refused.

use reqwest::{Method, Response};
use serde_json::Value;

use crate::both_backends;
use crate::client_evidence::full_profile;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::TestApp;
use crate::web::{browser, location, page, page_login};

/// The CSRF token a page puts in its forms.
fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a form with a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> Response {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    browser()
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn api(app: &TestApp, token: &str, method: Method, path: &str) -> (u16, Value) {
    let r = app.send(method, path, Some(token), None).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The whole built-in profile as a form posts it.
fn profile_form(csrf: &str, version: &str) -> Vec<(String, String)> {
    let mut form = vec![
        ("csrf".to_owned(), csrf.to_owned()),
        ("version".to_owned(), version.to_owned()),
    ];
    for (key, value) in full_profile().as_object().unwrap() {
        match value {
            Value::Array(items) => {
                for item in items {
                    form.push((key.clone(), item.as_str().unwrap().to_owned()));
                }
            }
            Value::String(s) => form.push((key.clone(), s.clone())),
            other => form.push((key.clone(), other.to_string())),
        }
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

both_backends! {
    async fn the_profile_form_posts_through_the_service_of_the_api(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        let token = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let (status, html, _) = page(&app, Some(&cookie), "/profile").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r#"id="profile-form""#) && html.contains(&w.a1));
        assert!(html.contains(r#"id="profile-version" value="0""#));
        let csrf = csrf_of(&html);

        // Without the session's token nothing is saved.
        let mut forged = profile_form("", "0");
        forged.remove(0);
        let r = post(&app, &cookie, "/profile", &pairs(&forged)).await;
        assert_eq!(r.status().as_u16(), 403);
        let r = post(&app, &cookie, "/profile", &pairs(&profile_form("wrong", "0"))).await;
        assert_eq!(r.status().as_u16(), 403);
        let profile_path = format!("/api/v1/enterprises/{}/profile", w.a1);
        assert_eq!(api(&app, &token, Method::GET, &profile_path).await.1["version"], 0);

        // A good post saves and comes back saying so; the API reads what the form sent.
        let r = post(&app, &cookie, "/profile", &pairs(&profile_form(&csrf, "0"))).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/profile?saved=1".to_owned()));
        let (_, saved) = api(&app, &token, Method::GET, &profile_path).await;
        assert_eq!(saved["version"], 1);
        assert_eq!(saved["answers"], full_profile());
        let (_, html, _) = page(&app, Some(&cookie), "/profile?saved=1").await;
        assert!(html.contains("已保存（第 1 版）"), "{html}");
        assert!(html.contains(r#"<li class="met" data-key="data_staff">"#));

        // Refused answers are named next to their questions and nothing is saved.
        let mut bad = profile_form(&csrf, "1");
        bad.retain(|(k, _)| k != "size");
        for (k, v) in bad.iter_mut() {
            if k == "employees" {
                *v = "lots".to_owned();
            }
        }
        let r = post(&app, &cookie, "/profile?lang=en", &pairs(&bad)).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="error-size" data-required="An answer is required" data-invalid="Choose one of the listed options">An answer is required</p>"#), "{html}");
        assert!(html.contains(">Enter a whole number from 1 to 10000000</p>"));
        assert!(html.contains(r#"value="lots""#), "what was typed stays");
        assert!(html.contains(r#"id="profile-version" value="1""#));
        assert_eq!(api(&app, &token, Method::GET, &profile_path).await.1["version"], 1);

        // A stale version is a conflict: nothing saved, the latest shown.
        let r = post(&app, &cookie, "/profile", &pairs(&profile_form(&csrf, "0"))).await;
        assert_eq!(r.status().as_u16(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("其他人在此期间修改了基本情况"));
        assert!(html.contains(r#"id="profile-version" value="1""#));
        assert_eq!(api(&app, &token, Method::GET, &profile_path).await.1["version"], 1);

        // Other roles have no profile of their own to fill.
        let manager = page_login(&app, &w.manager_a.username, PASSWORD).await;
        assert_eq!(page(&app, Some(&manager), "/profile").await.0, 403);
        assert_eq!(page(&app, Some(&manager), "/sharing").await.0, 403);
    }

    async fn the_sharing_page_changes_what_the_manager_sees(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let admin = app.session("admin", PASSWORD).await.access;
        let (status, html, _) = page(&app, Some(&cookie), "/sharing").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"value="scores" checked"#), "the default");
        let csrf = csrf_of(&html);
        let answers = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let profile = format!("/api/v1/enterprises/{}/profile", w.a1);
        assert_eq!(api(&app, &manager, Method::GET, &profile).await.0, 200);

        let r = post(&app, &cookie, "/sharing", &[("sharing", "anonymous")]).await;
        assert_eq!(r.status().as_u16(), 403, "no CSRF field");
        let r = post(&app, &cookie, "/sharing", &[("csrf", &csrf), ("sharing", "everything")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("请选择三项中的一项"));
        let (_, e) = api(&app, &admin, Method::GET, &format!("/api/v1/enterprises/{}", w.a1)).await;
        assert_eq!(e["sharing"], "scores", "nothing changed");

        let r = post(&app, &cookie, "/sharing?lang=en", &[("csrf", &csrf), ("sharing", "anonymous")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/sharing?saved=1&lang=en".to_owned()));
        let (_, html, _) = page(&app, Some(&cookie), "/sharing?saved=1").await;
        assert!(html.contains(r#"value="anonymous" checked"#) && html.contains("已保存"));
        let (status, body) = api(&app, &manager, Method::GET, &profile).await;
        assert_eq!((status, body["error"].as_str()), (403, Some("not_shared")));
        let (status, body) = api(&app, &manager, Method::GET, &answers).await;
        assert_eq!((status, body["error"].as_str()), (403, Some("not_shared")));

        let r = post(&app, &cookie, "/sharing", &[("csrf", &csrf), ("sharing", "full")]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(api(&app, &manager, Method::GET, &answers).await.0, 200);

        // Audited as the API audits it, by the enterprise's user.
        let (_, log) = api(&app, &admin, Method::GET, "/api/v1/audit-log?limit=500").await;
        let changes: Vec<&Value> = log["items"].as_array().unwrap().iter()
            .filter(|e| e["action"] == "enterprise.update").collect();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0]["actor_id"], w.enterprise_a1.id.as_str());
        assert_eq!((changes[0]["before"]["sharing"].as_str(), changes[0]["after"]["sharing"].as_str()), (Some("scores"), Some("anonymous")));
        assert_eq!(changes[1]["after"]["sharing"], "full");
    }

    async fn the_account_page_stores_the_language_the_next_pages_use(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.auditor_a.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&cookie), "/account").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"<html lang="zh-CN">"#) && html.contains("审核员") && html.contains("Cluster A"));
        let csrf = csrf_of(&html);

        let r = post(&app, &cookie, "/account", &[("display_name", "X"), ("language", "en")]).await;
        assert_eq!(r.status().as_u16(), 403, "no CSRF field");
        let r = post(&app, &cookie, "/account", &[("csrf", &csrf), ("display_name", " "), ("language", "fr")]).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="error-display_name">请填写 1 至 100 个字符"#), "{html}");
        assert!(html.contains(r#"id="error-language">请选择中文或 English。"#));

        let r = post(&app, &cookie, "/account", &[("csrf", &csrf), ("display_name", "审核员 王"), ("language", "en")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/account?saved=1".to_owned()));
        // Without ?lang the next pages are English, and so is the account's language.
        let (_, html, _) = page(&app, Some(&cookie), "/account?saved=1").await;
        assert!(html.contains(r#"<html lang="en">"#) && html.contains("Saved.") && html.contains("审核员 王"));
        let (_, html, _) = page(&app, Some(&cookie), "/campaigns").await;
        assert!(html.contains(r#"<html lang="en">"#));
        let token = app.session(&w.auditor_a.username, PASSWORD).await.access;
        let (_, me) = api(&app, &token, Method::GET, "/api/v1/me").await;
        assert_eq!((me["language"].as_str(), me["display_name"].as_str()), (Some("en"), Some("审核员 王")));
    }

    async fn a_password_change_keeps_the_page_logged_in_and_ends_other_sessions(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let user = &w.enterprise_a1.username;
        let cookie = page_login(&app, user, PASSWORD).await;
        let other = app.session(user, PASSWORD).await.access;
        let (_, html, _) = page(&app, Some(&cookie), "/account").await;
        let csrf = csrf_of(&html);
        let new = "a brand new passphrase";
        let change = |current: &'static str, new: &'static str, repeat: &'static str| {
            vec![("csrf", csrf.clone()), ("current_password", current.to_owned()), ("new_password", new.to_owned()), ("repeat_password", repeat.to_owned())]
        };
        let send = |form: Vec<(&'static str, String)>| {
            let cookie = cookie.clone();
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post(app, &cookie, "/account/password", &pairs).await
            }
        };

        let r = send(change(PASSWORD, "a brand new passphrase", "a brand new passphrasf")).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains(r#"id="error-repeat_password">两次输入的新密码不一致。"#));
        let r = send(change(PASSWORD, "short", "short")).await;
        assert!(r.text().await.unwrap().contains(r#"id="error-new_password">至少需要 12 个字符。"#));
        let r = send(change("not the password", "a brand new passphrase", "a brand new passphrase")).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="error-current_password">当前密码不正确。"#), "{html}");
        assert!(!html.contains("a brand new passphrase"), "no password comes back");
        let mut forged = change(PASSWORD, "a brand new passphrase", "a brand new passphrase");
        forged.remove(0);
        assert_eq!(send(forged).await.status().as_u16(), 403);
        assert_eq!(app.me(&other).await.status().as_u16(), 200, "nothing changed yet");

        let r = send(change(PASSWORD, "a brand new passphrase", "a brand new passphrase")).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/account?password=changed".to_owned()));
        let cookies: Vec<String> = r.headers().get_all("set-cookie").iter()
            .map(|v| v.to_str().unwrap().to_owned()).collect();
        let session = cookies.iter().find(|c| c.starts_with("dcmm_session=")).unwrap();
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));
        assert!(cookies.iter().any(|c| c.starts_with("dcmm_refresh=")));
        let fresh = session.split(';').next().unwrap().to_owned();
        // The page goes on with the new session; the old cookie and the other session ended.
        let (status, html, _) = page(&app, Some(&fresh), "/account?password=changed").await;
        assert_eq!(status, 200);
        assert!(html.contains("密码已修改"));
        assert_eq!(page(&app, Some(&cookie), "/account").await.0, 303);
        assert_eq!(app.me(&other).await.status().as_u16(), 401);
        assert_eq!(app.login(user, PASSWORD).await.status().as_u16(), 401);
        assert_eq!(app.login(user, new).await.status().as_u16(), 200);
    }

    async fn wrong_current_passwords_are_throttled_like_logins(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.enterprise_a1.username, PASSWORD).await;
        let (_, html, _) = page(&app, Some(&cookie), "/account?lang=en").await;
        let csrf = csrf_of(&html);
        let mut last = 0;
        for _ in 0..6 {
            let r = post(&app, &cookie, "/account/password?lang=en", &[
                ("csrf", &csrf), ("current_password", "wrong wrong wrong"),
                ("new_password", "a brand new passphrase"), ("repeat_password", "a brand new passphrase"),
            ]).await;
            last = r.status().as_u16();
            if last == 429 {
                assert!(r.text().await.unwrap().contains("Too many wrong current passwords"));
                break;
            }
            assert_eq!(last, 422);
        }
        assert_eq!(last, 429, "the account locks after five wrong passwords");
    }
}
