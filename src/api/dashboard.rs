//! The cluster dashboard's data: the campaign roll-up, and an enterprise's benchmark.

use std::sync::Arc;

use actix_web::{get, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Serialize;

use super::assessments::permitted;
use super::campaigns::{campaign_id, readable};
use crate::auth::policy::{self, Action, Kind, Resource, Tenancy};
use crate::auth::AuthUser;
use crate::db::campaigns::CampaignRow;
use crate::db::{rollup as rows, DbConnection};
use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::{Detail, Sharing};
use crate::error::{AppError, ErrorBody};
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::Questionnaire;
use crate::scoring::profile::{cdo_summary, eligibility, EligibilityRules};
use crate::scoring::rollup::{
    benchmark, rollup, Benchmark, CampaignInput, EnterpriseResult, PreviousCampaign, Rollup,
    RollupPolicy,
};
use crate::scoring::{score, Scorecard, Sheet};
use crate::state::{db_call, AppState, State};

/// Everything a campaign's roll-up is computed from, loaded once.
pub struct Loaded {
    pub campaign: CampaignRow,
    pub questionnaire: Arc<Questionnaire>,
    pub enterprises: Vec<EnterpriseResult>,
    pub previous: Option<(Arc<Questionnaire>, Vec<Scorecard>)>,
}

impl Loaded {
    /// The roll-up input as a copy, leaving the loaded parts for the caller (the page lists
    /// the enterprises too).
    pub fn input(&self) -> CampaignInput<'_> {
        CampaignInput {
            questionnaire: &self.questionnaire,
            target_level: u8::try_from(self.campaign.target_level).unwrap_or(3),
            enterprises: self.enterprises.clone(),
            previous: self.previous.as_ref().map(|(q, cards)| PreviousCampaign {
                questionnaire: q,
                verified: cards.clone(),
            }),
        }
    }

    /// Hands the roll-up input, built by moving the loaded parts (no copies of scorecards),
    /// to `f` with the campaign.
    pub fn with_input<T>(self, f: impl FnOnce(&CampaignInput<'_>, CampaignRow) -> T) -> T {
        let Loaded {
            campaign,
            questionnaire,
            enterprises,
            previous,
        } = self;
        let (previous_q, previous_cards) = match previous {
            Some((q, cards)) => (Some(q), cards),
            None => (None, Vec::new()),
        };
        let input = CampaignInput {
            questionnaire: &questionnaire,
            target_level: u8::try_from(campaign.target_level).unwrap_or(3),
            enterprises,
            previous: previous_q.as_deref().map(|q| PreviousCampaign {
                questionnaire: q,
                verified: previous_cards,
            }),
        };
        f(&input, campaign)
    }
}

fn card(state: &AppState, q: &Questionnaire, sheet: Option<&str>) -> Option<Scorecard> {
    sheet
        .and_then(|s| Sheet::from_compact(q, s))
        .map(|s| score(q, &s, &state.settings.policy))
}

/// What [`load`] reads beyond the campaign itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// Also the cluster's previous campaign, for the change since then (the roll-up).
    Include,
    /// Not needed (benchmarks, exports): saves its queries and scoring.
    Skip,
}

