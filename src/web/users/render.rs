//! The users pages' markup: the list, the new-account form, the shown temporary password and
//! one account's page. Field errors sit next to their fields.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;

use crate::auth::account::User;
use crate::auth::history::{Attempt, Outcome};
use crate::db::clusters::ClusterRow;
use crate::db::enterprises::EnterpriseRow;
use crate::domain::{Actor, Role};
use crate::error::AppError;
use crate::web::account::render::role_name;
use crate::web::html::{escape, table, Lang};
use crate::web::session::PageUser;

/// The clusters and enterprises the reader may name.
pub struct Names {
    pub clusters: Vec<ClusterRow>,
    pub enterprises: Vec<EnterpriseRow>,
}

impl Names {
    fn cluster(&self, id: crate::ids::ClusterId) -> String {
        self.clusters
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn enterprise(&self, id: crate::ids::EnterpriseId) -> String {
        self.enterprises
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    /// What the account belongs to, by name.
    pub fn scope(&self, lang: Lang, actor: &Actor) -> String {
        match actor {
            Actor::Admin => lang.t("整个系统", "The whole installation").to_owned(),
            Actor::ClusterManager { cluster } => self.cluster(*cluster),
            Actor::Enterprise { enterprise, .. } => self.enterprise(*enterprise),
            Actor::Auditor { clusters } => clusters
                .iter()
                .map(|c| self.cluster(*c))
                .collect::<Vec<_>>()
                .join(lang.t("、", ", ")),
        }
    }
}

fn yes_no(lang: Lang, v: bool) -> &'static str {
    if v {
        lang.t("是", "Yes")
    } else {
        lang.t("否", "No")
    }
}

fn status_word(lang: Lang, disabled: bool) -> &'static str {
    if disabled {
        lang.t("已停用", "Disabled")
    } else {
        lang.t("正常", "Active")
    }
}

pub fn list(
    lang: Lang,
    page_user: &PageUser,
    users: &[User],
    names: &Names,
    search: &str,
    role: Option<Role>,
) -> String {
    let admin = page_user.user.actor.role() == Role::Admin;
    let roles: String = Role::ALL
        .iter()
        .filter(|r| admin || matches!(r, Role::Enterprise | Role::ClusterManager))
        .map(|r| {
            format!(
                r#"<option value="{v}"{sel}>{name}</option>"#,
                v = r.as_str(),
                sel = if Some(*r) == role { " selected" } else { "" },
                name = role_name(lang, *r),
            )
        })
        .collect();
    let head = [
        lang.t("用户名", "Username"),
        lang.t("显示名称", "Display name"),
        lang.t("角色", "Role"),
        lang.t("所属", "Belongs to"),
        lang.t("状态", "Status"),
        lang.t("须修改密码", "Must change password"),
    ]
    .map(str::to_owned);
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                format!(
                    r#"<a href="{}">{}</a>"#,
                    lang.link(&format!("/users/{}", u.id)),
                    escape(&u.username)
                ),
                escape(&u.display_name),
                role_name(lang, u.actor.role()).to_owned(),
                escape(&names.scope(lang, &u.actor)),
                status_word(lang, u.disabled).to_owned(),
                yes_no(lang, u.must_change_password).to_owned(),
            ]
        })
        .collect();
    let listing = if rows.is_empty() {
        format!(
            r#"<p id="no-users">{}</p>"#,
            lang.t("没有符合条件的账户。", "No account matches.")
        )
    } else {
        format!(
            r#"<div class="table-scroll">{}</div>"#,
            table("users", lang.t("账户", "Accounts"), &head, &rows)
        )
    };
    format!(
        r#"<h1>{title}</h1>
<p><a href="{new}" id="new-user" class="button">{new_label}</a></p>
<form method="get" action="/users" class="filters users-filter" role="search">
<input type="hidden" name="lang" value="{lang_code}">
<label for="q">{search_label}</label>
<input id="q" name="q" value="{search}" type="search">
<label for="role-filter">{role_label}</label>
<select id="role-filter" name="role"><option value="">{any}</option>{roles}</select>
<button type="submit">{filter}</button>
</form>
<p data-figure="count">{count}</p>
{listing}"#,
        title = lang.t("用户", "Users"),
        new = lang.link("/users/new"),
        new_label = lang.t("新建账户", "New account"),
        lang_code = lang.as_str(),
        search_label = lang.t("搜索用户名或显示名称", "Search username or display name"),
        search = escape(search),
        role_label = lang.t("角色", "Role"),
        any = lang.t("全部角色", "Every role"),
        filter = lang.t("筛选", "Filter"),
        count = match lang {
            Lang::Zh => format!("共 {} 个账户。", users.len()),
            Lang::En => format!("{} accounts.", users.len()),
        },
    )
}

