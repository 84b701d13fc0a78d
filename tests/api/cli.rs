//! The binary itself, run as a user would.

use std::process::Command;

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
