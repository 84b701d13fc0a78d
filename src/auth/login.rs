//! Logging in and changing one's password: the two places a password is checked, both
//! throttled.
//!
//! An unknown username, a wrong password and a disabled account give the same answer after
//! the same work (an unknown user's attempt is checked against a dummy hash).

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, Entry};
use crate::auth::account::{normalize_username, push, push_weakness, User};
use crate::auth::audited::security;
use crate::auth::password::{self, Password};
use crate::auth::session::{Issuer, Tokens};
use crate::auth::throttle::{self, Limit};
use crate::auth::users::UserChanges;
use crate::db::{self, DbConnection, Pool};
use crate::error::{AppError, FieldCodes, FieldErrors};
use crate::ids::UserId;

/// Checks a username and password and starts a session. Blocking: it hashes. Every outcome
/// is audited in a transaction of its own: `auth.login`, `auth.login_failed` (the entry names
/// the account when there is one; the caller learns nothing of it) or `auth.throttled`.
pub fn login(
    pool: &Pool,
    issuer: &Issuer,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<Tokens, AppError> {
    let tried = username;
    let username = normalize_username(username);
    let mut counters = vec![(throttle::account_key(&username), throttle::PER_ACCOUNT)];
    if let Some(address) = client {
        counters.push((throttle::address_key(address), throttle::PER_ADDRESS));
    }
    let keys: Vec<String> = counters.iter().map(|(k, _)| k.clone()).collect();
    let user = {
        let mut conn = pool.get()?;
        let user = crate::auth::users::find_by_username(&mut conn, &username)?;
        if let Err(refused) = refuse_if_locked(&mut conn, &keys) {
            let account = user.as_ref().map(|u| (u.id, &u.actor));
            audit::record(
                &mut conn,
                security(Entry::sign_in("auth.throttled", account, tried, client)),
            )?;
            return Err(refused);
        }
        user
    };
    // The connection goes back to the pool while the hash is computed.
    let accepted = match &user {
        Some(user) => password::verify(password, user.password_hash.expose()) && !user.disabled,
        None => {
            password::verify_against_dummy(password);
            false
        }
    };
    let mut conn = pool.get()?;
    match user {
        Some(user) if accepted => {
            db::throttle::clear(&mut conn, &throttle::account_key(&username))?;
            let tokens = issuer.start(&mut conn, &user)?;
            audit::record(
                &mut conn,
                security(Entry::sign_in(
                    "auth.login",
                    Some((user.id, &user.actor)),
                    tried,
                    client,
                )),
            )?;
            Ok(tokens)
        }
        user => {
            record_failure(&mut conn, &counters)?;
            let account = user.as_ref().map(|u| (u.id, &u.actor));
            audit::record(
                &mut conn,
                security(Entry::sign_in("auth.login_failed", account, tried, client)),
            )?;
            Err(AppError::Unauthorized)
        }
    }
}

/// Ends the caller's session (logout), audited as `auth.logout` in the same transaction.
pub fn logout(
    conn: &mut DbConnection,
    user: &crate::auth::AuthUser,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    audit::write_tx(conn, |c| {
        crate::auth::session::end(c, user.session)?;
        audit::append(
            c,
            security(Entry::sign_in(
                "auth.logout",
                Some((user.id, &user.actor)),
                &user.username,
                client,
            )),
        )?;
        Ok(())
    })
}

/// Answers 429 with the wait while any of the counters is locked.
fn refuse_if_locked(conn: &mut DbConnection, keys: &[String]) -> Result<(), AppError> {
    let now = now();
    match db::throttle::locked_until(conn, keys, now)? {
        Some(until) => Err(AppError::TooManyRequests {
            retry_after_secs: throttle::retry_after_secs(until, now),
        }),
        None => Ok(()),
    }
}

fn record_failure(conn: &mut DbConnection, counters: &[(String, Limit)]) -> Result<(), AppError> {
    let now = now();
    let window_start = now - Duration::seconds(throttle::WINDOW_SECS);
    for (key, limit) in counters {
        let failures = db::throttle::record_failure(conn, key, now, window_start)?;
        if let Some(delay) = limit.delay_after(failures) {
            db::throttle::lock(conn, key, now + delay)?;
        }
    }
    Ok(())
}

/// Changes the caller's password after checking the current one, ends every session of the
/// user (this one too) and starts a fresh session for the caller. Audited: `auth.password_change`
/// with the change, `auth.password_change_failed` for a wrong current password, and
/// `auth.throttled` while the account is locked.
/// Blocking: it hashes.
pub fn change_password(
    pool: &Pool,
    issuer: &Issuer,
    user_id: UserId,
    current: &str,
    new: &str,
    client: Option<IpAddr>,
) -> Result<Tokens, AppError> {
    let user = {
        let mut conn = pool.get()?;
        let user = crate::auth::users::find(&mut conn, user_id)?.ok_or(AppError::Unauthorized)?;
        if let Err(refused) = refuse_if_locked(&mut conn, &[throttle::account_key(&user.username)])
        {
            let entry = Entry::sign_in(
                "auth.throttled",
                Some((user.id, &user.actor)),
                &user.username,
                client,
            );
            audit::record(&mut conn, security(entry))?;
            return Err(refused);
        }
        user
    };
    let new = parse_new_password(&user, current, new)?;
    let account = Some((user.id, &user.actor));
    if !password::verify(current, user.password_hash.expose()) {
        let mut conn = pool.get()?;
        let counter = (throttle::account_key(&user.username), throttle::PER_ACCOUNT);
        record_failure(&mut conn, &[counter])?;
        let entry = Entry::sign_in(
            "auth.password_change_failed",
            account,
            &user.username,
            client,
        );
        audit::record(&mut conn, security(entry))?;
        return Err(AppError::field("current_password", "is not your password"));
    }
    let hash = password::hash(&new)?;
    let mut conn = pool.get()?;
    audit::write_tx(&mut conn, |conn| {
        let changes = UserChanges {
            password_hash: Some(hash),
            must_change_password: Some(false),
            end_tokens: true,
            ..UserChanges::default()
        };
        let changed = crate::auth::users::update(conn, user.id, &changes)?;
        crate::auth::session::end_all(conn, changed.id)?;
        let entry = Entry::sign_in("auth.password_change", account, &user.username, client);
        audit::append(conn, security(entry))?;
        issuer.start(conn, &changed)
    })
}

fn parse_new_password(user: &User, current: &str, new: &str) -> Result<Password, AppError> {
    let mut errors = FieldErrors::new();
    let mut codes = FieldCodes::new();
    let parsed = Password::check(new, &user.username)
        .map_err(|w| push_weakness(&mut errors, &mut codes, "new_password", w))
        .ok();
    if new == current {
        push(
            &mut errors,
            "new_password",
            "must differ from the current password",
        );
    }
    crate::auth::account::check_rules(errors, codes)?;
    parsed.ok_or_else(|| AppError::field("new_password", "is not acceptable"))
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
