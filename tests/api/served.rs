//! A real `dcmm serve` process on a test database, the demo accounts' drafts, and raw HTTP/1.1
//! over TCP for what a client library hides (a body held back, a connection kept open).

use std::net::{IpAddr, SocketAddr};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::cli::dcmm;
use crate::helpers::TestDb;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "dcmm-demo-2026";

/// Seeds the demo cluster into the test database.
pub fn seed_demo(db: &TestDb) {
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
}

/// `dcmm serve` on the test database and a port of its own, ready to answer.
pub async fn serve(db: &TestDb) -> (Child, String) {
    serve_on(&db.url, &db.data_dir, &[]).await
}

/// `dcmm serve` on this database URL and data folder, with extra `DCMM_*` settings.
pub async fn serve_on(
    url: &str,
    data_dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let mut child = dcmm()
        .arg("serve")
        .env("DCMM_DATABASE_URL", url)
        .env("DCMM_DATA_DIR", data_dir)
        .env("DCMM_BIND", format!("127.0.0.1:{port}"))
        .env("DCMM_LOG_LEVEL", "warn")
        // As on a machine that sets no allocator bound, unless the test sets one.
        .env_remove(dcmm::allocator::VAR)
        .envs(extra.iter().copied())
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

pub async fn json_of(sent: reqwest::Result<reqwest::Response>) -> Value {
    let response = sent.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// (token, draft assessment id) of the first `count` demo users with a draft.
pub async fn writers(client: &reqwest::Client, base: &str, count: usize) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for n in 1..=40 {
        let login = json_of(
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"username": format!("e{n:02}"), "password": DEMO_PASSWORD}))
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
        if found.len() == count {
            return found;
        }
    }
    panic!("the demo has fewer than {count} drafts");
}

pub async fn get(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
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
pub async fn criteria(client: &reqwest::Client, base: &str, token: &str, id: &str) -> Vec<String> {
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
pub async fn answers(
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

/// The `host:port` of a base URL such as `http://127.0.0.1:8080`.
pub fn socket_of(base: &str) -> SocketAddr {
    base.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

/// A TCP connection to the server, from the given local address (any loopback address
/// reaches a server on 127.0.0.1).
pub async fn connect_from(base: &str, from: IpAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    socket.connect(socket_of(base)).await.unwrap()
}

/// The head of a request with a body of `length` bytes.
pub fn request_head(
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    length: usize,
    expect_continue: bool,
) -> Vec<u8> {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\n"
    );
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if expect_continue {
        head.push_str("Expect: 100-continue\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// What came back on a raw connection: the status and body of a response, or nothing before
/// the server closed it.
#[derive(Debug)]
pub enum Reply {
    Response(u16, String),
    Closed,
}

/// Reads until `needle` has arrived (true), or the connection closes or `within` passes (false).
pub async fn read_until(
    stream: &mut (impl AsyncRead + Unpin),
    needle: &[u8],
    within: Duration,
) -> bool {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    while !seen.windows(needle.len()).any(|w| w == needle) {
        let mut buf = [0u8; 1024];
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => seen.extend_from_slice(&buf[..n]),
            _ => return false,
        }
    }
    true
}

/// Reads one response (a `100 Continue` skipped), waiting at most `within`; a response that
/// does not come within it fails the test.
pub async fn read_reply(stream: &mut (impl AsyncRead + Unpin), within: Duration) -> Reply {
    let mut seen = Vec::new();
    let read = async {
        loop {
            let text = String::from_utf8_lossy(&seen).into_owned();
            let text = text
                .strip_prefix("HTTP/1.1 100 Continue\r\n\r\n")
                .unwrap_or(&text)
                .to_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                    return Reply::Response(status, body.to_owned());
                }
            }
            let mut buf = [0u8; 4096];
            match stream.read(&mut buf).await {
                Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ if seen.is_empty() => return Reply::Closed,
                _ => panic!("the connection closed inside a response: {text}"),
            }
        }
    };
    tokio::time::timeout(within, read)
        .await
        .expect("a reply within the bound")
}

/// Sends bytes; a connection the server closed is not an error here (the reply says so).
pub async fn send(stream: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
}

/// Sends SIGTERM to a child process.
pub fn terminate(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
