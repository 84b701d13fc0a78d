//! Evidence: upload to a draft assessment, list, metadata, download, link to other criteria.

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use super::types::FileBytes;
use super::upload;
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::evidence::{self as rows, Evidence};
use crate::db::refs::AssessmentRef;
use crate::domain::Actor;
use crate::error::{AppError, ErrorBody};
use crate::evidence::access::{assessment_of, readable};
use crate::evidence::{self, download, links, EvidenceStore};
use crate::ids::{AssessmentId, EvidenceId, UserId};
use crate::state::{db_call, State};

/// A piece of evidence as the API shows it; the file itself is at `…/download`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceResponse {
    id: EvidenceId,
    assessment_id: AssessmentId,
    file_name: String,
    /// Decided from the file's content and name, never from what the client said.
    #[schema(example = "application/pdf")]
    content_type: String,
    size_bytes: i64,
    /// SHA-256 of the file, lower-case hex: anyone holding the file can check it.
    sha256: String,
    /// The date from which the evidence holds (e.g. a policy's issue date).
    effective_date: Option<NaiveDate>,
    /// The criterion ids it supports, sorted.
    criteria: Vec<String>,
    uploaded_by: Option<UserId>,
    #[serde(serialize_with = "crate::utc::serialize")]
    created_at: NaiveDateTime,
}

impl From<Evidence> for EvidenceResponse {
    fn from(e: Evidence) -> Self {
        let r = e.row;
        Self {
            id: r.id,
            assessment_id: r.assessment_id,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            effective_date: r.effective_date,
            criteria: e.criteria,
            uploaded_by: r.uploaded_by,
            created_at: r.created_at,
        }
    }
}

/// How long a client refused for too many uploads at once is asked to wait.
const UPLOAD_RETRY_SECS: u64 = 2;

/// The upload form (`multipart/form-data`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form for the OpenAPI document; read by `upload::read`.
pub struct EvidenceUpload {
    /// One file: PDF, PNG, JPEG, GIF, WebP, docx/xlsx/pptx, doc/xls/ppt, or UTF-8 txt/csv/md.
    /// Its content must match its extension.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Criterion ids of the assessment's questionnaire: the part repeated, or comma-separated.
    #[schema(example = json!(["2025:6.1:L2:1"]))]
    criteria: Vec<String>,
    /// YYYY-MM-DD.
    effective_date: Option<NaiveDate>,
}

/// The draft assessment `actor` may attach evidence to.
async fn draft_for_upload(
    state: &State,
    actor: Actor,
    id: AssessmentId,
) -> Result<AssessmentRef, AppError> {
    db_call(state, move |_, conn| {
        let assessment = assessment_of(conn, &actor, Action::Create, id)?;
        evidence::require_draft(&assessment)?;
        Ok(assessment)
    })
    .await
}

/// Attaches a file to a draft assessment of the caller's enterprise, linked to one or more of
/// its criteria. The type is decided from the content and the extension together.
#[utoipa::path(tag = "evidence", security(("bearer" = [])),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "the assessment")),
    responses(
        (status = 201, description = "stored", body = EvidenceResponse),
        (status = 400, description = "`invalid_multipart`: the multipart body could not be read", body = ErrorBody),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "only the enterprise's own users upload", body = ErrorBody),
        (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
        (status = 409, description = "`assessment_frozen`: the assessment is no longer a draft", body = ErrorBody),
        (status = 413, description = "the file is larger than `max_evidence_bytes`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not a multipart/form-data body", body = ErrorBody),
        (status = 422, description = "a refused file type, unknown criteria or a bad date, keyed `file`, `criteria`, `effective_date`", body = ErrorBody),
        (status = 503, description = "`too_many_uploads`: `max_concurrent_uploads` uploads are under way; retry after `Retry-After` seconds", body = ErrorBody),
        (status = 507, description = "`storage_full`: the data folder is full; nothing was stored", body = ErrorBody),
    ))]
#[post("/assessments/{id}/evidence")]
#[tracing::instrument(skip_all, fields(assessment = %id))]
pub async fn upload_evidence(
    state: State,
    user: AuthUser,
    id: web::Path<AssessmentId>,
    form: upload::Form,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Who may upload, and whether the assessment still takes evidence, is settled before the
    // body is read.
    let _slot = state
        .uploads
        .try_acquire()
        .ok_or(AppError::TooManyUploads {
            retry_after_secs: UPLOAD_RETRY_SECS,
        })?;
    let assessment = draft_for_upload(&state, user.actor.clone(), id).await?;
    let store = EvidenceStore::new(&state.settings.data_dir);
    let upload = upload::read(form, &store, state.settings.max_evidence_bytes).await?;
    let created = db_call(&state, move |s, conn| {
        // Criteria are those of the questionnaire version the assessment was opened with.
        let questionnaire = s.questionnaire(
            conn,
            &assessment.questionnaire_id,
            &assessment.questionnaire_hash,
        )?;
        let new = upload
            .check(&questionnaire)
            .map_err(|fields| AppError::Validation {
                message: "the upload is not valid".into(),
                fields,
            })?;
        let store = EvidenceStore::new(&s.settings.data_dir);
        evidence::record(conn, &store, id, user.id, new)
    })
    .await?;
    Ok(HttpResponse::Created().json(EvidenceResponse::from(created)))
}

