//! The database URL at start-up: a bare path only for an existing file, and a PostgreSQL
//! password shown nowhere (not in the start-up log, the settings, or what `dcmm` prints).

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::instrument::WithSubscriber;

use dcmm::startup::Application;

use crate::cli::dcmm;
use crate::helpers::{test_settings, Backend, TestDb};

/// Log lines written by the application, kept to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
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

    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let app = Application::build(settings)
        .with_subscriber(subscriber)
        .await
        .expect("application starts");
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    handle.stop(false).await;
    let text = log.text();
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
