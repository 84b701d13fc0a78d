//! Storage: one connection type for SQLite and PostgreSQL, a pool, and the migrations.

pub mod assessments;
pub mod campaigns;
pub mod clusters;
pub mod enterprises;
pub mod evidence;
mod ids;
pub mod profiles;
pub mod questionnaire_versions;
pub mod refs;
pub mod reports;
pub mod rollup;
pub mod schema;
pub mod sessions;
pub mod throttle;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

/// Runs the same generic diesel code on whichever concrete connection is behind a
/// [`DbConnection`]; for the few query forms the multi-backend connection cannot express
/// (`RETURNING`, batch inserts, upserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgres($c) => $body,
        }
    };
}

/// Which database the service talks to, decided from the URL scheme alone: `postgres://` or
/// `postgresql://` is PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a plain path is SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbTarget {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no path".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "unsupported scheme {scheme:?}: use postgres://… or sqlite://PATH"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The target as it may appear in logs: no password.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Opens connections of the configured backend, with SQLite's per-connection pragmas.
#[derive(Debug, Clone)]
pub struct Manager {
    target: DbTarget,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.target {
            DbTarget::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = diesel::SqliteConnection::establish(&path)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            DbTarget::Postgres(url) => diesel::PgConnection::establish(url)
                .map(DbConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Builds the pool. For SQLite the file's folder is created first.
pub fn connect(target: &DbTarget, max_size: u32) -> anyhow::Result<Pool> {
    if let DbTarget::Sqlite(path) = target {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(Manager {
            target: target.clone(),
        })?;
    Ok(pool)
}

/// Applies pending migrations; answers the names of those applied.
pub fn migrate(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// A cheap round trip proving the database answers.
pub fn ping(pool: &Pool, timeout: Duration) -> Result<(), String> {
    let mut conn = pool.get_timeout(timeout).map_err(|e| e.to_string())?;
    conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
}

/// The current time as both backends keep it: UTC, in whole microseconds, so a value answered
/// right after a write equals the one read back later.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_comes_from_the_scheme() {
        assert_eq!(
            DbTarget::parse("postgres://u@h/db").unwrap().backend_name(),
            "postgres"
        );
        assert_eq!(
            DbTarget::parse("postgresql://u@h/db")
                .unwrap()
                .backend_name(),
            "postgres"
        );
        assert_eq!(
            DbTarget::parse("sqlite://data/x.db").unwrap(),
            DbTarget::Sqlite(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            DbTarget::parse("sqlite:x.db").unwrap(),
            DbTarget::Sqlite(PathBuf::from("x.db"))
        );
        assert_eq!(
            DbTarget::parse("/var/lib/dcmm/dcmm.db").unwrap(),
            DbTarget::Sqlite(PathBuf::from("/var/lib/dcmm/dcmm.db"))
        );
        assert!(DbTarget::parse("mysql://h/db").is_err());
        assert!(DbTarget::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_reach_logs() {
        let t = DbTarget::parse("postgres://dcmm:hunter2@db:5432/dcmm").unwrap();
        assert_eq!(t.redacted(), "postgres://dcmm:***@db:5432/dcmm");
    }
}
