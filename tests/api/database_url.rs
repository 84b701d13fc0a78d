//! The database URL at start-up: a bare path only for an existing file, and a PostgreSQL
//! password shown nowhere (not in the start-up log, the settings, or what `dcmm` prints).

use crate::cli::dcmm;
use crate::helpers::{test_settings, Backend, TestDb};

/// What `dcmm serve` on `db` writes to standard error until it says it is listening (at most
/// a minute), after which it is stopped.
fn serve_log(db: &TestDb) -> String {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = dcmm()
        .arg("serve")
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .env("DCMM_BIND", "127.0.0.1:0")
        .env("DCMM_LOG_LEVEL", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(line) = received.recv_timeout(left) else {
            break;
        };
        text.push_str(&line);
        text.push('\n');
        if line.contains("listening") {
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    text
}

/// Gives the test database's URL a password and answers it. The suite's server trusts local
/// connections, so any password does; one that asks for a password has it in the base URL.
fn with_password(db: &mut TestDb) -> String {
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').unwrap_or(("postgres", rest));
    if let Some((_, password)) = user.split_once(':') {
        return password.to_owned();
    }
    let password = "never-shown-4f1c9a".to_owned();
    db.url = format!("{scheme}://{user}:{password}@{host}");
    password
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_postgres_password_is_in_no_log_line_settings_print_or_output() {
    let mut db = TestDb::create(Backend::Postgres);
    let password = with_password(&mut db);
    let settings = test_settings(&db, &[]);
    let debug = format!("{settings:?}");
    assert!(!debug.contains(&password), "{debug}");
    assert!(debug.contains(":***@"), "{debug}");

    // The service's own log, as an operator reads it: the standard error of `dcmm serve`.
    let text = serve_log(&db);
    assert!(text.contains("listening"), "{text}");
    assert!(text.contains(":***@"), "the log names the database: {text}");
    assert!(!text.contains(&password), "{text}");

    // The database is migrated now: `dcmm migrate` names it as up to date.
    let out = dcmm()
        .arg("migrate")
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("up to date") && stdout.contains(":***@"),
        "{stdout}"
    );
    assert!(!stdout.contains(&password) && !stderr.contains(&password));
}

#[test]
fn a_bare_path_opens_an_existing_database_and_creates_none() {
    let dir = std::env::temp_dir().join(format!("dcmm-url-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.db");
    let migrate = |url: String| {
        dcmm()
            .arg("migrate")
            .env("DCMM_DATABASE_URL", url)
            .env("DCMM_DATA_DIR", &dir)
            .output()
            .unwrap()
    };
    let out = migrate(file.display().to_string());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("database_url") && stderr.contains("sqlite://PATH"),
        "{stderr}"
    );
    assert!(!file.exists(), "a bare path created a database");
    let out = migrate(format!("sqlite://{}", file.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = migrate(file.display().to_string());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    std::fs::remove_dir_all(dir).unwrap();
}
