//! Signed checkpoints of the chain's head, kept by the operator outside the database: one
//! JSON line each, appended to a file. A chain that no longer holds a checkpoint's head at its
//! sequence number was rewritten up to there, or cut below it.

use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::key::signed_by;
use super::{verify, AuditKey, ChainError, Verification};
use crate::db::schema::audit_log;
use crate::db::DbConnection;

/// What a signature covers is named, so that it means nothing elsewhere.
const CONTEXT: &str = "dcmm audit checkpoint v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The head's sequence number and hash.
    pub seq: i64,
    pub hash: String,
    /// When the checkpoint was taken (RFC 3339, UTC).
    pub at: String,
    /// The first keyed entry, as the chain said then.
    pub keyed_from: Option<i64>,
    /// The audit key's fingerprint.
    pub key: String,
    /// The Ed25519 public key the signature checks with (derived from the audit key).
    pub public_key: String,
    pub signature: String,
}

impl Checkpoint {
    fn message(&self) -> Vec<u8> {
        serde_json::json!([
            CONTEXT,
            self.seq,
            self.hash,
            self.at,
            self.keyed_from,
            self.key,
            self.public_key
        ])
        .to_string()
        .into_bytes()
    }

    /// A checkpoint of an intact chain's head, signed. `None` with the verification when the
    /// chain is broken: a checkpoint of a broken chain would vouch for it.
    pub fn take(
        conn: &mut DbConnection,
        key: &AuditKey,
        now: DateTime<Utc>,
    ) -> Result<Result<Self, Verification>, ChainError> {
        let v = verify(conn, Some(key))?;
        if v.first_broken.is_some() {
            return Ok(Err(v));
        }
        let mut checkpoint = Self {
            seq: v.entries,
            hash: v.last_hash,
            at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            keyed_from: v.keyed_from,
            key: key.fingerprint().to_owned(),
            public_key: key.public_key(),
            signature: String::new(),
        };
        checkpoint.signature = key.sign(&checkpoint.message());
        Ok(Ok(checkpoint))
    }

    /// The checkpoint as one line of its file.
    pub fn line(&self) -> String {
        // A struct of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What is wrong with a checkpoint file or the chain against it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mismatch {
    #[error("line {line}: not a checkpoint ({message})")]
    Unreadable { line: usize, message: String },
    #[error("line {line}: taken under another audit key (fingerprint {key})")]
    OtherKey { line: usize, key: String },
    #[error("line {line}: the signature does not match: the checkpoint was altered")]
    BadSignature { line: usize },
    #[error("the file holds no checkpoint")]
    Empty,
    #[error(
        "the chain ends at entry {entries}, before the head of the checkpoint taken at {at} \
         (entry {seq}): entries were cut from its end"
    )]
    Cut { entries: i64, seq: i64, at: String },
    #[error(
        "entry {seq} is not the head of the checkpoint taken at {at}: the chain was rewritten \
         at or before entry {seq}"
    )]
    Rewritten { seq: i64, at: String },
    #[error(
        "the checkpoint taken at {at} says keyed links start at entry {then:?}; the chain now \
         says {now:?}"
    )]
    KeyedFromMoved {
        at: String,
        then: Option<i64>,
        now: Option<i64>,
    },
}

/// Reads a checkpoint file: every line signed under `key`.
pub fn parse(text: &str, key: &AuditKey) -> Result<Vec<Checkpoint>, Mismatch> {
    let mut checkpoints = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let c: Checkpoint = serde_json::from_str(raw).map_err(|e| Mismatch::Unreadable {
            line,
            message: e.to_string(),
        })?;
        if c.key != key.fingerprint() || c.public_key != key.public_key() {
            return Err(Mismatch::OtherKey { line, key: c.key });
        }
        if !signed_by(&c.public_key, &c.message(), &c.signature) {
            return Err(Mismatch::BadSignature { line });
        }
        checkpoints.push(c);
    }
    if checkpoints.is_empty() {
        return Err(Mismatch::Empty);
    }
    Ok(checkpoints)
}

/// Checks that an intact chain (`v`, just verified) still holds each checkpoint's head at
/// its sequence number. Since each link covers the one before, that entry's hash vouches for
/// every entry up to it.
pub fn check(
    conn: &mut DbConnection,
    v: &Verification,
    checkpoints: &[Checkpoint],
) -> Result<Result<(), Mismatch>, ChainError> {
    for c in checkpoints {
        if c.seq > v.entries {
            return Ok(Err(Mismatch::Cut {
                entries: v.entries,
                seq: c.seq,
                at: c.at.clone(),
            }));
        }
        let hash = if c.seq == 0 {
            Some(super::GENESIS.to_owned())
        } else {
            audit_log::table
                .filter(audit_log::seq.eq(c.seq))
                .select(audit_log::hash)
                .first::<String>(conn)
                .optional()?
        };
        if hash.as_deref() != Some(c.hash.as_str()) {
            return Ok(Err(Mismatch::Rewritten {
                seq: c.seq,
                at: c.at.clone(),
            }));
        }
        // An earlier start of the keyed links cannot be forged; a later one would turn keyed
        // links into unkeyed ones, which anyone could recompute.
        if c.keyed_from.is_some() && v.keyed_from != c.keyed_from {
            return Ok(Err(Mismatch::KeyedFromMoved {
                at: c.at.clone(),
                then: c.keyed_from,
                now: v.keyed_from,
            }));
        }
    }
    Ok(Ok(()))
}
