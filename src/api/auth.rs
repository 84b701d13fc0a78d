//! Login, token refresh and logout.

use actix_web::{post, HttpRequest, HttpResponse};
use serde::Deserialize;
use validator::Validate;

use super::extract::Valid;
use super::types::{token_response, TokenResponse};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::throttle;
use crate::auth::{login as login_flow, AuthUser};
use crate::error::{AppError, ErrorBody};
use crate::state::{blocking, db_call, State};

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "li.wei")]
    username: String,
    #[schema(format = Password)]
    password: String,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    refresh_token: String,
}

/// Logs in with a username and password (audited as `auth.login`, `auth.login_failed` or
/// `auth.throttled`). Unknown user, wrong password and disabled account answer the same 401; repeated failures per account or per client address answer 429 with
/// `Retry-After`.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, description = "logged in", body = TokenResponse),
    (status = 401, description = "wrong username or password", body = ErrorBody),
    (status = 422, description = "a field is missing", body = ErrorBody),
    (status = 429, description = "too many failed logins; wait Retry-After seconds", body = ErrorBody),
))]
#[post("/auth/login")]
#[tracing::instrument(skip_all)]
pub async fn login(
    state: State,
    req: HttpRequest,
    body: Valid<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let client = throttle::client_address(&req, state.settings.trust_forwarded_for);
    let LoginRequest { username, password } = body.0;
    let tokens = blocking(&state, move |s| {
        login_flow::login(&s.pool, &s.issuer, &username, &password, client)
    })
    .await?;
    Ok(token_response(tokens))
}

/// Trades a refresh token for a new pair. A refresh token used a second time ends its whole
/// session (audited as `auth.refresh_reuse`).
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, description = "a new token pair", body = TokenResponse),
    (status = 401, description = "unknown, used, expired or revoked refresh token", body = ErrorBody),
))]
#[post("/auth/refresh")]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: State,
    req: HttpRequest,
    body: Valid<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let presented = body.0.refresh_token;
    let client = throttle::client_address(&req, state.settings.trust_forwarded_for);
    let tokens = db_call(&state, move |s, conn| {
        s.issuer.refresh(conn, &presented, client)
    })
    .await?;
    Ok(token_response(tokens))
}

/// Ends the caller's session: its refresh token and its access tokens stop working. Audited
/// as `auth.logout`.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 204, description = "logged out"),
    (status = 401, description = "not logged in", body = ErrorBody),
))]
#[post("/auth/logout")]
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn logout(
    state: State,
    req: HttpRequest,
    user: AuthUser,
) -> Result<HttpResponse, AppError> {
    policy::require(
        &user.actor,
        Action::Update,
        &Resource::global(Kind::Account),
    )?;
    let client = throttle::client_address(&req, state.settings.trust_forwarded_for);
    db_call(&state, move |_, conn| {
        login_flow::logout(conn, &user, client)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
