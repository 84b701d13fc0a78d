//! The enterprise profile: answers to the `enterprise-profile` questionnaire, with the
//! indicative eligibility pre-check and the chief-data-officer summary derived from them.

use std::collections::BTreeMap;

use actix_web::http::header::{self, EntityTag};
use actix_web::{get, put, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use validator::Validate;

use super::extract::{IfMatch, Valid};
use crate::auth::AuthUser;
use crate::db::profiles::ProfileRow;
use crate::enterprise::profile as service;
use crate::error::{AppError, ErrorBody};
use crate::ids::{EnterpriseId, UserId};
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::Profile;
use crate::scoring::profile::{cdo_summary, eligibility, CdoSummary, Eligibility};
use crate::state::{db_call, State};

/// A text in both languages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LocalText {
    zh: String,
    en: String,
}

/// One condition of the eligibility pre-check.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConditionView {
    /// `data_staff`, `policy_domains` or `data_tools`.
    key: String,
    met: bool,
    value: i64,
    required: i64,
    label: LocalText,
}

/// The certification-eligibility pre-check: indicative, never the assessment body's decision.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EligibilityView {
    /// Always true.
    indicative: bool,
    all_met: bool,
    conditions: Vec<ConditionView>,
}

impl From<Eligibility> for EligibilityView {
    fn from(e: Eligibility) -> Self {
        Self {
            indicative: e.indicative,
            all_met: e.all_met,
            conditions: e
                .conditions
                .into_iter()
                .map(|c| ConditionView {
                    key: c.key.to_owned(),
                    met: c.met,
                    value: c.value,
                    required: c.required,
                    label: LocalText {
                        zh: c.label.zh,
                        en: c.label.en,
                    },
                })
                .collect(),
        }
    }
}

/// The chief data officer (首席数据官) as the profile describes it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CdoView {
    appointed: bool,
    rank: Option<String>,
    /// A board member or senior executive.
    decision_level: bool,
    /// The role is written into the articles or charter.
    in_charter: bool,
    duties: Vec<String>,
    duties_total: usize,
    missing_duties: Vec<String>,
}

impl From<CdoSummary> for CdoView {
    fn from(c: CdoSummary) -> Self {
        Self {
            appointed: c.appointed,
            rank: c.rank,
            decision_level: c.decision_level,
            in_charter: c.in_charter,
            duties: c.duties,
            duties_total: c.duties_total,
            missing_duties: c.missing_duties,
        }
    }
}

/// An enterprise's profile. A profile never saved has version 0 and no answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileResponse {
    enterprise_id: EnterpriseId,
    #[schema(example = "enterprise-profile")]
    questionnaire_id: String,
    /// The content hash of the profile questionnaire the answers were checked against.
    questionnaire_hash: String,
    /// Answers by question id.
    #[schema(value_type = Object)]
    answers: ProfileAnswers,
    /// Send it back in `If-Match` to change the profile only if nobody changed it meanwhile.
    version: i32,
    updated_by: Option<UserId>,
    #[serde(serialize_with = "crate::utc::option")]
    updated_at: Option<NaiveDateTime>,
    eligibility: EligibilityView,
    cdo: CdoView,
}

impl ProfileResponse {
    fn new(
        enterprise_id: EnterpriseId,
        profile: &Profile,
        row: Option<ProfileRow>,
    ) -> Result<Self, AppError> {
        let answers = service::answers(row.as_ref())?;
        Ok(Self {
            enterprise_id,
            questionnaire_id: profile.id.clone(),
            questionnaire_hash: row
                .as_ref()
                .map_or_else(|| profile.hash.clone(), |r| r.questionnaire_hash.clone()),
            eligibility: eligibility(&answers, &Default::default()).into(),
            cdo: cdo_summary(&answers).into(),
            answers,
            version: row.as_ref().map_or(0, |r| r.version),
            updated_by: row.as_ref().and_then(|r| r.updated_by),
            updated_at: row.map(|r| r.updated_at),
        })
    }

    fn into_response(self) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(header::ETag(EntityTag::new_strong(
                self.version.to_string(),
            )))
            .json(self)
    }
}

/// The whole profile: every answer, by question id. Absent or `null` answers are unanswered;
/// required questions must be answered.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Question id → answer, e.g. `{"size": "medium", "data_staff": 3, "cdo_appointed": true}`;
    /// the questions are those of the `enterprise-profile` questionnaire.
    #[schema(value_type = Object)]
    answers: BTreeMap<String, Value>,
}

/// An enterprise's profile with its eligibility pre-check and CDO summary. A cluster manager
/// sees it when the enterprise shares `full` or `scores`.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])),
    params(("id" = EnterpriseId, Path, description = "the enterprise")),
    responses(
        (status = 200, description = "the profile; version 0 and no answers if never saved", body = ProfileResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "the enterprise does not share its profile with its cluster manager (`not_shared`)", body = ErrorBody),
        (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
    ))]
#[get("/enterprises/{id}/profile")]
#[tracing::instrument(skip_all, fields(enterprise = %id))]
pub async fn get_profile(
    state: State,
    user: AuthUser,
    id: web::Path<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let profile = service::questionnaire(&state)?;
    let row = db_call(&state, move |_, conn| service::load(conn, &user, id)).await?;
    Ok(ProfileResponse::new(id, &profile, row)?.into_response())
}

/// Replaces the enterprise's profile (the enterprise's own users). With `If-Match: <version>`
/// the change is made only if the profile still has that version.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])), request_body = ProfileRequest,
    params(
        ("id" = EnterpriseId, Path, description = "the enterprise"),
        ("If-Match" = Option<String>, Header, description = "the version the change replaces (0 for a profile never saved)"),
    ),
    responses(
        (status = 200, description = "the saved profile, with its new version", body = ProfileResponse),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 403, description = "only the enterprise's own users change its profile", body = ErrorBody),
        (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
        (status = 409, description = "`version_conflict`: the profile changed since the version in If-Match; nothing was saved", body = ErrorBody),
        (status = 422, description = "answers that do not fit their questions, keyed `answers.<question id>`", body = ErrorBody),
    ))]
#[put("/enterprises/{id}/profile")]
#[tracing::instrument(skip_all, fields(enterprise = %id))]
pub async fn put_profile(
    state: State,
    user: AuthUser,
    id: web::Path<EnterpriseId>,
    if_match: IfMatch,
    body: Valid<ProfileRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let profile = service::questionnaire(&state)?;
    let answers = body.0.answers;
    let checked = profile.clone();
    let row = db_call(&state, move |_, conn| {
        service::save(conn, &user, id, if_match.0, &checked, &answers)
    })
    .await?;
    Ok(ProfileResponse::new(id, &profile, Some(row))?.into_response())
}
