//! Response types that more than one group of handlers answers with.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use serde::Serialize;

use crate::auth::account::User;
use crate::auth::session::Tokens;
use crate::domain::assessment::{Decision, Status};
use crate::domain::Role;
use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId, UserId};

use crate::db::assessments::{self, AssessmentRow};
use crate::db::refs::AssessmentRef;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::state::AppState;

use crate::assessment::{progress, Progress};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewSummary {
    pub decision: Decision,
    pub note: String,
    pub auditor_id: UserId,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentResponse {
    pub id: AssessmentId,
    pub campaign_id: CampaignId,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub status: Status,
    /// Grows with every change; use it to notice changes.
    pub version: i32,
    pub questionnaire: String,
    pub questionnaire_hash: String,
    /// Where the questionnaire version it is pinned to is served (never changes).
    #[schema(example = "/api/v1/questionnaires/dcmm-2025/versions/8dc4…")]
    pub questionnaire_url: String,
    pub target_level: i32,
    /// The auditor's note when the assessment was returned.
    pub return_note: Option<String>,
    #[serde(serialize_with = "crate::utc::option")]
    pub submitted_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::utc::option")]
    pub reviewed_at: Option<NaiveDateTime>,
    pub progress: Progress,
    pub reviews: Vec<ReviewSummary>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentSummary {
    pub id: AssessmentId,
    pub campaign_id: CampaignId,
    pub status: Status,
    pub version: i32,
    pub questionnaire: String,
    pub questionnaire_hash: String,
    #[serde(serialize_with = "crate::utc::serialize")]
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
    let row = assessments::find(conn, a.id)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let answers = assessments::answers_of(conn, a.id)?;
    let reviews = assessments::reviews_of(conn, a.id)?
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
        questionnaire_url: format!(
            "/api/v1/questionnaires/{}/versions/{}",
            row.questionnaire_id, row.questionnaire_hash
        ),
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

/// A token pair. Send the access token as `Authorization: Bearer …`; trade the refresh token
/// at `/auth/refresh` for a new pair before the access token expires. Each refresh token is
/// good for one use.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    access_token: String,
    #[schema(example = "Bearer")]
    token_type: &'static str,
    /// Seconds until the access token expires.
    expires_in: i64,
    refresh_token: String,
}

/// A response carrying tokens: never stored by a cache.
pub fn token_response(tokens: Tokens) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token,
        })
}

/// An account as the API shows it; never its password hash.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    id: UserId,
    username: String,
    display_name: String,
    role: Role,
    /// The cluster of a cluster manager.
    cluster_id: Option<ClusterId>,
    /// The enterprise of an enterprise user.
    enterprise_id: Option<EnterpriseId>,
    /// The clusters assigned to an auditor.
    cluster_ids: Vec<ClusterId>,
    disabled: bool,
    /// Set while the account must change a password someone else set (generated at creation
    /// or by a reset): until then its calls answer 403 `password_change_required`.
    must_change_password: bool,
    /// `zh` or `en`.
    language: crate::questionnaire::Lang,
    #[serde(serialize_with = "crate::utc::serialize")]
    created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    updated_at: NaiveDateTime,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            role: user.actor.role(),
            cluster_id: user.actor.cluster_id(),
            enterprise_id: user.actor.enterprise_id(),
            cluster_ids: user.actor.auditor_clusters().to_vec(),
            username: user.username,
            display_name: user.display_name,
            disabled: user.disabled,
            must_change_password: user.must_change_password,
            language: user.language,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// The file's bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Names the download's body in the OpenAPI document.
pub struct FileBytes(Vec<u8>);
