//! Lists paged by `?limit=&after=`: walking the pages gives every row once, in order, and the
//! same rows as one page that holds them all.

use reqwest::Method;
use serde_json::{json, Value};

use dcmm::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use dcmm::domain::Role;

use crate::both_backends;
use crate::fixtures::{open_campaign, pool, world, PASSWORD};
use crate::helpers::{spawn_app, TestApp};

impl TestApp {
    /// Walks a list `limit` items at a time; answers each item's `key` in the order given.
    async fn walk(&self, path: &str, token: &str, limit: usize, key: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..1000 {
            let cursor = after
                .as_deref()
                .map(|a| format!("&after={a}"))
                .unwrap_or_default();
            let page = format!("{path}?limit={limit}{cursor}");
            let response = self.send(Method::GET, &page, Some(token), None).await;
            assert_eq!(response.status().as_u16(), 200, "{page}");
            let body: Value = response.json().await.unwrap();
            let items = body["items"].as_array().unwrap();
            assert!(items.len() <= limit, "{page}: {} items", items.len());
            keys.extend(items.iter().map(|i| i[key].as_str().unwrap().to_owned()));
            match body["next"].as_str() {
                Some(next) => {
                    assert_eq!(Some(next), keys.last().map(String::as_str), "{page}");
                    after = Some(next.to_owned());
                }
                None => return keys,
            }
        }
        panic!("{path}: the pages never end");
    }

    /// Checks that walking `path` in pages of `limit` gives the same `expected` rows as one page.
    async fn assert_pages(
        &self,
        path: &str,
        token: &str,
        limit: usize,
        key: &str,
        expected: &[String],
    ) {
        let paged = self.walk(path, token, limit, key).await;
        assert!(
            expected.len() > limit * 2,
            "{path}: too few rows to page through"
        );
        assert_eq!(paged, expected, "{path} in pages of {limit}");
        let whole = self.walk(path, token, 500, key).await;
        assert_eq!(whole, expected, "{path} in one page");
    }
}

/// An account straight into storage, with a hash nobody logs in with: only listed.
fn listed_user(app: &TestApp, username: &str, enterprise: &str) {
    let account = NewAccount::parse(&NewAccountInput {
        username,
        password: Some(PASSWORD),
        display_name: None,
        language: None,
        role: Role::Enterprise,
        scope: ScopeFields {
            enterprise_id: Some(enterprise),
            ..Default::default()
        },
    })
    .unwrap();
    let mut conn = pool(app).get().unwrap();
    let actor = dcmm::auth::users::resolve_scope(&mut conn, &account.scope)
        .unwrap()
        .unwrap();
    dcmm::auth::users::insert(&mut conn, &account, &actor, "not-a-hash").unwrap();
}

fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys
}

both_backends! {
    async fn answers_come_in_pages_by_criterion_each_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let user = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let registry = dcmm::questionnaire::Registry::built_in().unwrap();
        let q = registry.dcmm("dcmm-2025").unwrap();
        // Every third criterion, in reverse: the pages must not follow the order of writing.
        let mut criteria: Vec<String> = q.criteria().step_by(3).map(|c| c.id.clone()).collect();
        criteria.reverse();
        let answers: Vec<Value> = criteria.iter().map(|c| json!({"criterion": c, "rating": "largely"})).collect();
        let path = format!("/api/v1/assessments/{}/answers", w.assessment_a1);
        let response = app.send(Method::PUT, &path, Some(&user), Some(&json!({"answers": answers}))).await;
        assert_eq!(response.status().as_u16(), 200);
        app.assert_pages(&path, &user, 7, "criterion", &sorted(criteria)).await;
        // A cursor past every criterion is an empty last page.
        let response = app.send(Method::GET, &format!("{path}?after=~"), Some(&user), None).await;
        let body: Value = response.json().await.unwrap();
        assert_eq!((body["items"].as_array().map(Vec::len), &body["next"]), (Some(0), &Value::Null));
    }

    async fn accounts_come_in_pages_by_username_within_the_scope(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for n in 0..9 {
            listed_user(&app, &format!("a.listed.{n}"), &w.a2);
            listed_user(&app, &format!("b.listed.{n}"), &w.b1);
        }
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let all = sorted(
            ["admin", "manager.a", "user.a1", "auditor.a", "manager.b", "user.b1"]
                .into_iter()
                .map(String::from)
                .chain((0..9).flat_map(|n| [format!("a.listed.{n}"), format!("b.listed.{n}")]))
                .collect(),
        );
        app.assert_pages("/api/v1/users", &admin, 4, "username", &all).await;
        // A cluster manager's pages hold its cluster's accounts only.
        let manager = app.session(&w.manager_a.username, PASSWORD).await.access;
        let in_a: Vec<String> = all.iter().filter(|u| u.starts_with("a.listed") || *u == "manager.a" || *u == "user.a1").cloned().collect();
        app.assert_pages("/api/v1/users", &manager, 3, "username", &in_a).await;
    }

    async fn an_enterprises_assessments_come_in_pages_by_id(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        for _ in 0..6 {
            open_campaign(&app, &w.a);
        }
        let mut conn = pool(&app).get().unwrap();
        let ids: Vec<String> = dcmm::db::assessments::of_enterprise(&mut conn, w.a1.parse().unwrap(), None, 100)
            .unwrap()
            .into_iter()
            .map(|a| a.id.to_string())
            .collect();
        assert_eq!(ids.len(), 7);
        let user = app.session(&w.enterprise_a1.username, PASSWORD).await.access;
        let path = format!("/api/v1/enterprises/{}/assessments", w.a1);
        app.assert_pages(&path, &user, 2, "id", &sorted(ids)).await;
    }
}
