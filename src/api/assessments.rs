//! Assessments: list an enterprise's, read one with its progress, submit it.

use actix_web::{get, post, web, HttpResponse};

use super::extract::{Page, PageQuery};
use super::types::{response_for, AssessmentResponse, AssessmentSummary};
use crate::access;
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments;
use crate::db::refs::{self};
use crate::error::{AppError, ErrorBody};
use crate::ids::{AssessmentId, EnterpriseId};
use crate::state::{db_call, State};

/// The assessments of an enterprise, one per campaign.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(("id" = EnterpriseId, Path, description = "the enterprise"), PageQuery), responses(
    (status = 200, description = "a page of assessments", body = Page<AssessmentSummary>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
))]
#[get("/enterprises/{id}/assessments")]
#[tracing::instrument(skip_all, fields(enterprise = %path))]
pub async fn list_assessments(
    state: State,
    user: AuthUser,
    path: web::Path<EnterpriseId>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        let e = refs::enterprise(conn, id)?;
        policy::require(
            &user.actor,
            Action::List,
            &Resource::new(Kind::Assessment, e.tenancy()),
        )?;
        Ok(assessments::of_enterprise(
            conn,
            id,
            page.after.as_deref(),
            limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |r| r.id.to_string()).map(AssessmentSummary::from)))
}

/// An assessment: status, questionnaire version, progress per domain, review notes.
#[utoipa::path(tag = "assessments", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), responses(
    (status = 200, description = "the assessment", body = AssessmentResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
))]
#[get("/assessments/{id}")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn get_assessment(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
) -> Result<HttpResponse, AppError> {
    let body = db_call(&state, move |s, conn| {
        let a = access::assessment(conn, &user, *path, Action::Read, None)?;
        response_for(s, conn, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Hands the assessment in for review. Every criterion must be answered (422 lists the
/// missing ones under `missing`); afterwards it is frozen (writes answer 409).
#[utoipa::path(tag = "assessments", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), responses(
    (status = 200, description = "submitted", body = AssessmentResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only the enterprise submits its assessment", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "already submitted or accepted", body = ErrorBody),
    (status = 422, description = "criteria are unanswered; `fields.missing` lists them", body = ErrorBody),
))]
#[post("/assessments/{id}/submit")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn submit_assessment(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
) -> Result<HttpResponse, AppError> {
    let body = db_call(&state, move |s, conn| {
        let a = crate::assessment::submit(s, conn, &user, *path)?;
        response_for(s, conn, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}
