//! Campaigns (评估批次): opening one gives every enterprise of the cluster a draft.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use crate::access;
use crate::auth::policy::{Action, Kind};
use crate::auth::AuthUser;
use crate::campaign::lifecycle::{self, NewCampaign};
use crate::db::campaigns::{self, CampaignRow, Participation};
use crate::db::clusters;
use crate::domain::campaign::CampaignStatus;
use crate::error::{AppError, ErrorBody};
use crate::ids::{CampaignId, ClusterId};
use crate::state::{db_call, State};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignResponse {
    pub id: CampaignId,
    pub cluster_id: ClusterId,
    pub name: String,
    /// The questionnaire id, e.g. dcmm-2025.
    pub questionnaire: String,
    /// The content hash of the questionnaire version every assessment is pinned to.
    pub questionnaire_hash: String,
    pub due_date: NaiveDate,
    pub target_level: i32,
    pub status: CampaignStatus,
    pub participation: Participation,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
}

impl CampaignResponse {
    fn new(r: CampaignRow, participation: Participation) -> Self {
        Self {
            id: r.id,
            cluster_id: r.cluster_id,
            name: r.name,
            questionnaire: r.questionnaire_id,
            questionnaire_hash: r.questionnaire_hash,
            due_date: r.due_date,
            target_level: r.target_level,
            status: r.status,
            participation,
            created_at: r.created_at,
        }
    }
}

fn default_target() -> i32 {
    3
}

/// A campaign to open. `questionnaire` defaults to the current edition (dcmm-2025).
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaign {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    #[schema(example = "2026年度数据管理能力评估")]
    pub name: String,
    #[schema(example = "dcmm-2025")]
    pub questionnaire: Option<String>,
    #[schema(value_type = String, format = Date, example = "2027-03-31")]
    pub due_date: NaiveDate,
    #[validate(range(min = 1, max = 5, message = "must be a level from 1 to 5"))]
    #[schema(minimum = 1, maximum = 5)]
    #[serde(default = "default_target")]
    pub target_level: i32,
    /// Start each enterprise's draft from its answers in its latest earlier assessment on the
    /// same questionnaire, or on an earlier edition a crosswalk carries into this one (a
    /// criterion merging several earlier ones takes their lowest rating). Carried answers are
    /// marked `carried_over` until the enterprise saves them again.
    #[serde(default)]
    pub copy_previous: bool,
}

/// Opens a campaign: every enterprise of the cluster gets a draft assessment, and so does
/// every enterprise registered while the campaign is open.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])),
    params(("id" = ClusterId, Path, description = "the cluster")), request_body = CreateCampaign, responses(
    (status = 201, description = "opened", body = CampaignResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not open campaigns", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
    (status = 422, description = "a field is invalid (unknown questionnaire, due date in the past…)", body = ErrorBody),
))]
#[post("/clusters/{id}/campaigns")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn create_campaign(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    body: Valid<CreateCampaign>,
) -> Result<HttpResponse, AppError> {
    let cluster = path.into_inner();
    let b = body.0;
    let new = NewCampaign {
        name: b.name,
        questionnaire: b.questionnaire,
        due_date: b.due_date,
        target_level: b.target_level,
        copy_previous: b.copy_previous,
    };
    let today = Utc::now().date_naive();
    let (row, participation) = db_call(&state, move |s, conn| {
        lifecycle::open(s, conn, &user, cluster, &new, today)
    })
    .await?;
    Ok(HttpResponse::Created().json(CampaignResponse::new(row, participation)))
}

/// The campaigns of a cluster.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = ClusterId, Path, description = "the cluster"), PageQuery), responses(
    (status = 200, description = "a page of campaigns", body = Page<CampaignResponse>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
))]
#[get("/clusters/{id}/campaigns")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn list_campaigns(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let cluster = path.into_inner();
    access::in_cluster(&user, Action::List, Kind::Campaign, cluster)?;
    let limit = page.limit()?;
    let items = db_call(&state, move |_, conn| {
        clusters::find(conn, cluster)?;
        let rows = campaigns::list(conn, cluster, page.after.as_deref(), limit)?;
        let page = Page::from_rows(rows, limit, |r| r.id.to_string());
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let p = campaigns::participation(conn, r.id)?;
            items.push(CampaignResponse::new(r, p));
        }
        Ok(Page {
            items,
            next: page.next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(tag = "campaigns", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), responses(
    (status = 200, description = "the campaign with its participation", body = CampaignResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
))]
#[get("/campaigns/{id}")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn get_campaign(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let response = db_call(&state, move |_, conn| {
        let row = access::campaign(conn, &user, id)?;
        let p = campaigns::participation(conn, row.id)?;
        Ok(CampaignResponse::new(row, p))
    })
    .await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Changes to an open campaign.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCampaign {
    /// The new due date, not in the past: drafts are overdue only after it.
    #[schema(value_type = String, format = Date, example = "2027-04-30")]
    pub due_date: NaiveDate,
}

/// Moves the due date of an open campaign (to extend it, usually).
#[utoipa::path(tag = "campaigns", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), request_body = UpdateCampaign, responses(
    (status = 200, description = "the campaign with its new due date", body = CampaignResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not change campaigns", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
    (status = 409, description = "`campaign_closed`: the campaign is closed", body = ErrorBody),
    (status = 422, description = "`fields.due_date`: the day is in the past", body = ErrorBody),
))]
#[patch("/campaigns/{id}")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn update_campaign(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
    body: Valid<UpdateCampaign>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let due_date = body.0.due_date;
    let today = Utc::now().date_naive();
    let response = db_call(&state, move |_, conn| {
        let row = lifecycle::reschedule(conn, &user, id, due_date, today)?;
        let p = campaigns::participation(conn, row.id)?;
        Ok(CampaignResponse::new(row, p))
    })
    .await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Closes a campaign: its assessments take no more answers, evidence, submissions or review
/// decisions (409 `campaign_closed`), and its cluster report is final.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), responses(
    (status = 200, description = "the closed campaign, with its participation at closing", body = CampaignResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not close campaigns", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
    (status = 409, description = "`campaign_closed`: the campaign is closed already", body = ErrorBody),
))]
#[post("/campaigns/{id}/close")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn close_campaign(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (row, p) = db_call(&state, move |_, conn| lifecycle::close(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(CampaignResponse::new(row, p)))
}
