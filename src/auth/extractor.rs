//! `AuthUser`: the authenticated caller, taken from `Authorization: Bearer <access token>`.
//!
//! Missing, malformed, foreign, expired and outdated tokens, and tokens of disabled users or
//! ended sessions, are all the same 401: a client learns only that it must log in.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::api::AppState;
use crate::auth::jwt::Claims;
use crate::auth::Actor;
use crate::db;
use crate::error::AppError;
use crate::ids::{SessionId, UserId};

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub username: String,
    pub actor: Actor,
    pub session: SessionId,
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            authenticate(state, &token.ok_or(AppError::Unauthorized)?).await
        })
    }
}

/// The user an access token speaks for, however it came (a header, or the web pages' cookie).
pub async fn authenticate(state: web::Data<AppState>, token: &str) -> Result<AuthUser, AppError> {
    let claims = state
        .issuer
        .keys
        .decode(token)
        .map_err(|_| AppError::Unauthorized)?;
    web::block(move || current_user(&state, claims)).await?
}

/// The token of an `Authorization: Bearer …` header, if there is one.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// The user behind verified claims, if the claims still speak for it.
fn current_user(state: &AppState, claims: Claims) -> Result<AuthUser, AppError> {
    let mut conn = state.pool.get()?;
    let user = db::users::find(&mut conn, claims.sub)?.ok_or(AppError::Unauthorized)?;
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
        actor: user.actor,
        session: claims.sid,
    })
}
