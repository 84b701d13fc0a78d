//! Reports as PDF over the API: the enterprise assessment report, the cluster readiness
//! report, the record of an issued report and the check whether a PDF is one this service
//! issued. Issuing itself is [`crate::report::issue`], checking [`crate::report::verify`].

use actix_web::http::header::{self, ContentType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use super::extract::{parse_valid, MaybeAuthUser, Query};
use crate::access;
use crate::auth::{throttle, AuthUser};
use crate::db::reports::{self, ReportRow};
use crate::error::{AppError, ErrorBody, ErrorCode, FieldErrors};
use crate::ids::{AssessmentId, CampaignId, ReportId};
use crate::questionnaire::Lang;
use crate::report::issue::{issue, prepare_assessment, prepare_campaign};
use crate::report::verify::{self as report_verify, Asked, Checked, PublicReport};
use crate::state::{db_call, db_write, State};

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
    #[serde(serialize_with = "crate::utc::serialize")]
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
    /// The SHA-256 of the PDF, 64 hex digits: says whether that file is a report this
    /// service issued.
    #[validate(custom(function = "sha256_hex"))]
    pub sha256: Option<String>,
    /// A report id as printed, `DCMM-XXXX-XXXX-XXXX-XXXX`: says whether such a report was
    /// issued and what it says, not whether a given file is genuine. Send one of the two.
    #[validate(custom(function = "report_id_text"))]
    #[schema(example = "DCMM-1A2B-3C4D-5E6F-7A8B")]
    pub report_id: Option<String>,
}

/// Whether what was sent is a report this service issued, and what that report says: only
/// what the PDF itself prints.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// The file (or SHA-256) is a report this service issued, unaltered; for a report id,
    /// a report with this id was issued.
    pub valid: bool,
    pub checked: Checked,
    /// For a file or SHA-256: whether it is the SHA-256 of an issued report. Null for a report
    /// id: nothing was compared, so nothing is said about any file.
    pub sha256_match: Option<bool>,
    /// What the issued report says, when `valid`.
    pub report: Option<PublicReport>,
    /// A file that is no issued report but names one (an altered or damaged copy): the id it
    /// names. The genuine report's contents can be asked for by that id.
    pub altered_copy_of: Option<ReportId>,
    /// The answer in plain words, in `lang` (default: the caller's language, else Chinese).
    pub statement: String,
    /// The report's full record, only for a logged-in caller who may read its subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<ReportRecord>,
}

fn sha256_hex(s: &str) -> Result<(), ValidationError> {
    let s = s.trim();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ValidationError::new("sha256").with_message("must be 64 hex digits".into()))
    }
}

fn report_id_text(s: &str) -> Result<(), ValidationError> {
    s.parse::<ReportId>()
        .map(drop)
        .map_err(|e| ValidationError::new("report_id").with_message(e.to_string().into()))
}

impl VerifyRequest {
    fn asked(self) -> Result<Asked, AppError> {
        match (self.sha256, self.report_id) {
            (Some(sha), None) => Ok(Asked::Sha256(sha.trim().to_ascii_lowercase())),
            (None, Some(id)) => {
                id.parse()
                    .map(Asked::ReportId)
                    .map_err(|e: crate::ids::InvalidReportId| {
                        AppError::field("report_id", e.to_string())
                    })
            }
            (Some(_), Some(_)) => Err(AppError::field(
                "report_id",
                "send sha256 or report_id, not both",
            )),
            (None, None) => {
                let message = "send the PDF, {\"sha256\": …} or {\"report_id\": …}";
                let mut fields = FieldErrors::new();
                fields.insert("sha256".into(), vec![message.into()]);
                fields.insert("report_id".into(), vec![message.into()]);
                Err(AppError::Validation {
                    message: message.into(),
                    fields,
                })
            }
        }
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

/// Whether a PDF is a report this service issued, and what it says: send the PDF itself
/// (`Content-Type: application/pdf`), its SHA-256 as `{"sha256": "…"}`, or a report id as
/// `{"report_id": "DCMM-…"}` (which says that such a report was issued and what it says, but
/// not that any given file is genuine). Anyone may ask, without logging in: the answer holds
/// only what the PDF prints (id, subject name, kind, day of the data, indicated level,
/// whether it is final) and the day it was issued. Without a login, 30 checks per client
/// address in 10 minutes (`trust_forwarded_for` as for login); a logged-in caller who may read
/// the report's subject also gets its full `record`.
#[utoipa::path(tag = "reports", security((), ("bearer" = [])),
    params(LangQuery),
    request_body(description = "the PDF's bytes, its SHA-256, or a report id", content(
        ("application/pdf"),
        (VerifyRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "whether it is a report this service issued", body = Verification),
        (status = 400, description = "`invalid_json`: an application/json body that is not JSON", body = ErrorBody),
        (status = 401, description = "a token was sent but is not valid (no token at all is fine)", body = ErrorBody),
        (status = 413, description = "the body is larger than max_evidence_bytes", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: neither application/pdf nor application/json", body = ErrorBody),
        (status = 422, description = "neither or both of sha256 and report_id, a malformed one, or other fields", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many checks without a login from this address; wait Retry-After seconds", body = ErrorBody),
    ))]
#[post("/reports/verify")]
#[tracing::instrument(skip_all)]
pub async fn verify(
    state: State,
    user: MaybeAuthUser,
    req: HttpRequest,
    query: Query<LangQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let user = user.0;
    let lang = query
        .0
        .lang
        .or(user.as_ref().map(|u| u.language))
        .unwrap_or_default();
    if user.is_none() {
        let client = throttle::client_address(&req, state.settings.trust_forwarded_for);
        db_write(&state, move |_, conn| report_verify::admit(conn, client)).await?;
    }
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
    let asked = match content_type.as_str() {
        "application/pdf" => Asked::File(body(payload, state.settings.max_evidence_bytes).await?),
        "application/json" => {
            let bytes = body(payload, state.settings.max_body_bytes).await?;
            parse_valid::<VerifyRequest>(&bytes)?.asked()?
        }
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send the PDF as application/pdf, or {\"sha256\": \"…\"} or {\"report_id\": \"…\"} as application/json"
                    .to_owned(),
            ))
        }
    };
    // Hashing up to max_evidence_bytes takes a while: on a blocking thread, like the lookup.
    let answer = db_call(&state, move |_, conn| {
        let outcome = report_verify::check(conn, asked)?;
        let record = match (&user, &outcome.row) {
            (Some(user), Some(row)) => match access::report(conn, user, row) {
                Ok(()) => Some(ReportRecord::from(row.clone())),
                Err(AppError::NotFound) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        Ok(Verification {
            valid: outcome.valid(),
            checked: outcome.checked,
            sha256_match: outcome.sha256_match(),
            report: outcome.public(),
            altered_copy_of: outcome.altered_copy_of,
            statement: outcome.statement(lang),
            record,
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(ContentType::json())
        .json(answer))
}
