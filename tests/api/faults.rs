//! Faults an operator meets: a backup taken under load restores every acknowledged answer;
//! SIGTERM lets a request in flight finish; PostgreSQL going away answers 503 and coming back
//! needs no restart; a full SQLite data folder answers 507, keeps the database intact and
//! recovers once space returns.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::cli::dcmm;
use crate::client_evidence::{multipart, upload_parts, CRITERION, OTHER_CRITERION, PDF};
use crate::fixtures::{insert_assessment, world, PASSWORD};
use crate::helpers::{call, error_body, spawn_app_on, Backend, TestDb};
use crate::served::{
    answers, connect_from, criteria, json_of, read_reply, read_until, request_head, seed_demo,
    send, serve, serve_on, terminate, writers, Reply,
};

/// One acknowledged save: the writer, the criterion, what was written.
type Saved = (usize, String, String, String);

async fn upload(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    assessment: &str,
    file: &[u8],
) -> Value {
    let (content_type, body) = multipart(&upload_parts("policy.pdf", file, &[CRITERION]));
    json_of(
        client
            .post(format!("{base}/api/v1/assessments/{assessment}/evidence"))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_every_answer_acknowledged_before_it() {
    let db = TestDb::create(Backend::Sqlite);
    seed_demo(&db);
    let (mut server, base) = serve(&db).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let users = writers(&client, &base, 4).await;
    let ids = criteria(&client, &base, &users[0].0, &users[0].1).await;
    let evidence = upload(&client, &base, &users[0].0, &users[0].1, PDF).await;

    let saved: Arc<Mutex<Vec<Saved>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = users
        .iter()
        .cloned()
        .enumerate()
        .map(|(w, (token, assessment))| {
            let (client, base, ids, saved, stop) = (
                client.clone(),
                base.clone(),
                ids.clone(),
                saved.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                // Each criterion once, so what is stored must be exactly the acknowledged write.
                for (k, criterion) in ids.iter().enumerate() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let rating = ["fully", "largely", "partially", "not"][(k + w) % 4];
                    let comment = format!("writer {w} save {k}");
                    let r = client
                        .put(format!(
                            "{base}/api/v1/assessments/{assessment}/answers/{criterion}"
                        ))
                        .bearer_auth(&token)
                        .json(&json!({"rating": rating, "comment": comment}))
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success(), "a save answered {}", r.status());
                    saved
                        .lock()
                        .unwrap()
                        .push((w, criterion.clone(), rating.to_owned(), comment));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while saved.lock().unwrap().len() < 80 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before = saved.lock().unwrap().clone();
    assert!(before.len() >= 80, "only {} saves", before.len());

    let file = db.data_dir.join("backup").join("dcmm-copy.db");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let data_dir = db.data_dir.display().to_string();
    let with_data = |file: std::path::PathBuf| {
        let data_dir = data_dir.clone();
        let url = db.url.clone();
        tokio::task::spawn_blocking(move || {
            dcmm()
                .arg("backup")
                .arg(file)
                .env("DCMM_DATABASE_URL", url)
                .env("DCMM_DATA_DIR", data_dir)
                .output()
                .unwrap()
        })
    };
    let taken = with_data(file.clone()).await.unwrap();
    let during = saved.lock().unwrap().len() - before.len();
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    eprintln!(
        "{} saves before the backup, {during} while it ran",
        before.len()
    );

    // Never over an existing backup.
    let size = std::fs::metadata(&file).unwrap().len();
    let again = with_data(file.clone()).await.unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size);

    // Restored as the operator would: the copy as the database, its evidence as the folder, and
    // the audit key the operator kept apart from the backup.
    let restored = TestDb::create(Backend::Sqlite);
    std::fs::copy(&file, restored.data_dir.join("dcmm.db")).unwrap();
    std::fs::copy(
        db.data_dir.join("audit-key"),
        restored.data_dir.join("audit-key"),
    )
    .unwrap();
    copy_dir(
        &dcmm_evidence_of(&file),
        &restored.data_dir.join("evidence"),
    );
    let (mut server, base) = serve_on(&restored.url, &restored.data_dir, &[]).await;
    let users = writers(&client, &base, 4).await;
    let mut stored = Vec::new();
    for (token, id) in &users {
        stored.push(answers(&client, &base, token, id).await);
    }
    for (w, criterion, rating, comment) in &before {
        assert_eq!(
            stored[*w].get(criterion),
            Some(&(rating.clone(), comment.clone())),
            "writer {w}'s answer to {criterion}, acknowledged before the backup"
        );
    }
    let id = evidence["id"].as_str().unwrap();
    let download = client
        .get(format!("{base}/api/v1/evidence/{id}/download"))
        .bearer_auth(&users[0].0)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    server.kill().unwrap();
    server.wait().unwrap();
}

fn dcmm_evidence_of(file: &std::path::Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".evidence");
    name.into()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_backup_of_postgres_is_refused_pointing_to_pg_dump() {
    let db = TestDb::create(Backend::Postgres);
    let out = dcmm()
        .args(["backup", "/tmp/never-written.db"])
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pg_dump") && stderr.contains("evidence"),
        "{stderr}"
    );
    assert!(!std::path::Path::new("/tmp/never-written.db").exists());
}

both_backends! {
    async fn sigterm_lets_an_upload_in_flight_finish_and_exits_0(backend: Backend) {
        let db = TestDb::create(backend);
        seed_demo(&db);
        let (mut server, base) = serve_on(&db.url, &db.data_dir, &[("DCMM_SHUTDOWN_TIMEOUT_SECS", "20")]).await;
        let client = reqwest::Client::new();
        let (token, assessment) = writers(&client, &base, 1).await.remove(0);
        let (content_type, body) = multipart(&upload_parts("policy.pdf", PDF, &[CRITERION]));
        let path = format!("/api/v1/assessments/{assessment}/evidence");
        let mut held = connect_from(&base, "127.0.0.1".parse().unwrap()).await;
        send(&mut held, &request_head("POST", &path, Some(&token), &content_type, body.len(), true)).await;
        assert!(read_until(&mut held, b"100 Continue", Duration::from_secs(10)).await);
        let (first, rest) = body.split_at(body.len() / 2);
        send(&mut held, first).await;

        terminate(&server);
        // Shutting down: the listener closes, while the upload is still in flight.
        let socket = crate::served::socket_of(&base);
        let mut closed = false;
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(socket).await.is_err() {
                closed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(closed, "the server kept accepting connections after SIGTERM");
        // Held a while longer: a server that did not wait for it would be gone by now.
        tokio::time::sleep(Duration::from_secs(1)).await;
        send(&mut held, rest).await;
        match read_reply(&mut held, Duration::from_secs(20)).await {
            Reply::Response(status, body) => assert_eq!(status, 201, "{body}"),
            Reply::Closed => panic!("the upload in flight was cut by the shutdown"),
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = server.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not exit after SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(status.code(), Some(0));
        let verified = dcmm()
            .args(["audit", "verify"])
            .env("DCMM_DATABASE_URL", &db.url)
            .env("DCMM_DATA_DIR", &db.data_dir)
            .output()
            .unwrap();
        assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    }
}

/// A TCP proxy to PostgreSQL that can be cut (every connection closed, new ones refused at
/// once, as a stopped server does) and restored.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                links2.lock().unwrap().push(link.abort_handle());
            }
        });
        Self { port, up, links }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_answers_503_and_its_return_needs_no_restart() {
    let mut db = TestDb::create(Backend::Postgres);
    let (server, name) = db.url.rsplit_once('/').unwrap();
    let host = server
        .rsplit_once('@')
        .or_else(|| server.split_once("://"))
        .map_or(server, |(_, h)| h);
    let upstream = tokio::net::lookup_host(host).await.unwrap().next().unwrap();
    let proxy = Proxy::start(upstream).await;
    db.url = format!(
        "{}127.0.0.1:{}/{name}",
        &server[..server.len() - host.len()],
        proxy.port
    );
    let app = spawn_app_on(db, &[]).await;
    let w = world(&app);
    let assessment = insert_assessment(&app, &w.a, &w.a1);
    let token = app.session("user.a1", PASSWORD).await.access;
    let path = format!("/api/v1/assessments/{assessment}/answers/{CRITERION}");
    let write = |comment: &str| {
        call(
            &app,
            Method::PUT,
            &path,
            &token,
            Some(json!({"rating": "fully", "comment": comment})),
        )
    };
    assert_eq!(write("before").await.0, 200);

    proxy.cut();
    let started = Instant::now();
    let response = app
        .send(
            Method::PUT,
            &path,
            Some(&token),
            Some(&json!({"rating": "not", "comment": "while away"})),
        )
        .await;
    error_body(response, 503, "database_unavailable").await;
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    error_body(app.get("/readyz").await, 503, "unavailable").await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);

    proxy.restore();
    let mut recovered = false;
    for _ in 0..60 {
        if write("after").await.0 == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        recovered,
        "writes did not recover after PostgreSQL returned"
    );
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
    let (status, answer) = call(
        &app,
        Method::GET,
        &format!("/api/v1/assessments/{assessment}/answers"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let stored: Vec<&Value> = answer["items"].as_array().unwrap().iter().collect();
    assert!(
        stored
            .iter()
            .any(|a| a["criterion"] == CRITERION && a["comment"] == "after"),
        "{answer}"
    );
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("dcmm-full-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            let _ = std::fs::remove_dir(&dir);
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(Self(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Fills the file system holding `path` with one file; answers its path.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("ballast");
    let mut file = std::fs::File::create(&path).unwrap();
    for size in [1 << 20, 4096, 1] {
        let chunk = vec![0u8; size];
        while file.write_all(&chunk).is_ok() {}
    }
    let _ = file.sync_all();
    path
}

fn integrity(db: &TestDb) -> String {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let path = db.data_dir.join("dcmm.db");
    let mut conn = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    rows.into_iter()
        .map(|r| r.integrity_check)
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_data_folder_answers_507_stays_intact_and_recovers() {
    let tmpfs = match Tmpfs::mount("24m") {
        Ok(t) => t,
        Err(reason) => {
            eprintln!("skipped: a tmpfs cannot be mounted here: {reason}");
            return;
        }
    };
    let data_dir = tmpfs.0.join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let app = spawn_app_on(TestDb::sqlite_in(data_dir.clone()), &[]).await;
    let w = world(&app);
    let assessment = insert_assessment(&app, &w.a, &w.a1);
    let token = app.session("user.a1", PASSWORD).await.access;
    let criteria = [CRITERION, OTHER_CRITERION, "2025:6.1:L2:4"];
    let mut acknowledged = std::collections::HashMap::new();
    let put = |criterion: &str, comment: String| {
        let path = format!("/api/v1/assessments/{assessment}/answers/{criterion}");
        let app = &app;
        let token = token.clone();
        async move {
            app.send(
                Method::PUT,
                &path,
                Some(&token),
                Some(&json!({"rating": "largely", "comment": comment})),
            )
            .await
        }
    };
    let first = put(CRITERION, "before the disk filled".into()).await;
    assert_eq!(first.status().as_u16(), 200);
    acknowledged.insert(CRITERION.to_owned(), "before the disk filled".to_owned());

    let ballast = fill(&tmpfs.0);
    let mut full = None;
    for k in 0..400 {
        let criterion = criteria[k % criteria.len()];
        let comment = format!("{k} {}", "数据管理".repeat(300));
        let response = put(criterion, comment.clone()).await;
        match response.status().as_u16() {
            200 => {
                acknowledged.insert(criterion.to_owned(), comment);
            }
            507 => {
                full = Some(response);
                break;
            }
            other => panic!(
                "a write on a full disk answered {other}: {}",
                response.text().await.unwrap()
            ),
        }
    }
    let full = full.expect("no write was refused on the full data folder");
    error_body(full, 507, "storage_full").await;
    let pdf = upload_parts("full.pdf", PDF, &[CRITERION]);
    let upload = app.upload(&token, &assessment, &pdf).await;
    error_body(upload, 507, "storage_full").await;
    let tmp = app.db.data_dir.join("evidence/tmp");
    let leftovers = std::fs::read_dir(tmp).map_or(0, |d| d.count());
    assert_eq!(leftovers, 0, "the refused upload left its temporary file");
    assert_eq!(integrity(&app.db), "ok");

    std::fs::remove_file(ballast).unwrap();
    let mut recovered = false;
    for _ in 0..20 {
        if put(CRITERION, "after space returned".into())
            .await
            .status()
            .as_u16()
            == 200
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "writes did not recover once space returned");
    acknowledged.insert(CRITERION.to_owned(), "after space returned".to_owned());
    assert_eq!(
        app.upload(&token, &assessment, &pdf)
            .await
            .status()
            .as_u16(),
        201
    );
    let (status, page) = call(
        &app,
        Method::GET,
        &format!("/api/v1/assessments/{assessment}/answers?limit=500"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200);
    for (criterion, comment) in &acknowledged {
        let found = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["criterion"] == criterion.as_str());
        assert_eq!(
            found.map(|a| a["comment"].clone()),
            Some(json!(comment)),
            "{criterion}"
        );
    }
    assert_eq!(integrity(&app.db), "ok");
}

/// The value of `name` in a running process's environment.
fn environment_of(child: &std::process::Child, name: &str) -> Option<String> {
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
    environ
        .split(|b| *b == 0)
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_bounds_the_allocators_arenas_unless_the_operator_did() {
    let db = TestDb::create(Backend::Sqlite);
    let (mut server, _) = serve(&db).await;
    assert_eq!(
        environment_of(&server, dcmm::allocator::VAR).as_deref(),
        Some(dcmm::allocator::ARENAS)
    );
    server.kill().unwrap();
    server.wait().unwrap();

    let (mut server, _) = serve_on(&db.url, &db.data_dir, &[(dcmm::allocator::VAR, "4")]).await;
    assert_eq!(
        environment_of(&server, dcmm::allocator::VAR).as_deref(),
        Some("4")
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
