//! Storage: one connection type for SQLite and PostgreSQL, a pool, and the migrations.

pub mod assessments;
pub mod audit_log;
pub mod campaigns;
pub mod clusters;
pub mod enterprises;
pub mod evidence;
pub mod own_assessments;
pub mod profiles;
pub mod questionnaire_versions;
pub mod refs;
pub mod reports;
pub mod reviews;
pub mod rollup;
pub mod schema;
pub mod sessions;
mod target;
mod text;
pub mod throttle;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use target::{redact_url, redact_urls_in, DbTarget};

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
                // The busy timeout first: switching to WAL needs a lock another connection may
                // hold, and without a timeout that fails at once.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            DbTarget::Postgres(url) => diesel::PgConnection::establish(url)
                .map(DbConnection::Postgres)
                .map_err(|e| r2d2::Error::ConnectionError(self.target.scrub(e))),
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

/// Builds the pool, where a connection is waited for up to 10 seconds. For SQLite the file's
/// folder is created first.
pub fn connect(target: &DbTarget, max_size: u32) -> anyhow::Result<Pool> {
    connect_waiting(target, max_size, Duration::from_secs(10))
}

/// [`connect`], waiting at most `timeout` for a connection: a request meets a stopped
/// database as an error after that long.
pub fn connect_waiting(
    target: &DbTarget,
    max_size: u32,
    timeout: Duration,
) -> anyhow::Result<Pool> {
    if let DbTarget::Sqlite(path) = target {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(timeout)
        .build(Manager {
            target: target.clone(),
        })?;
    Ok(pool)
}

/// The pool writes go through: on SQLite a second pool of one connection (SQLite runs one
/// writer at a time; writers that queue for a connection wake in turn, where writers on
/// several connections would poll the database's lock in its busy handler), on PostgreSQL
/// `pool` itself.
pub fn writer(target: &DbTarget, pool: &Pool) -> anyhow::Result<Pool> {
    match target {
        DbTarget::Sqlite(_) => connect_waiting(target, 1, pool.connection_timeout()),
        DbTarget::Postgres(_) => Ok(pool.clone()),
    }
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
mod migration_tests {
    /// The migration folders of one backend, by name.
    fn names(backend: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_backends_have_the_same_migrations_each_with_a_version_of_its_own() {
        let sqlite = names("sqlite");
        assert_eq!(sqlite, names("postgres"));
        // Diesel orders and records a migration by the part of its name before the first `_`.
        let mut versions: Vec<&str> = sqlite
            .iter()
            .map(|n| n.split('_').next().unwrap_or(n))
            .collect();
        versions.dedup();
        assert_eq!(
            versions.len(),
            sqlite.len(),
            "two migrations share a version: {sqlite:?}"
        );
    }
}

#[cfg(test)]
mod sqlite_build_tests {
    use diesel::prelude::*;

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }

    /// The bundled SQLite keeps a prepared statement's plan whatever is bound to it (see
    /// `.cargo/config.toml`), and keeps the options it is built with by default.
    #[test]
    fn the_bundled_sqlite_is_built_with_a_stable_query_plan() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let options: Vec<String> = diesel::sql_query("PRAGMA compile_options")
            .load::<CompileOption>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|o| o.compile_options)
            .collect();
        assert!(options.iter().any(|o| o == "ENABLE_QPSG"), "{options:?}");
        assert!(options.iter().any(|o| o == "ENABLE_FTS5"), "{options:?}");
    }
}
