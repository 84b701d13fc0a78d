//! The admin's cluster pages: the clusters (`/clusters`), a new one (`/clusters/new`), one
//! cluster's fields with its managers and auditors (`/clusters/{id}`), and assigning an existing
//! cluster manager or auditor to it. Every change goes through the services the API calls
//! (`crate::cluster`, the account grant of `PATCH /users/{id}`), checked by the same policy.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{escape, field_error, page, respond, Lang};
use super::session::{PageError, PageUser};
use crate::auth::account::User;
use crate::auth::manage::{self, Grant, Patch as AccountPatch};
use crate::auth::policy::{self, Action, Decision, Kind, Resource};
use crate::cluster::{self, Patch};
use crate::db::clusters::{self as rows, ClusterRow};
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::{ClusterId, UserId};
use crate::state::{db_call, State};

type Errors = BTreeMap<String, String>;

/// Only whoever may create clusters (admins) uses these pages.
fn admin_only(page_user: &PageUser) -> Result<(), AppError> {
    match policy::decide(
        &page_user.user.actor,
        Action::Create,
        &Resource::global(Kind::Cluster),
    ) {
        Decision::Allow => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn list(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    admin_only(&page_user).map_err(fail)?;
    let lang = page_user.lang;
    let actor = page_user.user.actor.clone();
    let all = db_call(&state, move |_, conn| {
        Ok(rows::list(conn, &actor, None, 1000)?)
    })
    .await
    .map_err(fail)?;
    let items: String = all
        .iter()
        .map(|c| {
            format!(
                r#"<li><a href="{}">{}</a> <span class="muted">{}</span></li>"#,
                lang.link(&format!("/clusters/{}", c.id)),
                escape(&c.name),
                escape(&c.region)
            )
        })
        .collect();
    let html = format!(
        r#"<h1>{title}</h1>
<p><a href="{new}" class="button-link" id="new-cluster">{new_label}</a></p>
<section class="card"><ul class="campaigns" id="clusters">{items}</ul></section>"#,
        title = lang.t("集群", "Clusters"),
        new = lang.link("/clusters/new"),
        new_label = lang.t("新建集群", "New cluster"),
    );
    Ok(respond(
        StatusCode::OK,
        page(lang, lang.t("集群", "Clusters"), Some(&page_user), &html),
    ))
}

/// The cluster form as typed, with its errors.
#[derive(Debug, Default, Deserialize)]
pub struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    description: String,
}

fn field_message(lang: Lang, field: &str) -> &'static str {
    match field {
        "name" => lang.t(
            "请填写 1 至 100 个字符的名称。",
            "Enter a name of 1 to 100 characters.",
        ),
        "region" => lang.t("地区最多 100 个字符。", "At most 100 characters."),
        _ => lang.t("最多 2000 个字符。", "At most 2000 characters."),
    }
}

