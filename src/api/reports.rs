//! Reports as PDF over the API: the enterprise assessment report, the cluster readiness
//! report, the record of an issued report and the check whether a PDF is one this service
//! issued. Issuing itself is [`crate::report::issue`].

use actix_web::http::header::{self, ContentType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use validator::{Validate, ValidationError};

use super::extract::{parse_valid, Query};
use crate::access;
use crate::auth::AuthUser;
use crate::db::reports::{self, ReportRow};
use crate::error::{AppError, ErrorBody, ErrorCode};
use crate::ids::{AssessmentId, CampaignId, ReportId};
use crate::questionnaire::Lang;
use crate::report::issue::{issue, prepare_assessment, prepare_campaign};
use crate::state::{blocking, db_call, State};

/// The record of an issued report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportRecord {
    pub id: ReportId,
    /// `assessment` or `campaign`.
    pub kind: String,
    /// The assessment or campaign id.
    pub subject_id: String,
    /// `zh` or `en`.
    pub language: String,
    /// Of the PDF's bytes, lower-case hex.
    pub sha256: String,
    pub size_bytes: i64,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub policy_version: String,
    /// Who first asked for it; none when it was made on the command line.
    pub requested_by: Option<String>,
    /// When it was first issued (UTC).
    pub created_at: NaiveDateTime,
}

impl From<ReportRow> for ReportRecord {
    fn from(r: ReportRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            subject_id: r.subject_id,
            language: r.language,
            sha256: r.sha256,
            size_bytes: r.size_bytes,
            questionnaire_id: r.questionnaire_id,
            questionnaire_hash: r.questionnaire_hash,
            policy_version: r.policy_version,
            requested_by: r.requested_by,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `zh` or `en`; without it, the caller's account language (`PATCH /api/v1/me`).
    pub lang: Option<Lang>,
}

/// The enterprise assessment report as PDF: cover, summary with the indicated level, domain
/// radar against the campaign's target, domain and item scores (self-assessed and verified),
/// the gap plan, eligibility pre-check and CDO summary, the auditor's notes and the evidence
/// index. The same data gives the same bytes and report id.
#[utoipa::path(tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "the assessment"), LangQuery),
    responses(
        (status = 200, description = "the report; its id and SHA-256 are in X-Report-Id and X-Report-Sha256", content_type = "application/pdf"),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the enterprise does not share its report with its cluster manager (`not_shared`)", body = ErrorBody),
        (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
        (status = 422, description = "lang is not zh or en", body = ErrorBody),
    ))]
#[get("/assessments/{id}/report.pdf")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn assessment_report(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    query: Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (path.into_inner(), query.0.lang.unwrap_or(user.language));
    let rendered = issue(&state, user, move |s, conn, u| {
        prepare_assessment(s, conn, Some(u), id, lang)
    })
    .await?;
    Ok(rendered.into_response())
}

/// The cluster readiness report as PDF: the indicative readiness tier and its derivation,
/// participation, the level distribution, a domain × enterprise heat map (quantile bands when
/// no enterprise shares more than anonymous statistics), per-domain statistics, the weakest
/// items with shared actions, CDO coverage and eligibility, self-assessment bias, the change
/// since the previous campaign and an annex of enterprises as their sharing allows.
#[utoipa::path(tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "the campaign"), LangQuery),
    responses(
        (status = 200, description = "the report; its id and SHA-256 are in X-Report-Id and X-Report-Sha256", content_type = "application/pdf"),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "enterprise users read their own reports instead", body = ErrorBody),
        (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
        (status = 422, description = "lang is not zh or en", body = ErrorBody),
    ))]
#[get("/campaigns/{id}/report.pdf")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn campaign_report(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
    query: Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (path.into_inner(), query.0.lang.unwrap_or(user.language));
    let rendered = issue(&state, user, move |s, conn, u| {
        prepare_campaign(s, conn, Some(u), id, lang)
    })
    .await?;
    Ok(rendered.into_response())
}

/// The record of an issued report: its subject, SHA-256, who first asked for it and when.
#[utoipa::path(tag = "reports", security(("bearer" = [])),
    params(("id" = ReportId, Path, description = "the report id printed in every page's footer")),
    responses(
        (status = 200, description = "the record", body = ReportRecord),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 404, description = "no such report, or its subject is outside the caller's scope", body = ErrorBody),
    ))]
#[get("/reports/{id}")]
#[tracing::instrument(skip_all, fields(report = %path))]
pub async fn get_report(
    state: State,
    user: AuthUser,
    path: web::Path<ReportId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let record = db_call(&state, move |_, conn| {
        let row = reports::find(conn, id)?.ok_or(AppError::NotFound)?;
        access::report(conn, &user, &row)?;
        Ok(ReportRecord::from(row))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The SHA-256 of the PDF, 64 hex digits.
    #[validate(custom(function = "sha256_hex"))]
    pub sha256: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Whether these bytes are a report this service issued.
    pub valid: bool,
    /// The report they are, when valid.
    pub report: Option<ReportRecord>,
}

fn sha256_hex(s: &str) -> Result<(), ValidationError> {
    let s = s.trim();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ValidationError::new("sha256").with_message("must be 64 hex digits".into()))
    }
}

/// Reads the request body, up to `limit` bytes.
async fn body(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: ErrorCode::BadBody,
            message: format!("the request body could not be read: {e}"),
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Whether a PDF is a report this service issued, and which: send the PDF itself
/// (`Content-Type: application/pdf`) or its SHA-256 as `{"sha256": "…"}`. Any logged-in user
/// may ask: holding the file is what proves interest in it.
#[utoipa::path(tag = "reports", security(("bearer" = [])),
    request_body(description = "the PDF's bytes, or its SHA-256", content(
        ("application/pdf"),
        (VerifyRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "whether it is a report this service issued", body = Verification),
        (status = 400, description = "`invalid_json`: an application/json body that is not JSON", body = ErrorBody),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 413, description = "the body is larger than max_evidence_bytes", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: neither application/pdf nor application/json", body = ErrorBody),
        (status = 422, description = "sha256 is missing or not 64 hex digits, or the JSON has other fields", body = ErrorBody),
    ))]
#[post("/reports/verify")]
#[tracing::instrument(skip_all)]
pub async fn verify(
    state: State,
    _user: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let sha256 = match content_type.as_str() {
        "application/pdf" => {
            let bytes = body(payload, state.settings.max_evidence_bytes).await?;
            // Hashing up to max_evidence_bytes takes a while: off the async workers.
            blocking(&state, move |_| Ok(hex::encode(Sha256::digest(&bytes)))).await?
        }
        "application/json" => {
            let bytes = body(payload, state.settings.max_body_bytes).await?;
            let request: VerifyRequest = parse_valid(&bytes)?;
            request.sha256.trim().to_ascii_lowercase()
        }
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send the PDF as application/pdf or {\"sha256\": \"…\"} as application/json"
                    .to_owned(),
            ))
        }
    };
    let report = db_call(&state, move |_, conn| {
        Ok(reports::find_by_sha256(conn, &sha256)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(ContentType::json())
        .json(Verification {
            valid: report.is_some(),
            report: report.map(ReportRecord::from),
        }))
}
