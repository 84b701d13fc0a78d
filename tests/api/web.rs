//! The dashboard page over HTTP, on the demo cluster: the login form's cookie session, the
//! figures shown against the API's, and who may see it.

use reqwest::header::HeaderMap;
use reqwest::{redirect, Method, Response};
use serde_json::Value;

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::TestApp;

/// A client that shows redirects instead of following them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Where a redirect points.
pub fn location(r: &Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Logs in through the form; answers the session cookie (`name=value`).
pub async fn page_login(app: &TestApp, username: &str, password: &str) -> String {
    let r = browser()
        .post(app.url("/login"))
        .header("origin", &app.address)
        .form(&[("username", username), ("password", password), ("next", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "login as {username}");
    assert_eq!(location(&r), "/campaigns");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_owned()
}

/// The CSRF token a page gives its forms and scripts.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find(r#"<meta name="csrf-token" content=""#)
        .expect("a CSRF token")
        + 33;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// A page's status, headers and text.
pub async fn page(app: &TestApp, cookie: Option<&str>, path: &str) -> (u16, String, HeaderMap) {
    let mut request = browser().get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.text().await.unwrap(), headers)
}

async fn api(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.send(Method::GET, path, Some(token), None).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

/// The current campaign of the demo cluster and its dashboard JSON.
pub async fn current_dashboard(app: &TestApp) -> (String, Value) {
    let manager = app.session("manager", dcmm::demo::PASSWORD).await.access;
    let clusters = api(app, &manager, "/api/v1/clusters").await;
    let cluster = clusters["items"][0]["id"].as_str().unwrap().to_owned();
    let campaigns = api(
        app,
        &manager,
        &format!("/api/v1/clusters/{cluster}/campaigns"),
    )
    .await;
    let current = campaigns["items"][1]["id"].as_str().unwrap().to_owned();
    let dash = api(
        app,
        &manager,
        &format!("/api/v1/campaigns/{current}/dashboard"),
    )
    .await;
    (current, dash)
}

pub fn figure(html: &str, name: &str) -> String {
    let marker = format!(r#"data-figure="{name}""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no figure {name}"));
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find('<').unwrap();
    rest[open..close].to_owned()
}

fn number(v: &Value) -> String {
    format!("{:.2}", v.as_f64().unwrap())
}

both_backends! {
    async fn the_dashboard_page_shows_the_manager_the_figures_the_api_gives(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, dash) = current_dashboard(&app).await;
        let r = &dash["rollup"];
        let cookie = page_login(&app, "manager", dcmm::demo::PASSWORD).await;

        let (status, home, _) = page(&app, Some(&cookie), "/campaigns").await;
        assert_eq!(status, 200);
        assert!(home.contains(&format!("/campaigns/{current}/dashboard")), "{home}");

        let path = format!("/campaigns/{current}/dashboard");
        let (status, html, response) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200, "{html}");
        assert!(response["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(response["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("http://") && !html.contains("https://"), "an external URL");
        assert!(!html.contains("<script>") && !html.contains("style="), "inline script or style");

        let readiness = &r["readiness"];
        assert_eq!(figure(&html, "tier"), readiness["name"]["zh"].as_str().unwrap());
        assert_eq!(figure(&html, "mean-overall"), number(&readiness["mean_overall"]));
        assert_eq!(figure(&html, "p2"), format!("{}%", number(&readiness["share_level_2_or_above"])));
        assert_eq!(figure(&html, "p3"), format!("{}%", number(&readiness["share_level_3_or_above"])));
        assert!(html.contains(readiness["note"]["zh"].as_str().unwrap()));
        for key in ["invited", "not_started", "accepted", "submitted", "awaiting_review", "overdue"] {
            assert_eq!(figure(&html, &key.replace('_', "-")), r["participation"][key].to_string(), "{key}");
        }
        for level in 0..6 {
            assert_eq!(figure(&html, &format!("level-{level}")), r["levels"]["counts"][level].to_string());
        }
        for d in r["domains"].as_array().unwrap() {
            let id = d["id"].as_str().unwrap();
            assert_eq!(figure(&html, &format!("domain-mean-{id}")), number(&d["summary"]["mean"]), "{id}");
        }
        for w in r["weakest_items"].as_array().unwrap() {
            assert!(html.contains(w["name"]["zh"].as_str().unwrap()), "{}", w["name"]);
        }
        assert_eq!(figure(&html, "heat-anonymous"), r["heat_map"]["anonymous"].to_string());
        assert!(html.contains(r["change"]["note"]["zh"].as_str().unwrap()), "the editions note");
        assert_eq!(html.matches("<svg ").count(), 4, "progress, levels, radar and heat map");

        // Enterprises sharing only anonymous statistics are not in the heat map.
        let heat = &html[html.find(r#"id="heat""#).unwrap()..html.find(r#"id="weakest""#).unwrap()];
        let manager = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let cluster = dash["campaign"]["cluster_id"].as_str().unwrap();
        let enterprises = api(&app, &manager, &format!("/api/v1/clusters/{cluster}/enterprises?limit=100")).await;
        for e in enterprises["items"].as_array().unwrap() {
            let name = e["name"].as_str().unwrap();
            if e["sharing"] == "anonymous" {
                assert!(!heat.contains(name), "{name} in the heat map");
            }
        }

        let (status, en, _) = page(&app, Some(&cookie), &format!("{path}?lang=en")).await;
        assert_eq!(status, 200);
        assert!(en.contains(r#"<html lang="en">"#));
        assert_eq!(figure(&en, "tier"), readiness["name"]["en"].as_str().unwrap());

        // A filter narrows the roll-up's input.
        let (status, large, _) = page(&app, Some(&cookie), &format!("{path}?size=large")).await;
        assert_eq!(status, 200);
        let filtered: u32 = figure(&large, "invited").parse().unwrap();
        assert!(filtered < r["participation"]["invited"].as_u64().unwrap() as u32);
        assert!(large.contains(r#"<option value="large" selected>"#));

        let (status, _, css) = page(&app, None, "/static/dcmm.css").await;
        assert_eq!(status, 200);
        assert!(css["content-type"].to_str().unwrap().starts_with("text/css"));
    }

    async fn pages_need_a_session_and_the_right_role(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, _) = current_dashboard(&app).await;
        let path = format!("/campaigns/{current}/dashboard");

        let r = browser().get(app.url("/")).send().await.unwrap();
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/login".to_owned()));
        let (status, form, _) = page(&app, None, "/login").await;
        assert_eq!(status, 200);
        assert!(form.contains(r#"name="password""#));

        // No cookie, a forged one, or only a bearer header: back to the login form.
        for cookie in [None, Some("dcmm_session=not-a-token")] {
            let r = {
                let mut request = browser().get(app.url(&path));
                if let Some(c) = cookie {
                    request = request.header("cookie", c);
                }
                request.send().await.unwrap()
            };
            assert_eq!(r.status().as_u16(), 303);
            assert!(location(&r).starts_with("/session/renew?next=/campaigns/"), "{}", location(&r));
            // Without a refresh cookie the renewal leads on to the login form.
            let r = browser().get(app.url(&location(&r))).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 303);
            assert!(location(&r).starts_with("/login?next=/campaigns/"), "{}", location(&r));
        }
        let token = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let r = browser().get(app.url(&path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 303);

        // A wrong password shows the form again.
        let r = browser()
            .post(app.url("/login"))
            .header("origin", &app.address)
            .form(&[("username", "manager"), ("password", "wrong-password")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
        assert!(r
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("dcmm_session")));
        assert!(r.text().await.unwrap().contains(r#"role="alert""#));

        // An enterprise user is refused the dashboard.
        let cookie = page_login(&app, "e01", dcmm::demo::PASSWORD).await;
        let (status, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 403);
        assert!(html.contains("403"));
        let (status, home, _) = page(&app, Some(&cookie), "/campaigns").await;
        assert_eq!(status, 200);
        assert!(!home.contains("/dashboard"), "no dashboard links for an enterprise user");

        // Logging out ends the session behind the cookie; the form must carry the CSRF token.
        let cookie = page_login(&app, "manager", dcmm::demo::PASSWORD).await;
        let r = browser()
            .post(app.url("/logout"))
            .header("origin", &app.address)
            .header("cookie", &cookie)
            .form(&[("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "a logout without the CSRF token");
        let (_, home, _) = page(&app, Some(&cookie), "/campaigns").await;
        let r = browser()
            .post(app.url("/logout"))
            .header("origin", &app.address)
            .header("cookie", &cookie)
            .form(&[("csrf", csrf_of(&home))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
        let (status, _, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 303);
    }
}

/// The hrefs of links with class `class` in `html`.
fn links(html: &str, class: &str) -> Vec<String> {
    let marker = format!(r#"class="{class}" href=""#);
    html.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

both_backends! {
    async fn the_dashboard_links_the_reports_it_may_show(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, dash) = current_dashboard(&app).await;
        let path = format!("/campaigns/{current}/dashboard");
        let cookie = page_login(&app, "manager", dcmm::demo::PASSWORD).await;
        let (status, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200);
        let cluster_link = format!(r#"id="cluster-report" href="/campaigns/{current}/report.pdf""#);
        assert!(html.contains(&cluster_link), "a link to the cluster report");
        let (status, pdf, headers) = page(&app, Some(&cookie), &format!("/campaigns/{current}/report.pdf")).await;
        assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/pdf"));
        assert!(pdf.starts_with("%PDF-"));
        // A report language the service does not have is the page's 422, naming `lang`.
        let (status, refused, headers) =
            page(&app, Some(&cookie), &format!("/campaigns/{current}/report.pdf?lang=fr")).await;
        assert_eq!(status, 422);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(refused.contains("lang: must be zh or en"), "{refused}");
        // The header names the manager as people know them.
        let (_, home, _) = page(&app, Some(&cookie), "/campaigns").await;
        assert!(home.contains("集群管理员 林晓"), "display name in the header");

        // The manager gets a link for each enterprise that shares everything, and no other.
        let manager_links = links(&html, "report");
        let full = {
            let token = app.session("manager", dcmm::demo::PASSWORD).await.access;
            let cluster = dash["campaign"]["cluster_id"].as_str().unwrap();
            let list = api(&app, &token, &format!("/api/v1/clusters/{cluster}/enterprises?limit=100")).await;
            list["items"].as_array().unwrap().iter().filter(|e| e["sharing"] == "full").count()
        };
        assert!(full > 0 && manager_links.len() == full, "{} links for {full} enterprises sharing everything", manager_links.len());
        let (status, _, headers) = page(&app, Some(&cookie), &manager_links[0]).await;
        assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/pdf"));

        // The auditor sees every enterprise's report; a link the manager lacks is refused to it.
        let auditor = page_login(&app, "auditor", dcmm::demo::PASSWORD).await;
        let (_, html, _) = page(&app, Some(&auditor), &path).await;
        let auditor_links = links(&html, "report");
        assert!(auditor_links.len() > manager_links.len());
        let hidden = auditor_links.iter().find(|l| !manager_links.contains(l)).unwrap();
        let (status, _, headers) = page(&app, Some(&auditor), hidden).await;
        assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/pdf"));
        let (status, _, _) = page(&app, Some(&cookie), hidden).await;
        assert_eq!(status, 403);
    }
}

both_backends! {
    async fn a_narrow_filter_withholds_scores_that_would_reveal_an_anonymous_enterprise(backend: Backend) {
        let app = demo_app(backend).await;
        let (current, dash) = current_dashboard(&app).await;
        let path = format!("/campaigns/{current}/dashboard");
        let manager = page_login(&app, "manager", dcmm::demo::PASSWORD).await;
        let auditor = page_login(&app, "auditor", dcmm::demo::PASSWORD).await;
        let token = app.session("manager", dcmm::demo::PASSWORD).await.access;
        let cluster = dash["campaign"]["cluster_id"].as_str().unwrap();
        let list = api(&app, &token, &format!("/api/v1/clusters/{cluster}/enterprises?limit=100")).await;
        let mut filters: Vec<String> = list["items"].as_array().unwrap().iter()
            .map(|e| format!("industry={}&size={}", e["industry"].as_str().unwrap(), e["size"].as_str().unwrap()))
            .collect();
        filters.sort();
        filters.dedup();
        let mut withheld = 0;
        for filter in &filters {
            let (status, html, _) = page(&app, Some(&manager), &format!("{path}?{filter}")).await;
            assert_eq!(status, 200);
            if html.contains(r#"id="withheld""#) {
                withheld += 1;
                let accepted: u32 = figure(&html, "accepted").parse().unwrap();
                assert!((1..5).contains(&accepted), "{filter}: {accepted} accepted");
                assert!(!html.contains(r#"data-figure="mean-overall""#) && !html.contains("weak-mean-"), "{filter}: no scores");
                assert!(!html.contains(r#"id="heat""#), "{filter}: no heat map");
                // The auditor may see every enterprise's scores: nothing is withheld.
                let (_, seen, _) = page(&app, Some(&auditor), &format!("{path}?{filter}")).await;
                assert!(!seen.contains(r#"id="withheld""#), "{filter}");
                for shown in [r#"data-figure="mean-overall""#, "weak-mean-", r#"id="heat""#] {
                    assert!(seen.contains(shown), "{filter}: the auditor sees {shown}");
                }
            }
        }
        assert!(withheld > 0, "some industry and size group of the demo is small and has an anonymous member");
        let (_, whole, _) = page(&app, Some(&manager), &path).await;
        assert!(!whole.contains(r#"id="withheld""#), "the whole cluster is never withheld");
    }
}

/// A page form posted with the session cookie, without following a redirect: the status,
/// the headers and the page.
pub async fn post_page(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, HeaderMap, String) {
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.text().await.unwrap())
}

/// A header's value as text, empty when absent.
pub fn header_text(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Posts a page form with the session cookie; answers the status and the `Location`.
pub async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let (status, headers, _) = post_page(app, cookie, path, form).await;
    (status, header_text(&headers, "location"))
}
