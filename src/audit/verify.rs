//! Walking the chain: every link recomputed, unkeyed ones with SHA-256, keyed ones with the
//! audit key.

use diesel::prelude::*;
use serde::Serialize;

use super::{hash_of, keyed_hash_of, settle, AuditKey, ChainError, Head, Record, GENESIS};
use crate::db::schema::audit_log;
use crate::db::DbConnection;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    /// The first entry whose hash, link or sequence number is wrong.
    pub first_broken: Option<i64>,
    pub reason: Option<String>,
    /// How many of the entries checked have unkeyed links (linked before the chain had a
    /// key): anyone who can write the database can recompute those.
    pub unkeyed: i64,
    /// The key the keyed links are under, by its fingerprint.
    pub key_fingerprint: Option<String>,
    /// The first entry with a keyed link.
    pub keyed_from: Option<i64>,
    /// The hash of the last entry checked (the genesis hash for an empty chain).
    pub last_hash: String,
}

/// Links what is pending (with a key), then walks the whole chain in order, page by page.
/// Without a key only a chain that has no keyed links yet can be checked (and nothing
/// pending is linked); a key other than the chain's is refused.
pub fn verify(conn: &mut DbConnection, key: Option<&AuditKey>) -> Result<Verification, ChainError> {
    let head = Head::read(conn, false)?;
    match (key, &head.key_fingerprint) {
        (Some(key), _) => {
            head.check_key(key)?;
            settle(conn, key)?;
        }
        (None, Some(chain)) => {
            return Err(ChainError::NoKey {
                chain: chain.clone(),
            })
        }
        (None, None) => {}
    }
    let head = Head::read(conn, false)?;
    const PAGE: i64 = 1000;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut unkeyed = 0;
    let outcome = |entries: i64, unkeyed: i64, prev: &str| Verification {
        entries,
        first_broken: None,
        reason: None,
        unkeyed,
        key_fingerprint: head.key_fingerprint.clone(),
        keyed_from: head.keyed_from.filter(|_| head.key_fingerprint.is_some()),
        last_hash: prev.to_owned(),
    };
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
                first_broken: Some(expected_seq),
                reason: Some(reason.to_owned()),
                ..outcome(expected_seq - 1, unkeyed, &prev)
            };
            if r.seq != expected_seq {
                return Ok(broken("an entry is missing"));
            }
            if r.prev_hash != prev {
                return Ok(broken("the link to the previous entry does not match"));
            }
            // Without a key the chain has no keyed links (see above).
            let expected = match key {
                Some(key) if head.keyed(r.seq) => keyed_hash_of(&r, key),
                _ => hash_of(&r),
            };
            if expected != r.hash {
                return Ok(broken("the entry was changed after it was written"));
            }
            unkeyed += i64::from(!head.keyed(r.seq));
            prev = r.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    if head.seq != expected_seq - 1 || head.hash != prev {
        return Ok(Verification {
            first_broken: Some(expected_seq),
            reason: Some("entries at the end of the log are missing".to_owned()),
            ..outcome(expected_seq - 1, unkeyed, &prev)
        });
    }
    Ok(outcome(expected_seq - 1, unkeyed, &prev))
}