/// Loads a campaign's roll-up input.
pub fn load(
    state: &AppState,
    conn: &mut DbConnection,
    campaign: CampaignRow,
    today: NaiveDate,
    previous: Previous,
) -> Result<Loaded, AppError> {
    let q = state.questionnaire(
        conn,
        &campaign.questionnaire_id,
        &campaign.questionnaire_hash,
    )?;
    let rules = EligibilityRules::default();
    let mut enterprises = Vec::new();
    for r in rows::invited(conn, &campaign.id)? {
        let status = Status::parse(&r.status).unwrap_or(Status::Draft);
        let profile: Option<ProfileAnswers> = r
            .profile
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        enterprises.push(EnterpriseResult {
            id: r
                .enterprise_id
                .parse()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("bad enterprise id")))?,
            name: r.name,
            industry: r.industry,
            size: Size::parse(&r.size).unwrap_or(Size::Small),
            sharing: Sharing::parse(&r.sharing).unwrap_or(Sharing::Anonymous),
            started: r.version > 0 || status != Status::Draft,
            overdue: status == Status::Draft && campaign.due_date < today,
            own: card(state, &q, r.own_sheet.as_deref()),
            verified: card(state, &q, r.verified_sheet.as_deref()),
            eligibility: profile.as_ref().map(|p| eligibility(p, &rules)),
            cdo: profile.as_ref().map(cdo_summary),
            status,
        });
    }
    let earlier = match previous {
        Previous::Include => rows::previous(conn, &campaign)?,
        Previous::Skip => None,
    };
    let previous = match earlier {
        Some(prev) => {
            let pq = state.questionnaire(conn, &prev.questionnaire_id, &prev.questionnaire_hash)?;
            let cards = rows::accepted_sheets(conn, &prev.id)?
                .iter()
                .filter_map(|s| card(state, &pq, Some(s)))
                .collect();
            Some((pq, cards))
        }
        None => None,
    };
    Ok(Loaded {
        campaign,
        questionnaire: q,
        enterprises,
        previous,
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignInfo {
    pub id: String,
    pub name: String,
    pub cluster_id: String,
    #[schema(value_type = String, format = Date)]
    pub due_date: NaiveDate,
    /// Days until the due date; negative once it has passed.
    pub days_left: i64,
    pub status: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub campaign: CampaignInfo,
    pub rollup: Rollup,
}

/// Which invited enterprises a roll-up covers: all, or those of one industry and size class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub industry: Option<String>,
    pub size: Option<Size>,
}

impl Filter {
    pub fn keeps(&self, e: &EnterpriseResult) -> bool {
        self.industry.as_deref().is_none_or(|i| e.industry == i)
            && self.size.is_none_or(|s| e.size == s)
    }

    pub fn is_empty(&self) -> bool {
        self.industry.is_none() && self.size.is_none()
    }
}

/// Campaign `id` when `user` may read its cluster report (and so its dashboard).
pub fn readable_report(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> Result<CampaignRow, AppError> {
    let campaign = readable(conn, user, id)?;
    let cluster = super::clusters::cluster_id(&campaign.cluster_id)?;
    policy::require(
        &user.actor,
        Action::Read,
        &Resource::new(Kind::ClusterReport, Tenancy::Cluster(cluster)),
    )?;
    Ok(campaign)
}

/// The dashboard of campaign `id` for a caller who may read its cluster report, over the
/// enterprises `filter` keeps, and the input it was computed from (all enterprises).
pub fn dashboard(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    today: NaiveDate,
    filter: &Filter,
) -> Result<(Dashboard, Loaded), AppError> {
    let campaign = readable_report(conn, user, id)?;
    let loaded = load(state, conn, campaign, today, Previous::Include)?;
    let mut input = loaded.input();
    input.enterprises.retain(|e| filter.keeps(e));
    let rollup = rollup(&input, &RollupPolicy::default());
    let c = &loaded.campaign;
    let dashboard = Dashboard {
        campaign: CampaignInfo {
            days_left: (c.due_date - today).num_days(),
            id: c.id.clone(),
            name: c.name.clone(),
            cluster_id: c.cluster_id.clone(),
            due_date: c.due_date,
            status: c.status.clone(),
        },
        rollup,
    };
    Ok((dashboard, loaded))
}

/// The campaign's roll-up: participation, levels, domain and item statistics, weakest items,
/// CDO coverage, eligibility, bias, the indicative readiness tier and the change since the
/// previous campaign. Enterprises that share only anonymous statistics never appear by name.
#[utoipa::path(tag = "dashboard", security(("bearer" = [])), responses(
    (status = 200, description = "the roll-up", body = Dashboard),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "enterprise users see their own benchmark instead", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
))]
#[get("/campaigns/{id}/dashboard")]
pub async fn get_dashboard(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = campaign_id(&path)?;
    let (dashboard, _) = db_call(&state, move |s, conn| {
        dashboard(
            s,
            conn,
            &user,
            &id,
            Utc::now().date_naive(),
            &Filter::default(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(dashboard))
}

/// The enterprise's standing in its cluster: its percentile per domain within the cluster, its
/// industry and its size group, each suppressed when the group has fewer than 5 enterprises
/// with accepted assessments. Only for an accepted assessment.
#[utoipa::path(tag = "dashboard", security(("bearer" = [])), responses(
    (status = 200, description = "the benchmark", body = Benchmark),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "a cluster manager of an enterprise that shares only anonymous statistics", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "the assessment is not accepted yet", body = ErrorBody),
))]
#[get("/assessments/{id}/benchmark")]
pub async fn get_benchmark(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let result = db_call(&state, move |s, conn| {
        let a = permitted(conn, &user, &path, Action::Read, Some(Detail::Scores))?;
        let campaign = crate::db::campaigns::find(conn, &a.campaign_id)?;
        let loaded = load(s, conn, campaign, Utc::now().date_naive(), Previous::Skip)?;
        loaded
            .with_input(|input, _| benchmark(input, a.enterprise.id, &RollupPolicy::default()))
            .map_err(|e| AppError::Conflict {
                code: "not_accepted",
                message: format!("no benchmark: {e}"),
            })
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
