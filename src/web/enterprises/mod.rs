//! The cluster manager's enterprise pages (admins use them for any cluster, picked with
//! `?cluster=`): the list with its filters (`/enterprises`), registering one
//! (`/enterprises/new`), an enterprise's page with its registration fields, contact and
//! assessments (`/enterprises/{id}`), and the CSV import with its preview
//! (`/enterprises/import…`). Each calls the service the API calls.

mod form;
mod import;
mod list;
#[cfg(test)]
mod tests;

pub use form::{edit, new, register, save};
pub use import::{import, preview, template, upload, MAX_FORM_BYTES};
pub use list::show;

use actix_web::HttpRequest;

use super::html::{escape, Lang};
use crate::access;
use crate::auth::policy::{Action, Kind};
use crate::db::clusters::{self, ClusterRow};
use crate::db::DbConnection;
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::ClusterId;

/// The cluster a page is about: the manager's own; for an admin the one of `?cluster=` (else
/// the first), with every cluster to choose from. Anyone else may not register enterprises.
pub struct Scope {
    pub cluster: ClusterRow,
    /// The clusters an admin may pick from; empty for a manager.
    pub choices: Vec<ClusterRow>,
}

impl Scope {
    pub fn load(
        conn: &mut DbConnection,
        user: &crate::auth::AuthUser,
        asked: Option<&str>,
    ) -> Result<Self, AppError> {
        let (cluster, choices) = match &user.actor {
            Actor::ClusterManager { cluster } => (clusters::find(conn, *cluster)?, Vec::new()),
            Actor::Admin => {
                let all = clusters::list(conn, &user.actor, None, 1000)?;
                let picked = match asked.map(str::trim).filter(|a| !a.is_empty()) {
                    Some(id) => {
                        let id: ClusterId = id.parse().map_err(|_| AppError::NotFound)?;
                        clusters::find(conn, id)?
                    }
                    None => all.first().cloned().ok_or(AppError::NotFound)?,
                };
                (picked, all)
            }
            _ => return Err(AppError::Forbidden),
        };
        access::in_cluster(user, Action::Create, Kind::Enterprise, cluster.id)?;
        Ok(Self { cluster, choices })
    }

    /// `path` for this cluster (an admin's pick kept) in the page's language.
    pub fn link(&self, lang: Lang, path: &str) -> String {
        let path = if self.choices.is_empty() {
            path.to_owned()
        } else {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}cluster={}", self.cluster.id)
        };
        lang.link(&path)
    }
}

/// The `?cluster=` of a request.
pub fn asked_cluster(req: &HttpRequest) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "cluster")
        .map(|(_, v)| v.into_owned())
}

/// A field's error in the page's language: the English of the service as it is, or a Chinese
/// sentence with the service's detail where it says something the sentence does not.
pub fn message(lang: Lang, field: &str, english: &[String]) -> String {
    let detail = english.join("; ");
    if lang == Lang::En {
        return detail;
    }
    match field {
        "name" => "请填写 1 至 200 个字符的企业名称。".to_owned(),
        "credit_code" if detail.contains("already registered") => {
            "该统一社会信用代码已登记。".to_owned()
        }
        "credit_code" if detail.contains("not available") => {
            "该统一社会信用代码不可用，请核对。".to_owned()
        }
        "credit_code" if detail.contains("earlier in this file") => {
            "该统一社会信用代码在文件中已出现过。".to_owned()
        }
        "credit_code" => format!("统一社会信用代码无效（{detail}）。"),
        "industry" => "请选择列表中的行业。".to_owned(),
        "size" => "请选择企业规模（微型、小型、中型、大型）。".to_owned(),
        "region" => "地区最多 100 个字符。".to_owned(),
        "contact_name" => "联系人最多 100 个字符，不含控制字符。".to_owned(),
        "contact_phone" => "联系电话为 5 至 30 个数字、空格、+、- 或括号。".to_owned(),
        "contact_email" => "请填写有效的电子邮箱，例如 name@example.com。".to_owned(),
        _ => detail,
    }
}

/// The name of a field as pages and the import file call it.
pub fn field_name(lang: Lang, field: &str) -> String {
    let (zh, en) = match field {
        "name" => ("企业名称", "Name"),
        "credit_code" => ("统一社会信用代码", "Credit code"),
        "industry" => ("行业", "Industry"),
        "size" => ("规模", "Size"),
        "region" => ("地区", "Region"),
        "contact_name" => ("联系人", "Contact name"),
        "contact_phone" => ("联系电话", "Contact phone"),
        "contact_email" => ("电子邮箱", "Contact email"),
        "row" => ("整行", "Row"),
        other => (other, other),
    };
    escape(lang.t(zh, en))
}

/// The admin's cluster picker (a GET form); nothing for a manager.
pub fn picker(lang: Lang, scope: &Scope, action: &str) -> String {
    if scope.choices.is_empty() {
        return String::new();
    }
    let options: String = scope
        .choices
        .iter()
        .map(|c| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                c.id,
                if c.id == scope.cluster.id {
                    " selected"
                } else {
                    ""
                },
                escape(&c.name)
            )
        })
        .collect();
    let lang_field = match lang {
        Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
        Lang::Zh => "",
    };
    format!(
        r#"<form method="get" action="{action}" class="filters card" id="cluster-picker"><label for="pick-cluster">{label}</label><select id="pick-cluster" name="cluster">{options}</select>{lang_field}<button type="submit">{go}</button></form>"#,
        label = lang.t("集群", "Cluster"),
        go = lang.t("切换", "Show"),
    )
}
