//! Reports as PDF: the enterprise assessment report and the cluster readiness report. Each is
//! built as a pure model, rendered on a blocking thread, and recorded with the SHA-256 of its
//! bytes so that anyone holding a copy can ask whether this service issued it.
//!
//! A report's id is derived from its content (a draft of the PDF itself), so the same data
//! gives the same id and byte-identical PDF: a report can be regenerated and compared. The first request records it; every request is in the audit log.

use actix_web::http::header::{self, ContentType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::assessments::permitted;
use super::campaigns::campaign_id;
use super::dashboard::{load, Previous};
use super::{db_call, AppState, State};
use crate::audit::{self, Entry};
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::assessments;
use crate::db::evidence as evidence_rows;
use crate::db::refs::AssessmentRef;
use crate::db::reports::{self, ReportRow};
use crate::db::{campaigns, clusters, enterprises, profiles, DbConnection};
use crate::domain::assessment::Status;
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody};
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Lang, PROFILE_ID};
use crate::report::cluster::{cluster_report, CampaignFacts, ClusterReport};
use crate::report::enterprise::{enterprise_report, EnterpriseReport, EvidenceEntry, Facts, Note};
use crate::report::pdf::ReportFont;
use crate::scoring::evaluate;
use crate::scoring::rollup::{rollup, RollupPolicy};

/// The most evidence entries an enterprise report lists.
const MAX_EVIDENCE: i64 = 10_000;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Assessment,
    Campaign,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::Campaign => "campaign",
        }
    }
}

/// A report's model.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    Enterprise(Box<EnterpriseReport>),
    Cluster(Box<ClusterReport>),
}

/// A report ready to render: its model and what its record says about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: Kind,
    pub subject_id: String,
    pub cluster_id: String,
    pub lang: Lang,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub policy_version: String,
    pub model: Model,
}

/// A rendered report.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub prepared: Prepared,
    pub id: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The `lang` query value: `zh` (the default) or `en`.
pub fn parse_lang(raw: Option<&str>) -> Result<Lang, AppError> {
    match raw {
        None | Some("zh") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(_) => Err(AppError::field("lang", "must be zh or en")),
    }
}

/// The enterprise report of assessment `raw_id`, as `user` may read it (`None`: the command
/// line, which reads everything). A cluster manager needs the enterprise to share `full`.
pub fn prepare_assessment(
    state: &AppState,
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    raw_id: &str,
    lang: Lang,
) -> Result<Prepared, AppError> {
    let a = match user {
        Some(user) => permitted(conn, user, raw_id, Action::Read, Some(Detail::Report))?,
        None => {
            let id = raw_id
                .parse::<uuid::Uuid>()
                .map_err(|_| AppError::NotFound)?;
            crate::db::refs::assessment(conn, &id.to_string())?
        }
    };
    enterprise_model(state, conn, &a, lang)
}

