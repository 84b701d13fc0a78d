//! The append-only, hash-chained audit log. Each entry's hash covers its own fields and the
//! previous entry's hash, so editing, deleting or reordering any row breaks the chain from there.

use chrono::{NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::schema::{audit_head, audit_log};
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

/// Appends one entry in a transaction of its own (for events that write nothing else, such
/// as a login).
pub fn record(conn: &mut DbConnection, entry: Entry) -> QueryResult<Record> {
    write_tx(conn, |c| append(c, entry))
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

/// The hash of a record's content and its predecessor's hash.
pub fn hash_of(r: &Record) -> String {
    let canonical = serde_json::json!([
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
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Takes the audit log's write lock for the rest of the transaction. Call it first in every
/// writing transaction: on SQLite the transaction then holds the write lock from its first
/// statement (no stale snapshot), on PostgreSQL concurrent writers queue on the head row.
pub fn lock(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
        .set(audit_head::seq.eq(audit_head::seq))
        .execute(conn)
        .map(|_| ())
}

/// Appends an entry after the current head; the caller's transaction must hold [`lock`].
pub fn append(conn: &mut DbConnection, entry: Entry) -> QueryResult<Record> {
    let (seq, prev_hash): (i64, String) = audit_head::table
        .filter(audit_head::id.eq(1))
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let now = Utc::now().naive_utc();
    // PostgreSQL keeps microseconds: hash what will be read back.
    let at = now
        .with_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now);
    let mut record = Record {
        seq: seq + 1,
        at,
        actor_id: entry.actor_id,
        action: entry.action,
        subject_type: entry.subject_type,
        subject_id: entry.subject_id,
        cluster_id: entry.cluster_id,
        before_json: entry.before.map(|v| v.to_string()),
        after_json: entry.after.map(|v| v.to_string()),
        prev_hash,
        hash: String::new(),
    };
    record.hash = hash_of(&record);
    diesel::insert_into(audit_log::table)
        .values(&record)
        .execute(conn)?;
    diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
        .set((
            audit_head::seq.eq(record.seq),
            audit_head::hash.eq(&record.hash),
        ))
        .execute(conn)?;
    Ok(record)
}

/// Runs `f` in a transaction holding the audit lock.
pub fn write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(|c| {
        lock(c)?;
        f(c)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    /// The first entry whose hash, link or sequence number is wrong.
    pub first_broken: Option<i64>,
    pub reason: Option<String>,
}

/// Walks the whole chain in order, page by page.
pub fn verify(conn: &mut DbConnection) -> QueryResult<Verification> {
    const PAGE: i64 = 1000;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    loop {
        let page: Vec<Record> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(PAGE)
            .select(Record::as_select())
            .load(conn)?;
        let done = (page.len() as i64) < PAGE;
        for r in page {
            let broken = |reason: &str| Verification {
                entries: expected_seq - 1,
                first_broken: Some(expected_seq),
                reason: Some(reason.to_owned()),
            };
            if r.seq != expected_seq {
                return Ok(broken("an entry is missing"));
            }
            if r.prev_hash != prev {
                return Ok(broken("the link to the previous entry does not match"));
            }
            if hash_of(&r) != r.hash {
                return Ok(broken("the entry was changed after it was written"));
            }
            prev = r.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .filter(audit_head::id.eq(1))
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(Verification {
            entries: expected_seq - 1,
            first_broken: Some(expected_seq),
            reason: Some("entries at the end of the log are missing".to_owned()),
        });
    }
    Ok(Verification {
        entries: expected_seq - 1,
        first_broken: None,
        reason: None,
    })
}
