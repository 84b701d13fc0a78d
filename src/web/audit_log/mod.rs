//! The audit log page (`/audit-log`), for admins (every entry) and auditors (the entries of
//! their clusters, as `GET /api/v1/audit-log` scopes them): entries newest first, filtered by
//! who, action, entity, cluster and time through a GET form, paged with the API's cursor, each
//! with its before and after compared; and the chain check, run when asked (`?check=1`).

mod check;
mod diff;
mod entry;
mod form;
#[cfg(test)]
mod tests;
mod words;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use self::check::Outcome;
use self::entry::{Names, View};
use self::form::{Form, Given};
use super::html::{escape, page, respond, Lang};
use super::session::{PageError, PageUser};
use crate::auth::policy::{self, Action, Kind, Resource, Tenancy};
use crate::db::audit_log::{self as log, AuditRow, Choices, Filter, FilterText, Order, Scope};
use crate::error::{AppError, FieldErrors};
use crate::state::{db_call, State};

/// Entries per page.
const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    actor_id: Option<String>,
    action: Option<String>,
    subject_type: Option<String>,
    subject_id: Option<String>,
    cluster_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// The cursor: entries older than this sequence number.
    after: Option<String>,
    /// `1` runs the chain check.
    check: Option<String>,
}

/// The filter names of the query, in the order links carry them.
const FILTERS: [&str; 7] = [
    "actor_id",
    "action",
    "subject_type",
    "subject_id",
    "cluster_id",
    "from",
    "to",
];

impl LogQuery {
    fn get(&self, name: &str) -> &str {
        let v = match name {
            "actor_id" => &self.actor_id,
            "action" => &self.action,
            "subject_type" => &self.subject_type,
            "subject_id" => &self.subject_id,
            "cluster_id" => &self.cluster_id,
            "from" => &self.from,
            "to" => &self.to,
            _ => &None,
        };
        v.as_deref().map_or("", str::trim)
    }

    fn given(&self) -> Given<'_> {
        Given {
            actor_id: self.get("actor_id"),
            action: self.get("action"),
            subject_type: self.get("subject_type"),
            subject_id: self.get("subject_id"),
            cluster_id: self.get("cluster_id"),
            from: self.get("from"),
            to: self.get("to"),
        }
    }

    /// The filter and the cursor, or every wrong field.
    fn parse(&self) -> Result<(Filter, Option<i64>), FieldErrors> {
        let some = |name| Some(self.get(name));
        let filter = Filter::parse(&FilterText {
            actor_id: some("actor_id"),
            action: some("action"),
            subject_type: some("subject_type"),
            subject_id: some("subject_id"),
            cluster_id: some("cluster_id"),
            from: some("from"),
            to: some("to"),
        });
        let after = match self
            .after
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            None => Ok(None),
            Some(a) => a.parse::<i64>().map(Some).map_err(|_| ()),
        };
        match (filter, after) {
            (Ok(f), Ok(a)) => Ok((f, a)),
            (filter, after) => {
                let mut fields = filter.err().unwrap_or_default();
                if after.is_err() {
                    fields.insert("after".into(), vec!["must be a sequence number".into()]);
                }
                Err(fields)
            }
        }
    }

    /// `/audit-log` with the query's filters, and `extra` after them.
    fn link(&self, lang: Lang, extra: &[(&str, &str)]) -> String {
        let pairs: Vec<(&str, &str)> = FILTERS
            .iter()
            .map(|name| (*name, self.get(name)))
            .chain(extra.iter().copied())
            .collect();
        address(lang, &pairs)
    }
}

/// `/audit-log?…` with the non-empty pairs, in the page's language.
fn address(lang: Lang, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
    }
    let query = query.finish();
    let path = if query.is_empty() {
        "/audit-log".to_owned()
    } else {
        format!("/audit-log?{query}")
    };
    lang.link(&path)
}

/// Everything the page shows, read in one go.
struct Loaded {
    rows: Vec<AuditRow>,
    choices: Choices,
    names: Names,
    clusters: Vec<(String, String)>,
    outcome: Option<Outcome>,
}

fn load(
    conn: &mut crate::db::DbConnection,
    key: &crate::audit::AuditKey,
    user: &crate::auth::AuthUser,
    asked: Option<&(Filter, Option<i64>)>,
    run_check: bool,
) -> Result<Loaded, AppError> {
    let scope = Scope::of(&user.actor);
    if let Some(cluster) = asked.and_then(|(f, _)| f.cluster) {
        crate::db::clusters::find(conn, cluster)?;
        let of_cluster = Resource::new(Kind::AuditLog, Tenancy::Cluster(cluster));
        policy::require(&user.actor, Action::List, &of_cluster)?;
    }
    // The entries pending so far join the chain first, so the page shows every write.
    crate::audit::settle(conn, key)?;
    let rows = match asked {
        Some((filter, after)) => log::page(conn, &scope, filter, Order::Newest, *after, PAGE)?,
        None => Vec::new(),
    };
    let choices = log::choices(conn, &scope)?;
    let clusters: Vec<(String, String)> = crate::db::clusters::list(conn, &user.actor, None, 500)?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let names = Names::load(
        conn,
        &rows,
        &choices.actors,
        clusters.iter().cloned().collect::<HashMap<_, _>>(),
    )?;
    let outcome = if run_check {
        let v = crate::audit::verify(conn, Some(key))?;
        let cluster = match v.first_broken {
            Some(seq) => log::cluster_of(conn, seq)?,
            None => None,
        };
        Some(Outcome::of(&v, &scope, cluster))
    } else {
        None
    };
    Ok(Loaded {
        rows,
        choices,
        names,
        clusters,
        outcome,
    })
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<LogQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let actor = page_user.user.actor.clone();
    policy::require(&actor, Action::List, &Resource::global(Kind::AuditLog)).map_err(fail)?;
    let query = query.into_inner();
    let asked = query.parse();
    let run_check = query.check.as_deref() == Some("1");
    let user = page_user.user.clone();
    let ok = asked.as_ref().ok().cloned();
    let loaded = db_call(&state, move |state, conn| {
        load(conn, &state.audit_key, &user, ok.as_ref(), run_check)
    })
    .await
    .map_err(fail)?;
    let lang = page_user.lang;
    let errors = asked.err().unwrap_or_default();
    let body = body(lang, &page_user, &query, &errors, &loaded);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(respond(
        status,
        page(
            lang,
            lang.t("审计日志", "Audit log"),
            Some(&page_user),
            &body,
        ),
    ))
}

