//! A server killed with SIGKILL while enterprises autosave keeps every answer it acknowledged,
//! and the audit chain, linked after the restart, verifies; on both backends.

use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::both_backends;
use crate::cli::dcmm;
use crate::helpers::TestDb;

const PASSWORD: &str = "dcmm-demo-2026";
/// Concurrent writers, each an enterprise user writing to its own draft.
const WRITERS: usize = 8;
/// How many acknowledged saves to wait for before the kill.
const BEFORE_KILL: usize = 150;

/// `dcmm serve` on the test database and a port of its own, ready to answer.
async fn serve(db: &TestDb) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let mut child = dcmm()
        .arg("serve")
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .env("DCMM_BIND", format!("127.0.0.1:{port}"))
        .env("DCMM_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let ready = reqwest::get(format!("{base}/readyz"))
            .await
            .map(|r| r.status().is_success())
            .unwrap_or(false);
        if ready {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("dcmm serve did not become ready within a minute");
}

async fn json_of(sent: reqwest::Result<reqwest::Response>) -> Value {
    let response = sent.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// (token, draft assessment id) of the first `WRITERS` demo users with a draft.
async fn writers(client: &reqwest::Client, base: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for n in 1..=40 {
        let login = json_of(
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"username": format!("e{n:02}"), "password": PASSWORD}))
                .send()
                .await,
        )
        .await;
        let token = login["access_token"].as_str().unwrap().to_owned();
        let me = get(client, base, &token, "/api/v1/me").await;
        let path = format!(
            "/api/v1/enterprises/{}/assessments",
            me["enterprise_id"].as_str().unwrap()
        );
        let list = get(client, base, &token, &path).await;
        let draft = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["status"] == "draft")
            .map(|a| a["id"].as_str().unwrap().to_owned());
        if let Some(id) = draft {
            found.push((token, id));
        }
        if found.len() == WRITERS {
            return found;
        }
    }
    panic!("the demo has fewer than {WRITERS} drafts");
}

async fn get(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
    json_of(
        client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await,
    )
    .await
}

/// The criterion ids of the assessment's questionnaire, in order.
async fn criteria(client: &reqwest::Client, base: &str, token: &str, id: &str) -> Vec<String> {
    let assessment = get(client, base, token, &format!("/api/v1/assessments/{id}")).await;
    let url = assessment["questionnaire_url"].as_str().unwrap();
    let q = get(client, base, token, &url[url.find("/api/").unwrap()..]).await;
    q["domains"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap())
        .flat_map(|i| i["criteria"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every answer of the assessment, by criterion: (rating, comment).
async fn answers(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    id: &str,
) -> std::collections::HashMap<String, (String, String)> {
    let mut out = std::collections::HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/assessments/{id}/answers?limit=500");
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let page = get(client, base, token, &path).await;
        for a in page["items"].as_array().unwrap() {
            out.insert(
                a["criterion"].as_str().unwrap().to_owned(),
                (
                    a["rating"].as_str().unwrap().to_owned(),
                    a["comment"].as_str().unwrap().to_owned(),
                ),
            );
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => return out,
        }
    }
}

/// One acknowledged save: the writer, the criterion, what was written.
type Saved = (usize, String, String, String);

both_backends! {
    async fn a_killed_server_keeps_every_acknowledged_answer_and_its_chain(backend: Backend) {
        killed_under_autosave(&TestDb::create(backend)).await;
    }
}

async fn killed_under_autosave(db: &TestDb) {
    let seeded = dcmm()
        .arg("demo")
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let (mut server, base) = serve(db).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let users = writers(&client, &base).await;
    let ids = criteria(&client, &base, &users[0].0, &users[0].1).await;
    let saved: Arc<Mutex<Vec<Saved>>> = Arc::default();
    let threads: Vec<_> = users
        .iter()
        .cloned()
        .enumerate()
        .map(|(w, (token, assessment))| {
            let (client, base, ids, saved) =
                (client.clone(), base.clone(), ids.clone(), saved.clone());
            tokio::spawn(async move {
                let ratings = ["fully", "largely", "partially", "not"];
                // Each criterion once, so what is stored must be exactly the acknowledged write.
                for (k, criterion) in ids.iter().enumerate() {
                    let rating = ratings[(k + w) % 4];
                    let comment = format!("writer {w} save {k}");
                    let sent = client
                        .put(format!(
                            "{base}/api/v1/assessments/{assessment}/answers/{criterion}"
                        ))
                        .bearer_auth(&token)
                        .json(&json!({"rating": rating, "comment": comment}))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().is_success() => saved.lock().unwrap().push((
                            w,
                            criterion.clone(),
                            rating.to_owned(),
                            comment,
                        )),
                        Ok(r) => panic!("a save answered {} before the kill", r.status()),
                        // The server is gone: this save was never acknowledged.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while saved.lock().unwrap().len() < BEFORE_KILL && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for t in threads {
        t.await.unwrap();
    }
    let saved = saved.lock().unwrap().clone();
    assert!(
        saved.len() >= BEFORE_KILL,
        "only {} saves before the deadline",
        saved.len()
    );

    let (mut server, base) = serve(db).await;
    let mut stored = Vec::new();
    for (token, id) in writers(&client, &base).await {
        stored.push(answers(&client, &base, &token, &id).await);
    }
    for (w, criterion, rating, comment) in &saved {
        let found = stored[*w].get(criterion);
        assert_eq!(
            found,
            Some(&(rating.clone(), comment.clone())),
            "writer {w}'s acknowledged answer to {criterion} after the restart"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let verified = dcmm()
        .args(["audit", "verify"])
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    // Every acknowledged save has its entry in the chain.
    let mut conn = dcmm::db::connect(&dcmm::db::DbTarget::parse(&db.url).unwrap(), 1)
        .unwrap()
        .get()
        .unwrap();
    let logged: i64 = {
        use dcmm::db::schema::audit_log;
        use diesel::prelude::*;
        audit_log::table
            .filter(audit_log::action.eq("answer.write"))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert!(
        logged >= saved.len() as i64,
        "{logged} answer entries for {} saves",
        saved.len()
    );
}
