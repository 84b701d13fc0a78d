//! The audit log, over the API and as a page: the filters by who, action, entity, cluster and
//! time; the scope (an auditor reads its clusters' entries only, managers and enterprise users
//! none); the page's entries, paging and filter form; and the chain check, on an intact log and
//! on one whose row was edited in the database.

use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::{json, Value};

use dcmm::audit::{self, Entry};
use dcmm::domain::Role;

use crate::both_backends;
use crate::fixtures::{pool, seed_user, world, Account, World, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};
use crate::web::{figure, page, page_login};

/// A world whose log holds entries of both clusters and of the installation.
struct Logged {
    app: TestApp,
    w: World,
    auditor_b: Account,
}

fn append(
    app: &TestApp,
    by: &Account,
    action: &str,
    subject: (&str, &str),
    cluster: Option<&str>,
    before: Option<Value>,
    after: Option<Value>,
) {
    let entry = Entry {
        actor_id: Some(by.id.clone()),
        action: action.into(),
        subject_type: subject.0.into(),
        subject_id: subject.1.into(),
        cluster_id: cluster.map(str::to_owned),
        before,
        after,
    };
    let mut conn = pool(app).get().unwrap();
    audit::write_tx(&mut conn, |c| audit::append(c, entry)).unwrap();
}

/// In cluster A: three answers and a submission by A1's user, a registration change by A's
/// manager; in B: two answers and a submission by B1's user; an account made by the admin.
async fn setup(backend: crate::helpers::Backend) -> Logged {
    let app = spawn_app(backend).await;
    let w = world(&app);
    let auditor_b = Account {
        username: "auditor.b".into(),
        id: seed_user(&app, "auditor.b", Role::Auditor, &[&w.b]),
    };
    let (a, b) = (w.a.clone(), w.b.clone());
    let ratings = ["not", "partially", "largely", "fully"];
    for i in 0..3 {
        let (from, to) = (ratings[i], ratings[i + 1]);
        append(
            &app,
            &w.enterprise_a1,
            "answer.write",
            ("assessment", &w.assessment_a1),
            Some(&a),
            Some(json!({"criterion": "2025:6.1:L1:1", "rating": from, "comment": "制度草案"})),
            Some(json!({"criterion": "2025:6.1:L1:1", "rating": to, "comment": "制度草案"})),
        );
    }
    append(
        &app,
        &w.enterprise_a1,
        "assessment.submit",
        ("assessment", &w.assessment_a1),
        Some(&a),
        None,
        None,
    );
    append(
        &app,
        &w.manager_a,
        "enterprise.update",
        ("enterprise", &w.a1),
        Some(&a),
        Some(json!({"region": "福州"})),
        Some(json!({"region": "厦门"})),
    );
    for to in ["largely", "fully"] {
        append(
            &app,
            &w.enterprise_b1,
            "answer.write",
            ("assessment", &w.assessment_b1),
            Some(&b),
            None,
            Some(json!({"criterion": "2025:6.1:L1:1", "rating": to})),
        );
    }
    append(
        &app,
        &w.enterprise_b1,
        "assessment.submit",
        ("assessment", &w.assessment_b1),
        Some(&b),
        None,
        None,
    );
    append(
        &app,
        &w.admin,
        "user.create",
        ("user", &w.auditor_a.id),
        None,
        None,
        Some(json!({"username": "auditor.a"})),
    );
    Logged { app, w, auditor_b }
}

async fn token(app: &TestApp, who: &Account) -> String {
    app.session(&who.username, PASSWORD).await.access
}

