//! The first page after login: for an enterprise user its assessments
//! ([`super::my_assessments`]); for everyone else the clusters in their scope and their
//! campaigns, each linking to its dashboard.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::html::{error_page, escape, page, respond};
use super::session::PageUser;
use crate::auth::policy::{self, Action, Decision, Kind, Resource, Tenancy};
use crate::db::{campaigns, clusters, refs};
use crate::domain::Actor;
use crate::ids::EnterpriseId;
use crate::state::{db_call, State};

/// The enterprise user's assessments, as the API lists them to it.
async fn mine(state: State, page_user: PageUser, enterprise: EnterpriseId) -> HttpResponse {
    let lang = page_user.lang;
    let actor = page_user.user.actor.clone();
    let listed = db_call(&state, move |s, conn| {
        let e = refs::enterprise(conn, enterprise)?;
        policy::require(
            &actor,
            Action::List,
            &Resource::new(Kind::Assessment, e.tenancy()),
        )?;
        Ok((
            e.name,
            crate::assessment::of_enterprise(s, conn, enterprise)?,
        ))
    })
    .await;
    let (name, list) = match listed {
        Ok(l) => l,
        Err(e) => return error_page(lang, &e, "/campaigns"),
    };
    let today = chrono::Utc::now().date_naive();
    let body = super::my_assessments::body(lang, &name, &list, today);
    respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("我的评估", "My assessments"),
            Some(&page_user),
            &body,
        ),
    )
}

/// At most this many clusters and campaigns per cluster are listed.
const LIMIT: i64 = 200;

pub async fn list(state: State, page_user: PageUser) -> HttpResponse {
    if let Actor::Enterprise { enterprise, .. } = page_user.user.actor {
        return mine(state, page_user, enterprise).await;
    }
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let actor = user.actor.clone();
    let listed = db_call(&state, move |_, conn| {
        let mut out = Vec::new();
        for cluster in clusters::list(conn, &actor, None, LIMIT)? {
            let rows = campaigns::list(conn, cluster.id, None, LIMIT)?;
            out.push((cluster, rows));
        }
        Ok(out)
    })
    .await;
    let listed = match listed {
        Ok(l) => l,
        Err(e) => return error_page(lang, &e, "/campaigns"),
    };
    let mut body = format!("<h1>{}</h1>", lang.t("评估活动", "Campaigns"));
    let mut any = false;
    for (cluster, rows) in &listed {
        let may_see = policy::decide(
            &user.actor,
            Action::Read,
            &Resource::new(Kind::ClusterReport, Tenancy::Cluster(cluster.id)),
        ) == Decision::Allow;
        let may_open = policy::decide(
            &user.actor,
            Action::Create,
            &Resource::new(Kind::Campaign, Tenancy::Cluster(cluster.id)),
        ) == Decision::Allow;
        let open = if may_open {
            format!(
                r#"<p><a href="{}" class="button-link">{}</a></p>"#,
                lang.link(&format!("/campaigns/new?cluster={}", cluster.id)),
                lang.t("开启评估活动", "Open a campaign")
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            r#"<section class="card"><h2>{}</h2><p class="muted">{}</p>{open}<ul class="campaigns">"#,
            escape(&cluster.name),
            escape(&cluster.region)
        ));
        for c in rows {
            let name = escape(&c.name);
            let item = if may_see {
                any = true;
                format!(
                    r#"<a href="{}">{name}</a> · <a href="{}">{}</a>"#,
                    lang.link(&format!("/campaigns/{}/dashboard", c.id)),
                    lang.link(&format!("/campaigns/{}", c.id)),
                    lang.t("活动管理与催办", "manage and remind")
                )
            } else {
                name
            };
            body.push_str(&format!(
                "<li>{item} <span class=\"muted\">{} {} · {}</span></li>",
                lang.t("截止", "due"),
                c.due_date,
                c.status.label(lang)
            ));
        }
        body.push_str("</ul></section>");
    }
    if !any {
        body.push_str(&format!(
            r#"<p class="muted">{}</p>"#,
            lang.t(
                "集群看板供集群管理员、审核员和系统管理员使用。",
                "The cluster dashboard is for cluster managers, auditors and administrators."
            )
        ));
    }
    respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("评估活动", "Campaigns"),
            Some(&page_user),
            &body,
        ),
    )
}
