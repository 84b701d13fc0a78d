//! Refresh tokens, stored only as hashes. The tokens grown from one login form a family (the
//! session); a family with no revoked member is a live session.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::refresh_tokens;
use super::DbConnection;
use crate::ids::{SessionId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: &'a str,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, token: &NewRefreshToken<'_>) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(token)
        .execute(conn)
        .map(drop)
}

pub fn find_by_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a token used, once: answers false when it was already used or revoked (by a
/// concurrent request too).
pub fn mark_used(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Ends one session.
pub fn revoke_family(
    conn: &mut DbConnection,
    family: SessionId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family.to_string()))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Ends every session of a user.
pub fn revoke_user(
    conn: &mut DbConnection,
    user: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user.to_string()))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Whether the session still lives: it has tokens, all of them the user's, and none of them
/// was revoked. One statement, asked by every authenticated request.
pub fn is_live(conn: &mut DbConnection, family: SessionId, user: UserId) -> QueryResult<bool> {
    use diesel::dsl::{count, max, min};
    let (revoked, first, last): (i64, Option<String>, Option<String>) = refresh_tokens::table
        .filter(refresh_tokens::family_id.eq(family.to_string()))
        .select((
            count(refresh_tokens::revoked_at),
            min(refresh_tokens::user_id),
            max(refresh_tokens::user_id),
        ))
        .get_result(conn)?;
    let user = user.to_string();
    Ok(revoked == 0 && first.as_deref() == Some(&user) && last.as_deref() == Some(&user))
}

/// Forgets a user's tokens that expired: they can no longer be used, nor reused.
pub fn prune_expired(
    conn: &mut DbConnection,
    user: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user.to_string()))
            .filter(refresh_tokens::expires_at.lt(now)),
    )
    .execute(conn)
}
