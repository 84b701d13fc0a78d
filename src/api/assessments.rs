//! Assessments: list an enterprise's, read one with its progress, submit it.

use actix_web::{get, post, web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::Serialize;

use super::enterprises::enterprise_id;
use super::extract::{Page, PageQuery};
use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments::{self, AnswerRow, AssessmentRow};
use crate::db::refs::{self, AssessmentRef};
use crate::db::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody, FieldErrors};
use crate::questionnaire::{Questionnaire, Text};
use crate::state::{db_call, AppState, State};

/// An assessment the caller may do `action` to; 404 outside its scope, 403 when its role or the
/// enterprise's sharing setting does not allow it.
pub fn permitted(
    conn: &mut DbConnection,
    user: &AuthUser,
    raw_id: &str,
    action: Action,
    detail: Option<Detail>,
) -> Result<AssessmentRef, AppError> {
    let id = raw_id
        .parse::<uuid::Uuid>()
        .map_err(|_| AppError::NotFound)?;
    let a = refs::assessment(conn, &id.to_string())?;
    let resource = Resource::new(Kind::Assessment, a.tenancy());
    match detail {
        Some(detail) => {
            policy::require_shared(&user.actor, action, &resource, a.enterprise.sharing, detail)?
        }
        None => policy::require(&user.actor, action, &resource)?,
    }
    Ok(a)
}

/// A draft may change; anything else answers 409.
pub fn require_draft(a: &AssessmentRef) -> Result<(), AppError> {
    if a.status.is_editable() {
        Ok(())
    } else {
        Err(AppError::Conflict {
            code: "assessment_frozen",
            message: format!("the assessment is {} and cannot change", a.status.as_str()),
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DomainProgress {
    pub id: String,
    pub name: Text,
    pub answered: usize,
    pub total: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
    pub domains: Vec<DomainProgress>,
}

pub fn progress(q: &Questionnaire, answers: &[AnswerRow]) -> Progress {
    let answered: std::collections::HashSet<&str> =
        answers.iter().map(|a| a.criterion_id.as_str()).collect();
    let domains: Vec<DomainProgress> = q
        .domains
        .iter()
        .map(|d| {
            let ids = d.items.iter().flat_map(|i| &i.criteria);
            let (total, done) = ids.fold((0, 0), |(t, n), c| {
                (t + 1, n + usize::from(answered.contains(c.id.as_str())))
            });
            DomainProgress {
                id: d.id.clone(),
                name: d.name.clone(),
                answered: done,
                total,
            }
        })
        .collect();
    Progress {
        answered: domains.iter().map(|d| d.answered).sum(),
        total: q.criterion_count(),
        domains,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewSummary {
    pub decision: String,
    pub note: String,
    pub auditor_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentResponse {
    pub id: String,
    pub campaign_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// draft, submitted or accepted.
    pub status: String,
    /// Grows with every change; use it to notice changes.
    pub version: i32,
    pub questionnaire: String,
    pub questionnaire_hash: String,
    pub target_level: i32,
    /// The auditor's note when the assessment was returned.
    pub return_note: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub progress: Progress,
    pub reviews: Vec<ReviewSummary>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentSummary {
    pub id: String,
    pub campaign_id: String,
    pub status: String,
    pub version: i32,
    pub questionnaire: String,
    pub questionnaire_hash: String,
    pub created_at: NaiveDateTime,
}

impl From<AssessmentRow> for AssessmentSummary {
    fn from(r: AssessmentRow) -> Self {
        Self {
            id: r.id,
            campaign_id: r.campaign_id,
            status: r.status,
            version: r.version,
            questionnaire: r.questionnaire_id,
            questionnaire_hash: r.questionnaire_hash,
            created_at: r.created_at,
        }
    }
}

pub fn response_for(
    state: &AppState,
    conn: &mut DbConnection,
    a: &AssessmentRef,
) -> Result<AssessmentResponse, AppError> {
    let row = assessments::find(conn, &a.id)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let answers = assessments::answers_of(conn, &a.id)?;
    let reviews = assessments::reviews_of(conn, &a.id)?
        .into_iter()
        .map(|r| ReviewSummary {
            decision: r.decision,
            note: r.note,
            auditor_id: r.auditor_id,
            created_at: r.created_at,
        })
        .collect();
    Ok(AssessmentResponse {
        id: row.id,
        campaign_id: row.campaign_id,
        enterprise_id: row.enterprise_id,
        enterprise_name: a.enterprise.name.clone(),
        status: row.status,
        version: row.version,
        questionnaire: row.questionnaire_id,
        questionnaire_hash: row.questionnaire_hash,
        target_level: a.target_level,
        return_note: row.return_note,
        submitted_at: row.submitted_at,
        reviewed_at: row.reviewed_at,
        progress: progress(&q, &answers),
        reviews,
    })
}

/// The assessments of an enterprise, one per campaign.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "a page of assessments", body = Page<AssessmentSummary>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
))]
#[get("/enterprises/{id}/assessments")]
pub async fn list_assessments(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = enterprise_id(&path)?.to_string();
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        let e = refs::enterprise(conn, &id)?;
        policy::require(
            &user.actor,
            Action::List,
            &Resource::new(Kind::Assessment, e.tenancy()),
        )?;
        let after = page.after.clone().unwrap_or_default();
        let rows: Vec<AssessmentRow> = assessments::of_enterprise(conn, &id)?
            .into_iter()
            .filter(|r| r.id > after)
            .take(limit as usize + 1)
            .collect();
        Ok(rows)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |r| r.id.clone()).map(AssessmentSummary::from)))
}

/// An assessment: status, questionnaire version, progress per domain, review notes.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), responses(
    (status = 200, description = "the assessment", body = AssessmentResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
))]
#[get("/assessments/{id}")]
pub async fn get_assessment(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let body = db_call(&state, move |s, conn| {
        let a = permitted(conn, &user, &path, Action::Read, None)?;
        response_for(s, conn, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Hands the assessment in for review. Every criterion must be answered (422 lists the
/// missing ones under `missing`); afterwards it is frozen (writes answer 409).
#[utoipa::path(tag = "assessments", security(("bearer" = [])), responses(
    (status = 200, description = "submitted", body = AssessmentResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only the enterprise submits its assessment", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "already submitted or accepted", body = ErrorBody),
    (status = 422, description = "criteria are unanswered; `fields.missing` lists them", body = ErrorBody),
))]
#[post("/assessments/{id}/submit")]
pub async fn submit_assessment(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let body = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            let a = permitted(c, &user, &path, Action::Submit, None)?;
            require_draft(&a)?;
            let q = s.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
            let answered: std::collections::HashSet<String> = assessments::answers_of(c, &a.id)?
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
            assessments::submit(c, &a.id, Utc::now().naive_utc())?;
            assessments::store_sheets(c, &q, &a.id)?;
            audit::append(
                c,
                Entry::new(&user, "assessment.submit", "assessment", &a.id)
                    .cluster(&a.enterprise.cluster_id.to_string())
                    .before(&serde_json::json!({"status": a.status}))
                    .after(&serde_json::json!({"status": Status::Submitted})),
            )?;
            let a = refs::assessment(c, &a.id)?;
            response_for(s, c, &a)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}