/// The new-account form as filled in, with its errors.
#[derive(Default)]
pub struct Draft {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    pub cluster_id: String,
    pub enterprise_id: String,
    pub cluster_ids: Vec<String>,
    pub errors: BTreeMap<&'static str, String>,
}

fn error(errors: &BTreeMap<&'static str, String>, field: &str) -> String {
    let text = errors.get(field);
    format!(
        r#"<p class="field-error" id="error-{field}"{hidden}>{text}</p>"#,
        hidden = if text.is_some() { "" } else { " hidden" },
        text = escape(text.map_or("", String::as_str)),
    )
}

fn invalid(errors: &BTreeMap<&'static str, String>, field: &str) -> &'static str {
    if errors.contains_key(field) {
        r#" aria-invalid="true""#
    } else {
        ""
    }
}

pub fn new_form(lang: Lang, page_user: &PageUser, names: &Names, d: &Draft) -> String {
    let admin = page_user.user.actor.role() == Role::Admin;
    let e = &d.errors;
    let role_field = if admin {
        let options: String = Role::ALL
            .iter()
            .map(|r| {
                format!(
                    r#"<option value="{v}"{sel}>{name}</option>"#,
                    v = r.as_str(),
                    sel = if Some(*r) == d.role { " selected" } else { "" },
                    name = role_name(lang, *r),
                )
            })
            .collect();
        format!(
            r#"<label for="role">{label}</label>
<select id="role" name="role" required aria-describedby="help-role error-role"{inv}><option value="">{choose}</option>{options}</select>
<p class="help" id="help-role">{help}</p>
{err}"#,
            label = lang.t("角色", "Role"),
            inv = invalid(e, "role"),
            choose = lang.t("请选择", "Choose"),
            help = lang.t(
                "集群管理员选择集群，企业用户选择企业，审核员勾选负责的集群；系统管理员无需选择。",
                "A cluster manager takes a cluster, an enterprise user an enterprise, an auditor the clusters ticked; an administrator none.",
            ),
            err = error(e, "role"),
        )
    } else {
        format!(
            r#"<input type="hidden" name="role" value="enterprise"><p>{}</p>"#,
            lang.t(
                "集群管理员为本集群的企业创建企业用户。",
                "A cluster manager creates enterprise users for its cluster's enterprises.",
            )
        )
    };
    let cluster_options: String = names
        .clusters
        .iter()
        .map(|c| {
            format!(
                r#"<option value="{id}"{sel}>{name}</option>"#,
                id = c.id,
                sel = if c.id.to_string() == d.cluster_id {
                    " selected"
                } else {
                    ""
                },
                name = escape(&c.name)
            )
        })
        .collect();
    let enterprise_options: String = names
        .enterprises
        .iter()
        .map(|en| {
            format!(
                r#"<option value="{id}"{sel}>{name}</option>"#,
                id = en.id,
                sel = if en.id.to_string() == d.enterprise_id {
                    " selected"
                } else {
                    ""
                },
                name = escape(&en.name)
            )
        })
        .collect();
    let checkboxes: String = names
        .clusters
        .iter()
        .map(|c| {
            let id = c.id.to_string();
            format!(
                r#"<label class="option"><input type="checkbox" name="cluster_ids" value="{id}"{checked}> {name}</label>"#,
                checked = if d.cluster_ids.contains(&id) { " checked" } else { "" },
                name = escape(&c.name)
            )
        })
        .collect();
    let admin_scopes = if admin {
        format!(
            r#"<label for="cluster_id">{cl_label}</label>
<select id="cluster_id" name="cluster_id" aria-describedby="error-cluster_id"{cl_inv}><option value="">{none}</option>{cluster_options}</select>
{cl_err}
<fieldset aria-describedby="error-cluster_ids"><legend>{au_label}</legend><div class="options">{checkboxes}</div>{au_err}</fieldset>"#,
            cl_label = lang.t("集群（集群管理员）", "Cluster (cluster manager)"),
            cl_inv = invalid(e, "cluster_id"),
            none = lang.t("—", "—"),
            cl_err = error(e, "cluster_id"),
            au_label = lang.t("负责的集群（审核员）", "Clusters (auditor)"),
            au_err = error(e, "cluster_ids"),
        )
    } else {
        String::new()
    };
    format!(
        r#"<h1>{title}</h1>
<section class="card">
<form method="post" action="{action}" id="new-user-form" class="stacked">
{csrf}
<label for="username">{user_label}</label>
<input id="username" name="username" value="{username}" required maxlength="64" autocomplete="off" aria-describedby="help-username error-username"{user_inv}>
<p class="help" id="help-username">{user_help}</p>
{user_err}
<label for="display_name">{name_label}</label>
<input id="display_name" name="display_name" value="{display_name}" maxlength="100" aria-describedby="error-display_name"{name_inv}>
{name_err}
{role_field}
<label for="enterprise_id">{en_label}</label>
<select id="enterprise_id" name="enterprise_id" aria-describedby="error-enterprise_id"{en_inv}><option value="">{none}</option>{enterprise_options}</select>
{en_err}
{admin_scopes}
<p class="note">{note}</p>
<button type="submit" id="create-user">{create}</button>
</form>
</section>"#,
        title = lang.t("新建账户", "New account"),
        action = lang.link("/users"),
        csrf = page_user.csrf_field(),
        user_label = lang.t("用户名", "Username"),
        username = escape(&d.username),
        user_inv = invalid(e, "username"),
        user_help = lang.t(
            "3 至 64 个字符：小写字母 a–z、数字和 . _ - @。",
            "3 to 64 characters: letters a–z, digits and . _ - @.",
        ),
        user_err = error(e, "username"),
        name_label = lang.t("显示名称（可不填，默认为用户名）", "Display name (optional; the username if empty)"),
        display_name = escape(&d.display_name),
        name_inv = invalid(e, "display_name"),
        name_err = error(e, "display_name"),
        en_label = lang.t("企业（企业用户）", "Enterprise (enterprise user)"),
        en_inv = invalid(e, "enterprise_id"),
        none = "—",
        en_err = error(e, "enterprise_id"),
        note = lang.t(
            "密码由系统生成，创建后只显示一次；用户首次登录时必须修改。",
            "The password is generated and shown once after creation; the user must change it at the first login.",
        ),
        create = lang.t("创建账户", "Create account"),
    )
}

/// The field a refusal of the service concerns, in the reader's words; anything else fails
/// the page. Answers the status of the form.
pub fn field_errors(
    lang: Lang,
    role: Role,
    e: AppError,
    errors: &mut BTreeMap<&'static str, String>,
) -> Result<StatusCode, AppError> {
    let scope_field = match role {
        Role::Admin => "role",
        Role::ClusterManager => "cluster_id",
        Role::Enterprise => "enterprise_id",
        Role::Auditor => "cluster_ids",
    };
    let choose = match role {
        Role::ClusterManager => lang.t("请选择集群。", "Choose a cluster."),
        Role::Enterprise => lang.t("请选择企业。", "Choose an enterprise."),
        _ => lang.t("请至少勾选一个集群。", "Tick at least one cluster."),
    };
    match e {
        AppError::Validation { fields, .. } => {
            for field in fields.keys() {
                let (key, text) = match field.as_str() {
                    "username" => (
                        "username",
                        lang.t(
                            "用户名须为 3 至 64 个字符，只含 a–z、0–9 和 . _ - @。",
                            "A username has 3 to 64 characters of a–z, 0–9 and . _ - @.",
                        ),
                    ),
                    "display_name" => (
                        "display_name",
                        lang.t(
                            "显示名称须为 1 至 100 个字符。",
                            "A display name has 1 to 100 characters.",
                        ),
                    ),
                    "cluster_id" | "enterprise_id" | "cluster_ids" => (scope_field, choose),
                    _ => ("role", lang.t("请检查角色。", "Check the role.")),
                };
                errors.insert(key, text.to_owned());
            }
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        AppError::Conflict { .. } => {
            errors.insert(
                "username",
                lang.t("该用户名已被使用。", "This username is taken.")
                    .to_owned(),
            );
            Ok(StatusCode::CONFLICT)
        }
        AppError::Rules { ref fields, .. } if fields.contains_key("username") => {
            errors.insert(
                "username",
                lang.t(
                    "该用户名不可用，请换一个。",
                    "This username is not available; choose another.",
                )
                .to_owned(),
            );
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        AppError::NotFound => {
            errors.insert(scope_field, choose.to_owned());
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        other => Err(other),
    }
}

/// A generated password, shown once, with what the reader should do with it.
fn temporary(lang: Lang, password: &str) -> String {
    format!(
        r#"<section class="card temporary" aria-labelledby="temporary-title">
<h2 id="temporary-title">{title}</h2>
<p><code id="temporary-password" class="secret">{password}</code></p>
<p class="notice" role="status">{note}</p>
</section>"#,
        title = lang.t("临时密码（只显示这一次）", "Temporary password (shown this once)"),
        password = escape(password),
        note = lang.t(
            "请把它当面或通过可靠渠道交给用户。用户首次登录时必须修改它；离开本页后无法再次查看。",
            "Hand it to the user in person or over a trusted channel. The user must change it at the first login; it cannot be shown again once you leave this page.",
        ),
    )
}

pub fn created(lang: Lang, user: &User, password: &str) -> String {
    format!(
        r#"<h1>{title}</h1>
<p>{who}</p>
{temporary}
<p><a href="{link}" id="user-link">{open}</a> · <a href="{list}">{back}</a></p>"#,
        title = lang.t("账户已创建", "Account created"),
        who = escape(&format!("{} ({})", user.display_name, user.username)),
        temporary = temporary(lang, password),
        link = lang.link(&format!("/users/{}", user.id)),
        open = lang.t("打开该账户", "Open the account"),
        list = lang.link("/users"),
        back = lang.t("返回用户列表", "Back to the users"),
    )
}

/// What was just done on the account page.
pub enum Done {
    Reset(String),
}

fn outcome(lang: Lang, o: Outcome) -> &'static str {
    match o {
        Outcome::Success => lang.t("登录成功", "Logged in"),
        Outcome::Failed => lang.t("登录失败", "Failed"),
        Outcome::Throttled => lang.t("被限流拒绝", "Refused by the throttle"),
    }
}

pub fn account(
    lang: Lang,
    page_user: &PageUser,
    u: &User,
    attempts: &[Attempt],
    names: &Names,
    done: Option<&Done>,
) -> String {
    let own = u.id == page_user.user.id;
    let shown = match done {
        Some(Done::Reset(password)) => temporary(lang, password),
        None => String::new(),
    };
    let toggle = if own {
        format!(
            r#"<p class="note">{}</p>"#,
            lang.t(
                "这是您自己的账户：请在“账户”页面修改密码。",
                "This is your own account: change your password on the Account page.",
            )
        )
    } else {
        format!(
            r#"<form method="post" action="{action}" class="inline">
{csrf}<input type="hidden" name="disabled" value="{to}">
<button type="submit" id="toggle-disabled">{label}</button>
</form>
<form method="post" action="{reset}" class="inline">
{csrf}
<button type="submit" id="reset-password" class="danger">{reset_label}</button>
</form>
<p class="note">{reset_note}</p>"#,
            action = lang.link(&format!("/users/{}", u.id)),
            csrf = page_user.csrf_field(),
            to = if u.disabled { "false" } else { "true" },
            label = if u.disabled {
                lang.t("重新启用账户", "Re-enable the account")
            } else {
                lang.t("停用账户", "Disable the account")
            },
            reset = lang.link(&format!("/users/{}/password-reset", u.id)),
            reset_label = lang.t(
                "重置密码（结束该用户的所有登录）",
                "Reset the password (ends every session of the user)",
            ),
            reset_note = lang.t(
                "重置后旧密码立即失效，系统生成的新密码只显示一次，用户登录后必须修改。",
                "The old password stops working at once; the generated one is shown once and must be changed at the next login.",
            ),
        )
    };
    let rows: Vec<Vec<String>> = attempts
        .iter()
        .map(|a| {
            vec![
                a.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                outcome(lang, a.outcome).to_owned(),
                escape(a.address.as_deref().unwrap_or("—")),
            ]
        })
        .collect();
    let logins = if rows.is_empty() {
        format!(
            r#"<p id="no-logins">{}</p>"#,
            lang.t("还没有登录记录。", "No login recorded yet.")
        )
    } else {
        let head = [
            lang.t("时间", "Time"),
            lang.t("结果", "Outcome"),
            lang.t("地址", "Address"),
        ]
        .map(str::to_owned);
        format!(
            r#"<div class="table-scroll">{}</div>"#,
            table(
                "logins",
                lang.t(
                    "最近 20 次登录与失败尝试",
                    "The last 20 logins and failed attempts"
                ),
                &head,
                &rows
            )
        )
    };
    format!(
        r#"<h1>{name}</h1>
{shown}
<section class="card" aria-labelledby="facts-title">
<h2 id="facts-title">{facts}</h2>
<dl class="figures">
<dt>{user_label}</dt><dd data-figure="username">{username}</dd>
<dt>{role_label}</dt><dd data-figure="role">{role}</dd>
<dt>{scope_label}</dt><dd data-figure="scope">{scope}</dd>
<dt>{status_label}</dt><dd data-figure="status">{status}</dd>
<dt>{must_label}</dt><dd data-figure="must-change">{must}</dd>
</dl>
{toggle}
</section>
<section class="card" aria-labelledby="logins-title">
<h2 id="logins-title">{logins_title}</h2>
{logins}
</section>
<p><a href="{list}">{back}</a></p>"#,
        name = escape(&u.display_name),
        facts = lang.t("账户信息", "The account"),
        user_label = lang.t("用户名", "Username"),
        username = escape(&u.username),
        role_label = lang.t("角色", "Role"),
        role = role_name(lang, u.actor.role()),
        scope_label = lang.t("所属", "Belongs to"),
        scope = escape(&names.scope(lang, &u.actor)),
        status_label = lang.t("状态", "Status"),
        status = status_word(lang, u.disabled),
        must_label = lang.t("须修改密码", "Must change password"),
        must = yes_no(lang, u.must_change_password),
        logins_title = lang.t("登录记录", "Logins"),
        list = lang.link("/users"),
        back = lang.t("返回用户列表", "Back to the users"),
    )
}
