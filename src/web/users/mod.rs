//! The accounts an admin or a cluster manager looks after (`/users`): the list with a search
//! and a role filter, a new account with a generated password shown once, and one account's
//! page with disable / re-enable, the password reset and the login history. Each calls the
//! service the API calls (`manage::list`, `manage::create_recorded`, `manage::update_recorded`,
//! `manage::reset_password`, `history::of_account`), checked by the same policy.

mod render;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use self::render::{Draft, Names};
use super::html::{page, respond};
use super::session::{PageError, PageUser};
use crate::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use crate::auth::manage::{self, Patch};
use crate::auth::{history, policy};
use crate::db::{clusters, enterprises, DbConnection};
use crate::domain::{Actor, Role};
use crate::error::AppError;
use crate::ids::UserId;
use crate::state::{db_call, State};

/// The clusters and enterprises the actor may name, for labels and selects.
fn names(conn: &mut DbConnection, actor: &Actor) -> Result<Names, AppError> {
    let clusters = clusters::list(conn, actor, None, 10_000)?;
    let mut list = Vec::new();
    for c in &clusters {
        list.extend(enterprises::list(conn, c.id, None, 100_000)?);
    }
    Ok(Names {
        clusters,
        enterprises: list,
    })
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
}

pub async fn list(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let actor = page_user.user.actor.clone();
    let (users, names) = db_call(&state, move |_, conn| {
        let users = manage::list(conn, &actor, None, 100_000)?;
        Ok((users, names(conn, &actor)?))
    })
    .await
    .map_err(|e| PageError::new(&req, e))?;
    let search = query.q.clone().unwrap_or_default();
    let role = query.role.as_deref().and_then(|r| r.parse::<Role>().ok());
    let needle = search.trim().to_lowercase();
    let shown: Vec<_> = users
        .into_iter()
        .filter(|u| role.is_none_or(|r| u.actor.role() == r))
        .filter(|u| {
            needle.is_empty()
                || u.username.contains(&needle)
                || u.display_name.to_lowercase().contains(&needle)
        })
        .collect();
    let lang = page_user.lang;
    let html = render::list(lang, &page_user, &shown, &names, &search, role);
    Ok(respond(
        StatusCode::OK,
        page(lang, lang.t("用户", "Users"), Some(&page_user), &html),
    ))
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    enterprise: Option<String>,
}

pub async fn new(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let draft = Draft {
        role: query.enterprise.as_ref().map(|_| Role::Enterprise),
        enterprise_id: query.enterprise.clone().unwrap_or_default(),
        ..Draft::default()
    };
    form(&state, &page_user, StatusCode::OK, &draft)
        .await
        .map_err(|e| PageError::new(&req, e))
}

/// The new-account form with `draft`, answered with `status`; a role that may create no
/// account gets the 403 page.
async fn form(
    state: &State,
    page_user: &PageUser,
    status: StatusCode,
    draft: &Draft,
) -> Result<HttpResponse, AppError> {
    policy::require(
        &page_user.user.actor,
        policy::Action::List,
        &policy::Resource::global(policy::Kind::Users),
    )?;
    let actor = page_user.user.actor.clone();
    let names = db_call(state, move |_, conn| names(conn, &actor)).await?;
    let lang = page_user.lang;
    let html = render::new_form(lang, page_user, &names, draft);
    Ok(respond(
        status,
        page(
            lang,
            lang.t("新建账户", "New account"),
            Some(page_user),
            &html,
        ),
    ))
}

