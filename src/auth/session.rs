//! Sessions: a login issues an access token and a refresh token; each refresh token is good
//! for one use and is replaced by a new one of the same family; presenting a used one again
//! means it was copied, so the whole family (the session) ends.
//!
//! These functions do database work: call them on a blocking thread.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use diesel::Connection;
use sha2::{Digest, Sha256};

use crate::auth::account::User;
use crate::auth::jwt::JwtKeys;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::ids::{SessionId, UserId};

/// What a client receives after a login, a refresh or a password change.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
    pub session: SessionId,
}

/// Lifetimes of the two tokens.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub keys: JwtKeys,
    pub refresh_ttl_secs: i64,
}

impl Issuer {
    /// A new session for `user`.
    pub fn start(&self, conn: &mut DbConnection, user: &User) -> Result<Tokens, AppError> {
        let now = now();
        db::sessions::prune_expired(conn, user.id, now)?;
        self.issue(conn, user, SessionId::new(), now)
    }

    /// Trades a refresh token for a new pair. Every failure is the same 401; a reused token
    /// also ends its session.
    /// The reuse is audited (`auth.refresh_reuse`).
    pub fn refresh(
        &self,
        conn: &mut DbConnection,
        presented: &str,
        client: Option<IpAddr>,
    ) -> Result<Tokens, AppError> {
        let now = now();
        let hash = hash_refresh_token(presented);
        let outcome = conn.transaction(|conn| -> Result<Outcome, AppError> {
            let Some(row) = db::sessions::find_by_hash(conn, &hash)? else {
                return Ok(Outcome::Refused);
            };
            let family: SessionId = row.family_id.parse().map_err(|_| corrupt(&row.id))?;
            if row.revoked_at.is_some() {
                return Ok(Outcome::Refused);
            }
            if row.used_at.is_some() || !db::sessions::mark_used(conn, &row.id, now)? {
                db::sessions::revoke_family(conn, family, now)?;
                return Ok(Outcome::Reused(family, row.user_id.clone()));
            }
            if row.expires_at <= now {
                return Ok(Outcome::Refused);
            }
            let user_id: UserId = row.user_id.parse().map_err(|_| corrupt(&row.id))?;
            match crate::auth::users::find(conn, user_id)? {
                Some(user) if !user.disabled => {
                    self.issue(conn, &user, family, now).map(Outcome::Issued)
                }
                _ => Ok(Outcome::Refused),
            }
        })?;
        match outcome {
            Outcome::Issued(tokens) => Ok(tokens),
            Outcome::Reused(family, user_id) => {
                tracing::warn!(
                    target: "dcmm::security",
                    event = "auth.refresh_reuse",
                    session = %family,
                    client = ?client,
                    "refresh token reused; its session ended"
                );
                let user = match user_id.parse::<UserId>() {
                    Ok(id) => crate::auth::users::find(conn, id)?,
                    Err(_) => None,
                };
                if let Some(user) = user {
                    crate::audit::record(
                        conn,
                        crate::audit::Entry::sign_in(
                            "auth.refresh_reuse",
                            Some((user.id, &user.actor)),
                            &user.username,
                            client,
                        ),
                    )?;
                }
                Err(AppError::Unauthorized)
            }
            Outcome::Refused => Err(AppError::Unauthorized),
        }
    }

    fn issue(
        &self,
        conn: &mut DbConnection,
        user: &User,
        session: SessionId,
        now: NaiveDateTime,
    ) -> Result<Tokens, AppError> {
        let refresh_token = new_refresh_token()?;
        let hash = hash_refresh_token(&refresh_token);
        db::sessions::insert(
            conn,
            &db::sessions::NewRefreshToken {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: user.id.to_string(),
                family_id: session.to_string(),
                token_hash: &hash,
                expires_at: now + Duration::seconds(self.refresh_ttl_secs),
                created_at: now,
            },
        )?;
        let claims = self
            .keys
            .claims(user.id, user.actor.role(), user.token_version, session);
        Ok(Tokens {
            access_token: self.keys.encode(&claims)?,
            expires_in: self.keys.ttl_secs(),
            refresh_token,
            session,
        })
    }
}

enum Outcome {
    Issued(Tokens),
    /// The family ended, and the id of its user.
    Reused(SessionId, String),
    Refused,
}

/// Ends one session (logout).
pub fn end(conn: &mut DbConnection, session: SessionId) -> Result<(), AppError> {
    db::sessions::revoke_family(conn, session, now())?;
    Ok(())
}

/// Ends every session of a user.
pub fn end_all(conn: &mut DbConnection, user: UserId) -> Result<(), AppError> {
    db::sessions::revoke_user(conn, user, now())?;
    Ok(())
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn corrupt(id: &str) -> AppError {
    AppError::Internal(anyhow::anyhow!("refresh token {id}: malformed ids"))
}

/// 32 random bytes as hex: unguessable, so a plain SHA-256 is enough to store it.
fn new_refresh_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random refresh token: {e}"))?;
    Ok(hex::encode(bytes))
}

pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_random_and_stored_as_their_hash() {
        let a = new_refresh_token().unwrap();
        let b = new_refresh_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        let hash = hash_refresh_token(&a);
        assert_ne!(hash, a);
        assert_eq!(hash, hash_refresh_token(&a));
    }
}