fn body(
    lang: Lang,
    page_user: &PageUser,
    query: &LogQuery,
    errors: &FieldErrors,
    loaded: &Loaded,
) -> String {
    let actor = &page_user.user.actor;
    let scope = Scope::of(actor);
    let whose = match scope {
        Scope::Everything => lang.t(
            "本服务的全部写入记录：谁、何时、做了什么、改动前后的值。",
            "Every write to this service: who, when, what, and the values before and after.",
        ),
        Scope::Clusters(_) => lang.t(
            "您负责的集群的写入记录：谁、何时、做了什么、改动前后的值。",
            "The writes about your clusters: who, when, what, and the values before and after.",
        ),
    };
    let mut out = format!(
        r#"<h1>{}</h1><p class="note">{}</p>"#,
        lang.t("审计日志", "Audit log"),
        escape(whose)
    );
    if !errors.is_empty() {
        out.push_str(&format!(
            r#"<p class="notice" role="alert">{}</p>"#,
            lang.t(
                "筛选条件有误，请更正标出的字段。",
                "A filter is not valid: correct the field marked below."
            )
        ));
    }
    let form = Form {
        lang,
        given: query.given(),
        errors,
        choices: &loaded.choices,
        people: &loaded.names.people,
        clusters: &loaded.clusters,
    };
    out.push_str(&form.render(&address(lang, &[])));
    let entry_link = |seq: i64| {
        format!(
            "{}#e-{seq}",
            address(lang, &[("after", &(seq + 1).to_string())])
        )
    };
    out.push_str(&check::section(
        lang,
        &scope,
        loaded.outcome.as_ref(),
        &format!("{}#chain", query.link(lang, &[("check", "1")])),
        &entry_link,
    ));
    if errors.is_empty() {
        out.push_str(&entries(lang, actor, query, loaded));
    }
    out
}

/// The page of entries, newest first, and the way to older ones.
fn entries(lang: Lang, actor: &crate::domain::Actor, query: &LogQuery, loaded: &Loaded) -> String {
    let more = loaded.rows.len() as i64 > PAGE;
    let shown = &loaded.rows[..loaded.rows.len().min(PAGE as usize)];
    let only = |pairs: &[(&str, &str)]| address(lang, pairs);
    let view = View {
        lang,
        viewer: actor,
        names: &loaded.names,
        broken_at: loaded.outcome.as_ref().and_then(Outcome::broken_at),
        only: &only,
    };
    let count = match (lang, shown.len()) {
        (Lang::Zh, 0) => "没有符合条件的记录。".to_owned(),
        (Lang::En, 0) => "No entry matches.".to_owned(),
        (Lang::Zh, n) => format!("本页 {n} 条记录，最新的在前。"),
        (Lang::En, 1) => "1 entry on this page.".to_owned(),
        (Lang::En, n) => format!("{n} entries on this page, the newest first."),
    };
    let mut out = format!(
        r#"<section id="entries" aria-labelledby="entries-h"><h2 id="entries-h">{}</h2><p class="muted" data-figure="shown">{}</p>"#,
        lang.t("记录", "Entries"),
        escape(&count)
    );
    for r in shown {
        out.push_str(&view.render(r));
    }
    let newest = if query.after.as_deref().is_some_and(|a| !a.trim().is_empty()) {
        format!(
            r#"<a href="{}" id="newest">{}</a>"#,
            escape(&query.link(lang, &[])),
            lang.t("← 最新的记录", "← Newest entries")
        )
    } else {
        String::new()
    };
    let older = match shown.last().filter(|_| more) {
        Some(last) => format!(
            r#"<a href="{}" class="next" id="older" rel="next">{}</a>"#,
            escape(&query.link(lang, &[("after", &last.seq.to_string())])),
            lang.t("更早的记录 →", "Older entries →")
        ),
        None => String::new(),
    };
    if !newest.is_empty() || !older.is_empty() {
        out.push_str(&format!(
            r#"<nav class="pager" aria-label="{}">{newest}{older}</nav>"#,
            lang.t("翻页", "Pages")
        ));
    }
    out.push_str("</section>");
    out
}
