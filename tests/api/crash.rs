//! A server killed with SIGKILL while enterprises autosave keeps every answer it acknowledged,
//! and the audit chain, linked after the restart, verifies; on both backends.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::both_backends;
use crate::cli::dcmm;
use crate::helpers::TestDb;
use crate::served::{self, answers, criteria, seed_demo, serve};

/// Concurrent writers, each an enterprise user writing to its own draft.
const WRITERS: usize = 8;
/// How many acknowledged saves to wait for before the kill.
const BEFORE_KILL: usize = 150;

async fn writers(client: &reqwest::Client, base: &str) -> Vec<(String, String)> {
    served::writers(client, base, WRITERS).await
}

/// One acknowledged save: the writer, the criterion, what was written.
type Saved = (usize, String, String, String);

both_backends! {
    async fn a_killed_server_keeps_every_acknowledged_answer_and_its_chain(backend: Backend) {
        killed_under_autosave(&TestDb::create(backend)).await;
    }
}

async fn killed_under_autosave(db: &TestDb) {
    seed_demo(db);
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