fn enterprise_model(
    state: &AppState,
    conn: &mut DbConnection,
    a: &AssessmentRef,
    lang: Lang,
) -> Result<Prepared, AppError> {
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let row = assessments::find(conn, &a.id)?;
    let enterprise = enterprises::find(conn, &a.enterprise.id.to_string())?;
    let campaign = campaigns::find(conn, &a.campaign_id)?;
    let (own, verified) = assessments::sheets(conn, &q, &a.id)?;
    let target = u8::try_from(a.target_level).ok();
    let policy = &state.settings.policy;
    let own_scores = evaluate(&q, &own, policy, target);
    // Verified scores only once an auditor accepted the assessment: before that the verified
    // sheet is the enterprise's own ratings.
    let verified_scores =
        (a.status == Status::Accepted).then(|| evaluate(&q, &verified, policy, target));
    let reviews = assessments::reviews_of(conn, &a.id)?;
    let evidence = evidence_rows::list(conn, &a.id, None, MAX_EVIDENCE)?;
    let profile_row = profiles::find(conn, &enterprise.id)?;
    let answers: Option<ProfileAnswers> = match &profile_row {
        Some(p) => Some(
            serde_json::from_str(&p.answers_json)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored profile answers: {e}")))?,
        ),
        None => None,
    };
    let profile_q = state.questionnaires.profile(PROFILE_ID).cloned();
    let as_of = [Some(row.updated_at), row.reviewed_at]
        .into_iter()
        .flatten()
        .chain(profile_row.as_ref().map(|p| p.updated_at))
        .chain(evidence.iter().map(|e| e.row.created_at))
        .chain(reviews.iter().map(|r| r.created_at))
        .max()
        .unwrap_or(row.updated_at);
    let facts = Facts {
        enterprise: enterprise.name,
        credit_code: enterprise.credit_code,
        campaign: campaign.name,
        status: a.status,
        as_of: as_of.date(),
        target,
        profile: profile_q.as_deref().zip(answers.as_ref()),
        notes: reviews
            .into_iter()
            .map(|r| Note {
                at: r.created_at,
                decision: r.decision,
                text: r.note,
            })
            .collect(),
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceEntry {
                file_name: e.row.file_name,
                sha256: e.row.sha256,
                size_bytes: e.row.size_bytes,
                criteria: e.criteria,
            })
            .collect(),
    };
    let model = enterprise_report(&q, &own_scores, verified_scores.as_ref(), facts, lang);
    Ok(Prepared {
        kind: Kind::Assessment,
        subject_id: a.id.clone(),
        cluster_id: a.enterprise.cluster_id.to_string(),
        lang,
        questionnaire_id: q.id.clone(),
        questionnaire_hash: q.hash.clone(),
        policy_version: policy.version(),
        model: Model::Enterprise(Box::new(model)),
    })
}

/// The cluster readiness report of campaign `raw_id` for `user` (`None`: the command line).
/// It reflects the campaign as of today (overdue drafts depend on the day).
pub fn prepare_campaign(
    state: &AppState,
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    raw_id: &str,
    lang: Lang,
) -> Result<Prepared, AppError> {
    let id = campaign_id(raw_id)?;
    let campaign = match user {
        Some(user) => super::dashboard::readable_report(conn, user, &id)?,
        None => campaigns::find(conn, &id)?,
    };
    let cluster = clusters::find(conn, &campaign.cluster_id)?;
    let today = Utc::now().date_naive();
    let loaded = load(state, conn, campaign, today, Previous::Include)?;
    let policy = state.settings.policy.version();
    let prepared = loaded.with_input(|input, campaign| {
        let rolled = rollup(input, &RollupPolicy::default());
        let facts = CampaignFacts {
            cluster: cluster.name,
            campaign: campaign.name,
            campaign_id: campaign.id.clone(),
            status: campaign.status,
            due_date: campaign.due_date,
            as_of: today,
            policy: policy.clone(),
        };
        let model = cluster_report(
            facts,
            input.questionnaire,
            &rolled,
            &input.enterprises,
            lang,
        );
        Prepared {
            kind: Kind::Campaign,
            subject_id: campaign.id,
            cluster_id: campaign.cluster_id,
            lang,
            questionnaire_id: input.questionnaire.id.clone(),
            questionnaire_hash: input.questionnaire.hash.clone(),
            policy_version: policy,
            model: Model::Cluster(Box::new(model)),
        }
    });
    Ok(prepared)
}

/// The id a report is drafted with before its own id is known.
const DRAFT_ID: &str = "DCMM-0000-0000-0000-0000";

/// The report id of a report whose draft (rendered with [`DRAFT_ID`]) is `draft`: `DCMM-` and
/// four groups of four hex digits of a SHA-256 over the subject and the draft. What the PDF
/// shows decides the id, whatever changed it: the data, the font or the renderer.
pub fn report_id(prepared: &Prepared, draft: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prepared.kind.as_str(),
        &prepared.subject_id,
        lang_name(prepared.lang),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.update(draft);
    let hex = hex::encode_upper(&hasher.finalize()[..8]);
    format!(
        "DCMM-{}-{}-{}-{}",
        &hex[0..4],
        &hex[4..8],
        &hex[8..12],
        &hex[12..16]
    )
}

