//! The enterprise's pages over HTTP, on the demo cluster: its home against the API's
//! assessments, the submit check and a submission through the page, and the results against
//! the score endpoint, with who may see them.

use reqwest::{redirect, Method};
use serde_json::{json, Value};

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::TestApp;
use crate::web::{figure, page, page_login};

const PASSWORD: &str = dcmm::demo::PASSWORD;

async fn api(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.send(Method::GET, path, Some(token), None).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

/// The user's assessments as the API gives them, the newest campaign first.
async fn assessments(app: &TestApp, user: &str) -> (String, Vec<Value>) {
    let token = app.session(user, PASSWORD).await.access;
    let me = api(app, &token, "/api/v1/me").await;
    let enterprise = me["enterprise_id"].as_str().unwrap();
    let list = api(
        app,
        &token,
        &format!("/api/v1/enterprises/{enterprise}/assessments"),
    )
    .await;
    let mut full = Vec::new();
    for a in list["items"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        full.push(api(app, &token, &format!("/api/v1/assessments/{id}")).await);
    }
    full.sort_by(|a, b| b["campaign_id"].as_str().cmp(&a["campaign_id"].as_str()));
    (token, full)
}

/// The part of `html` from the card of assessment `id` to the next card.
fn card<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="a-{id}""#))
        .unwrap_or_else(|| panic!("no card for {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

/// The page's CSRF token, from its hidden form field.
fn csrf(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Posts the submit form; answers the status, the `Location` and the page.
async fn post_submit(
    app: &TestApp,
    cookie: &str,
    id: &str,
    token: Option<&str>,
) -> (u16, String, String) {
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let form: Vec<(&str, &str)> = token.map(|t| vec![("csrf", t)]).unwrap_or_default();
    let r = client
        .post(app.url(&format!("/assessments/{id}/submit")))
        .header("cookie", cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

fn stage(a: &Value) -> &'static str {
    match a["status"].as_str().unwrap() {
        "accepted" => "已通过",
        "submitted" => "待审核",
        _ if !a["return_note"].is_null() => "已退回",
        _ if a["progress"]["answered"] == 0 => "未开始",
        _ => "填写中",
    }
}

both_backends! {
    async fn the_home_lists_each_assessment_with_its_stage_and_progress(backend: Backend) {
        let app = demo_app(backend).await;
        for (user, current) in [("e33", "填写中"), ("e29", "已退回"), ("e37", "未开始"), ("e22", "待审核"), ("e05", "已通过")] {
            let (_, listed) = assessments(&app, user).await;
            let cookie = page_login(&app, user, PASSWORD).await;
            let (status, html, _) = page(&app, Some(&cookie), "/campaigns").await;
            assert_eq!(status, 200, "{user}");
            assert!(html.contains("我的评估"), "{user}");
            assert!(!html.contains("/dashboard"), "{user}: no dashboard links");
            assert_eq!(stage(&listed[0]), current, "{user}: the demo as described");
            assert!(listed.len() == 2, "{user}: last year's campaign and this one");
            for a in &listed {
                let id = a["id"].as_str().unwrap();
                let c = card(&html, id);
                assert_eq!(figure(c, "stage"), stage(a), "{user} {id}");
                let p = &a["progress"];
                assert_eq!(figure(c, "answered"), p["answered"].to_string(), "{user}");
                assert_eq!(figure(c, "total"), p["total"].to_string());
                for d in p["domains"].as_array().unwrap() {
                    let name = format!("domain-{}", d["id"].as_str().unwrap());
                    assert_eq!(figure(c, &name), format!("{} / {}", d["answered"], d["total"]));
                }
                assert!(c.contains(&format!(r#"href="/assessments/{id}""#)), "{user}: the questionnaire");
                let draft = a["status"] == "draft";
                assert_eq!(c.contains(&format!("/assessments/{id}/submit")), draft, "{user}");
                if draft {
                    let due = figure(c, "due");
                    assert!(due.contains("还剩") || due.contains("已逾期") || due == "今天截止", "{due}");
                }
                if let Some(note) = a["return_note"].as_str().filter(|_| draft) {
                    assert!(c.contains(note), "{user}: the auditor's note");
                }
            }
            assert!(html.contains(r#"href="/profile""#), "{user}: the profile");
        }
        let cookie = page_login(&app, "e33", PASSWORD).await;
        let (_, en, _) = page(&app, Some(&cookie), "/campaigns?lang=en").await;
        assert!(en.contains("My assessments") && en.contains(">In progress<"));
    }

    async fn the_submit_check_refuses_gaps_and_submits_once_nothing_is_left(backend: Backend) {
        let app = demo_app(backend).await;
        let (token, listed) = assessments(&app, "e32").await;
        let a = &listed[0];
        let id = a["id"].as_str().unwrap();
        let cookie = page_login(&app, "e32", PASSWORD).await;
        let path = format!("/assessments/{id}/submit");
        let (status, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200, "{html}");
        let total = a["progress"]["total"].as_u64().unwrap();
        let answered = a["progress"]["answered"].as_u64().unwrap();
        assert!(answered > 0 && answered < total, "half done");
        assert_eq!(figure(&html, "missing"), (total - answered).to_string());
        assert_eq!(html.matches("<li><a href=\"/assessments/").count() as u64, total - answered);
        assert!(html.contains(r#"id="submit" disabled"#));
        assert!(!html.contains("2025:6.1:L"), "no criterion id");

        // A post without the page's token is refused; one with gaps left changes nothing.
        let (status, _, _) = post_submit(&app, &cookie, id, None).await;
        assert_eq!(status, 403);
        let (status, _, again) = post_submit(&app, &cookie, id, Some(&csrf(&html))).await;
        assert_eq!(status, 422, "{again}");
        assert!(again.contains(r#"role="alert""#) && again.contains(r#"id="gaps""#));
        let still = api(&app, &token, &format!("/api/v1/assessments/{id}")).await;
        assert_eq!(still["status"], "draft");
        assert_eq!(still["version"], a["version"], "nothing written");

        // Answer the rest over the API, then submit through the page.
        let q = api(&app, &token, a["questionnaire_url"].as_str().unwrap()).await;
        let mut done = std::collections::HashSet::new();
        let answers = api(&app, &token, &format!("/api/v1/assessments/{id}/answers?limit=500")).await;
        for x in answers["items"].as_array().unwrap() {
            done.insert(x["criterion"].as_str().unwrap().to_owned());
        }
        let rest: Vec<Value> = q["domains"].as_array().unwrap().iter()
            .flat_map(|d| d["items"].as_array().unwrap())
            .flat_map(|i| i["criteria"].as_array().unwrap())
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .filter(|c| !done.contains(c))
            .map(|c| json!({"criterion": c, "rating": "largely"}))
            .collect();
        let r = app.send(Method::PUT, &format!("/api/v1/assessments/{id}/answers"), Some(&token), Some(&json!({"answers": rest}))).await;
        assert_eq!(r.status().as_u16(), 200);
        let (_, ready, _) = page(&app, Some(&cookie), &path).await;
        assert!(ready.contains(r#"<button type="submit" id="submit">"#), "{ready}");
        assert!(!ready.contains(r#"id="gaps""#));
        let (status, location, _) = post_submit(&app, &cookie, id, Some(&csrf(&ready))).await;
        assert_eq!((status, location.as_str()), (303, format!("/assessments/{id}/results").as_str()));
        let submitted = api(&app, &token, &format!("/api/v1/assessments/{id}")).await;
        assert_eq!(submitted["status"], "submitted");
        let admin = app.session("admin", PASSWORD).await.access;
        let (mut after, mut logged) = (0, false);
        loop {
            let log = api(&app, &admin, &format!("/api/v1/audit-log?limit=500&after={after}")).await;
            let items = log["items"].as_array().unwrap();
            logged |= items.iter().any(|e| e["action"] == "assessment.submit" && e["subject_id"] == id);
            match log["next"].as_str() {
                Some(next) => after = next.parse().unwrap(),
                None => break,
            }
        }
        assert!(logged, "the submission is in the audit log");
        let (status, results, _) = page(&app, Some(&cookie), &location).await;
        assert_eq!(status, 200);
        assert!(results.contains(r#"id="provisional""#) && results.contains("等待审核员核验"));
        // Submitted once: a second post is the check again, saying so.
        let (status, _, twice) = post_submit(&app, &cookie, id, Some(&csrf(&ready))).await;
        assert_eq!(status, 409);
        assert!(twice.contains("只读"), "{twice}");
    }

    async fn the_results_show_the_scores_the_api_gives_to_whoever_may_read_the_report(backend: Backend) {
        let app = demo_app(backend).await;
        // The first enterprise whose accepted assessment of this campaign is below its target
        // somewhere, so the page has a gap plan to show.
        let mut found = None;
        for n in 1..=20 {
            let user = format!("e{n:02}");
            let (token, listed) = assessments(&app, &user).await;
            if listed[0]["status"] != "accepted" {
                continue;
            }
            let id = listed[0]["id"].as_str().unwrap().to_owned();
            let score = api(&app, &token, &format!("/api/v1/assessments/{id}/score")).await;
            if !score["verified"]["gap"].as_array().unwrap().is_empty() {
                found = Some((user, token, listed, score));
                break;
            }
        }
        let (user, token, listed, score) = found.expect("an accepted demo assessment below its target");
        let a = &listed[0];
        let id = a["id"].as_str().unwrap();
        let n = |v: &Value| format!("{:.2}", v.as_f64().unwrap());
        let cookie = page_login(&app, &user, PASSWORD).await;
        let path = format!("/assessments/{id}/results");
        let (status, html, headers) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("style=") && !html.contains("<script>"));
        let v = &score["verified"];
        assert_eq!(figure(&html, "overall-verified"), n(&v["overall"]["score"]));
        assert_eq!(figure(&html, "overall-self"), n(&score["self"]["overall"]["score"]));
        assert_eq!(figure(&html, "level"), v["overall"]["level"].to_string());
        for d in v["domains"].as_array().unwrap() {
            let did = d["id"].as_str().unwrap();
            assert_eq!(figure(&html, &format!("domain-verified-{did}")), n(&d["score"]));
            for i in d["items"].as_array().unwrap() {
                let iid = i["id"].as_str().unwrap();
                assert_eq!(figure(&html, &format!("item-verified-{iid}")), n(&i["score"]), "{iid}");
            }
        }
        assert_eq!(html.matches("<svg ").count(), 1, "the radar");
        let bench = api(&app, &token, &format!("/api/v1/assessments/{id}/benchmark")).await;
        assert_eq!(figure(&html, "bench-overall-2"), format!("{}%", n(&bench["cluster"]["percentiles"]["overall"])));
        assert!(html.contains(r#"id="change""#) && html.contains("上期对应"), "last year's campaign, another edition");
        let raised: Vec<&str> = v["gap"].as_array().unwrap().iter().flat_map(|g| g["criteria"].as_array().unwrap()).map(|c| c["criterion"].as_str().unwrap()).collect();
        for c in raised {
            assert!(!html.contains(c), "no criterion id");
        }
        let (status, pdf, headers) = page(&app, Some(&cookie), &format!("/assessments/{id}/report.pdf")).await;
        assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/pdf"));
        assert!(pdf.starts_with("%PDF-"));

        // Another enterprise's user: no such page; a malformed id neither.
        let other = page_login(&app, if user == "e06" { "e07" } else { "e06" }, PASSWORD).await;
        for p in [path.clone(), format!("/assessments/{id}/submit"), format!("/assessments/{id}/report.pdf"), "/assessments/nope/results".to_owned()] {
            let (status, body, headers) = page(&app, Some(&other), &p).await;
            assert_eq!(status, 404, "{p}");
            assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"), "{p}: {body}");
        }
        // The auditor reads every report; the manager only those an enterprise shares in full.
        let auditor = page_login(&app, "auditor", PASSWORD).await;
        let (status, seen, _) = page(&app, Some(&auditor), &path).await;
        assert_eq!(status, 200);
        assert!(!seen.contains(r#"id="submit""#));
        let manager = page_login(&app, "manager", PASSWORD).await;
        let (status, _, _) = page(&app, Some(&manager), &path).await;
        let sharing = api(&app, &token, &format!("/api/v1/enterprises/{}", a["enterprise_id"].as_str().unwrap())).await;
        assert_eq!(status, if sharing["sharing"] == "full" { 200 } else { 403 }, "{}", sharing["sharing"]);
        // Nobody logged in goes through renewal (there is no refresh cookie) to the login form.
        let (status, _, headers) = page(&app, None, &path).await;
        assert_eq!(status, 303);
        let renew = headers["location"].to_str().unwrap().to_owned();
        assert!(renew.starts_with("/session/renew?next=/assessments/"), "{renew}");
        let (status, _, headers) = page(&app, None, &renew).await;
        assert_eq!(status, 303);
        assert!(headers["location"].to_str().unwrap().starts_with("/login?next=/assessments/"));
    }
}

/// The demo cluster served with pass threshold `tau`.
async fn demo_app_at(backend: crate::helpers::Backend, tau: &str) -> TestApp {
    use dcmm::db::{self, DbTarget};
    let test_db = crate::helpers::TestDb::create(backend);
    {
        let pool = db::connect(&DbTarget::parse(&test_db.url).unwrap(), 1).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrate(&mut conn).unwrap();
        let registry = dcmm::questionnaire::Registry::built_in().unwrap();
        db::questionnaire_versions::sync(&mut conn, &registry).unwrap();
        dcmm::demo::seed(&mut conn, &registry, &test_db.data_dir, 2026, 40).unwrap();
    }
    crate::helpers::spawn_app_on(test_db, &[("DCMM_SCORING_PASS_THRESHOLD", tau)]).await
}

both_backends! {
    async fn the_results_say_why_each_item_scores_what_it_does_and_who_verified_it(backend: Backend) {
        for tau in ["70", "80"] {
            let app = demo_app_at(backend, tau).await;
            let (token, listed) = assessments(&app, "e01").await;
            let a = &listed[0];
            assert_eq!(a["status"], "accepted");
            let id = a["id"].as_str().unwrap();
            let score = api(&app, &token, &format!("/api/v1/assessments/{id}/score")).await;
            let v = &score["verified"];
            assert!(v["policy"].as_str().unwrap().contains(&format!("tau={tau}")));
            let threshold = format!("0.{tau}");
            let cookie = page_login(&app, "e01", PASSWORD).await;
            let (status, html, _) = page(&app, Some(&cookie), &format!("/assessments/{id}/results")).await;
            assert_eq!(status, 200);
            let n = |v: &Value| format!("{:.2}", v.as_f64().unwrap());
            for d in v["domains"].as_array().unwrap() {
                for i in d["items"].as_array().unwrap() {
                    let iid = i["id"].as_str().unwrap();
                    let why = figure(&html, &format!("why-{iid}"));
                    let level = i["level"].as_u64().unwrap() as usize;
                    let scores = i["level_scores"].as_array().unwrap();
                    match scores.get(level) {
                        // The level that stopped the item, with its score against τ.
                        Some(stop) => assert!(
                            why.contains(&format!("第{}级", level + 1)) && why.contains(&format!("{} &lt; {threshold}", n(stop))),
                            "{iid} at τ = {tau}: {why}"
                        ),
                        None => assert!(why.contains(&threshold), "{iid}: {why}"),
                    }
                }
            }
            // Who verified: the demo's auditor, on the day of the accepting review.
            let auditor = api(&app, &app.session("auditor", PASSWORD).await.access, "/api/v1/me").await;
            assert_eq!(figure(&html, "auditor"), auditor["display_name"].as_str().unwrap());
            assert_eq!(figure(&html, "decision"), "通过");
            let reviews = &html[html.find(r#"id="reviews""#).unwrap()..];
            assert!(reviews.contains("审核员评定的条款") || reviews.contains("未改动任何条款"), "{reviews}");
        }
    }
}
