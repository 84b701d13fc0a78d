//! The append-only, hash-chained audit log. Each entry's hash covers its own fields and the
//! previous entry's hash, so editing, deleting or reordering any row breaks the chain from there.
//! From the first start with an audit key on, each link is an HMAC under that key, kept outside
//! the database ([`key`]), so recomputing the links after an edit needs the key too; signed
//! checkpoints of the head, kept elsewhere, catch a cut tail ([`checkpoint`]).

pub mod checkpoint;
pub mod key;
mod verify;

pub use key::AuditKey;
pub use verify::{verify, Verification};

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::schema::{audit_head, audit_log, audit_pending};
use crate::db::DbConnection;
use crate::domain::Actor;
use crate::ids::UserId;
use std::net::IpAddr;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, by whom, to what; `before`/`after` carry the changed values.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub cluster_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Whoever an entry is written by: the logged-in user of a request.
pub trait Author {
    fn author_id(&self) -> UserId;
}

impl<T: Author + ?Sized> Author for &T {
    fn author_id(&self) -> UserId {
        (**self).author_id()
    }
}

impl Entry {
    /// An entry for a write by this user.
    pub fn new(
        user: &impl Author,
        action: &str,
        subject_type: &str,
        subject_id: impl std::fmt::Display,
    ) -> Self {
        Self {
            actor_id: Some(user.author_id().to_string()),
            action: action.to_owned(),
            subject_type: subject_type.to_owned(),
            subject_id: subject_id.to_string(),
            ..Self::default()
        }
    }

    pub fn cluster(mut self, cluster_id: impl std::fmt::Display) -> Self {
        self.cluster_id = Some(cluster_id.to_string());
        self
    }

    pub fn before(mut self, value: &impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after(mut self, value: &impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }

    /// An entry about signing in or out (`auth.login`, `auth.login_failed`, `auth.logout`,
    /// `auth.refresh_reuse`, `auth.throttled`): by the account where one is known, filed under
    /// its cluster, with the username tried and the client's address. Without a known account
    /// the subject is the username tried. Never a password.
    pub fn sign_in(
        action: &str,
        account: Option<(UserId, &Actor)>,
        username: &str,
        address: Option<IpAddr>,
    ) -> Self {
        // What was typed as a username may be anything (even a password typed in the wrong
        // box): keep no more of it than a username can be.
        let tried: String = username.chars().take(64).collect();
        let after = serde_json::json!({ "username": tried, "address": address });
        match account {
            Some((id, actor)) => Self {
                actor_id: Some(id.to_string()),
                action: action.to_owned(),
                subject_type: "user".to_owned(),
                subject_id: id.to_string(),
                cluster_id: account_cluster(actor),
                before: None,
                after: Some(after),
            },
            None => Self {
                actor_id: None,
                action: action.to_owned(),
                subject_type: "username".to_owned(),
                subject_id: tried,
                cluster_id: None,
                before: None,
                after: Some(after),
            },
        }
    }
}

/// The cluster an account's entries are filed under: a manager's cluster, an enterprise
/// user's enterprise's cluster; none for admins and auditors.
pub fn account_cluster(actor: &Actor) -> Option<String> {
    match actor {
        Actor::ClusterManager { cluster } | Actor::Enterprise { cluster, .. } => {
            Some(cluster.to_string())
        }
        Actor::Admin | Actor::Auditor { .. } => None,
    }
}

/// Appends one entry on its own (for events that write nothing else, such as a login).
pub fn record(conn: &mut DbConnection, entry: Entry) -> QueryResult<()> {
    append(conn, entry)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct Record {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub cluster_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What a link covers: a record's content and its predecessor's hash.
fn canonical(r: &Record) -> String {
    serde_json::json!([
        r.seq,
        r.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        r.actor_id,
        r.action,
        r.subject_type,
        r.subject_id,
        r.cluster_id,
        r.before_json,
        r.after_json,
        r.prev_hash,
    ])
    .to_string()
}

/// The unkeyed link of a record linked before the chain had a key: plain SHA-256, which
/// anyone who can write the database can recompute.
pub fn hash_of(r: &Record) -> String {
    hex::encode(Sha256::digest(canonical(r).as_bytes()))
}

/// The keyed link of a record: HMAC-SHA256 under the audit key.
pub fn keyed_hash_of(r: &Record, key: &AuditKey) -> String {
    key.link(canonical(r).as_bytes())
}

/// Why the chain cannot be linked or checked with the key at hand.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(
        "the audit key (fingerprint {given}) is not the one the audit chain is keyed with \
         (fingerprint {chain}): every instance on one database needs the same audit_key"
    )]
    WrongKey { given: String, chain: String },
    #[error(
        "the audit chain is keyed (key fingerprint {chain}) and no audit key was found: set \
         audit_key (DCMM_AUDIT_KEY) or put the key file at <data_dir>/audit-key"
    )]
    NoKey { chain: String },
}

