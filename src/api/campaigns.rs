//! Campaigns (评估批次): opening one gives every enterprise of the cluster a draft.

use actix_web::{get, post, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::{Action, Kind};
use crate::auth::AuthUser;
use crate::db::campaigns::{self, CampaignRow, Participation};
use crate::db::{assessments, clusters, enterprises};
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
    #[schema(example = "2026年度数据管理能力评估")]
    pub name: String,
    #[schema(example = "dcmm-2025")]
    pub questionnaire: Option<String>,
    #[schema(value_type = String, format = Date, example = "2027-03-31")]
    pub due_date: NaiveDate,
    #[validate(range(min = 1, max = 5, message = "must be a level from 1 to 5"))]
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
    access::in_cluster(&user, Action::Create, Kind::Campaign, cluster)?;
    let b = body.0;
    let q = match &b.questionnaire {
        Some(id) => state.questionnaires.dcmm(id),
        None => state.questionnaires.default_dcmm(),
    }
    .ok_or_else(|| AppError::field("questionnaire", "no such DCMM questionnaire"))?;
    let now = Utc::now().naive_utc();
    if b.due_date < now.date() {
        return Err(AppError::field("due_date", "must not be in the past"));
    }
    let row = CampaignRow {
        id: CampaignId::new(),
        cluster_id: cluster,
        name: b.name.trim().to_owned(),
        questionnaire_id: q.id.clone(),
        questionnaire_hash: q.hash.clone(),
        due_date: b.due_date,
        target_level: b.target_level,
        status: CampaignStatus::Open,
        created_by: Some(user.id),
        created_at: now,
        updated_at: now,
    };
    let copy = b.copy_previous;
    let (row, participation) = db_call(&state, move |s, conn| {
        clusters::find(conn, row.cluster_id)?;
        audit::write_tx(conn, |c| {
            campaigns::insert(c, &row)?;
            let ids = enterprises::ids_in_cluster(c, row.cluster_id)?;
            let registry = copy.then_some(&s.questionnaires);
            let drafts = assessments::create_drafts(c, &row, &ids, registry)?;
            let participation = campaigns::participation(c, row.id)?;
            audit::append(
                c,
                Entry::new(&user, "campaign.create", "campaign", row.id)
                    .cluster(row.cluster_id)
                    .after(&serde_json::json!({
                        "name": row.name, "questionnaire": row.questionnaire_id,
                        "questionnaire_hash": row.questionnaire_hash, "due_date": row.due_date,
                        "target_level": row.target_level, "drafts": drafts, "copy_previous": copy,
                    })),
            )?;
            Ok::<_, AppError>((row, participation))
        })
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
