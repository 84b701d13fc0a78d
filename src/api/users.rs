//! User accounts: create, list, change.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use super::types::UserResponse;
use crate::auth::account::{self, NewAccount, NewAccountInput, ScopeFields};
use crate::auth::history;
use crate::auth::manage::{self, Grant, Patch};
use crate::auth::AuthUser;
use crate::domain::Role;
use crate::error::{AppError, ErrorBody, FieldErrors};
use crate::ids::UserId;
use crate::state::{db_call, State};

/// A new account. The role decides the one scope field it takes: `cluster_id` for a
/// cluster manager, `enterprise_id` for an enterprise user, `cluster_ids` for an auditor,
/// none for an admin.
#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(example = "li.wei")]
    username: String,
    /// 12 to 128 characters of any kind, not on the common-password list, not containing the
    /// username (refusals name the rule in `codes`). Without it the service generates a strong one, answers it once as
    /// `temporary_password` and the account must change it at its first login.
    #[schema(format = Password)]
    password: Option<String>,
    /// Defaults to the username.
    display_name: Option<String>,
    /// admin, cluster_manager, enterprise or auditor.
    #[schema(example = "enterprise")]
    role: String,
    /// zh (default) or en.
    language: Option<String>,
    cluster_id: Option<String>,
    enterprise_id: Option<String>,
    cluster_ids: Option<Vec<String>>,
}

impl CreateUserRequest {
    fn parse(&self) -> Result<NewAccount, AppError> {
        let role = parse_role(&self.role)?;
        NewAccount::parse(&NewAccountInput {
            username: &self.username,
            password: self.password.as_deref(),
            display_name: self.display_name.as_deref(),
            language: self.language.as_deref(),
            role,
            scope: ScopeFields {
                cluster_id: self.cluster_id.as_deref(),
                enterprise_id: self.enterprise_id.as_deref(),
                cluster_ids: self.cluster_ids.as_deref(),
            },
        })
    }
}

fn parse_role(text: &str) -> Result<Role, AppError> {
    text.parse::<Role>()
        .map_err(|e| AppError::field("role", e.to_string()))
}

/// A created account; with the password the service generated, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedUserResponse {
    #[serde(flatten)]
    user: UserResponse,
    /// Present only when the request gave no password: the generated one, never stored in
    /// clear and never shown again. The account must change it at its first login.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Password)]
    temporary_password: Option<String>,
}

/// Creates an account. Admins create any account; a cluster manager creates enterprise
/// users of the enterprises in its cluster. Without `password` the service generates one.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = CreateUserRequest, responses(
    (status = 201, description = "created", body = CreatedUserResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not create this account", body = ErrorBody),
    (status = 404, description = "no such cluster or enterprise in the caller's scope", body = ErrorBody),
    (status = 409, description = "`username_taken`: the username is taken (`fields.username`); told to admins only", body = ErrorBody),
    (status = 422, description = "a field is invalid; a refused password names its rule in `codes.password`; a taken username is `codes.username: [\"not_available\"]` for a cluster manager, wherever it is taken", body = ErrorBody),
))]
#[post("/users")]
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: State,
    user: AuthUser,
    body: Valid<CreateUserRequest>,
) -> Result<HttpResponse, AppError> {
    let account = body.0.parse()?;
    let temporary_password = account
        .must_change_password
        .then(|| account.password.expose().to_owned());
    let created = db_call(&state, move |_, conn| {
        manage::create_recorded(conn, &user, &account)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedUserResponse {
        user: UserResponse::from(created),
        temporary_password,
    }))
}

/// The accounts the caller looks after: all for an admin, its cluster's for a cluster
/// manager.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "a page of accounts, by username; `next` is a username", body = Page<UserResponse>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role lists no accounts", body = ErrorBody),
))]
#[get("/users")]
#[tracing::instrument(skip_all)]
pub async fn list_users(
    state: State,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        manage::list(conn, &user.actor, page.after.as_deref(), limit)
    })
    .await?;
    let page = Page::from_rows(rows, limit, |u| u.username.clone()).map(UserResponse::from);
    Ok(HttpResponse::Ok().json(page))
}

/// Changes to an account; absent fields stay as they are. Giving `role` or a scope field
/// changes the role or scope (admins only).
#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    display_name: Option<String>,
    language: Option<String>,
    /// Disabling ends every session of the account.
    disabled: Option<bool>,
    role: Option<String>,
    cluster_id: Option<String>,
    enterprise_id: Option<String>,
    cluster_ids: Option<Vec<String>>,
}

