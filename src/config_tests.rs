use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_put_sqlite_under_the_data_dir() {
    let s = Settings::from_sources(None, env(&[])).unwrap();
    assert_eq!(
        s.database,
        DbTarget::Sqlite(PathBuf::from("./data/dcmm.db"))
    );
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(s.log_format, LogFormat::Text);
    assert_eq!(s.max_evidence_bytes, 20 * 1024 * 1024);
    assert_eq!((s.body_timeout_secs, s.header_timeout_secs), (15, 5));
    assert_eq!((s.db_timeout_secs, s.shutdown_timeout_secs), (5, 30));
    assert_eq!(s.max_connections_per_client, 256);
    assert_eq!(s.max_concurrent_uploads, 4);
}

#[test]
fn environment_overrides_the_file() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:9000\"\nlog_level = \"debug\"\n").unwrap();
    let s = Settings::from_sources(Some(&file), env(&[("DCMM_BIND", "0.0.0.0:7000")])).unwrap();
    assert_eq!(s.bind.to_string(), "0.0.0.0:7000");
    assert_eq!(s.log_level, "debug");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unknown_environment_key_is_refused_by_name() {
    let err = Settings::from_sources(None, env(&[("DCMM_DATABSE_URL", "x")])).unwrap_err();
    assert_eq!(err.setting, "DCMM_DATABSE_URL");
}