/// Renders `prepared` (blocking: run it off the async workers): a draft to derive the id from,
/// then the report with its id.
pub fn render(prepared: Prepared, font: &ReportFont) -> Result<Rendered, AppError> {
    let pdf = |id: &str| match &prepared.model {
        Model::Enterprise(report) => report.to_pdf(font, id),
        Model::Cluster(report) => report.to_pdf(font, id),
    };
    let id = report_id(&prepared, &pdf(DRAFT_ID));
    let bytes = pdf(&id);
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(Rendered {
        prepared,
        id,
        sha256,
        bytes,
    })
}

/// Records `rendered` (the first time its id is seen) and appends who asked for it to the
/// audit log.
pub fn record(
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    rendered: &Rendered,
) -> Result<ReportRow, AppError> {
    let p = &rendered.prepared;
    audit::write_tx(conn, |c| {
        let existing = reports::find(c, &rendered.id)?;
        let row = match existing {
            Some(row) if row.sha256 != rendered.sha256 => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "report {} was recorded with other bytes",
                    rendered.id
                )))
            }
            Some(row) => row,
            None => {
                let row = ReportRow {
                    id: rendered.id.clone(),
                    kind: p.kind.as_str().to_owned(),
                    subject_id: p.subject_id.clone(),
                    language: lang_name(p.lang).to_owned(),
                    sha256: rendered.sha256.clone(),
                    size_bytes: i64::try_from(rendered.bytes.len()).unwrap_or(i64::MAX),
                    questionnaire_id: p.questionnaire_id.clone(),
                    questionnaire_hash: p.questionnaire_hash.clone(),
                    policy_version: p.policy_version.clone(),
                    requested_by: user.map(|u| u.id.to_string()),
                    created_at: crate::db::now(),
                };
                reports::insert(c, &row)?;
                row
            }
        };
        let entry = Entry {
            actor_id: user.map(|u| u.id.to_string()),
            action: "report.issue".to_owned(),
            subject_type: "report".to_owned(),
            subject_id: rendered.id.clone(),
            ..Entry::default()
        }
        .cluster(&p.cluster_id)
        .after(&serde_json::json!({
            "kind": p.kind.as_str(),
            "subject_id": p.subject_id,
            "language": lang_name(p.lang),
            "sha256": rendered.sha256,
        }));
        audit::append(c, entry)?;
        Ok(row)
    })
}

/// The record of an issued report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportRecord {
    #[schema(example = "DCMM-1A2B-3C4D-5E6F-7A8B")]
    pub id: String,
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
    /// `zh` (the default) or `en`.
    pub lang: Option<String>,
}

/// The PDF as a download.
pub fn pdf_response(rendered: Rendered) -> HttpResponse {
    let name = format!(
        "dcmm-{}-report-{}.pdf",
        rendered.prepared.kind.as_str(),
        rendered.id
    );
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("X-Report-Id", rendered.id.clone()))
        .insert_header(("X-Report-Sha256", rendered.sha256.clone()))
        .body(rendered.bytes)
}

/// Prepares (with a pooled connection), renders (on a blocking thread, without holding the
/// connection) and records a report for `user`.
pub async fn issue(
    state: &State,
    user: AuthUser,
    prepare: impl FnOnce(&AppState, &mut DbConnection, &AuthUser) -> Result<Prepared, AppError>
        + Send
        + 'static,
) -> Result<Rendered, AppError> {
    let s = state.clone();
    let u = user.clone();
    let prepared = db_call(state, move |conn| prepare(&s, conn, &u)).await?;
    let font = state.report_font.clone();
    let rendered = web::block(move || render(prepared, &font)).await??;
    db_call(state, move |conn| {
        record(conn, Some(&user), &rendered)?;
        Ok(rendered)
    })
    .await
}

/// How a report of a subject is prepared for a reader (`None`: the command line).
pub type Prepare =
    fn(&AppState, &mut DbConnection, Option<&AuthUser>, &str, Lang) -> Result<Prepared, AppError>;

