//! The cluster manager's enterprise pages over HTTP: the list and its filters, registering,
//! an enterprise's page, the CSV import with its template and preview, and who may use them.

use reqwest::{redirect, Method};
use serde_json::json;

use crate::both_backends;
use crate::client_evidence::{multipart, Part};
use crate::enterprise_contacts::{bad_code, code};
use crate::fixtures::{set_assessment_status, world, World, PASSWORD};
use crate::helpers::{call, spawn_app, TestApp};
use crate::web::{header_text, page, page_login, post_page};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// The page's CSRF token, from its hidden form field.
fn csrf(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Posts a form; answers the status, the `Location` and the page.
async fn post(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let (status, headers, html) = post_page(app, cookie, path, form).await;
    (status, header_text(&headers, "location"), html)
}

async fn post_file(app: &TestApp, cookie: &str, csrf: Option<&str>, csv: &str) -> (u16, String) {
    let mut parts = Vec::new();
    if let Some(t) = csrf {
        parts.push(Part::text("csrf", t));
    }
    parts.push(Part::file("enterprises.csv", csv.as_bytes()));
    let (content_type, body) = multipart(&parts);
    let r = browser()
        .post(app.url("/enterprises/import/preview"))
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn count(app: &TestApp, w: &World) -> usize {
    let token = app.session(&w.admin.username, PASSWORD).await.access;
    let (_, list) = call(
        app,
        Method::GET,
        &format!("/api/v1/clusters/{}/enterprises?limit=500", w.a),
        &token,
        None,
    )
    .await;
    list["items"].as_array().unwrap().len()
}

async fn register_api(
    app: &TestApp,
    w: &World,
    name: &str,
    n: u32,
    industry: &str,
    size: &str,
) -> String {
    let token = app.session(&w.manager_a.username, PASSWORD).await.access;
    let (s, e) = call(app, Method::POST, &format!("/api/v1/clusters/{}/enterprises", w.a), &token, Some(json!({
        "name": name, "credit_code": code(n), "industry": industry, "size": size, "contact_name": "赵联系",
    }))).await;
    assert_eq!(s, 201, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

/// The rows of the list page, by the enterprise ids they show.
fn listed(html: &str) -> Vec<String> {
    html.match_indices(r#"<tr id="e-"#)
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The text of the element after `id="{id}"` up to the next tag.
fn error_text<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(r#"id="{id}">"#))
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    let rest = &html[at + id.len() + 6..];
    &rest[..rest.find('<').unwrap()]
}

both_backends! {
    async fn a_manager_sees_its_own_enterprises_filtered_and_not_another_clusters(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let soft = register_api(&app, &w, "厦门搜索软件有限公司", 31, "software", "micro").await;
        let equip = register_api(&app, &w, "福州装备有限公司", 32, "equipment", "large").await;
        set_assessment_status(&app, &w.assessment_a1, "submitted");
        let cookie = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&cookie), "/enterprises").await;
        assert_eq!(status, 200, "{html}");
        let all = listed(&html);
        for id in [&w.a1, &w.a2, &soft, &equip] {
            assert!(all.contains(id), "{id} listed");
        }
        assert!(!all.contains(&w.b1), "another cluster's enterprise is not listed");
        assert!(html.contains(">软件和信息技术服务<") && html.contains(">大型<"), "labels, not codes");
        assert!(html.contains(">赵联系<"), "the contact");
        assert!(html.contains("显示 4 家，共 4 家符合条件"), "{html}");
        assert!(html.contains(r#"href="/enterprises/new""#) && html.contains(r#"href="/enterprises/import""#));
        assert!(html.contains(r#"<a href="/enterprises">企业</a>"#), "in the navigation");

        // Each filter narrows the list.
        for (query, expected) in [
            ("?industry=software", vec![&soft]),
            ("?size=large", vec![&equip]),
            ("?status=awaiting_review", vec![&w.a1]),
            // Registered while the campaign is open, they got their drafts too.
            ("?status=not_started", vec![&w.a2, &soft, &equip]),
            ("?status=not_invited", vec![]),
            ("?q=%E6%90%9C%E7%B4%A2", vec![&soft]),
            (&format!("?q={}", code(32).to_lowercase()[12..].to_owned()), vec![&equip]),
            ("?industry=software&size=large", vec![]),
        ] {
            let (s, html, _) = page(&app, Some(&cookie), &format!("/enterprises{query}")).await;
            assert_eq!(s, 200);
            let mut got = listed(&html);
            got.sort();
            let mut want: Vec<String> = expected.into_iter().cloned().collect();
            want.sort();
            assert_eq!(got, want, "{query}");
        }
        let (_, en, _) = page(&app, Some(&cookie), "/enterprises?lang=en").await;
        assert!(en.contains("Showing 4 of 4 matching") && en.contains("Awaiting review"));

        // Its own enterprise's page; another cluster's is the 404 page.
        let (s, own, _) = page(&app, Some(&cookie), &format!("/enterprises/{equip}")).await;
        assert_eq!(s, 200);
        assert!(own.contains(&code(32)) && own.contains(&format!("/users/new?enterprise={equip}")));
        let (s, other, _) = page(&app, Some(&cookie), &format!("/enterprises/{}", w.b1)).await;
        assert_eq!(s, 404);
        assert!(!other.contains("B1 Ltd"));
    }

    async fn registering_names_a_bad_credit_code_in_place_and_writes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.manager_a.username, PASSWORD).await;
        let (s, form, _) = page(&app, Some(&cookie), "/enterprises/new").await;
        assert_eq!(s, 200);
        let token = csrf(&form);
        let before = count(&app, &w).await;
        let bad = bad_code(40);
        let fields = |code: &str, csrf: &str| -> Vec<(String, String)> {
            [("csrf", csrf), ("name", "页面登记公司"), ("credit_code", code), ("industry", "equipment"),
             ("size", "small"), ("region", "福州"), ("contact_name", "钱经理"), ("contact_phone", "0591-1234567"),
             ("contact_email", "qian@example.com")]
                .iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let send = |v: Vec<(String, String)>| {
            let cookie = cookie.clone();
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                post(app, &cookie, "/enterprises", &pairs).await
            }
        };
        let (s, _, html) = send(fields(&bad, &token)).await;
        assert_eq!(s, 422, "{html}");
        assert!(error_text(&html, "error-credit_code").contains("统一社会信用代码无效"));
        assert!(html.contains(r#"id="credit_code" name="credit_code" value=""#));
        assert!(html.contains(&format!(r#"value="{bad}""#)) && html.contains(r#"value="钱经理""#), "the values stay");
        assert!(html.contains(r#"aria-invalid="true" aria-describedby="error-credit_code""#));
        assert_eq!(count(&app, &w).await, before, "nothing written");

        // Without the CSRF field: 403, nothing written.
        let no_csrf: Vec<(String, String)> = fields(&code(40), &token).into_iter().filter(|(k, _)| k != "csrf").collect();
        let (s, _, _) = send(no_csrf).await;
        assert_eq!(s, 403);
        assert_eq!(count(&app, &w).await, before);

        // A good one: 303 to its page with the notice; the same code again is refused in
        // place, in the words a code registered in another cluster gets too.
        let (s, location, _) = send(fields(&code(40), &token)).await;
        assert_eq!(s, 303);
        assert!(location.starts_with("/enterprises/") && location.ends_with("?registered=1"), "{location}");
        let (_, shown, _) = page(&app, Some(&cookie), &location).await;
        assert!(shown.contains("已登记。") && shown.contains("qian@example.com"));
        let (s, _, again) = send(fields(&code(40), &token)).await;
        assert_eq!(s, 422);
        assert_eq!(error_text(&again, "error-credit_code"), "该统一社会信用代码不可用，请核对。");
        assert_eq!(count(&app, &w).await, before + 1);

        // The page edits the contact; a bad email is named in place.
        let id = location.trim_start_matches("/enterprises/").trim_end_matches("?registered=1").to_owned();
        let path = format!("/enterprises/{id}");
        let edit = |email: &str| -> Vec<(String, String)> {
            let mut v = fields("", &token);
            v.retain(|(k, _)| k != "credit_code");
            for (k, val) in v.iter_mut() {
                if k == "contact_email" { *val = email.to_owned(); }
            }
            v
        };
        let pairs = edit("sun@example.org");
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (s, location, _) = post(&app, &cookie, &path, &pairs).await;
        assert_eq!((s, location.as_str()), (303, format!("{path}?saved=1").as_str()));
        let pairs = edit("sun@");
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (s, _, html) = post(&app, &cookie, &path, &pairs).await;
        assert_eq!(s, 422);
        assert!(error_text(&html, "error-contact_email").contains("电子邮箱"));
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let (_, e) = call(&app, Method::GET, &format!("/api/v1/enterprises/{id}"), &admin, None).await;
        assert_eq!(e["contact_email"], "sun@example.org");
    }

    async fn the_import_previews_without_writing_then_creates_the_good_rows(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let cookie = page_login(&app, &w.manager_a.username, PASSWORD).await;

        let r = browser().get(app.url("/enterprises/import/template.csv")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-disposition"], r#"attachment; filename="enterprises-template.csv""#);
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱"), "{text}");

        let (s, form, _) = page(&app, Some(&cookie), "/enterprises/import").await;
        assert_eq!(s, 200);
        let token = csrf(&form);
        let csv = format!(
            "\u{FEFF}企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱\n\
             导入一号,{},装备制造,小型,福州,甲,0591-1111111,a@example.com\n\
             导入二号,{},equipment,small,福州,,,\n\
             导入三号,{},software,micro,厦门,,,\n\
             导入四号,{},装备制造,中型,福州,,,\n\
             导入五号,{},装备制造,大型,福州,,,\n",
            code(51), code(52), bad_code(53), code(54), code(55));
        let before = count(&app, &w).await;
        let (s, _) = post_file(&app, &cookie, None, &csv).await;
        assert_eq!(s, 403, "no CSRF field");
        let (s, preview) = post_file(&app, &cookie, Some(&token), &csv).await;
        assert_eq!(s, 200, "{preview}");
        assert_eq!(count(&app, &w).await, before, "the preview writes nothing");
        assert!(preview.contains(r#"<tr id="line-4" class="rejected">"#), "{preview}");
        assert_eq!(preview.matches(r#"class="valid""#).count(), 4);
        assert!(preview.contains("导入 4 家企业"));
        let content = {
            let marker = r#"name="content" value=""#;
            let start = preview.find(marker).unwrap() + marker.len();
            preview[start..start + preview[start..].find('"').unwrap()].to_owned()
        };
        let (s, _, result) = post(&app, &cookie, "/enterprises/import", &[("csrf", &token), ("content", &content)]).await;
        assert_eq!(s, 200, "{result}");
        assert!(result.contains("已创建 4 家，拒绝 1 行。"), "{result}");
        assert!(result.contains(r#"<tr id="line-4" class="rejected">"#) && result.contains("统一社会信用代码无效"));
        assert_eq!(count(&app, &w).await, before + 4);
        assert_eq!(result.matches(r#"<span class="outcome created">"#).count(), 4);

        // A file with no valid row offers no import.
        let (_, none) = post_file(&app, &cookie, Some(&token), &format!("name,credit_code,industry,size\nx,{},equipment,small\n", bad_code(56))).await;
        assert!(!none.contains(r#"id="do-import""#));
    }

    async fn an_enterprise_user_and_an_auditor_get_the_403_page(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for who in [&w.enterprise_a1, &w.auditor_a] {
            let cookie = page_login(&app, &who.username, PASSWORD).await;
            for path in ["/enterprises", "/enterprises/new", "/enterprises/import", &format!("/enterprises/{}", w.a1)] {
                let (s, html, _) = page(&app, Some(&cookie), path).await;
                assert_eq!(s, 403, "{} {path}", who.username);
                assert!(html.contains("您的角色不能打开此页面"));
            }
            let (_, home, _) = page(&app, Some(&cookie), "/account").await;
            assert!(!home.contains(r#"href="/enterprises""#), "not in the navigation");
        }
        let admin = page_login(&app, &w.admin.username, PASSWORD).await;
        let (s, html, _) = page(&app, Some(&admin), &format!("/enterprises?cluster={}", w.b)).await;
        assert_eq!(s, 200);
        assert_eq!(listed(&html), vec![w.b1.clone()], "the admin picks the cluster");
        assert!(html.contains(r#"id="pick-cluster""#));
    }
}