#[test]
fn unknown_file_key_is_refused() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:9000\"\nport = 3\n").unwrap();
    let err = Settings::from_sources(Some(&file), env(&[])).unwrap_err();
    assert!(err.to_string().contains("port"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_values_name_their_setting() {
    for (key, value, setting) in [
        ("DCMM_BIND", "localhost", "bind"),
        ("DCMM_DATABASE_URL", "mysql://x", "database_url"),
        ("DCMM_LOG_FORMAT", "xml", "log_format"),
        ("DCMM_JWT_SECRET", "short", "jwt_secret"),
        ("DCMM_AUDIT_KEY", "short", "audit_key"),
        ("DCMM_DB_POOL_SIZE", "0", "db_pool_size"),
        ("DCMM_MAX_EVIDENCE_BYTES", "10", "max_evidence_bytes"),
        ("DCMM_DB_TIMEOUT_SECS", "0", "db_timeout_secs"),
        ("DCMM_HEADER_TIMEOUT_SECS", "61", "header_timeout_secs"),
        ("DCMM_BODY_TIMEOUT_SECS", "0", "body_timeout_secs"),
        ("DCMM_SHUTDOWN_TIMEOUT_SECS", "0", "shutdown_timeout_secs"),
        ("DCMM_MAX_CONCURRENT_UPLOADS", "0", "max_concurrent_uploads"),
        ("DCMM_ACCESS_TOKEN_TTL_SECS", "5", "access_token_ttl_secs"),
        (
            "DCMM_REFRESH_TOKEN_TTL_SECS",
            "61",
            "refresh_token_ttl_secs",
        ),
    ] {
        let err = Settings::from_sources(None, env(&[(key, value)])).unwrap_err();
        assert_eq!(err.setting, setting, "{key}={value}");
    }
    let err = Settings::from_sources(None, env(&[("DCMM_WORKERS", "two")])).unwrap_err();
    assert_eq!(err.setting, "DCMM_WORKERS");
    let err =
        Settings::from_sources(None, env(&[("DCMM_TRUST_FORWARDED_FOR", "maybe")])).unwrap_err();
    assert_eq!(err.setting, "DCMM_TRUST_FORWARDED_FOR");
}

#[test]
fn token_lifetimes_default_to_15_minutes_and_14_days() {
    let s = Settings::from_sources(None, env(&[])).unwrap();
    assert_eq!(s.access_token_ttl_secs, 900);
    assert_eq!(s.refresh_token_ttl_secs, 14 * 24 * 3600);
    assert!(!s.trust_forwarded_for);
    let s = Settings::from_sources(
        None,
        env(&[
            ("DCMM_ACCESS_TOKEN_TTL_SECS", "300"),
            ("DCMM_TRUST_FORWARDED_FOR", "true"),
        ]),
    )
    .unwrap();
    assert_eq!(s.access_token_ttl_secs, 300);
    assert!(s.trust_forwarded_for);
}

#[test]
fn scoring_constants_are_configurable_and_checked() {
    let s = Settings::from_sources(None, env(&[("DCMM_SCORING_PASS_THRESHOLD", "80")])).unwrap();
    assert_eq!(s.policy.pass_threshold, 80);
    assert_eq!(s.policy.points, Policy::default().points);
    let err =
        Settings::from_sources(None, env(&[("DCMM_SCORING_POINTS_LARGELY", "40")])).unwrap_err();
    assert_eq!(err.setting, "scoring");
}

#[test]
fn test_harness_variables_are_not_settings() {
    assert!(Settings::from_sources(None, env(&[("DCMM_TEST_POSTGRES_URL", "x")])).is_ok());
}

#[test]
fn generated_jwt_secret_is_kept_and_reused() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    let dir_s = dir.to_string_lossy().to_string();
    let s = Settings::from_sources(None, env(&[("DCMM_DATA_DIR", &dir_s)])).unwrap();
    let first = s.jwt_secret_or_generate().unwrap();
    let second = s.jwt_secret_or_generate().unwrap();
    assert_eq!(first, second);
    assert_eq!(first.expose().len(), 128);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_audit_key_is_made_once_by_a_start_and_only_read_by_tools() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    let dir_s = dir.to_string_lossy().to_string();
    let s = Settings::from_sources(None, env(&[("DCMM_DATA_DIR", &dir_s)])).unwrap();
    assert_eq!(s.audit_key().unwrap(), None, "a tool never makes a key up");
    let made = s.audit_key_or_generate().unwrap();
    assert_eq!(s.audit_key().unwrap(), Some(made.clone()));
    assert_eq!(s.audit_key_or_generate().unwrap(), made);
    assert_ne!(made, s.jwt_secret_or_generate().unwrap());
    let key = "k".repeat(40);
    let set = Settings::from_sources(
        None,
        env(&[("DCMM_DATA_DIR", &dir_s), ("DCMM_AUDIT_KEY", &key)]),
    )
    .unwrap();
    assert_eq!(set.audit_key_or_generate().unwrap().expose(), key);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn secrets_do_not_print() {
    let s = Secret::new("very secret value".into());
    assert!(!format!("{s:?}").contains("very"));
}

#[test]
fn a_bare_database_path_must_name_an_existing_file() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.db");
    let bare = file.display().to_string();
    let err = Settings::from_sources(None, env(&[("DCMM_DATABASE_URL", &bare)])).unwrap_err();
    assert_eq!(err.setting, "database_url");
    assert!(err.to_string().contains("sqlite://PATH"), "{err}");
    let url = format!("sqlite://{bare}");
    let s = Settings::from_sources(None, env(&[("DCMM_DATABASE_URL", &url)])).unwrap();
    assert_eq!(s.database, DbTarget::Sqlite(file.clone()));
    std::fs::write(&file, b"").unwrap();
    let s = Settings::from_sources(None, env(&[("DCMM_DATABASE_URL", &bare)])).unwrap();
    assert_eq!(s.database, DbTarget::Sqlite(file));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_database_password_never_shows_in_the_settings() {
    let url = "postgres://dcmm:hunter2@db:5432/dcmm";
    let s = Settings::from_sources(None, env(&[("DCMM_DATABASE_URL", url)])).unwrap();
    let debug = format!("{s:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("postgres://dcmm:***@db:5432/dcmm"),
        "{debug}"
    );
    assert_eq!(s.database, DbTarget::Postgres(url.to_owned()));
}

#[test]
fn a_config_file_error_never_quotes_the_database_password() {
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.toml");
    // The closing quote is missing: the error quotes the line.
    std::fs::write(&file, "database_url = \"postgres://dcmm:hunter2@db/dcmm\n").unwrap();
    let err = Settings::from_sources(Some(&file), env(&[])).unwrap_err();
    let shown = err.to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("database_url"), "{shown}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn public_url_is_an_absolute_http_url_from_the_file_or_the_environment() {
    let s = Settings::from_sources(None, env(&[])).unwrap();
    assert_eq!(s.public_url, None);
    let s = Settings::from_sources(
        None,
        env(&[("DCMM_PUBLIC_URL", "https://dcmm.example.org/")]),
    )
    .unwrap();
    assert_eq!(
        s.public_url.map(|u| u.verify_page()).as_deref(),
        Some("https://dcmm.example.org/verify")
    );
    let dir = std::env::temp_dir().join(format!("dcmm-cfg-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dcmm.toml");
    std::fs::write(&file, "public_url = \"http://10.1.2.3:8080/dcmm\"\n").unwrap();
    let s = Settings::from_sources(Some(&file), env(&[])).unwrap();
    assert_eq!(
        s.public_url.map(|u| u.to_string()).as_deref(),
        Some("http://10.1.2.3:8080/dcmm")
    );
    std::fs::write(&file, "public_url = \"https://dcmm.example.org/?a=1\"\n").unwrap();
    let err = Settings::from_sources(Some(&file), env(&[])).unwrap_err();
    assert_eq!(err.setting, "public_url");
    std::fs::remove_dir_all(dir).unwrap();
    for bad in ["dcmm.example.org", "ftp://x.org", "https://x.org/#a"] {
        let err = Settings::from_sources(None, env(&[("DCMM_PUBLIC_URL", bad)])).unwrap_err();
        assert_eq!(err.setting, "public_url", "{bad}");
        assert!(err.to_string().starts_with("setting public_url:"), "{err}");
    }
}
