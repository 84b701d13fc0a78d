//! Starts the real application on port 0 against a fresh database, removed afterwards.

use std::path::PathBuf;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};

use dcmm::config::Settings;
use dcmm::startup::Application;

/// The PostgreSQL server the suite creates its throwaway databases on.
pub fn postgres_base_url() -> String {
    std::env::var("DCMM_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test only.
pub struct TestDb {
    pub url: String,
    pub data_dir: PathBuf,
    pg_name: Option<String>,
}

impl TestDb {
    pub fn create(backend: Backend) -> Self {
        let data_dir = std::env::temp_dir().join(format!("dcmm-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&data_dir).expect("temp data dir");
        match backend {
            Backend::Sqlite => Self {
                url: format!("sqlite://{}", data_dir.join("dcmm.db").display()),
                data_dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let base = postgres_base_url();
                let name = format!("dcmm_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!("PostgreSQL at {base} is needed for the postgres tests: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create test database");
                let url = match base.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("DCMM_TEST_POSTGRES_URL must name a database: {base}"),
                };
                Self {
                    url,
                    data_dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// A SQLite database in a folder made by the caller (a small file system of its own).
    pub fn sqlite_in(data_dir: PathBuf) -> Self {
        Self {
            url: format!("sqlite://{}", data_dir.join("dcmm.db").display()),
            data_dir,
            pg_name: None,
        }
    }

    /// Removes the database now, even while the application still holds connections.
    pub fn drop_database(&self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = PgConnection::establish(&postgres_base_url()) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn);
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.drop_database();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    handle: ServerHandle,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the database is dropped right after.
        drop(self.handle.stop(false));
    }
}

/// The JWT secret of every test application, so that tests can forge tokens.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// Settings for a test application: the given database, port 0, one worker, quiet logs.
pub fn test_settings(db: &TestDb, extra: &[(&str, &str)]) -> Settings {
    let mut env = vec![
        (
            "DCMM_DATA_DIR".to_owned(),
            db.data_dir.display().to_string(),
        ),
        ("DCMM_DATABASE_URL".to_owned(), db.url.clone()),
        ("DCMM_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        ("DCMM_WORKERS".to_owned(), "1".to_owned()),
        ("DCMM_DB_POOL_SIZE".to_owned(), "4".to_owned()),
        ("DCMM_JWT_SECRET".to_owned(), JWT_SECRET.to_owned()),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_sources(None, env).expect("test settings")
}

/// The audit key of the test database's data folder (the one its server makes at start, or
/// made now): what the service links the audit chain with.
pub fn audit_key(db: &TestDb) -> dcmm::audit::AuditKey {
    let secret = test_settings(db, &[])
        .audit_key_or_generate()
        .expect("audit key");
    dcmm::audit::AuditKey::new(&secret)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    spawn_app_on(TestDb::create(backend), extra).await
}

/// Starts the application on an existing test database.
pub async fn spawn_app_on(db: TestDb, extra: &[(&str, &str)]) -> TestApp {
    let settings = test_settings(&db, extra);
    let app = Application::build(settings)
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        handle,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }
}

/// One API call with a bearer token: its status and JSON body (null when there is none).
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let r = app.send(method, path, Some(token), body.as_ref()).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// Asserts the service's error shape and answers the body.
pub async fn error_body(response: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: serde_json::Value = response.json().await.expect("JSON error body");
    assert_eq!(body["error"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["fields"].is_object(), "{body}");
    body
}

/// Declares each test once and runs it on both backends:
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block )*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                $(#[$meta])*
                async fn run($backend: $crate::helpers::Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}
