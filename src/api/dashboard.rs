//! The cluster dashboard's data over the API: the campaign roll-up, and an enterprise's
//! benchmark.

use actix_web::{get, web, HttpResponse};
use chrono::Utc;

use crate::access;
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::campaign::{dashboard, load, Dashboard, Filter, Previous};
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody, ErrorCode};
use crate::ids::{AssessmentId, CampaignId};
use crate::scoring::rollup::{benchmark, Benchmark, RollupPolicy};
use crate::state::{db_call, State};

/// The campaign's roll-up: participation, levels, domain and item statistics, weakest items,
/// CDO coverage, eligibility, bias, the indicative readiness tier and the change since the
/// previous campaign. Enterprises that share only anonymous statistics never appear by name.
#[utoipa::path(tag = "dashboard", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), responses(
    (status = 200, description = "the roll-up", body = Dashboard),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "enterprise users see their own benchmark instead", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
))]
#[get("/campaigns/{id}/dashboard")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn get_dashboard(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (dashboard, _) = db_call(&state, move |s, conn| {
        dashboard(
            s,
            conn,
            &user,
            id,
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
#[utoipa::path(tag = "dashboard", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), responses(
    (status = 200, description = "the benchmark", body = Benchmark),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "a cluster manager of an enterprise that shares only anonymous statistics", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "the assessment is not accepted yet", body = ErrorBody),
))]
#[get("/assessments/{id}/benchmark")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn get_benchmark(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let result = db_call(&state, move |s, conn| {
        let a = access::assessment(conn, &user, id, Action::Read, Some(Detail::Scores))?;
        let campaign = crate::db::campaigns::find(conn, a.campaign_id)?;
        let loaded = load(s, conn, campaign, Utc::now().date_naive(), Previous::Skip)?;
        loaded
            .with_input(|input, _| benchmark(input, a.enterprise.id, &RollupPolicy::default()))
            .map_err(|e| AppError::conflict(ErrorCode::NotAccepted, format!("no benchmark: {e}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
