//! The page session beyond the login form: the CSRF token the API asks of the session cookie,
//! renewal with the refresh cookie, and the account's language.

use reqwest::{redirect, Method};
use serde_json::json;

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::TestApp;
use crate::web::{csrf_of, page};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Logs in through the form; answers the two cookies as `name=value`: session, refresh.
async fn cookies(app: &TestApp, username: &str) -> (String, String) {
    let r = browser()
        .post(app.url("/login"))
        .header("origin", &app.address)
        .form(&[("username", username), ("password", dcmm::demo::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let find = |name: &str| {
        let c = set.iter().find(|c| c.starts_with(name)).expect(name);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict"),
            "{c}"
        );
        c.split(';').next().unwrap().to_owned()
    };
    let refresh = set.iter().find(|c| c.starts_with("dcmm_refresh=")).unwrap();
    assert!(
        refresh.contains("Path=/session/"),
        "the refresh cookie goes to /session/ only"
    );
    (find("dcmm_session="), find("dcmm_refresh="))
}

async fn me(app: &TestApp, cookie: &str, csrf: Option<&str>) -> (u16, serde_json::Value) {
    let mut request = browser()
        .get(app.url("/api/v1/me"))
        .header("cookie", cookie);
    if let Some(token) = csrf {
        request = request.header("x-csrf-token", token);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

both_backends! {
    async fn the_api_takes_the_page_session_only_with_its_csrf_token(backend: Backend) {
        let app = demo_app(backend).await;
        let (session, _) = cookies(&app, "e05").await;
        let (_, home, _) = page(&app, Some(&session), "/campaigns").await;
        let csrf = csrf_of(&home);

        let (status, body) = me(&app, &session, None).await;
        assert_eq!((status, body["error"].as_str()), (403, Some("csrf_token_invalid")));
        let (status, _) = me(&app, &session, Some("forged")).await;
        assert_eq!(status, 403);
        let (status, body) = me(&app, &session, Some(&csrf)).await;
        assert_eq!((status, body["username"].as_str()), (200, Some("e05")));

        // Another session's token does not fit this one.
        let (other, _) = cookies(&app, "e05").await;
        let (_, other_home, _) = page(&app, Some(&other), "/campaigns").await;
        assert_ne!(csrf_of(&other_home), csrf);
        let (status, _) = me(&app, &session, Some(&csrf_of(&other_home))).await;
        assert_eq!(status, 403);

        // A form post without the token changes nothing.
        let r = browser()
            .post(app.url("/logout"))
            .header("origin", &app.address)
            .header("cookie", &session)
            .form(&[("csrf", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(me(&app, &session, Some(&csrf)).await.0, 200, "still logged in");

        // A bearer token needs no CSRF token.
        let token = app.session("e05", dcmm::demo::PASSWORD).await.access;
        assert_eq!(app.send(Method::GET, "/api/v1/me", Some(&token), None).await.status(), 200);
    }

    async fn a_page_session_renews_with_its_refresh_cookie(backend: Backend) {
        let app = demo_app(backend).await;
        let (session, refresh) = cookies(&app, "e05").await;
        let (_, home, _) = page(&app, Some(&session), "/campaigns").await;
        let csrf = csrf_of(&home);

        // An ended access token with a refresh cookie goes through renewal and comes back.
        let r = browser()
            .get(app.url("/campaigns?lang=en"))
            .header("cookie", format!("dcmm_session=expired.token.here; {refresh}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/session/renew?next=/campaigns%3Flang%3Den");

        let r = browser()
            .get(app.url(&location))
            .header("cookie", &refresh)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/campaigns?lang=en");
        let renewed: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .collect();
        assert_eq!(renewed.len(), 2);
        assert!(renewed[0].starts_with("dcmm_session="));
        assert!(renewed[1].starts_with("dcmm_refresh=") && renewed[1] != refresh);
        // The session stays the same one: the page's CSRF token still fits.
        assert_eq!(me(&app, &renewed[0], Some(&csrf)).await.0, 200);

        // A script asks for JSON: 204 with new cookies; a used refresh token is refused and its
        // session ends, and the cookies are cleared.
        let r = browser()
            .get(app.url("/session/renew"))
            .header("cookie", &renewed[1])
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 204);
        let r = browser()
            .get(app.url("/session/renew?next=/campaigns"))
            .header("cookie", &refresh)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/login?next=/campaigns");
        assert!(r
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| c.to_str().unwrap().contains("Max-Age=0")));
        assert_eq!(me(&app, &renewed[0], Some(&csrf)).await.0, 401, "a reused token ends the session");
    }

    async fn pages_speak_the_accounts_language(backend: Backend) {
        let app = demo_app(backend).await;
        let admin = app.session("admin", dcmm::demo::PASSWORD).await.access;
        let users = app.list_users(&admin).await.json::<serde_json::Value>().await.unwrap();
        let e06 = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == "e06")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = app.update_user(&admin, &e06, &json!({"language": "en"})).await;
        assert_eq!(r.status(), 200);
        let (session, _) = cookies(&app, "e06").await;
        let (_, home, _) = page(&app, Some(&session), "/campaigns").await;
        assert!(home.contains(r#"<html lang="en">"#), "the account's language");
        let (_, zh, _) = page(&app, Some(&session), "/campaigns?lang=zh").await;
        assert!(zh.contains(r#"<html lang="zh-CN">"#), "a page asked for in Chinese");
    }
}
