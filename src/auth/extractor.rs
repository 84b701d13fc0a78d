//! `AuthUser`: the authenticated caller, taken from `Authorization: Bearer <access token>`, or
//! from the web pages' session cookie together with the page's CSRF token in `X-CSRF-Token`
//! (the pages' scripts call the API that way; a cookie alone is never enough).
//!
//! Missing, malformed, foreign, expired and outdated tokens, and tokens of disabled users or
//! ended sessions, are all the same 401: a client learns only that it must log in.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::auth::account::Language;
use crate::auth::jwt::{Claims, JwtKeys};
use crate::db::{self, Pool};
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::{SessionId, UserId};

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub username: String,
    /// The name people know the user by (shown in page headers).
    pub display_name: String,
    pub actor: Actor,
    pub session: SessionId,
    /// The account's language: pages and reports use it unless asked for another.
    pub language: Language,
    /// The account must change the password someone else set before anything else: the API
    /// answers 403 `password_change_required` except to [`allowed_before_password_change`],
    /// the pages send it to the password form.
    pub must_change_password: bool,
}

/// The API operations an account that must change its password may still call: the change
/// itself, reading its own account (to learn why everything else is refused), logout and
/// refresh (which takes no access token).
pub fn allowed_before_password_change(method: &actix_web::http::Method, path: &str) -> bool {
    use actix_web::http::Method;
    let path = path.trim_end_matches('/');
    matches!(
        (method, path),
        (&Method::POST, "/api/v1/me/password")
            | (&Method::GET, "/api/v1/me")
            | (&Method::POST, "/api/v1/auth/logout")
            | (&Method::POST, "/api/v1/auth/refresh")
    )
}

/// The cookie that holds a page session's access token.
pub const SESSION_COOKIE: &str = "dcmm_session";
/// The cookie that holds a page session's refresh token (sent only to `/session/`).
pub const REFRESH_COOKIE: &str = "dcmm_refresh";
/// The header the pages' scripts send their CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of the cookie `name`, if the request carries a non-empty one.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, value)| *n == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The CSRF token a script sent in [`CSRF_HEADER`].
pub fn csrf_header(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(CSRF_HEADER)?.to_str().ok()?;
    Some(value.to_owned())
}

/// The user an access token speaks for, however it came (a header, or the web pages' cookie).
/// Blocking: it reads the user and the session.
pub fn authenticate(pool: &Pool, keys: &JwtKeys, token: &str) -> Result<AuthUser, AppError> {
    let claims = keys.decode(token).map_err(|_| AppError::Unauthorized)?;
    current_user(pool, claims)
}

/// The token of an `Authorization: Bearer …` header, if there is one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// The user behind verified claims, if the claims still speak for it.
fn current_user(pool: &Pool, claims: Claims) -> Result<AuthUser, AppError> {
    let mut conn = pool.get()?;
    let user = crate::auth::users::find(&mut conn, claims.sub)?.ok_or(AppError::Unauthorized)?;
    let current = !user.disabled
        && user.token_version == claims.ver
        && user.actor.role() == claims.role
        && db::sessions::is_live(&mut conn, claims.sid, user.id)?;
    if !current {
        return Err(AppError::Unauthorized);
    }
    Ok(AuthUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        actor: user.actor,
        session: claims.sid,
        language: user.language,
        must_change_password: user.must_change_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::Method;

    #[test]
    fn before_a_password_change_only_the_change_the_account_logout_and_refresh_answer() {
        for (method, path) in [
            (Method::POST, "/api/v1/me/password"),
            (Method::GET, "/api/v1/me"),
            (Method::POST, "/api/v1/auth/logout"),
            (Method::POST, "/api/v1/auth/refresh"),
        ] {
            assert!(
                allowed_before_password_change(&method, path),
                "{method} {path}"
            );
        }
        for (method, path) in [
            (Method::PATCH, "/api/v1/me"),
            (Method::GET, "/api/v1/me/password"),
            (Method::GET, "/api/v1/users"),
            (Method::GET, "/api/v1/me/x"),
            (Method::GET, "/api/v1/clusters"),
        ] {
            assert!(
                !allowed_before_password_change(&method, path),
                "{method} {path}"
            );
        }
    }
}
