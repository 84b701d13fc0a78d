//! Failed-login counters and request counters (report checks without a login), shared by
//! every instance through the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_throttle;
use super::DbConnection;
use crate::on_backend;

/// The latest lock still running on any of these keys.
pub fn locked_until(
    conn: &mut DbConnection,
    keys: &[String],
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let locks: Vec<Option<NaiveDateTime>> = login_throttle::table
        .filter(login_throttle::key.eq_any(keys))
        .filter(login_throttle::locked_until.gt(now))
        .select(login_throttle::locked_until)
        .load(conn)?;
    Ok(locks.into_iter().flatten().max())
}

/// Counts one failure on `key` and answers the count. Failures older than `window_start`
/// are forgotten first, unless a lock is still running.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window_start: NaiveDateTime,
) -> QueryResult<i32> {
    use login_throttle::dsl as t;
    diesel::update(
        t::login_throttle
            .filter(t::key.eq(key))
            .filter(t::updated_at.lt(window_start))
            .filter(t::locked_until.is_null().or(t::locked_until.le(now))),
    )
    .set((t::failures.eq(0), t::locked_until.eq(None::<NaiveDateTime>)))
    .execute(conn)?;
    // The increment happens in the database, so concurrent failures on several instances
    // are all counted.
    on_backend!(conn, |c| diesel::insert_into(t::login_throttle)
        .values((t::key.eq(key), t::failures.eq(1), t::updated_at.eq(now)))
        .on_conflict(t::key)
        .do_update()
        .set((t::failures.eq(t::failures + 1), t::updated_at.eq(now)))
        .execute(c))?;
    t::login_throttle
        .filter(t::key.eq(key))
        .select(t::failures)
        .first(conn)
}

/// Locks `key` until `until`, unless a longer lock already runs.
pub fn lock(conn: &mut DbConnection, key: &str, until: NaiveDateTime) -> QueryResult<()> {
    use login_throttle::dsl as t;
    diesel::update(
        t::login_throttle
            .filter(t::key.eq(key))
            .filter(t::locked_until.is_null().or(t::locked_until.lt(until))),
    )
    .set(t::locked_until.eq(until))
    .execute(conn)
    .map(drop)
}

/// Forgets the failures of `key` (after a successful login).
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.filter(login_throttle::key.eq(key)))
        .execute(conn)
        .map(drop)
}

/// Counts one request on `key` in a fixed window and answers the count so far and when the
/// window started (`updated_at` holds the start). A window that started before
/// `window_start` is over: the count starts again.
pub fn count_request(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window_start: NaiveDateTime,
) -> QueryResult<(i32, NaiveDateTime)> {
    use login_throttle::dsl as t;
    diesel::update(
        t::login_throttle
            .filter(t::key.eq(key))
            .filter(t::updated_at.lt(window_start)),
    )
    .set((t::failures.eq(0), t::updated_at.eq(now)))
    .execute(conn)?;
    on_backend!(conn, |c| diesel::insert_into(t::login_throttle)
        .values((t::key.eq(key), t::failures.eq(1), t::updated_at.eq(now)))
        .on_conflict(t::key)
        .do_update()
        .set(t::failures.eq(t::failures + 1))
        .execute(c))?;
    t::login_throttle
        .filter(t::key.eq(key))
        .select((t::failures, t::updated_at))
        .first(conn)
}
