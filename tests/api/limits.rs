//! What one client can hold is bounded: a body's time to arrive, connections per address,
//! evidence uploads at once (streamed to disk, hashed right, still capped in size).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

use dcmm::evidence::EvidenceStore;

use crate::both_backends;
use crate::client_evidence::{multipart, upload_parts, CRITERION};
use crate::fixtures::{insert_assessment, world, PASSWORD};
use crate::helpers::{error_body, spawn_app_with, Backend};
use crate::served::{connect_from, read_reply, read_until, request_head, send, Reply};

const LOOPBACK: &str = "127.0.0.1";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// The service's error code in a raw reply's JSON body.
fn code_of(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    body["error"].as_str().unwrap_or_default().to_owned()
}

/// The limits do not depend on the backend: SQLite only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_body_sent_a_byte_at_a_time_is_cut_at_the_deadline() {
    let app = spawn_app_with(Backend::Sqlite, &[("DCMM_BODY_TIMEOUT_SECS", "2")]).await;
    let stream = connect_from(&app.address, ip(LOOPBACK)).await;
    let (mut read, mut write) = stream.into_split();
    let body = br#"{"username": "nobody", "password": "a password sent very slowly"}"#;
    let head = request_head(
        "POST",
        "/api/v1/auth/login",
        None,
        "application/json",
        body.len(),
        false,
    );
    send(&mut write, &head).await;
    let trickle = tokio::spawn(async move {
        for byte in body {
            send(&mut write, &[*byte]).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let started = Instant::now();
    let reply = read_reply(&mut read, Duration::from_secs(20)).await;
    let waited = started.elapsed();
    trickle.abort();
    match reply {
        Reply::Response(status, body) => {
            assert_eq!(status, 408, "{body}");
            assert_eq!(code_of(&body), "request_timeout", "{body}");
        }
        Reply::Closed => {}
    }
    // The whole body would take over 30 s; the deadline is 2 s.
    assert!(waited < Duration::from_secs(8), "cut after {waited:?}");
    // A body sent at once is not cut.
    error_body(
        app.login("nobody", "wrong password").await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_from_one_address_are_refused_while_another_is_served() {
    let app = spawn_app_with(Backend::Sqlite, &[("DCMM_MAX_CONNECTIONS_PER_CLIENT", "2")]).await;
    let get = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let within = Duration::from_secs(10);
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut conn = connect_from(&app.address, ip(LOOPBACK)).await;
        send(&mut conn, get).await;
        assert!(matches!(
            read_reply(&mut conn, within).await,
            Reply::Response(200, _)
        ));
        held.push(conn);
    }
    let mut over = connect_from(&app.address, ip(LOOPBACK)).await;
    send(&mut over, get).await;
    match read_reply(&mut over, within).await {
        Reply::Response(status, body) => {
            assert_eq!(status, 429, "{body}");
            assert_eq!(code_of(&body), "too_many_connections", "{body}");
        }
        Reply::Closed => {}
    }
    assert!(matches!(read_reply(&mut over, within).await, Reply::Closed));

    let mut other = connect_from(&app.address, ip("127.0.0.2")).await;
    send(&mut other, get).await;
    assert!(matches!(
        read_reply(&mut other, within).await,
        Reply::Response(200, _)
    ));

    // A closed connection gives its place back.
    drop(held.pop());
    let mut served = false;
    for _ in 0..50 {
        let mut again = connect_from(&app.address, ip(LOOPBACK)).await;
        send(&mut again, get).await;
        if let Reply::Response(200, _) = read_reply(&mut again, within).await {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "the address never got its place back");
}

/// A PDF of `size` bytes.
fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    while bytes.len() < size {
        bytes.extend_from_slice(format!("% filler line {}\n", bytes.len()).as_bytes());
    }
    bytes.truncate(size);
    bytes
}

both_backends! {
    async fn uploads_over_the_bound_answer_503_and_a_held_one_is_stored_with_its_hash(backend: Backend) {
        let app = spawn_app_with(backend, &[
            ("DCMM_MAX_CONCURRENT_UPLOADS", "1"),
            ("DCMM_MAX_EVIDENCE_BYTES", "300000"),
        ]).await;
        let w = world(&app);
        let assessment = insert_assessment(&app, &w.a, &w.a1);
        let token = app.session("user.a1", PASSWORD).await.access;
        let path = format!("/api/v1/assessments/{assessment}/evidence");

        // The first upload: its head, then half its body, then held.
        let big = pdf_of(280_000);
        let (content_type, body) = multipart(&upload_parts("held.pdf", &big, &[CRITERION]));
        let mut held = connect_from(&app.address, ip(LOOPBACK)).await;
        send(&mut held, &request_head("POST", &path, Some(&token), &content_type, body.len(), true)).await;
        assert!(read_until(&mut held, b"100 Continue", Duration::from_secs(10)).await);
        let (first_half, rest) = body.split_at(body.len() / 2);
        send(&mut held, first_half).await;

        // The held upload takes its slot once its handler runs: until then a second one may pass.
        let small = upload_parts("small.pdf", &pdf_of(2000), &[CRITERION]);
        let mut refused = None;
        for _ in 0..50 {
            let response = app.upload(&token, &assessment, &small).await;
            if response.status().as_u16() == 503 {
                refused = Some(response);
                break;
            }
            assert_eq!(response.status().as_u16(), 201);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let refused = refused.expect("a second upload refused while the first is held");
        let retry_after = refused.headers()["retry-after"].to_str().unwrap().to_owned();
        assert!(retry_after.parse::<u64>().unwrap() >= 1, "{retry_after}");
        error_body(refused, 503, "too_many_uploads").await;

        send(&mut held, rest).await;
        let Reply::Response(status, stored) = read_reply(&mut held, Duration::from_secs(30)).await else {
            panic!("the held upload got no answer");
        };
        assert_eq!(status, 201, "{stored}");
        let stored: Value = serde_json::from_str(&stored).unwrap();
        let sha = hex::encode(Sha256::digest(&big));
        assert_eq!(stored["sha256"], sha.as_str());
        assert_eq!(stored["size_bytes"], big.len());
        let on_disk = EvidenceStore::new(&app.db.data_dir).path_of(&EvidenceStore::key_of(&sha)).unwrap();
        assert_eq!(std::fs::read(on_disk).unwrap(), big);

        // The slot is free again; the size cap still holds.
        assert_eq!(app.upload(&token, &assessment, &small).await.status().as_u16(), 201);
        let too_big = upload_parts("big.pdf", &pdf_of(300_001), &[CRITERION]);
        error_body(app.upload(&token, &assessment, &too_big).await, 413, "payload_too_large").await;
        let leftovers = std::fs::read_dir(app.db.data_dir.join("evidence/tmp")).unwrap().count();
        assert_eq!(leftovers, 0, "a refused upload left its temporary file");
    }
}
