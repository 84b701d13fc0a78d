//! The caller's own account.

use actix_web::{get, patch, post, HttpRequest, HttpResponse};
use serde::Deserialize;
use validator::Validate;

use super::extract::Valid;
use super::types::{token_response, TokenResponse, UserResponse};
use crate::auth::account;
use crate::auth::manage::Patch;
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::throttle::client_address;
use crate::auth::{login, AuthUser};
use crate::error::{AppError, ErrorBody, FieldErrors};
use crate::state::{blocking, db_call, State};

/// The caller's account.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, description = "the caller's account", body = UserResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
))]
#[get("/me")]
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn me(state: State, user: AuthUser) -> Result<HttpResponse, AppError> {
    policy::require(&user.actor, Action::Read, &Resource::global(Kind::Account))?;
    let found = db_call(&state, move |_, conn| {
        Ok(crate::auth::users::find(conn, user.id)?)
    })
    .await?
    .ok_or(AppError::Unauthorized)?;
    Ok(HttpResponse::Ok().json(UserResponse::from(found)))
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(format = Password)]
    current_password: String,
    #[schema(format = Password)]
    new_password: String,
}

/// Changes the caller's password. Every session of the account ends, this one included; the
/// answer is a fresh token pair for the caller.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest, responses(
    (status = 200, description = "password changed; a new token pair", body = TokenResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 422, description = "wrong current password, or a new password the policy refuses", body = ErrorBody),
    (status = 429, description = "too many wrong current passwords", body = ErrorBody),
))]
#[post("/me/password")]
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn change_password(
    state: State,
    req: HttpRequest,
    user: AuthUser,
    body: Valid<ChangePasswordRequest>,
) -> Result<HttpResponse, AppError> {
    policy::require(
        &user.actor,
        Action::Update,
        &Resource::global(Kind::Account),
    )?;
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.0;
    let client = client_address(&req, state.settings.trust_forwarded_for);
    let tokens = blocking(&state, move |s| {
        login::change_password(
            &s.pool,
            &s.issuer,
            user.id,
            &current_password,
            &new_password,
            client,
        )
    })
    .await?;
    Ok(token_response(tokens))
}

/// Changes to the caller's own account; absent fields stay as they are.
#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// `zh` or `en`: the language of the caller's pages and reports unless one is asked for.
    #[schema(example = "en")]
    language: Option<String>,
    /// 1 to 100 characters.
    display_name: Option<String>,
}

impl UpdateMeRequest {
    fn parse(self) -> Result<Patch, AppError> {
        let mut errors = FieldErrors::new();
        let (display_name, language) = account::parse_name_and_language(
            self.display_name.as_deref(),
            self.language.as_deref(),
            &mut errors,
        );
        account::check(errors)?;
        Ok(Patch {
            display_name,
            language,
            ..Patch::default()
        })
    }
}

/// Changes the caller's language or display name. The language is what pages and reports use
/// when no `lang` is asked for. Audited as `user.update`.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = UpdateMeRequest, responses(
    (status = 200, description = "the changed account", body = UserResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 422, description = "a field is invalid (`language` not zh or en, an empty `display_name`, an unknown field)", body = ErrorBody),
))]
#[patch("/me")]
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn update_me(
    state: State,
    user: AuthUser,
    body: Valid<UpdateMeRequest>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.parse()?;
    let updated = db_call(&state, move |_, conn| {
        crate::me::update(conn, &user, &patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserResponse::from(updated)))
}
