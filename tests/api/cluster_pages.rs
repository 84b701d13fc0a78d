//! The admin's cluster pages over HTTP: who may open them, creating and changing a cluster
//! through the forms (CSRF, a field refused in place), and assigning a manager and an auditor.

use reqwest::Method;

use crate::both_backends;
use crate::fixtures::{world, PASSWORD};
use crate::helpers::call;
use crate::web::{csrf_of, page, page_login, post_form};

both_backends! {
    async fn the_admin_creates_changes_and_staffs_a_cluster(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let w = world(&app);
        for who in [&w.manager_a, &w.enterprise_a1, &w.auditor_a] {
            let cookie = page_login(&app, &who.username, PASSWORD).await;
            assert_eq!(page(&app, Some(&cookie), "/clusters").await.0, 403, "{}", who.username);
        }
        let admin = app.session(&w.admin.username, PASSWORD).await.access;
        let cookie = page_login(&app, &w.admin.username, PASSWORD).await;
        let (status, html, _) = page(&app, Some(&cookie), "/clusters/new").await;
        assert_eq!(status, 200);
        let csrf = csrf_of(&html);

        let (status, _) = post_form(&app, &cookie, "/clusters/new", &[("name", "无令牌集群")]).await;
        assert_eq!(status, 403);
        let r = reqwest::Client::new().post(app.url("/clusters/new")).header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("name", "  "), ("region", "福州")]).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="error-name""#) && html.contains(r#"aria-describedby="error-name""#), "{html}");
        let (_, listed) = call(&app, Method::GET, "/api/v1/clusters", &admin, None).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 2, "nothing written");

        let (status, location) = post_form(&app, &cookie, "/clusters/new",
            &[("csrf", &csrf), ("name", "闽侯数字产业集群"), ("region", "闽侯"), ("description", "")]).await;
        assert_eq!(status, 303);
        let id = location.trim_start_matches("/clusters/").split('?').next().unwrap().to_owned();
        let (s, created) = call(&app, Method::GET, &format!("/api/v1/clusters/{id}"), &admin, None).await;
        assert_eq!(s, 200);
        assert_eq!(created["name"], "闽侯数字产业集群");

        let (status, _) = post_form(&app, &cookie, &format!("/clusters/{id}"),
            &[("csrf", &csrf), ("name", "闽侯县数字产业集群"), ("region", "闽侯"), ("description", "试点")]).await;
        assert_eq!(status, 303);
        let (_, changed) = call(&app, Method::GET, &format!("/api/v1/clusters/{id}"), &admin, None).await;
        assert_eq!(changed["name"], "闽侯县数字产业集群");
        assert_eq!(changed["description"], "试点");

        let (status, html, _) = page(&app, Some(&cookie), &format!("/clusters/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"id="no-members""#));
        for who in [&w.manager_b, &w.auditor_a] {
            let (status, _) = post_form(&app, &cookie, &format!("/clusters/{id}/assign"), &[("csrf", &csrf), ("user", &who.id)]).await;
            assert_eq!(status, 303, "{}", who.username);
        }
        let (_, users) = call(&app, Method::GET, "/api/v1/users?limit=100", &admin, None).await;
        let find = |name: &str| users["items"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap().clone();
        assert_eq!(find(&w.manager_b.username)["cluster_id"], id.as_str(), "the manager moved here");
        let audits: Vec<String> = find(&w.auditor_a.username)["cluster_ids"].as_array().unwrap()
            .iter().map(|c| c.as_str().unwrap().to_owned()).collect();
        assert!(audits.contains(&id) && audits.contains(&w.a), "the auditor keeps cluster A: {audits:?}");
        let (_, html, _) = page(&app, Some(&cookie), &format!("/clusters/{id}")).await;
        assert!(html.contains(&w.manager_b.username) && html.contains(&w.auditor_a.username));
        let (_, log) = call(&app, Method::GET, &format!("/api/v1/audit-log?subject_id={id}"), &admin, None).await;
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["cluster.create", "cluster.update"]);
    }
}
