//! The binary itself, run as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::both_backends;
use crate::helpers::{spawn_app_on, TestDb};

fn dcmm() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcmm"));
    for (key, _) in std::env::vars() {
        if key.starts_with("DCMM_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

#[test]
fn an_unknown_setting_refuses_to_start_naming_it() {
    let out = dcmm()
        .arg("migrate")
        .env("DCMM_DATABASE_ULR", "x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DCMM_DATABASE_ULR"), "{stderr}");
}

#[test]
fn a_bad_value_refuses_to_start_naming_the_setting() {
    let out = dcmm()
        .arg("serve")
        .env("DCMM_BIND", "everywhere")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bind"), "{stderr}");
}

#[test]
fn migrate_creates_the_sqlite_database_and_is_idempotent() {
    let dir = std::env::temp_dir().join(format!("dcmm-cli-{}", uuid::Uuid::now_v7()));
    let first = dcmm()
        .arg("migrate")
        .env("DCMM_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("applied"));
    assert!(dir.join("dcmm.db").exists());
    let second = dcmm()
        .arg("migrate")
        .env("DCMM_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("up to date"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Runs `dcmm user add ARGS` on the test database with `stdin` as standard input.
fn user_add(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    let mut child = dcmm()
        .args(["user", "add"])
        .args(args)
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

both_backends! {
    async fn user_add_creates_an_admin_who_logs_in_over_http(backend: Backend) {
        let db = TestDb::create(backend);
        let args = ["--username", "Root", "--role", "admin", "--display-name", "系统管理员"];
        let out = user_add(&db, &args, "first admin passphrase\n");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("created admin root"), "{stdout}");
        let again = user_add(&db, &["--username", "root", "--role", "admin"], "another passphrase 2\n");
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("--username"));

        let app = spawn_app_on(db, &[]).await;
        let session = app.session("root", "first admin passphrase").await;
        let me: serde_json::Value = app.me(&session.access).await.json().await.unwrap();
        assert_eq!(me["role"], "admin");
        assert_eq!(me["display_name"], "系统管理员");
        let body = serde_json::json!({"username": "root.two", "password": "second admin passphrase", "role": "admin"});
        assert_eq!(app.create_user(&session.access, &body).await.status().as_u16(), 201);
    }
}

#[test]
fn user_add_refuses_a_weak_password_or_an_unknown_scope_naming_the_option() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite);
    let weak = user_add(&db, &["--username", "root", "--role", "admin"], "12345\n");
    assert!(!weak.status.success());
    let stderr = String::from_utf8_lossy(&weak.stderr);
    assert!(
        stderr.contains("password") && stderr.contains("10"),
        "{stderr}"
    );
    let cluster = uuid::Uuid::now_v7().to_string();
    let args = [
        "--username",
        "manager",
        "--role",
        "cluster_manager",
        "--cluster",
        &cluster,
    ];
    let unknown = user_add(&db, &args, "steady cluster passphrase\n");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("--cluster") && stderr.contains(&cluster),
        "{stderr}"
    );
    let empty = user_add(&db, &["--username", "root", "--role", "admin"], "");
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("standard input"));
}