impl UpdateUserRequest {
    fn parse(self) -> Result<Patch, AppError> {
        let mut errors = FieldErrors::new();
        let (display_name, language) = account::parse_name_and_language(
            self.display_name.as_deref(),
            self.language.as_deref(),
            &mut errors,
        );
        let role = self.role.as_deref().and_then(|r| {
            r.parse::<Role>()
                .map_err(|e| account::push(&mut errors, "role", e.to_string()))
                .ok()
        });
        account::check(errors)?;
        let grant = (role.is_some()
            || self.cluster_id.is_some()
            || self.enterprise_id.is_some()
            || self.cluster_ids.is_some())
        .then_some(Grant {
            role,
            cluster_id: self.cluster_id,
            enterprise_id: self.enterprise_id,
            cluster_ids: self.cluster_ids,
        });
        Ok(Patch {
            display_name,
            language,
            disabled: self.disabled,
            grant,
        })
    }
}

/// Changes an account. Whoever may manage it changes its display name, language and
/// disabled flag; only an admin changes its role or scope.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = UpdateUserRequest,
    params(("id" = UserId, Path, description = "the account")),
    responses(
        (status = 200, description = "the changed account", body = UserResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the caller's role may not make this change", body = ErrorBody),
        (status = 404, description = "no such account in the caller's scope", body = ErrorBody),
        (status = 422, description = "a field is invalid", body = ErrorBody),
    ))]
#[patch("/users/{id}")]
#[tracing::instrument(skip_all, fields(account = %id))]
pub async fn update_user(
    state: State,
    user: AuthUser,
    id: web::Path<UserId>,
    body: Valid<UpdateUserRequest>,
) -> Result<HttpResponse, AppError> {
    let patch = body.0.parse()?;
    let id = id.into_inner();
    let updated = db_call(&state, move |_, conn| {
        manage::update_recorded(conn, &user, id, &patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserResponse::from(updated)))
}

/// The new password of a reset, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PasswordResetResponse {
    /// Generated by the service, never stored in clear and never shown again; the account
    /// must change it at its next login.
    #[schema(format = Password)]
    temporary_password: String,
}

/// Resets an account's password to a generated one: the old password stops working at once,
/// every session and refresh token of the account ends, and the account must change the new
/// one at its next login. Audited as `user.password_reset` (without the password). Admins
/// reset any account, a cluster manager its cluster's enterprise users. Nobody resets their
/// own: that is a 422 naming `id` (change it with the current one at `POST /me/password`).
#[utoipa::path(tag = "users", security(("bearer" = [])),
    params(("id" = UserId, Path, description = "the account")),
    responses(
        (status = 200, description = "the temporary password", body = PasswordResetResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the caller's role may not reset this account", body = ErrorBody),
        (status = 404, description = "no such account in the caller's scope", body = ErrorBody),
        (status = 422, description = "`fields.id`: the caller's own account", body = ErrorBody),
    ))]
#[post("/users/{id}/password-reset")]
#[tracing::instrument(skip_all, fields(account = %id))]
pub async fn reset_password(
    state: State,
    user: AuthUser,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (_, temporary) = db_call(&state, move |_, conn| {
        manage::reset_password(conn, &user, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PasswordResetResponse {
        temporary_password: temporary.expose().to_owned(),
    }))
}

/// One login attempt on an account.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginAttemptResponse {
    #[serde(serialize_with = "crate::utc::serialize")]
    at: chrono::NaiveDateTime,
    outcome: history::Outcome,
    /// The client's address, when it was recorded.
    address: Option<String>,
}

/// The account's last 20 logins, failed and throttled attempts, newest first, from the audit
/// log. Admins read any account's, a cluster manager its cluster's enterprise users'.
#[utoipa::path(tag = "users", security(("bearer" = [])),
    params(("id" = UserId, Path, description = "the account")),
    responses(
        (status = 200, description = "the attempts, newest first", body = Vec<LoginAttemptResponse>),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the caller's role may not read this account", body = ErrorBody),
        (status = 404, description = "no such account in the caller's scope", body = ErrorBody),
    ))]
#[get("/users/{id}/logins")]
#[tracing::instrument(skip_all, fields(account = %id))]
pub async fn list_logins(
    state: State,
    user: AuthUser,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let attempts = db_call(&state, move |state, conn| {
        history::of_account(conn, &state.audit_key, &user.actor, id)
    })
    .await?;
    let body: Vec<LoginAttemptResponse> = attempts
        .into_iter()
        .map(|a| LoginAttemptResponse {
            at: a.at,
            outcome: a.outcome,
            address: a.address,
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
