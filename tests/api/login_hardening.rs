//! The login form against an attacker: `next` never leads off the site (a generated corpus of
//! hostile values, each followed as a browser would), and a form posted from another site is
//! refused, at login and at logout; on both backends.

use reqwest::Response;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::TestApp;
use crate::web::{browser, location};

/// Hostile `next` values: ways to name another host, joined by the separators and encodings
/// that browsers and URL parsers strip, fold or decode.
fn hostile_corpus() -> Vec<String> {
    let prefixes = [
        "",
        "/",
        "//",
        "///",
        "/\\",
        "\\",
        "\\\\",
        "\\/",
        "/%2f",
        "/%2F/",
        "/%5c",
        "%2f%2f",
        "/%252f%252f",
        " /",
        "/ /",
        "https:",
        "https://",
        "http:/",
        "HTTPS://",
        "javascript:",
        "data:text/html,",
        "//@",
        "/.//",
        "/./",
        "/..//",
        "/campaigns/../..//",
        "%0d%0a//",
        "\u{3002}//",
        "\u{FF0F}\u{FF0F}",
        "/campaigns@",
        "/campaigns:x@",
        "/\u{202E}/",
    ];
    let separators = ["", "\t", "\n", "\r", "\r\n", "%09", "%0d%0a", "\\", " "];
    let hosts = [
        "evil.example/campaigns",
        "user:pass@evil.example",
        "evil\u{3002}example%2f%2e%2e",
    ];
    let mut corpus = Vec::new();
    for p in prefixes {
        for s in separators {
            for h in hosts {
                corpus.push(format!("{p}{s}{h}"));
            }
            corpus.push(format!("/{s}{p}evil.example"));
        }
    }
    corpus.sort();
    corpus.dedup();
    corpus
}

/// A `Location` a browser follows to this service: resolved against the address it answered
/// from (the `url` crate strips tabs and newlines and reads `\` as `/` as browsers do).
fn assert_local(app: &TestApp, next: &str, location: &str) {
    assert!(
        location.bytes().all(|b| b.is_ascii_graphic()),
        "{next:?} gave {location:?}"
    );
    let base = url::Url::parse(&app.address).unwrap();
    let followed = base.join(location).unwrap();
    assert_eq!(
        (followed.scheme(), followed.host_str(), followed.port()),
        (base.scheme(), base.host_str(), base.port()),
        "{next:?} gave {location:?}"
    );
    assert!(location.starts_with('/') && !location.starts_with("//"));
}