fn form(lang: Lang, page_user: &PageUser, action: &str, f: &Fields, errors: &Errors) -> String {
    let field = |id: &str, label: &str, value: &str, textarea: bool| {
        let (error, attrs) = field_error(id, errors.get(id).map(String::as_str));
        let input = if textarea {
            format!(
                r#"<textarea id="{id}" name="{id}" rows="4"{attrs}>{}</textarea>"#,
                escape(value)
            )
        } else {
            format!(
                r#"<input id="{id}" name="{id}" value="{}"{attrs}>"#,
                escape(value)
            )
        };
        format!(r#"<label for="{id}">{label}</label>{input}{error}"#)
    };
    format!(
        r#"<form method="post" action="{action}" class="stacked" id="cluster-form">{csrf}{name}{region}{description}<button type="submit" id="cluster-save">{save}</button></form>"#,
        action = lang.link(action),
        csrf = page_user.csrf_field(),
        name = field("name", lang.t("名称", "Name"), &f.name, false),
        region = field("region", lang.t("地区", "Region"), &f.region, false),
        description = field(
            "description",
            lang.t("简介", "Description"),
            &f.description,
            true
        ),
        save = lang.t("保存", "Save"),
    )
}

fn patch_of(f: &Fields) -> Patch {
    Patch {
        name: Some(f.name.clone()),
        region: Some(f.region.clone()),
        description: Some(f.description.clone()),
    }
}

/// The fields the service refused, in the page's language; anything else fails the page.
fn refused(lang: Lang, e: AppError) -> Result<Errors, AppError> {
    match e {
        AppError::Validation { fields, .. } => Ok(fields
            .keys()
            .map(|f| (f.clone(), field_message(lang, f).to_owned()))
            .collect()),
        other => Err(other),
    }
}

fn new_page(
    lang: Lang,
    page_user: &PageUser,
    status: StatusCode,
    f: &Fields,
    errors: &Errors,
) -> HttpResponse {
    let html = format!(
        r#"<h1>{}</h1><section class="card">{}</section>"#,
        lang.t("新建集群", "New cluster"),
        form(lang, page_user, "/clusters/new", f, errors)
    );
    respond(
        status,
        page(
            lang,
            lang.t("新建集群", "New cluster"),
            Some(page_user),
            &html,
        ),
    )
}

pub async fn new(req: HttpRequest, page_user: PageUser) -> Result<HttpResponse, PageError> {
    admin_only(&page_user).map_err(|e| PageError::new(&req, e))?;
    Ok(new_page(
        page_user.lang,
        &page_user,
        StatusCode::OK,
        &Fields::default(),
        &Errors::new(),
    ))
}

pub async fn create(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    f: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &f.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let patch = patch_of(&f);
    match db_call(&state, move |_, conn| cluster::create(conn, &user, &patch)).await {
        Ok(row) => Ok(super::see_other(
            &lang.link(&format!("/clusters/{}?saved=1", row.id)),
        )),
        Err(e) => {
            let errors = refused(lang, e).map_err(fail)?;
            Ok(new_page(
                lang,
                &page_user,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                &errors,
            ))
        }
    }
}

/// Whether `u` is a manager or an auditor of `id`.
fn serves(u: &User, id: ClusterId) -> bool {
    match &u.actor {
        Actor::ClusterManager { cluster } => *cluster == id,
        Actor::Auditor { clusters } => clusters.contains(&id),
        _ => false,
    }
}

fn who(lang: Lang, u: &User) -> String {
    let role = match u.actor {
        Actor::ClusterManager { .. } => lang.t("集群管理员", "Cluster manager"),
        _ => lang.t("审核员", "Auditor"),
    };
    format!(
        r#"<a href="{}">{}</a> ({}) · {role}"#,
        lang.link(&format!("/users/{}", u.id)),
        escape(&u.display_name),
        escape(&u.username)
    )
}

async fn show_page(
    state: &State,
    page_user: &PageUser,
    id: ClusterId,
    status: StatusCode,
    typed: Option<&Fields>,
    errors: &Errors,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    admin_only(page_user)?;
    let lang = page_user.lang;
    let actor = page_user.user.actor.clone();
    let (row, accounts): (ClusterRow, Vec<User>) = db_call(state, move |_, conn| {
        let row = rows::find(conn, id)?;
        let accounts = manage::list(conn, &actor, None, 5000)?;
        Ok((row, accounts))
    })
    .await?;
    let staff: Vec<&User> = accounts
        .iter()
        .filter(|u| {
            matches!(
                u.actor,
                Actor::ClusterManager { .. } | Actor::Auditor { .. }
            )
        })
        .collect();
    let members: String = staff
        .iter()
        .filter(|u| serves(u, id))
        .map(|u| format!("<li>{}</li>", who(lang, u)))
        .collect();
    let members = if members.is_empty() {
        format!(
            r#"<p class="muted" id="no-members">{}</p>"#,
            lang.t(
                "还没有集群管理员或审核员。",
                "No cluster manager or auditor yet."
            )
        )
    } else {
        format!(r#"<ul id="members">{members}</ul>"#)
    };
    let options: String = staff
        .iter()
        .filter(|u| !serves(u, id))
        .map(|u| {
            let what = match u.actor {
                Actor::ClusterManager { .. } => {
                    lang.t("改任本集群管理员", "make manager of this cluster")
                }
                _ => lang.t("加入本集群审核", "add this cluster to the audits"),
            };
            format!(
                r#"<option value="{}">{} ({}) · {what}</option>"#,
                u.id,
                escape(&u.display_name),
                escape(&u.username)
            )
        })
        .collect();
    let assign = if options.is_empty() {
        String::new()
    } else {
        format!(
            r#"<form method="post" action="{action}" class="stacked" id="assign-form">{csrf}<label for="user">{label}</label><select id="user" name="user">{options}</select><button type="submit" id="assign">{submit}</button></form>"#,
            action = lang.link(&format!("/clusters/{id}/assign")),
            csrf = page_user.csrf_field(),
            label = lang.t("指派已有账户", "Assign an existing account"),
            submit = lang.t("指派", "Assign"),
        )
    };
    let shown = typed.map_or_else(
        || Fields {
            name: row.name.clone(),
            region: row.region.clone(),
            description: row.description.clone(),
            ..Fields::default()
        },
        |f| Fields {
            name: f.name.clone(),
            region: f.region.clone(),
            description: f.description.clone(),
            ..Fields::default()
        },
    );
    let notice = notice.map_or_else(String::new, |n| {
        format!(r#"<p class="saved" role="status">{}</p>"#, escape(n))
    });
    let html = format!(
        r#"<h1>{name}</h1>{notice}
<div class="pair">
<section class="card" aria-labelledby="fields-title"><h2 id="fields-title">{fields_title}</h2>{form}</section>
<section class="card" aria-labelledby="members-title"><h2 id="members-title">{members_title}</h2>{members}{assign}
<p><a href="{new_user}">{new_user_label}</a></p></section>
</div>
<p><a href="{back}">{back_label}</a></p>"#,
        name = escape(&row.name),
        fields_title = lang.t("基本信息", "Details"),
        form = form(lang, page_user, &format!("/clusters/{id}"), &shown, errors),
        members_title = lang.t("集群管理员与审核员", "Managers and auditors"),
        new_user = lang.link("/users/new"),
        new_user_label = lang.t(
            "为本集群新建管理员或审核员账户",
            "Create a manager or auditor account"
        ),
        back = lang.link("/clusters"),
        back_label = lang.t("返回集群列表", "Back to the clusters"),
    );
    Ok(respond(
        status,
        page(lang, &row.name, Some(page_user), &html),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    assigned: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<ClusterId>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = page_user.lang;
    let notice = if query.saved.is_some() {
        Some(lang.t("已保存。", "Saved."))
    } else if query.assigned.is_some() {
        Some(lang.t("已指派。", "Assigned."))
    } else {
        None
    };
    show_page(
        &state,
        &page_user,
        path.into_inner(),
        StatusCode::OK,
        None,
        &Errors::new(),
        notice,
    )
    .await
    .map_err(|e| PageError::new(&req, e))
}

pub async fn save(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<ClusterId>,
    f: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &f.csrf).map_err(fail)?;
    admin_only(&page_user).map_err(fail)?;
    let lang = page_user.lang;
    let id = path.into_inner();
    let user = page_user.user.clone();
    let patch = patch_of(&f);
    match db_call(&state, move |_, conn| {
        cluster::update(conn, &user, id, &patch)
    })
    .await
    {
        Ok(_) => Ok(super::see_other(
            &lang.link(&format!("/clusters/{id}?saved=1")),
        )),
        Err(e) => {
            let errors = refused(lang, e).map_err(fail)?;
            show_page(
                &state,
                &page_user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&f),
                &errors,
                None,
            )
            .await
            .map_err(fail)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AssignFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
}

/// Makes a cluster manager manage this cluster, or adds it to an auditor's clusters.
pub async fn assign(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<ClusterId>,
    f: web::Form<AssignFields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &f.csrf).map_err(fail)?;
    admin_only(&page_user).map_err(fail)?;
    let id = path.into_inner();
    let target: UserId = f
        .user
        .parse()
        .map_err(|_| fail(AppError::field("user", "no such account")))?;
    let user = page_user.user.clone();
    db_call(&state, move |_, conn| {
        rows::find(conn, id)?;
        let account = crate::auth::users::find(conn, target)?.ok_or(AppError::NotFound)?;
        let grant = match &account.actor {
            Actor::ClusterManager { .. } => Grant {
                cluster_id: Some(id.to_string()),
                ..Grant::default()
            },
            Actor::Auditor { clusters } => {
                let mut ids: Vec<String> = clusters.iter().map(ToString::to_string).collect();
                if !clusters.contains(&id) {
                    ids.push(id.to_string());
                }
                Grant {
                    cluster_ids: Some(ids),
                    ..Grant::default()
                }
            }
            _ => {
                return Err(AppError::field(
                    "user",
                    "is neither a cluster manager nor an auditor",
                ))
            }
        };
        let patch = AccountPatch {
            grant: Some(grant),
            ..AccountPatch::default()
        };
        manage::update_recorded(conn, &user, target, &patch)
    })
    .await
    .map_err(fail)?;
    Ok(super::see_other(
        &page_user.lang.link(&format!("/clusters/{id}?assigned=1")),
    ))
}
