//! The `/verify` page over HTTP: reachable without an account and linked from the login form,
//! the strict CSP, its own CSRF token before login, the answer for a genuine file, a tampered
//! copy, a report id and the QR code's `?id=`, and the API's throttle.

use reqwest::redirect;
use serde_json::json;

use crate::both_backends;
use crate::client_evidence::{multipart, Part};
use crate::fixtures::{world, PASSWORD};
use crate::helpers::{spawn_app_with, TestApp};
use crate::reports::pdf;
use crate::web::{page, page_login};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Opens the form as a browser would: the nonce cookie (`name=value`) and the form's token.
async fn open_form(app: &TestApp) -> (String, String) {
    let r = browser().get(app.url("/verify")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/verify"),
        "{set}"
    );
    let html = r.text().await.unwrap();
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).unwrap() + marker.len();
    let token = html[start..start + html[start..].find('"').unwrap()].to_owned();
    (set.split(';').next().unwrap().to_owned(), token)
}

/// Posts the form; answers the status and the page.
async fn post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    parts: &[Part],
    from: Option<&str>,
) -> (u16, String) {
    let (content_type, body) = multipart(parts);
    let mut request = browser()
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(from) = from {
        request = request.header("X-Forwarded-For", from);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn verdict(html: &str) -> &str {
    let marker = r#"data-verdict=""#;
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no verdict:\n{html}"))
        + marker.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

both_backends! {
    async fn a_person_without_an_account_checks_a_report_on_the_verify_page(backend: Backend) {
        let app = spawn_app_with(backend, &[("DCMM_TRUST_FORWARDED_FOR", "true")]).await;
        let w = world(&app);
        let owner = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let (bytes, id, sha) = pdf(&app, &format!("/api/v1/assessments/{}/report.pdf", w.assessment_a1), &owner).await;

        // No login, the page's own assets only, linked from the login form.
        let (status, html, headers) = page(&app, None, "/verify").await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("<script>") && !html.contains("style="), "inline script or style");
        assert!(html.contains(r#"<script src="/static/verify.js"></script>"#));
        assert!(html.contains(r#"enctype="multipart/form-data""#) && html.contains(r#"type="file""#));
        let (_, login, _) = page(&app, None, "/login").await;
        assert!(login.contains(r#"href="/verify""#), "the login form links the check");
        let (status, js, _) = page(&app, None, "/static/verify.js").await;
        assert!(status == 200 && js.contains("dataTransfer"));

        // The genuine file, a tampered copy, a report id, garbage.
        let (cookie, token) = open_form(&app).await;
        let file = |b: &[u8]| Part { name: "file".into(), file_name: Some("report.pdf".into()), bytes: b.to_vec() };
        let (status, html) = post(&app, "/verify", Some(&cookie), &[Part::text("csrf", &token), file(&bytes), Part::text("query", "")], None).await;
        assert_eq!((status, verdict(&html)), (200, "genuine"), "{html}");
        assert!(html.contains("✔ 真实") && html.contains(&id) && html.contains("A1 Ltd") && html.contains(&sha));
        assert!(!html.contains(&w.assessment_a1), "no internal id on the page");
        let mut tampered = bytes.clone();
        let at = tampered.len() / 2;
        tampered[at] ^= 0x01;
        let (status, html) = post(&app, "/verify?lang=en", Some(&cookie), &[Part::text("csrf", &token), file(&tampered)], None).await;
        assert_eq!((status, verdict(&html)), (200, "altered"), "{html}");
        assert!(html.contains("✘ Not genuine") && html.contains(&format!("/verify?id={id}&amp;lang=en")), "{html}");
        let (status, html) = post(&app, "/verify?lang=en", Some(&cookie), &[Part::text("csrf", &token), file(b"%PDF-1.7 forged")], None).await;
        assert_eq!((status, verdict(&html)), (200, "not_issued"));
        assert!(html.contains("Not issued by this service"));
        let (status, html) = post(&app, "/verify", Some(&cookie), &[Part::text("csrf", &token), file(b""), Part::text("query", &id.to_lowercase())], None).await;
        assert_eq!((status, verdict(&html)), (200, "issued"), "{html}");
        assert!(html.contains("不能证明某个文件是真实的"), "{html}");
        let (status, html) = post(&app, "/verify", Some(&cookie), &[Part::text("csrf", &token), Part::text("query", "DCMM-12")], None).await;
        assert_eq!(status, 422);
        assert!(html.contains("无法识别") && html.contains(r#"value="DCMM-12""#));

        // The QR code's address answers at once, in the language asked for.
        let (status, html, _) = page(&app, None, &format!("/verify?id={id}&lang=en")).await;
        assert_eq!((status, verdict(&html)), (200, "issued"));
        assert!(html.contains("Issued (by its id only)") && html.contains("not that a given file is genuine"));

        // No token, a token without its cookie, another form's token: refused, nothing checked.
        let (other_cookie, other_token) = open_form(&app).await;
        for (cookie, parts) in [
            (Some(cookie.as_str()), vec![file(&bytes)]),
            (None, vec![Part::text("csrf", &token), file(&bytes)]),
            (Some(cookie.as_str()), vec![Part::text("csrf", &other_token), file(&bytes)]),
            (Some(other_cookie.as_str()), vec![Part::text("csrf", "x"), file(&bytes)]),
        ] {
            let (status, html) = post(&app, "/verify", cookie, &parts, None).await;
            assert_eq!(status, 403, "{html}");
            assert!(html.contains("表单已过期") && !html.contains("data-verdict"), "{html}");
        }

        // The API's throttle: the page is refused from an address the API has used up.
        let limit = dcmm::auth::throttle::VERIFY_PER_ADDRESS.requests;
        for _ in 0..limit {
            let r = app.client.post(app.url("/api/v1/reports/verify"))
                .header("X-Forwarded-For", "203.0.113.9")
                .json(&json!({"sha256": sha})).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200);
        }
        let (status, html) = post(&app, "/verify", Some(&cookie), &[Part::text("csrf", &token), file(&bytes)], Some("203.0.113.9")).await;
        assert_eq!(status, 429, "{html}");
        assert!(html.contains("核验次数过多"));
        let (status, _) = post(&app, "/verify", Some(&cookie), &[Part::text("csrf", &token), file(&bytes)], Some("203.0.113.10")).await;
        assert_eq!(status, 200, "another address");

        // Logged in, the page keeps the frame of the session and is not throttled by address.
        let session = page_login(&app, &w.enterprise_b1.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&session), "/verify").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"action="/logout""#), "the frame of the session");
        let both = format!("{cookie}; {session}");
        let (status, html) = post(&app, "/verify", Some(&both), &[Part::text("csrf", &token), file(&bytes)], Some("203.0.113.9")).await;
        assert_eq!((status, verdict(&html)), (200, "genuine"), "{html}");
    }
}
