//! Assessments: list an enterprise's, read one with its progress, submit it.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;

use super::extract::{Page, PageQuery};
use super::types::{response_for, AssessmentResponse, AssessmentSummary};
use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments;
use crate::db::refs::{self};
use crate::domain::assessment::Status;
use crate::error::{AppError, ErrorBody, FieldErrors};
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
        audit::write_tx(conn, |c| {
            let a = access::assessment(c, &user, *path, Action::Submit, None)?;
            access::require_draft(&a)?;
            let q = s.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
            let answered: std::collections::HashSet<String> = assessments::answers_of(c, a.id)?
                .into_iter()
                .map(|r| r.criterion_id)
                .collect();
            let missing: Vec<String> = q
                .criteria()
                .filter(|cr| !answered.contains(&cr.id))
                .map(|cr| cr.id.clone())
                .collect();
            if !missing.is_empty() {
                return Err(AppError::Validation {
                    message: format!(
                        "{} of {} criteria are unanswered",
                        missing.len(),
                        q.criterion_count()
                    ),
                    fields: FieldErrors::from([("missing".to_owned(), missing)]),
                });
            }
            assessments::submit(c, a.id, Utc::now().naive_utc())?;
            assessments::store_sheets(c, &q, a.id)?;
            audit::append(
                c,
                Entry::new(&user, "assessment.submit", "assessment", a.id)
                    .cluster(a.enterprise.cluster_id)
                    .before(&serde_json::json!({"status": a.status}))
                    .after(&serde_json::json!({"status": Status::Submitted})),
            )?;
            let a = refs::assessment(c, a.id)?;
            response_for(s, c, &a)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}
