//! The cluster dashboard of a campaign: the cluster report's model (`report::cluster`), the one
//! the PDF walks, drawn as a page, so the two never disagree; the page adds what only a page
//! has: filters, the roster with report links, sortable tables.
//!
//! Figures a reader (or the browser test) compares carry `data-figure` names.

mod filters;
pub(super) mod markup;
mod page;
pub(super) mod sections;
#[cfg(test)]
mod tests;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use self::filters::{Asked, Form};
use super::html::{error_page, here, page, respond, Lang};
use super::session::PageUser;
use crate::auth::policy;
use crate::campaign::{dashboard, Dashboard, Filter, Loaded};
use crate::db::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::sharing::{Detail, Sharing};
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::{CampaignId, EnterpriseId};
use crate::questionnaire::PROFILE_ID;
use crate::report::cluster::{cluster_report_with, roster, CampaignFacts, Lookups};
use crate::scoring::rollup::RollupPolicy;
use crate::state::{db_call, State};

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    industry: Option<String>,
    size: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    query: web::Query<DashboardQuery>,
) -> HttpResponse {
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let here = here(&req);
    let id = path.into_inner();
    let lookups = Lookups::of_profile(state.questionnaires.profile(PROFILE_ID).map(|p| &**p));
    let asked = Asked::parse(query.industry.as_deref(), query.size.as_deref(), &lookups);
    let filter = asked.filter.clone();
    let today = Utc::now().date_naive();
    let who = user.clone();
    let result = db_call(&state, move |s, conn| {
        let (dash, loaded) = dashboard(s, conn, &who, id, today, &filter)?;
        let known = Known::load(conn, &loaded)?;
        Ok((dash, loaded, known))
    })
    .await;
    match result {
        Ok((dash, loaded, known)) => {
            let title = format!(
                "{} · {}",
                dash.campaign.name,
                lang.t("集群看板", "Cluster dashboard")
            );
            let facts = CampaignFacts {
                cluster: known.cluster,
                campaign: dash.campaign.name.clone(),
                campaign_id: dash.campaign.id.to_string(),
                status: dash.campaign.status.to_string(),
                due_date: dash.campaign.due_date,
                as_of: today,
                policy: state.settings.policy.version(),
            };
            let lookups = lookups.with_returned(known.returned);
            let body = render(lang, facts, &dash, loaded, &asked, &lookups, &user.actor);
            respond(StatusCode::OK, page(lang, &title, Some(&page_user), &body))
        }
        Err(e) => error_page(lang, &e, &here),
    }
}

/// What the page shows beyond the dashboard's data.
struct Known {
    cluster: String,
    /// Enterprises whose draft an auditor returned for changes.
    returned: Vec<EnterpriseId>,
}

impl Known {
    fn load(conn: &mut DbConnection, loaded: &Loaded) -> Result<Self, AppError> {
        let c = &loaded.campaign;
        Ok(Self {
            cluster: crate::db::clusters::find(conn, c.cluster_id)?.name,
            returned: crate::db::assessments::returned_in(conn, c.id)?,
        })
    }
}

/// How far `today` is from `start` to `due`, 0 to 1.
fn elapsed(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> f64 {
    let span = (due - start).num_days().max(1) as f64;
    ((today - start).num_days() as f64 / span).clamp(0.0, 1.0)
}

fn render(
    lang: Lang,
    facts: CampaignFacts,
    dash: &Dashboard,
    mut loaded: Loaded,
    asked: &Asked,
    lookups: &Lookups,
    viewer: &Actor,
) -> String {
    let filter = &asked.filter;
    // Who may not see an anonymous enterprise's scores must not read them off a small group.
    let withheld =
        !policy::shown(viewer, Sharing::Anonymous, Detail::Scores) && withheld(&loaded, filter);
    let progress = elapsed(
        loaded.campaign.created_at.date(),
        facts.due_date,
        facts.as_of,
    );
    let campaign_id = loaded.campaign.id.to_string();
    let all = std::mem::take(&mut loaded.enterprises);
    let kept: Vec<_> = all.iter().filter(|e| filter.keeps(e)).cloned().collect();
    let report = cluster_report_with(
        facts,
        &loaded.questionnaire,
        &dash.rollup,
        &kept,
        lookups,
        lang,
    );
    let roster = roster(&kept, lookups, lang);
    let form = Form {
        lang,
        campaign_id: &campaign_id,
        asked,
        enterprises: &all,
        lookups,
        kept: dash.rollup.participation.invited,
    };
    page::body(&page::View {
        report: &report,
        roster: &roster,
        campaign_id: &campaign_id,
        form: &form,
        withheld,
        viewer,
        elapsed: progress,
    })
}

/// Whether a filter narrows the roll-up to fewer accepted assessments than the smallest group
/// shown ([`RollupPolicy::min_group`]) while one of them shares anonymous statistics only: its
/// scores could then be read off the figures, which a cluster manager must not see.
fn withheld(loaded: &Loaded, filter: &Filter) -> bool {
    if filter.is_empty() {
        return false;
    }
    let accepted: Vec<_> = loaded
        .enterprises
        .iter()
        .filter(|e| filter.keeps(e) && e.status == Status::Accepted)
        .collect();
    accepted.len() < RollupPolicy::default().min_group
        && accepted.iter().any(|e| e.sharing == Sharing::Anonymous)
}