/// [`issue`] of the report `prepare` makes of subject `id`, in language `lang` (`zh` or `en`).
pub async fn issue_for(
    state: &State,
    user: AuthUser,
    id: String,
    lang: Option<&str>,
    prepare: Prepare,
) -> Result<Rendered, AppError> {
    let lang = parse_lang(lang)?;
    issue(state, user, move |s, conn, u| {
        prepare(s, conn, Some(u), &id, lang)
    })
    .await
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
pub async fn assessment_report(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let rendered = issue_for(
        &state,
        user,
        path.into_inner(),
        query.lang.as_deref(),
        prepare_assessment,
    )
    .await?;
    Ok(pdf_response(rendered))
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
pub async fn campaign_report(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let rendered = issue_for(
        &state,
        user,
        path.into_inner(),
        query.lang.as_deref(),
        prepare_campaign,
    )
    .await?;
    Ok(pdf_response(rendered))
}

/// Whether `user` may read the subject of `row`; 404 when not, so that report ids reveal
/// nothing outside the caller's scope.
fn readable(conn: &mut DbConnection, user: &AuthUser, row: &ReportRow) -> Result<(), AppError> {
    let check = match row.kind.as_str() {
        "assessment" => permitted(
            conn,
            user,
            &row.subject_id,
            Action::Read,
            Some(Detail::Report),
        )
        .map(|_| ()),
        "campaign" => {
            let id = campaign_id(&row.subject_id)?;
            super::dashboard::readable_report(conn, user, &id).map(|_| ())
        }
        _ => Err(AppError::NotFound),
    };
    check.map_err(|e| match e {
        AppError::Forbidden | AppError::NotShared => AppError::NotFound,
        other => other,
    })
}

/// The record of an issued report: its subject, SHA-256, who first asked for it and when.
#[utoipa::path(tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "the report id printed in every page's footer")),
    responses(
        (status = 200, description = "the record", body = ReportRecord),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 404, description = "no such report, or its subject is outside the caller's scope", body = ErrorBody),
    ))]
#[get("/reports/{id}")]
pub async fn get_report(
    state: State,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let record = db_call(&state, move |conn| {
        let row = reports::find(conn, &id)?.ok_or(AppError::NotFound)?;
        readable(conn, &user, &row)?;
        Ok(ReportRecord::from(row))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

#[derive(Debug, utoipa::ToSchema)]
pub struct VerifyRequest {
    /// The SHA-256 of the PDF, 64 hex digits.
    pub sha256: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Whether these bytes are a report this service issued.
    pub valid: bool,
    /// The report they are, when valid.
    pub report: Option<ReportRecord>,
}

impl VerifyRequest {
    /// `{"sha256": "…"}` and nothing else; a missing, mistyped or unknown field is named.
    fn from_json(value: &serde_json::Value) -> Result<Self, AppError> {
        let object = value
            .as_object()
            .ok_or_else(|| AppError::field("sha256", "send {\"sha256\": \"…\"}"))?;
        if let Some(other) = object.keys().find(|k| *k != "sha256") {
            return Err(AppError::field(
                other.as_str(),
                "is not a field of this request",
            ));
        }
        match object.get("sha256") {
            Some(serde_json::Value::String(s)) => Ok(Self { sha256: s.clone() }),
            Some(_) => Err(AppError::field(
                "sha256",
                "must be a string of 64 hex digits",
            )),
            None => Err(AppError::field("sha256", "is required")),
        }
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads the request body, up to `limit` bytes.
async fn body(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: "bad_body",
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
        (status = 400, description = "neither application/pdf nor application/json", body = ErrorBody),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 413, description = "the body is larger than max_evidence_bytes", body = ErrorBody),
        (status = 422, description = "sha256 is missing or not 64 hex digits, or the JSON has other fields", body = ErrorBody),
    ))]
#[post("/reports/verify")]
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
            web::block(move || hex::encode(Sha256::digest(&bytes))).await?
        }
        "application/json" => {
            let bytes = body(payload, state.settings.max_body_bytes).await?;
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest {
                    code: "bad_json",
                    message: format!("the body is not JSON: {e}"),
                })?;
            let request = VerifyRequest::from_json(&value)?;
            let sha = request.sha256.trim().to_ascii_lowercase();
            if !is_sha256(&sha) {
                return Err(AppError::field("sha256", "must be 64 hex digits"));
            }
            sha
        }
        _ => {
            return Err(AppError::BadRequest {
                code: "unsupported_media_type",
                message:
                    "send the PDF as application/pdf or {\"sha256\": \"…\"} as application/json"
                        .to_owned(),
            })
        }
    };
    let report = db_call(&state, move |conn| {
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