impl From<ChainError> for crate::error::AppError {
    fn from(e: ChainError) -> Self {
        match e {
            ChainError::Db(e) => e.into(),
            other => Self::Internal(other.into()),
        }
    }
}

/// The chain's head: the last entry's sequence number and hash, where the keyed links start
/// and which key they are under.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub(crate) struct Head {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: Option<i64>,
    pub key_fingerprint: Option<String>,
}

impl Head {
    pub(crate) fn read(conn: &mut DbConnection, for_update: bool) -> QueryResult<Self> {
        let head = audit_head::table.filter(audit_head::id.eq(1)).select((
            audit_head::seq,
            audit_head::hash,
            audit_head::keyed_from,
            audit_head::key_fingerprint,
        ));
        // SQLite's write transaction holds the database's lock already; PostgreSQL's takes
        // the head row, so that linkers queue there.
        match conn {
            DbConnection::Postgres(pg) if for_update => head.for_update().first(pg),
            _ => head.first(conn),
        }
    }

    /// Refuses a key other than the chain's.
    pub(crate) fn check_key(&self, key: &AuditKey) -> Result<(), ChainError> {
        match &self.key_fingerprint {
            Some(chain) if chain != key.fingerprint() => Err(ChainError::WrongKey {
                given: key.fingerprint().to_owned(),
                chain: chain.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Whether entry `seq` has a keyed link.
    pub(crate) fn keyed(&self, seq: i64) -> bool {
        self.key_fingerprint.is_some() && self.keyed_from.is_some_and(|from| seq >= from)
    }
}

/// An entry written with its change, waiting for [`link`] to give it its place in the chain.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_pending)]
struct Pending {
    #[diesel(skip_insertion)]
    id: i64,
    at: NaiveDateTime,
    actor_id: Option<String>,
    action: String,
    subject_type: String,
    subject_id: String,
    cluster_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
}

/// Writes `entry` in the caller's transaction, so it is committed with the change it records
/// or not at all. It joins the hash chain when [`link`] next runs (every reader of the log
/// links first, and the server links in the background), in the order entries were written.
pub fn append(conn: &mut DbConnection, entry: Entry) -> QueryResult<()> {
    let pending = Pending {
        id: 0,
        // Both backends keep microseconds: hash what will be read back.
        at: crate::db::now(),
        actor_id: entry.actor_id,
        action: entry.action,
        subject_type: entry.subject_type,
        subject_id: entry.subject_id,
        cluster_id: entry.cluster_id,
        before_json: entry.before.map(|v| v.to_string()),
        after_json: entry.after.map(|v| v.to_string()),
    };
    diesel::insert_into(audit_pending::table)
        .values(&pending)
        .execute(conn)
        .map(|_| ())
}

/// How many pending entries one [`link`] moves at most.
pub const LINK_BATCH: i64 = 500;

/// Links the oldest pending entries (up to [`LINK_BATCH`]) into the chain after its head, in
/// one transaction that holds the head; answers how many. Several callers (on several
/// instances) may run it at once: they take turns on the head, and each entry is linked once.
/// The first call on a chain without a key makes every later link keyed under `key`; a key
/// other than the chain's is refused.
pub fn link(conn: &mut DbConnection, key: &AuditKey) -> Result<usize, ChainError> {
    immediate_tx(conn, |c| {
        let head = Head::read(c, true)?;
        head.check_key(key)?;
        if head.key_fingerprint.is_none() || head.keyed_from.is_none() {
            diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
                .set((
                    audit_head::keyed_from.eq(head.seq + 1),
                    audit_head::key_fingerprint.eq(key.fingerprint()),
                ))
                .execute(c)?;
        }
        let (mut seq, mut prev) = (head.seq, head.hash);
        let pending: Vec<Pending> = audit_pending::table
            .order(audit_pending::id.asc())
            .limit(LINK_BATCH)
            .select(Pending::as_select())
            .load(c)?;
        if pending.is_empty() {
            return Ok(0);
        }
        let mut ids = Vec::with_capacity(pending.len());
        let mut records = Vec::with_capacity(pending.len());
        for p in pending {
            seq += 1;
            ids.push(p.id);
            let mut record = Record {
                seq,
                at: p.at,
                actor_id: p.actor_id,
                action: p.action,
                subject_type: p.subject_type,
                subject_id: p.subject_id,
                cluster_id: p.cluster_id,
                before_json: p.before_json,
                after_json: p.after_json,
                prev_hash: prev,
                hash: String::new(),
            };
            record.hash = keyed_hash_of(&record, key);
            prev = record.hash.clone();
            records.push(record);
        }
        crate::on_backend!(&mut *c, |b| diesel::insert_into(audit_log::table)
            .values(&records)
            .execute(b))?;
        // Exactly the entries read: on PostgreSQL an entry with a lower id may commit after
        // the read, and it must stay pending for the next turn.
        diesel::delete(audit_pending::table.filter(audit_pending::id.eq_any(&ids))).execute(c)?;
        diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
            .set((audit_head::seq.eq(seq), audit_head::hash.eq(&prev)))
            .execute(c)?;
        Ok(records.len())
    })
}

/// Links every entry pending so far, so that a reader of the log sees each write that
/// committed before it asked.
pub fn settle(conn: &mut DbConnection, key: &AuditKey) -> Result<(), ChainError> {
    while link(conn, key)? as i64 == LINK_BATCH {}
    Ok(())
}

/// A key of PostgreSQL's advisory locks for writes (the bytes of `dcmmwrit`).
const WRITE_LOCK: i64 = 0x6463_6d6d_7772_6974;

/// Runs `f` in a write transaction that no other write runs beside: on SQLite the
/// transaction holds the database's write lock from its start, on PostgreSQL it holds the
/// write lock exclusively (so checks that read before writing hold until the commit).
pub fn write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    immediate_tx(conn, |c| {
        if let DbConnection::Postgres(pg) = c {
            pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))?;
        }
        f(c)
    })
}

/// Runs `f` in a write transaction that runs beside others of its kind but never beside a
/// [`write_tx`]: for the autosave of one answer, whose own rows (the answer's version, the
/// assessment's counter) decide between concurrent writers. SQLite has one writer at a time
/// anyway; on PostgreSQL it shares the write lock.
pub fn shared_write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    immediate_tx(conn, |c| {
        if let DbConnection::Postgres(pg) = c {
            pg.batch_execute(&format!(
                "SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})"
            ))?;
        }
        f(c)
    })
}

/// Runs `f` in a transaction; a new one on SQLite begins `IMMEDIATE`, holding the database's
/// write lock from its first statement, so a transaction that reads before it writes never
/// finds its snapshot outdated at the write. Inside an open transaction, `f` runs in a
/// savepoint as usual.
fn immediate_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    let open = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
        .transaction_depth()?
        .is_some();
    if open {
        return conn.transaction(f);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}
