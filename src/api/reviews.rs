//! Review by an auditor of the cluster, and scores: self-assessed and verified.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::types::response_for;
use super::types::AssessmentResponse;
use crate::access;
use crate::assessment::{scores, ScorePair};
use crate::audit::{self, Entry};
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::assessments::{self, ReviewRow, VerifiedRow};
use crate::domain::assessment::Decision;
use crate::domain::assessment::Status;
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody, ErrorCode, FieldErrors};
use crate::ids::{AssessmentId, ReviewId};
use crate::scoring;
use crate::state::{db_call, State};

#[derive(Debug, Deserialize, Serialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifiedEntry {
    pub criterion: String,
    /// The auditor's rating of the criterion.
    pub rating: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// accept (frozen for good) or return (back to draft with the note).
    #[schema(value_type = Decision, example = "return")]
    pub decision: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[serde(default)]
    pub note: String,
    #[validate(nested)]
    #[serde(default)]
    pub verified: Vec<VerifiedEntry>,
}

/// Reviews a submitted assessment: verified ratings for any criteria, then accept or return.
#[utoipa::path(tag = "review", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), request_body = ReviewRequest, responses(
    (status = 200, description = "the reviewed assessment", body = AssessmentResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only an auditor of the cluster reviews", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "the assessment is not waiting for review", body = ErrorBody),
    (status = 422, description = "a bad decision, criterion or rating; a return needs a note", body = ErrorBody),
))]
#[post("/assessments/{id}/review")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn review_assessment(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    body: super::extract::Valid<ReviewRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.0;
    let id = path.into_inner();
    let body = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            let a = access::assessment(c, &user, id, Action::Review, None)?;
            if a.status != Status::Submitted {
                return Err(AppError::conflict(
                    ErrorCode::NotSubmitted,
                    format!(
                        "the assessment is {}, not waiting for review",
                        a.status.as_str()
                    ),
                ));
            }
            let q = s.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
            let mut errors = FieldErrors::new();
            let decision = body.decision.parse::<Decision>().ok();
            if decision.is_none() {
                errors.insert("decision".into(), vec!["must be accept or return".into()]);
            }
            if decision == Some(Decision::Return) && body.note.trim().is_empty() {
                errors.insert(
                    "note".into(),
                    vec!["say why the assessment is returned".into()],
                );
            }
            for (i, v) in body.verified.iter().enumerate() {
                if let Err(m) = scoring::check_rating(&q, &v.criterion, &v.rating) {
                    let field = if q.criterion(&v.criterion).is_none() {
                        "criterion"
                    } else {
                        "rating"
                    };
                    errors.insert(format!("verified[{i}].{field}"), vec![m.into()]);
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation {
                    message: "the review is not valid".into(),
                    fields: errors,
                });
            }
            let decision =
                decision.ok_or_else(|| AppError::field("decision", "must be accept or return"))?;
            let now = Utc::now().naive_utc();
            let review = ReviewRow {
                id: ReviewId::new(),
                assessment_id: a.id,
                auditor_id: user.id,
                decision,
                note: body.note.clone(),
                created_at: now,
            };
            let verified = body
                .verified
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let rating = scoring::check_rating(&q, &v.criterion, &v.rating)
                        .map_err(|m| AppError::field(format!("verified[{i}].rating"), m))?;
                    Ok(VerifiedRow {
                        assessment_id: a.id,
                        criterion_id: v.criterion.clone(),
                        rating,
                        note: v.note.clone(),
                        review_id: review.id,
                        auditor_id: user.id,
                        created_at: now,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            assessments::review(c, &review, &verified)?;
            assessments::store_sheets(c, &q, a.id)?;
            let action = if review.decision == Decision::Accept {
                "assessment.accept"
            } else {
                "assessment.return"
            };
            audit::append(
                c,
                Entry::new(&user, action, "assessment", a.id)
                    .cluster(a.enterprise.cluster_id)
                    .before(&serde_json::json!({"status": a.status}))
                    .after(&serde_json::json!({
                        "decision": review.decision, "note": review.note, "verified": body.verified,
                    })),
            )?;
            let a = crate::db::refs::assessment(c, a.id)?;
            response_for(s, c, &a)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScoreQuery {
    /// The level the gap plan aims at (1–5); default: the campaign's target level.
    pub target: Option<u8>,
}

/// Scores of the assessment, in the shape of `dcmm score --format json`: as self-assessed and
/// as verified, each with the gap plan to the target level.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(("id" = AssessmentId, Path, description = "the assessment"), ScoreQuery), responses(
    (status = 200, description = "self-assessed and verified scores", body = ScorePair),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the enterprise shares only anonymous statistics", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 422, description = "target is not a level from 1 to 5", body = ErrorBody),
))]
#[get("/assessments/{id}/score")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn get_score(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    query: web::Query<ScoreQuery>,
) -> Result<HttpResponse, AppError> {
    if query.target.is_some_and(|t| !(1..=5).contains(&t)) {
        return Err(AppError::field("target", "must be a level from 1 to 5"));
    }
    let pair = db_call(&state, move |s, conn| {
        let a = access::assessment(conn, &user, *path, Action::Read, Some(Detail::Scores))?;
        scores(s, conn, &a, query.target)
    })
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}