async fn log_in(app: &TestApp, username: &str, next: &str) -> Response {
    browser()
        .post(app.url("/login"))
        .header("origin", &app.address)
        .form(&[
            ("username", username),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

both_backends! {
    async fn no_next_value_leads_off_the_site_after_login_or_renewal(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        world(&app);
        let corpus = hostile_corpus();
        assert!(corpus.len() >= 800, "{}", corpus.len());
        // Every value through the renewal (no hash to compute), which sends the browser on
        // to the login form with what it keeps of `next`.
        for next in &corpus {
            let r = browser()
                .get(app.url("/session/renew"))
                .query(&[("next", next)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 303, "{next:?}");
            assert_eq!(location(&r), "/login", "{next:?}");
        }
        // Every fifth through a real login: a success goes home, never a 500.
        for next in corpus.iter().step_by(5) {
            let r = log_in(&app, "user.a1", next).await;
            assert_eq!(r.status().as_u16(), 303, "{next:?}");
            let to = location(&r);
            assert_local(&app, next, &to);
            assert_eq!(to, "/campaigns", "{next:?}");
        }
        // The form keeps nothing of a hostile value.
        let r = browser()
            .get(app.url("/login"))
            .query(&[("next", "//evil.example")])
            .send()
            .await
            .unwrap();
        let html = r.text().await.unwrap();
        assert!(!html.contains("evil.example"), "{html}");
    }

    async fn pages_with_their_query_survive_login_and_renewal(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        world(&app);
        for next in [
            "/campaigns?lang=en",
            "/assessments/0193e0c1-7f3a-7000-8000-000000000001/review?item=2025%3A6.1&lang=en",
            "/audit-log?action=auth.login",
            "/account",
        ] {
            let r = log_in(&app, "user.a1", next).await;
            assert_eq!((r.status().as_u16(), location(&r)), (303, next.to_owned()));
            let r = browser()
                .get(app.url("/session/renew"))
                .query(&[("next", next)])
                .send()
                .await
                .unwrap();
            let to = location(&r);
            let kept = to.strip_prefix("/login?next=").unwrap();
            assert_eq!(form_urlencoded::parse(format!("n={kept}").as_bytes()).next().unwrap().1, next);
            let html = browser().get(app.url(&to)).send().await.unwrap().text().await.unwrap();
            assert!(html.contains(&format!(r#"name="next" value="{}""#, next.replace('&', "&amp;"))), "{next}");
        }
    }

    async fn a_login_posted_from_another_site_is_refused(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        world(&app);
        let form = [("username", "user.a1"), ("password", PASSWORD), ("next", "")];
        let post = |headers: &[(&str, &str)], cookie: Option<&str>, token: &str| {
            let mut request = browser().post(app.url("/login"));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let mut body = form.to_vec();
            body.push(("csrf", token));
            request.form(&body).send()
        };
        let refused = |r: &Response| {
            assert_eq!(r.status().as_u16(), 403);
            assert!(r.headers().get("set-cookie").is_none_or(|c| !c.to_str().unwrap().starts_with("dcmm_session=")));
        };
        for headers in [
            vec![("origin", "https://evil.example")],
            vec![("origin", "http://127.0.0.1.evil.example")],
            vec![("referer", "https://evil.example/phish")],
            vec![("origin", "null"), ("referer", "https://evil.example/")],
            vec![],
        ] {
            let r = post(&headers, None, "").await.unwrap();
            refused(&r);
            let html = r.text().await.unwrap();
            assert!(html.contains("403"), "{html}");
        }

        // A browser that names no origin: the form's token with its cookie.
        let r = browser().get(app.url("/login")).send().await.unwrap();
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("dcmm_login=") && cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"), "{cookie}");
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let html = r.text().await.unwrap();
        let start = html.find(r#"name="csrf" value=""#).unwrap() + 19;
        let token = html[start..start + html[start..].find('"').unwrap()].to_owned();
        refused(&post(&[], None, &token).await.unwrap());
        refused(&post(&[], Some(&cookie), "forged").await.unwrap());
        refused(&post(&[], Some("dcmm_login=00000000000000000000000000000000"), &token).await.unwrap());
        // Another site cannot use a good pair either.
        refused(&post(&[("origin", "https://evil.example")], Some(&cookie), &token).await.unwrap());
        assert_eq!(post(&[], Some(&cookie), &token).await.unwrap().status().as_u16(), 303);
        assert_eq!(post(&[("origin", "null")], Some(&cookie), &token).await.unwrap().status().as_u16(), 303);
        // The service's own pages, by Origin or Referer.
        assert_eq!(post(&[("origin", app.address.as_str())], None, "").await.unwrap().status().as_u16(), 303);
        let referer = app.url("/login?next=/campaigns");
        assert_eq!(post(&[("referer", referer.as_str())], None, "").await.unwrap().status().as_u16(), 303);
    }

    async fn a_logout_posted_from_another_site_leaves_the_session(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        world(&app);
        let r = log_in(&app, "user.a1", "").await;
        let session = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let (_, home, _) = crate::web::page(&app, Some(&session), "/campaigns").await;
        let csrf = crate::web::csrf_of(&home);
        let r = browser()
            .post(app.url("/logout"))
            .header("origin", "https://evil.example")
            .header("cookie", &session)
            .form(&[("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(crate::web::page(&app, Some(&session), "/campaigns").await.0, 200, "still logged in");
        // Without either header the session's own token is enough.
        let r = browser()
            .post(app.url("/logout"))
            .header("cookie", &session)
            .form(&[("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(crate::web::page(&app, Some(&session), "/campaigns").await.0, 303, "logged out");
    }
}