/// The evidence of an assessment, oldest first.
#[utoipa::path(tag = "evidence", security(("bearer" = [])),
    params(("id" = String, Path, description = "the assessment"), PageQuery),
    responses(
        (status = 200, description = "one page of evidence", body = Page<EvidenceResponse>),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the enterprise does not share its evidence with its cluster manager (`not_shared`)", body = ErrorBody),
        (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
        (status = 422, description = "a bad `limit` or `after`", body = ErrorBody),
    ))]
#[get("/assessments/{id}/evidence")]
#[tracing::instrument(skip_all, fields(assessment = %id))]
pub async fn list_evidence(
    state: State,
    user: AuthUser,
    id: web::Path<AssessmentId>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let limit = page.limit()?;
    let after = match &page.after {
        Some(a) => Some(
            a.parse::<EvidenceId>()
                .map_err(|e| AppError::field("after", e.to_string()))?,
        ),
        None => None,
    };
    let found = db_call(&state, move |_, conn| {
        assessment_of(conn, &user.actor, Action::List, id)?;
        let after = after.map(|a| a.to_string());
        Ok(rows::list(conn, id, after.as_deref(), limit + 1)?)
    })
    .await?;
    let page = Page::from_rows(found, limit, |e| e.row.id.to_string());
    Ok(HttpResponse::Ok().json(page.map(EvidenceResponse::from)))
}

/// One piece of evidence: its metadata.
#[utoipa::path(tag = "evidence", security(("bearer" = [])),
    params(("id" = EvidenceId, Path, description = "the evidence")),
    responses(
        (status = 200, description = "the evidence", body = EvidenceResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the enterprise does not share its evidence with its cluster manager (`not_shared`)", body = ErrorBody),
        (status = 404, description = "no such evidence in the caller's scope", body = ErrorBody),
    ))]
#[get("/evidence/{id}")]
#[tracing::instrument(skip_all, fields(evidence = %id))]
pub async fn get_evidence(
    state: State,
    user: AuthUser,
    id: web::Path<EvidenceId>,
) -> Result<HttpResponse, AppError> {
    let found = db_call(&state, move |_, conn| {
        readable(conn, &user.actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(EvidenceResponse::from(found)))
}

/// The file, always as an attachment, with its stored type (text as `text/plain`) and
/// `X-Content-Type-Options: nosniff`: a browser never renders it as a page.
#[utoipa::path(tag = "evidence", security(("bearer" = [])),
    params(("id" = EvidenceId, Path, description = "the evidence")),
    responses(
        (status = 200, description = "the file's bytes", content_type = "application/octet-stream", body = FileBytes),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the enterprise does not share its evidence with its cluster manager (`not_shared`)", body = ErrorBody),
        (status = 404, description = "no such evidence in the caller's scope", body = ErrorBody),
    ))]
#[get("/evidence/{id}/download")]
#[tracing::instrument(skip_all, fields(evidence = %id))]
pub async fn download_evidence(
    state: State,
    user: AuthUser,
    id: web::Path<EvidenceId>,
) -> Result<HttpResponse, AppError> {
    let file = db_call(&state, move |s, conn| {
        let store = EvidenceStore::new(&s.settings.data_dir);
        download::read(conn, &store, &user.actor, id.into_inner())
    })
    .await?;
    Ok(file.into_response())
}

/// The criteria a piece of evidence supports, in place of those it named.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaRequest {
    /// Criterion ids of the assessment's questionnaire: at least one, at most 100.
    #[schema(example = json!(["2025:6.1:L1:1", "2025:6.1:L2:1"]))]
    pub criteria: Vec<String>,
}

/// Links evidence already uploaded to exactly these criteria of its assessment (add one by
/// sending the current list with it). Only the enterprise's own users, on a draft.
#[utoipa::path(tag = "evidence", security(("bearer" = [])),
    params(("id" = EvidenceId, Path, description = "the evidence")),
    request_body = CriteriaRequest,
    responses(
        (status = 200, description = "the evidence with the criteria it now supports", body = EvidenceResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "only the enterprise's own users link evidence", body = ErrorBody),
        (status = 404, description = "no such evidence in the caller's scope", body = ErrorBody),
        (status = 409, description = "`assessment_frozen`: the assessment is no longer a draft", body = ErrorBody),
        (status = 422, description = "no criteria, too many, or ids the questionnaire does not have, keyed `criteria`", body = ErrorBody),
    ))]
#[put("/evidence/{id}/criteria")]
#[tracing::instrument(skip_all, fields(evidence = %id))]
pub async fn link_evidence(
    state: State,
    user: AuthUser,
    id: web::Path<EvidenceId>,
    body: Valid<CriteriaRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let criteria = body.0.criteria;
    let linked = db_call(&state, move |s, conn| {
        links::link(s, conn, &user, id, criteria)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EvidenceResponse::from(linked)))
}
