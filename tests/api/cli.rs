//! The binary itself, run as a user would.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::both_backends;
use crate::helpers::{spawn_app_on, TestDb};

pub fn dcmm() -> Command {
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
        stderr.contains("password") && stderr.contains("12"),
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

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dcmm-cli-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn score(answers: serde_json::Value, extra: &[&str]) -> std::process::Output {
    let dir = temp_dir();
    let file = dir.join("answers.json");
    std::fs::write(&file, answers.to_string()).unwrap();
    let out = dcmm()
        .args(["score", "--questionnaire", "dcmm-2025", "--answers"])
        .arg(&file)
        .args(extra)
        .output()
        .unwrap();
    std::fs::remove_dir_all(dir).unwrap();
    out
}

/// 6.1: L1 = 1.00 (its three criteria fully); L2 = (100 + 100 + 70 + 50) / 4 = 0.80, exactly the threshold;
/// L3 = (100 + 70 + 70 + 0 + unanswered 0) / 5 = 0.48: level 2, item 2.48.
/// Domain 6 = (248 + 0 + 0) / 3 = 82.67 → 0.83; eight empty domains: overall 83 / 9 → 0.09.
#[test]
fn score_agrees_with_a_hand_worked_example() {
    let answers = serde_json::json!({"answers": {
        "2025:6.1:L1:1": "fully", "2025:6.1:L1:2": "fully", "2025:6.1:L1:3": "fully",
        "2025:6.1:L2:1": "fully", "2025:6.1:L2:2": "fully",
        "2025:6.1:L2:3": "largely", "2025:6.1:L2:4": "partially",
        "2025:6.1:L3:1": "fully", "2025:6.1:L3:2": "largely",
        "2025:6.1:L3:3": "largely", "2025:6.1:L3:4": "not",
    }});
    let out = score(answers, &["--format", "json", "--target", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = &report["domains"][0]["items"][0];
    assert_eq!(item["id"], "2025:6.1");
    assert_eq!(
        item["level_scores"],
        serde_json::json!([1.0, 0.8, 0.48, 0.0, 0.0])
    );
    assert_eq!(item["score"], 2.48);
    assert_eq!(item["level"], 2);
    assert_eq!(report["domains"][0]["score"], 0.83);
    assert_eq!(
        report["overall"],
        serde_json::json!({"score": 0.09, "level": 0})
    );
    assert_eq!(report["questionnaire"]["id"], "dcmm-2025");
    assert!(report["policy"].as_str().unwrap().contains("tau=70"));
    // The path to level 1: one step for each of the 32 items at 0.00, none for 6.1 (at 2).
    // 6.2's step raises its unanswered level-1 criteria: 6.2 = 1.00; domain 6 = (248 + 100 +
    // 0) / 3 = 116; overall 116 / 9 = 12.89 → 0.13: a gain of 0.04.
    let gap = report["gap"].as_array().unwrap();
    let items: usize = report["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(gap.len(), items - 1);
    assert!(gap
        .iter()
        .all(|g| g["level_before"] == 0 && g["level_after"] == 1));
    assert!(!gap.iter().any(|g| g["item"] == "2025:6.1"));
    let step = gap.iter().find(|g| g["item"] == "2025:6.2").unwrap();
    assert_eq!(
        (&step["gain"], &step["score_before"], &step["score_after"]),
        (
            &serde_json::json!(0.04),
            &serde_json::json!(0.0),
            &serde_json::json!(1.0)
        )
    );
    let raised = step["criteria"].as_array().unwrap();
    assert!(raised.len() >= 2, "{step}");
    for r in raised {
        assert!(
            r["criterion"].as_str().unwrap().starts_with("2025:6.2:L1:"),
            "{r}"
        );
        assert!(r["from"].is_null() && r["level"] == 1, "{r}");
        assert!(r["to"] == "fully" || r["to"] == "largely", "{r}");
    }
}

#[test]
fn score_names_an_unknown_criterion_a_bad_rating_and_a_forbidden_na() {
    for (answers, named) in [
        (
            serde_json::json!({"answers": {"2025:99.1:L1:1": "fully"}}),
            "2025:99.1:L1:1",
        ),
        (
            serde_json::json!({"answers": {"2025:6.1:L1:1": "mostly"}}),
            "mostly",
        ),
        (
            serde_json::json!({"answers": {"2025:6.1:L1:1": "na"}}),
            "2025:6.1:L1:1",
        ),
    ] {
        let out = score(answers, &["--format", "json"]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{stderr}");
    }
}

#[test]
fn score_prints_a_readable_table_by_default() {
    let out = score(serde_json::json!({"answers": {}}), &[]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("数据战略规划 Data strategy planning"),
        "{stdout}"
    );
    assert!(stdout.contains("overall: 0.00"), "{stdout}");
}

#[test]
fn questionnaire_export_prints_the_whole_tree() {
    let out = dcmm()
        .args(["questionnaire", "export", "dcmm-2025", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tree["id"], "dcmm-2025");
    assert_eq!(tree["hash"].as_str().unwrap().len(), 64);
    let domains = tree["domains"].as_array().unwrap();
    assert_eq!(domains.len(), 9);
    let c = &domains[0]["items"][0]["criteria"][0];
    for key in ["id", "level", "text", "evidence", "dimension", "allow_na"] {
        assert!(c.get(key).is_some(), "{key}");
    }
    assert!(c["text"]["zh"].is_string() && c["evidence"]["en"].is_string());
}

const BAD: &str = "id = \"bad\"\nkind = \"dcmm\"\nedition = [\n";

#[test]
fn lint_names_file_and_line_of_a_bad_file() {
    let dir = temp_dir();
    let file = dir.join("bad.toml");
    std::fs::write(&file, BAD).unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/dcmm-2018.toml");
    let out = dcmm()
        .args(["questionnaire", "lint"])
        .arg(&good)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:", file.display())), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("dcmm-2018.toml: ok"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn serve_refuses_to_start_on_a_bad_questionnaire_file() {
    let dir = temp_dir();
    std::fs::write(dir.join("bad.toml"), BAD).unwrap();
    let out = dcmm()
        .arg("serve")
        .env("DCMM_DATA_DIR", dir.join("data"))
        .env("DCMM_BIND", "127.0.0.1:0")
        .env("DCMM_QUESTIONNAIRE_DIR", &dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml:3:") || stderr.contains("bad.toml:4:"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Runs `dcmm report ARGS` on the test database.
fn report(db: &TestDb, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = dcmm();
    cmd.arg("report")
        .args(args)
        .env("DCMM_DATABASE_URL", &db.url)
        .env("DCMM_DATA_DIR", &db.data_dir);
    for (key, value) in extra_env {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

both_backends! {
    async fn report_writes_recorded_reproducible_pdfs_of_an_assessment_and_a_campaign(backend: Backend) {
        use diesel::prelude::*;
        use dcmm::db::schema::{assessments, campaigns};

        let db = TestDb::create(backend);
        let pool = dcmm::db::connect(&dcmm::db::DbTarget::parse(&db.url).unwrap(), 1).unwrap();
        let mut conn = pool.get().unwrap();
        dcmm::db::migrate(&mut conn).unwrap();
        let registry = dcmm::questionnaire::Registry::built_in().unwrap();
        dcmm::db::questionnaire_versions::sync(&mut conn, &registry).unwrap();
        dcmm::demo::seed(&mut conn, &registry, &db.data_dir, 7, 12).unwrap();
        let campaign: String = campaigns::table.filter(campaigns::status.eq("open")).select(campaigns::id).first(&mut conn).unwrap();
        let assessment: String = assessments::table
            .filter(assessments::campaign_id.eq(&campaign))
            .filter(assessments::status.eq("accepted"))
            .select(assessments::id)
            .first(&mut conn)
            .unwrap();

        let dir = temp_dir();
        for (kind, id) in [("assessment", &assessment), ("campaign", &campaign)] {
            let first = dir.join(format!("{kind}.pdf"));
            let second = dir.join(format!("{kind}-again.pdf"));
            for file in [&first, &second] {
                let out = report(&db, &[kind, id, "-o", file.to_str().unwrap()], &[]);
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                assert!(String::from_utf8_lossy(&out.stdout).contains("report DCMM-"));
            }
            let bytes = std::fs::read(&first).unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
            assert_eq!(bytes, std::fs::read(&second).unwrap(), "the same data gives the same {kind} report");
            let (text, fonts, _) = crate::reports::check_pdf(&bytes);
            if let Some(text) = text {
                assert!(text.contains("数据战略"), "{kind}: Chinese domain names come out as text");
            }
            if let Some(fonts) = fonts {
                crate::reports::assert_subset_fonts(&fonts);
            }
            let sha = {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(&bytes))
            };
            let row = dcmm::db::reports::find_by_sha256(&mut conn, &sha).unwrap().expect("recorded");
            assert_eq!((row.kind.as_str(), row.subject_id.as_str(), row.requested_by), (kind, id.as_str(), None));
        }
        let en = dir.join("en.pdf");
        let out = report(&db, &["assessment", &assessment, "-o", en.to_str().unwrap(), "--lang", "en"], &[]);
        assert!(out.status.success());
        assert_ne!(std::fs::read(&en).unwrap(), std::fs::read(dir.join("assessment.pdf")).unwrap());

        let missing = uuid::Uuid::now_v7().to_string();
        let out = report(&db, &["assessment", &missing, "-o", en.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(&missing));
        let not_a_font = dir.join("font.ttf");
        std::fs::write(&not_a_font, b"not a font").unwrap();
        let out = report(&db, &["assessment", &assessment, "-o", en.to_str().unwrap()], &[("DCMM_REPORT_FONT", not_a_font.to_str().unwrap())]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("report_font"));
        // Another font file is used when named (here the built-in one, read from the repository).
        let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/wqy-microhei.ttc");
        let out = report(&db, &["assessment", &assessment, "-o", en.to_str().unwrap()], &[("DCMM_REPORT_FONT", font.to_str().unwrap())]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