/// The pairs of a posted form; repeated keys (the auditor's clusters) kept in order.
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn value(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn create(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let fields = pairs(&body);
    page_user
        .check_csrf(&state, &value(&fields, "csrf"))
        .map_err(fail)?;
    let lang = page_user.lang;
    let mut draft = Draft {
        username: value(&fields, "username"),
        display_name: value(&fields, "display_name"),
        role: value(&fields, "role").parse().ok(),
        cluster_id: value(&fields, "cluster_id"),
        enterprise_id: value(&fields, "enterprise_id"),
        cluster_ids: fields
            .iter()
            .filter(|(k, _)| k == "cluster_ids")
            .map(|(_, v)| v.clone())
            .collect(),
        errors: BTreeMap::new(),
    };
    let Some(role) = draft.role else {
        draft
            .errors
            .insert("role", lang.t("请选择角色。", "Choose a role.").to_owned());
        return form(&state, &page_user, StatusCode::UNPROCESSABLE_ENTITY, &draft)
            .await
            .map_err(fail);
    };
    let filled = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let (cluster_id, enterprise_id) = (filled(&draft.cluster_id), filled(&draft.enterprise_id));
    let cluster_ids = draft.cluster_ids.clone();
    let display_name = filled(&draft.display_name);
    let parsed = NewAccount::parse(&NewAccountInput {
        username: &draft.username,
        password: None,
        display_name: display_name.as_deref(),
        language: Some(lang.as_str()),
        role,
        scope: ScopeFields {
            cluster_id: (role == Role::ClusterManager)
                .then_some(cluster_id.as_deref())
                .flatten(),
            enterprise_id: (role == Role::Enterprise)
                .then_some(enterprise_id.as_deref())
                .flatten(),
            cluster_ids: (role == Role::Auditor).then_some(cluster_ids.as_slice()),
        },
    });
    let result = match parsed {
        Ok(account) => {
            let user = page_user.user.clone();
            db_call(&state, move |_, conn| {
                let created = manage::create_recorded(conn, &user, &account)?;
                Ok((created, account.password))
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok((created, password)) => {
            let html = render::created(lang, &created, password.expose());
            Ok(respond(
                StatusCode::OK,
                page(
                    lang,
                    lang.t("账户已创建", "Account created"),
                    Some(&page_user),
                    &html,
                ),
            ))
        }
        Err(e) => {
            let status = render::field_errors(lang, role, e, &mut draft.errors).map_err(fail)?;
            form(&state, &page_user, status, &draft).await.map_err(fail)
        }
    }
}

/// One account's page, with a message of what was just done.
async fn account_page(
    state: &State,
    page_user: &PageUser,
    id: UserId,
    done: Option<render::Done>,
) -> Result<HttpResponse, AppError> {
    let actor = page_user.user.actor.clone();
    let (user, attempts, names) = db_call(state, move |state, conn| {
        let user = manage::get(conn, &actor, id)?;
        let attempts = history::of_account(conn, &state.audit_key, &actor, id)?;
        Ok((user, attempts, names(conn, &actor)?))
    })
    .await?;
    let lang = page_user.lang;
    let html = render::account(lang, page_user, &user, &attempts, &names, done.as_ref());
    Ok(respond(
        StatusCode::OK,
        page(lang, &user.display_name, Some(page_user), &html),
    ))
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    id: web::Path<UserId>,
) -> Result<HttpResponse, PageError> {
    account_page(&state, &page_user, id.into_inner(), None)
        .await
        .map_err(|e| PageError::new(&req, e))
}

#[derive(Debug, Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    disabled: String,
}

/// Disables or re-enables the account (the service of `PATCH /api/v1/users/{id}`).
pub async fn update(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    id: web::Path<UserId>,
    form: web::Form<DisableForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let id = id.into_inner();
    let patch = Patch {
        disabled: Some(form.disabled == "true"),
        ..Patch::default()
    };
    let user = page_user.user.clone();
    db_call(&state, move |_, conn| {
        manage::update_recorded(conn, &user, id, &patch)
    })
    .await
    .map_err(fail)?;
    Ok(super::see_other(
        &page_user.lang.link(&format!("/users/{id}")),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Resets the password and shows the new one, once, on this answer only.
pub async fn reset_password(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    id: web::Path<UserId>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let id = id.into_inner();
    let user = page_user.user.clone();
    let (_, password) = db_call(&state, move |_, conn| {
        manage::reset_password(conn, &user, id)
    })
    .await
    .map_err(fail)?;
    let done = render::Done::Reset(password.expose().to_owned());
    account_page(&state, &page_user, id, Some(done))
        .await
        .map_err(fail)
}