/// The entries of one API call: status and body.
async fn get(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let r = app
        .send(
            Method::GET,
            &format!("/api/v1/audit-log{query}"),
            Some(token),
            None,
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The sequence numbers a query lists (in one page of up to 500).
async fn seqs(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let sep = if query.is_empty() { "?" } else { "&" };
    let (status, body) = get(app, token, &format!("{query}{sep}limit=500")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect()
}

both_backends! {
    async fn the_audit_log_filters_by_who_action_entity_cluster_and_time(backend: Backend) {
        let Logged { app, w, .. } = setup(backend).await;
        let admin = token(&app, &w.admin).await;
        let (_, all) = get(&app, &admin, "?limit=500").await;
        let all = all["items"].as_array().unwrap().clone();
        // The nine entries of the setup and the admin's login (`auth.login`).
        assert_eq!(all.len(), 10);
        assert_eq!(all[9]["action"], "auth.login");
        let keep = |f: &dyn Fn(&Value) -> bool| -> Vec<i64> {
            all.iter().filter(|e| f(e)).map(|e| e["seq"].as_i64().unwrap()).collect()
        };
        let by_a1 = keep(&|e| e["actor_id"] == w.enterprise_a1.id.as_str());
        assert_eq!(by_a1.len(), 4);
        assert_eq!(seqs(&app, &admin, &format!("?actor_id={}", w.enterprise_a1.id)).await, by_a1);
        let answers = keep(&|e| e["action"] == "answer.write");
        assert_eq!(answers.len(), 5);
        assert_eq!(seqs(&app, &admin, "?action=answer.write").await, answers);
        let about_b1 = keep(&|e| e["subject_type"] == "assessment" && e["subject_id"] == w.assessment_b1.as_str());
        assert_eq!(about_b1.len(), 3);
        assert_eq!(seqs(&app, &admin, &format!("?subject_type=assessment&subject_id={}", w.assessment_b1)).await, about_b1);
        assert_eq!(seqs(&app, &admin, "?subject_type=enterprise").await.len(), 1);
        let both = format!("?actor_id={}&action=assessment.submit", w.enterprise_a1.id);
        assert_eq!(seqs(&app, &admin, &both).await.len(), 1);
        let in_b = keep(&|e| e["cluster_id"] == w.b.as_str());
        assert_eq!(seqs(&app, &admin, &format!("?cluster_id={}", w.b)).await, in_b);
        assert!(!in_b.is_empty());

        // Days cover whole days (UTC); an instant keeps what was written from it on.
        let today = chrono::Utc::now().date_naive();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
        assert_eq!(seqs(&app, &admin, &format!("?from={}&to={}", day(today), day(today))).await.len(), 10);
        assert!(seqs(&app, &admin, &format!("?to={}", day(yesterday))).await.is_empty());
        assert!(seqs(&app, &admin, &format!("?from={}", day(tomorrow))).await.is_empty());
        let at = all[5]["at"].as_str().unwrap().to_owned();
        let from_then = keep(&|e| e["at"].as_str().unwrap() >= at.as_str());
        assert!(from_then.len() < 10 && from_then.contains(&all[5]["seq"].as_i64().unwrap()));
        assert_eq!(seqs(&app, &admin, &format!("?from={at}")).await, from_then);
        let until_then = keep(&|e| e["at"].as_str().unwrap() <= at.as_str());
        assert_eq!(seqs(&app, &admin, &format!("?to={at}")).await, until_then);

        // Newest first, paged with the same cursor.
        let mut reversed: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        reversed.reverse();
        assert_eq!(seqs(&app, &admin, "?order=newest").await, reversed);
        let (mut walked, mut after) = (Vec::new(), String::new());
        loop {
            let (status, body) = get(&app, &admin, &format!("?order=newest&limit=2{after}")).await;
            assert_eq!(status, 200);
            walked.extend(body["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()));
            match body["next"].as_str() {
                Some(next) => after = format!("&after={next}"),
                None => break,
            }
        }
        assert_eq!(walked, reversed);
    }

    async fn a_bad_audit_log_query_names_each_wrong_field(backend: Backend) {
        let Logged { app, w, .. } = setup(backend).await;
        let admin = token(&app, &w.admin).await;
        let r = app.send(Method::GET, "/api/v1/audit-log?actor_id=bob&action=DROP%20TABLE&subject_type=a.b&from=soon&to=2026-02-30&order=sideways&limit=0&after=x&cluster_id=c", Some(&admin), None).await;
        let body = error_body(r, 422, "validation_failed").await;
        let fields: Vec<&str> = body["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["action", "actor_id", "after", "cluster_id", "from", "limit", "order", "subject_type", "to"]);
        let r = app.send(Method::GET, "/api/v1/audit-log?from=2026-12-02&to=2026-12-01", Some(&admin), None).await;
        let body = error_body(r, 422, "validation_failed").await;
        assert!(body["fields"]["to"][0].as_str().unwrap().contains("before from"), "{body}");
        // A well-formed cluster id that names no cluster is a 404.
        let r = app.send(Method::GET, &format!("/api/v1/audit-log?cluster_id={}", uuid::Uuid::now_v7()), Some(&admin), None).await;
        error_body(r, 404, "not_found").await;
    }

    async fn an_auditor_reads_the_entries_of_its_clusters_only(backend: Backend) {
        let Logged { app, w, auditor_b } = setup(backend).await;
        let admin = token(&app, &w.admin).await;
        let (_, all) = get(&app, &admin, "?limit=500").await;
        let of = |cluster: &str| -> Vec<i64> {
            all["items"].as_array().unwrap().iter()
                .filter(|e| e["cluster_id"] == cluster)
                .map(|e| e["seq"].as_i64().unwrap()).collect()
        };
        let a = token(&app, &w.auditor_a).await;
        let b = token(&app, &auditor_b).await;
        assert_eq!(seqs(&app, &a, "").await, of(&w.a));
        assert_eq!(seqs(&app, &b, "").await, of(&w.b));
        assert_eq!(of(&w.b).len(), 3);
        // Asked about the other cluster's entries, an auditor finds none; the cluster itself
        // does not exist for it.
        assert!(seqs(&app, &a, &format!("?subject_id={}", w.assessment_b1)).await.is_empty());
        assert!(seqs(&app, &a, &format!("?actor_id={}", w.enterprise_b1.id)).await.is_empty());
        assert!(seqs(&app, &b, "?action=enterprise.update").await.is_empty());
        let r = app.send(Method::GET, &format!("/api/v1/audit-log?cluster_id={}", w.b), Some(&a), None).await;
        error_body(r, 404, "not_found").await;
        assert_eq!(seqs(&app, &a, &format!("?cluster_id={}", w.a)).await, of(&w.a));
        // Managers and enterprise users do not read the log; nobody logged in is a 401.
        for who in [&w.enterprise_a1, &w.manager_a, &w.manager_b] {
            let t = token(&app, who).await;
            let r = app.send(Method::GET, "/api/v1/audit-log", Some(&t), None).await;
            error_body(r, 403, "forbidden").await;
        }
        let r = app.send(Method::GET, "/api/v1/audit-log", None, None).await;
        error_body(r, 401, "unauthorized").await;
    }
}

/// The part of `html` from entry `seq`'s article to its end.
fn article(html: &str, seq: i64) -> &str {
    let start = html
        .find(&format!(r#"id="e-{seq}""#))
        .unwrap_or_else(|| panic!("no entry {seq}"));
    let rest = &html[start..];
    &rest[..rest.find("</article>").unwrap()]
}

fn articles(html: &str) -> Vec<i64> {
    html.match_indices(r#"<article class="entry card"#)
        .map(|(i, _)| {
            let rest = &html[i..];
            let id = &rest[rest.find(r#"id="e-"#).unwrap() + 6..];
            id[..id.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

both_backends! {
    async fn the_audit_log_page_shows_each_entry_with_who_what_and_its_changes(backend: Backend) {
        let Logged { app, w, .. } = setup(backend).await;
        let cookie = page_login(&app, "admin", PASSWORD).await;
        let (status, html, headers) = page(&app, Some(&cookie), "/audit-log").await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(!html.contains("style=") && !html.contains("<script>"), "inline style or script");
        assert!(html.contains(r#"<a href="/audit-log">审计日志</a>"#), "the navigation links the page");
        // The nine entries of the setup and, newest, the admin's login.
        assert_eq!(articles(&html), (1..=10).rev().collect::<Vec<i64>>(), "newest first");
        assert_eq!(figure(&html, "shown"), "本页 10 条记录，最新的在前。");
        assert!(article(&html, 10).contains("<code>auth.login</code>"));

        // The third answer: who (name and role), the action in words and as code, the
        // assessment linked, and the one changed value marked.
        let e = article(&html, 3);
        assert!(e.contains("保存答案 <code>answer.write</code>"), "{e}");
        assert!(e.contains("(user.a1)") && e.contains("企业用户"), "{e}");
        assert!(e.contains(&format!(r#"href="/assessments/{}/results""#, w.assessment_a1)), "{e}");
        assert!(e.contains(&format!(r#"href="/assessments/{}""#, w.assessment_a1)), "{e}");
        assert!(e.contains("A1 Ltd · Campaign"), "{e}");
        assert!(e.contains(r#"<tr class="changed"><th scope="row">rating <span class="mark changed">已改</span></th><td>largely</td><td>fully</td></tr>"#), "{e}");
        assert!(e.contains("未改动的 2 项"), "criterion and comment folded: {e}");
        // A creation lists its values; an entry of the installation names no cluster.
        let made = article(&html, 9);
        assert!(made.contains("创建账户") && made.contains("记录的值") && made.contains("auditor.a"), "{made}");
        let (_, en, _) = page(&app, Some(&cookie), "/audit-log?lang=en").await;
        assert!(en.contains("Answer saved <code>answer.write</code>") && en.contains(">changed<"));
    }

    async fn the_audit_log_page_filters_with_a_get_form_and_pages_to_older_entries(backend: Backend) {
        let Logged { app, w, .. } = setup(backend).await;
        let cookie = page_login(&app, "admin", PASSWORD).await;
        let path = format!("/audit-log?actor_id={}&action=answer.write", w.enterprise_a1.id);
        let (status, html, _) = page(&app, Some(&cookie), &path).await;
        assert_eq!(status, 200);
        assert_eq!(articles(&html), [3, 2, 1]);
        assert!(html.contains(r#"<form method="get" action="/audit-log""#));
        assert!(html.contains(r#"<option value="answer.write" selected>保存答案 (answer.write)</option>"#), "the form shows the filter");
        assert!(html.contains(&format!(r#"<option value="{}" selected>"#, w.enterprise_a1.id)));
        let (_, html, _) = page(&app, Some(&cookie), &format!("/audit-log?subject_type=assessment&subject_id={}", w.assessment_b1)).await;
        assert_eq!(articles(&html), [8, 7, 6]);
        let (_, html, _) = page(&app, Some(&cookie), &format!("/audit-log?cluster_id={}", w.b)).await;
        assert_eq!(articles(&html), [8, 7, 6]);
        let today = chrono::Utc::now().date_naive();
        let (_, html, _) = page(&app, Some(&cookie), &format!("/audit-log?to={}", today.pred_opt().unwrap())).await;
        assert!(articles(&html).is_empty() && html.contains("没有符合条件的记录"));

        // A wrong value is named next to its field, and nothing is listed.
        let (status, html, _) = page(&app, Some(&cookie), "/audit-log?from=soon&action=x.Y").await;
        assert_eq!(status, 422);
        assert!(html.contains(r#"id="f-from" value="soon" aria-invalid="true" aria-describedby="err-from""#), "{html}");
        assert!(html.contains(r#"id="err-action""#) && articles(&html).is_empty());

        // Past a page of 50, an older link with the API's cursor, and back to the newest.
        for i in 0..55 {
            append(&app, &w.enterprise_a1, "answer.write", ("assessment", &w.assessment_a1), Some(&w.a), None, Some(json!({"rating": "fully", "n": i})));
        }
        let (_, first, _) = page(&app, Some(&cookie), "/audit-log?action=answer.write").await;
        let shown = articles(&first);
        assert_eq!(shown.len(), 50);
        // Seq 10 is the admin's login; the new answers are 11 to 65.
        assert_eq!(shown[0], 65);
        let older = format!("/audit-log?action=answer.write&amp;after={}", shown[49]);
        assert!(first.contains(&format!(r#"href="{older}""#)), "older link");
        let (_, second, _) = page(&app, Some(&cookie), &older.replace("&amp;", "&")).await;
        let rest = articles(&second);
        assert_eq!(rest.len(), 5 + 5, "the other new answers and the first five");
        assert!(rest.iter().all(|s| *s < shown[49]));
        assert!(second.contains(r#"<a href="/audit-log?action=answer.write" id="newest">"#));
        assert!(!second.contains(r#"id="older""#));
        let api = token(&app, &w.admin).await;
        let (_, body) = get(&app, &api, "?action=answer.write&order=newest&limit=50").await;
        assert_eq!(body["next"], shown[49].to_string(), "the page's cursor is the API's");
    }

    async fn the_audit_log_page_keeps_auditors_to_their_clusters_and_refuses_other_roles(backend: Backend) {
        let Logged { app, w, auditor_b } = setup(backend).await;
        let a = page_login(&app, &w.auditor_a.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&a), "/audit-log").await;
        assert_eq!(status, 200);
        assert_eq!(articles(&html), [5, 4, 3, 2, 1]);
        assert!(!html.contains(&w.assessment_b1) && !html.contains("B1 Ltd"), "nothing of cluster B");
        assert!(!html.contains("user.b1"), "B's people are not offered as a filter");
        assert!(html.contains(r#"<a href="/audit-log">审计日志</a>"#));
        let (status, html, _) = page(&app, Some(&a), &format!("/audit-log?cluster_id={}", w.b)).await;
        assert_eq!(status, 404, "{html}");
        let (_, html, _) = page(&app, Some(&a), &format!("/audit-log?subject_id={}", w.assessment_b1)).await;
        assert!(articles(&html).is_empty());
        let b = page_login(&app, &auditor_b.username, PASSWORD).await;
        let (_, html, _) = page(&app, Some(&b), "/audit-log").await;
        assert_eq!(articles(&html), [8, 7, 6]);
        for who in [&w.manager_a, &w.enterprise_a1] {
            let cookie = page_login(&app, &who.username, PASSWORD).await;
            let (status, html, headers) = page(&app, Some(&cookie), "/audit-log").await;
            assert_eq!(status, 403, "{}", who.username);
            assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
            assert!(html.contains("您的角色不能打开此页面"));
            let (_, home, _) = page(&app, Some(&cookie), "/campaigns").await;
            assert!(!home.contains("/audit-log"), "no link for {}", who.username);
        }
        let (status, _, headers) = page(&app, None, "/audit-log").await;
        assert_eq!(status, 303);
        assert!(headers["location"].to_str().unwrap().starts_with("/session/renew?next=/audit-log"));
    }

    async fn the_chain_check_says_intact_or_where_the_chain_broke(backend: Backend) {
        let Logged { app, w, auditor_b } = setup(backend).await;
        let admin = page_login(&app, "admin", PASSWORD).await;
        let a = page_login(&app, &w.auditor_a.username, PASSWORD).await;
        let b = page_login(&app, &auditor_b.username, PASSWORD).await;
        let (_, html, _) = page(&app, Some(&admin), "/audit-log").await;
        assert!(html.contains(r#"href="/audit-log?check=1#chain""#) && !html.contains(r#"data-figure="chain""#), "run only when asked");
        let (_, html, _) = page(&app, Some(&admin), "/audit-log?check=1").await;
        // The setup's nine entries and the three logins above.
        assert_eq!(figure(&html, "chain"), "完好：第 1 至第 12 条记录均未被改动、删除或调换。");
        let (_, html, _) = page(&app, Some(&a), "/audit-log?check=1").await;
        assert_eq!(figure(&html, "chain"), "完好：整个日志未被改动、删除或调换。", "no count of the whole log");
        assert!(html.contains("哈希链是全局的"));

        // Someone edits B's second answer in the database.
        diesel::sql_query("UPDATE audit_log SET after_json = '{\"rating\":\"not\"}' WHERE seq = 7")
            .execute(&mut pool(&app).get().unwrap())
            .unwrap();
        let (_, html, _) = page(&app, Some(&admin), "/audit-log?check=1").await;
        assert_eq!(figure(&html, "chain"), "断开于第 7 条记录：这条记录在写入后被改动过。");
        assert!(html.contains("第 1 至第 6 条记录完好"));
        assert!(html.contains(r##"href="/audit-log?after=8#e-7""##), "a link to the entry");
        assert!(article(&html, 7).contains("哈希链在此断开"));
        let (_, html, _) = page(&app, Some(&b), "/audit-log?check=1").await;
        assert_eq!(figure(&html, "chain"), "断开于第 7 条记录：这条记录在写入后被改动过。", "B's own entry");
        let (_, html, _) = page(&app, Some(&a), "/audit-log?check=1&lang=en").await;
        assert_eq!(figure(&html, "chain"), "Broken at an entry outside your clusters.");
        assert!(!html.contains("entry 7") && !html.contains("哈希链在此断开"));

        // An earlier edit in A: A's auditor now sees where.
        diesel::sql_query("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 2")
            .execute(&mut pool(&app).get().unwrap())
            .unwrap();
        let (_, html, _) = page(&app, Some(&a), "/audit-log?check=1").await;
        assert_eq!(figure(&html, "chain"), "断开于第 2 条记录：这条记录在写入后被改动过。");
        let (_, html, _) = page(&app, Some(&b), "/audit-log?check=1").await;
        assert_eq!(figure(&html, "chain"), "已断开：断点在您负责的集群以外的一条记录上。");
    }
}
