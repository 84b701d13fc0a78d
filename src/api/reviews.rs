//! Review by an auditor of the cluster (the queue, the review in progress, the sample, the
//! decision), and scores: self-assessed and verified.

use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{IfMatch, Page, PageQuery};
use super::types::response_for;
use super::types::AssessmentResponse;
use crate::access;
use crate::assessment::review;
use crate::assessment::sample::Stratum;
use crate::assessment::{scores, ScorePair};
use crate::audit;
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::reviews::{self, Waiting};
use crate::domain::assessment::Decision;
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody};
use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId};
use crate::state::{db_call, State};

#[derive(Debug, Deserialize, Serialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifiedEntry {
    pub criterion: String,
    /// The auditor's rating of the criterion.
    pub rating: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[schema(max_length = 4000)]
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
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub note: String,
    /// Must be true with accept: accepting freezes the assessment and its verified ratings.
    #[serde(default)]
    pub confirm: bool,
    /// Ratings to record with the decision, over those saved in the review in progress.
    #[validate(nested)]
    #[serde(default)]
    pub verified: Vec<VerifiedEntry>,
}

/// The assessment after the decision, with what the decision did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewResponse {
    #[serde(flatten)]
    pub assessment: AssessmentResponse,
    pub review: review::Outcome,
}

/// Decides on a submitted assessment: the ratings saved in the review in progress and those
/// sent here become its verified ratings; then accept (with `"confirm": true`) or return (with
/// a note).
#[utoipa::path(tag = "review", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), request_body = ReviewRequest, responses(
    (status = 200, description = "the reviewed assessment, with how many criteria were re-rated and the self-vs-verified difference", body = ReviewResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only an auditor of the cluster reviews", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "the assessment is not waiting for review", body = ErrorBody),
    (status = 422, description = "a bad decision, criterion or rating; a return needs a note; accept needs confirm", body = ErrorBody),
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
    let request = review::DecisionRequest {
        decision: body.decision,
        note: body.note,
        confirm: body.confirm,
        verified: body
            .verified
            .into_iter()
            .map(|v| (v.criterion, v.rating, v.note))
            .collect(),
    };
    let body = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            let (a, outcome) = review::decide(s, c, &user, id, &request)?;
            Ok(ReviewResponse {
                assessment: response_for(s, c, &a)?,
                review: outcome,
            })
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// The review in progress: the ratings saved so far with their notes, the verified ratings of
/// earlier reviews that still stand, the sample, and the overall score self-assessed and as the
/// review stands. For the cluster's auditors and admins.
#[utoipa::path(tag = "review", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), responses(
    (status = 200, description = "the review in progress", body = review::InProgress),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only auditors and admins read a review in progress", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
))]
#[get("/assessments/{id}/review")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn get_review(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let body = db_call(&state, move |s, conn| {
        let a = access::assessment(conn, &user, id, Action::Read, None)?;
        if !review::may_read(&user, &a) {
            return Err(AppError::Forbidden);
        }
        let q = s.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
        review::load(s, conn, &q, &a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// The auditor's rating: fully, largely, partially, not, or na where the criterion allows.
    pub rating: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub note: String,
}

/// Saves one verified rating of the review in progress at once. With `If-Match` naming a
/// version that is no longer current, nothing changes and the answer is 409.
#[utoipa::path(tag = "review", security(("bearer" = [])), request_body = RatingRequest,
    params(
        ("id" = AssessmentId, Path, description = "the assessment"),
        ("criterion" = String, Path, description = "the criterion"),
        ("If-Match" = Option<String>, Header, description = "the rating version the client last saw; 0 when not yet rated in this review"),
    ),
    responses(
    (status = 200, description = "the rating as saved, with its new version (also in ETag)", body = review::SavedRating),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only an auditor of the cluster reviews", body = ErrorBody),
    (status = 404, description = "no such assessment or criterion", body = ErrorBody),
    (status = 409, description = "a stale If-Match, or the assessment is not waiting for review", body = ErrorBody),
    (status = 422, description = "a bad rating or note", body = ErrorBody),
))]
#[put("/assessments/{id}/review/ratings/{criterion}")]
#[tracing::instrument(skip_all, fields(assessment = %path.0, criterion = %path.1))]
pub async fn put_review_rating(
    state: State,
    user: AuthUser,
    if_match: IfMatch,
    path: web::Path<(AssessmentId, String)>,
    body: super::extract::Valid<RatingRequest>,
) -> Result<HttpResponse, AppError> {
    let (id, criterion) = path.into_inner();
    let body = body.0;
    let saved = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            review::save_rating(
                s,
                c,
                &user,
                id,
                &criterion,
                &body.rating,
                body.note,
                if_match.0,
            )
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", saved.version)))
        .json(saved))
}

/// Takes a rating back out of the review in progress: the enterprise's own rating (or an
/// earlier review's) stands again.
#[utoipa::path(tag = "review", security(("bearer" = [])),
    params(
        ("id" = AssessmentId, Path, description = "the assessment"),
        ("criterion" = String, Path, description = "the criterion"),
        ("If-Match" = Option<String>, Header, description = "the rating version the client last saw"),
    ),
    responses(
    (status = 204, description = "the criterion is no longer rated in this review"),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only an auditor of the cluster reviews", body = ErrorBody),
    (status = 404, description = "no such assessment or criterion", body = ErrorBody),
    (status = 409, description = "a stale If-Match, or the assessment is not waiting for review", body = ErrorBody),
))]
#[delete("/assessments/{id}/review/ratings/{criterion}")]
#[tracing::instrument(skip_all, fields(assessment = %path.0, criterion = %path.1))]
pub async fn delete_review_rating(
    state: State,
    user: AuthUser,
    if_match: IfMatch,
    path: web::Path<(AssessmentId, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, criterion) = path.into_inner();
    db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            review::remove_rating(s, c, &user, id, &criterion, if_match.0)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleRequest {
    /// How many criteria to draw (1 to the questionnaire's criterion count).
    pub size: usize,
    /// Stratify by level or by domain.
    #[schema(value_type = String, example = "level")]
    pub by: String,
    /// Draw again with a known seed (0 to 2^53 − 1); without one, a new seed is drawn.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// Draws the review's sample, stratified by level or by domain, and records the seed and the
/// drawn criteria with the review and in the audit log. The same seed draws the same sample.
#[utoipa::path(tag = "review", security(("bearer" = [])), request_body = SampleRequest,
    params(("id" = AssessmentId, Path, description = "the assessment")), responses(
    (status = 200, description = "the sample", body = review::Sample),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only an auditor of the cluster reviews", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "the assessment is not waiting for review", body = ErrorBody),
    (status = 422, description = "a bad size, stratification or seed", body = ErrorBody),
))]
#[post("/assessments/{id}/review/sample")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn draw_sample(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    body: web::Json<SampleRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let body = body.into_inner();
    let by =
        Stratum::parse(&body.by).ok_or_else(|| AppError::field("by", "must be level or domain"))?;
    let sample = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            review::draw_sample(s, c, &user, id, body.size, by, body.seed)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(sample))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only this cluster's assessments.
    pub cluster: Option<ClusterId>,
    /// Only this campaign's assessments.
    pub campaign: Option<CampaignId>,
    /// At most this many items (1–500, default 100).
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
}

/// One assessment waiting for review.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueEntry {
    pub assessment_id: AssessmentId,
    pub enterprise_id: EnterpriseId,
    pub enterprise_name: String,
    pub cluster_id: ClusterId,
    pub campaign_id: CampaignId,
    pub campaign_name: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub submitted_at: NaiveDateTime,
    /// The questionnaire's criteria (every one answered: the assessment was submitted).
    pub criteria: usize,
    /// Evidence files attached.
    pub evidence: i64,
    /// Whether a review has begun: ratings saved or a sample drawn.
    pub in_progress: bool,
    /// Ratings saved in the review in progress.
    pub rated: i64,
}

/// The cursor of a queue row: its submission time (in nanoseconds, as exact as stored) and id.
fn queue_cursor(w: &Waiting) -> String {
    let at = w.submitted_at.and_utc();
    let nanos = at
        .timestamp_nanos_opt()
        .unwrap_or_else(|| at.timestamp_micros().saturating_mul(1000));
    format!("{nanos}_{}", w.id)
}

fn parse_cursor(after: &str) -> Option<(NaiveDateTime, AssessmentId)> {
    let (nanos, id) = after.split_once('_')?;
    let at = chrono::DateTime::from_timestamp_nanos(nanos.parse().ok()?).naive_utc();
    Some((at, id.parse().ok()?))
}

/// The assessments waiting for review in the caller's clusters (an admin: all), the oldest
/// submission first.
#[utoipa::path(tag = "review", security(("bearer" = [])), params(QueueQuery), responses(
    (status = 200, description = "a page of the queue", body = Page<QueueEntry>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only auditors and admins have a review queue", body = ErrorBody),
    (status = 422, description = "a bad limit or cursor", body = ErrorBody),
))]
#[get("/reviews")]
#[tracing::instrument(skip_all)]
pub async fn list_reviews(
    state: State,
    user: AuthUser,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let limit = PageQuery {
        limit: query.limit,
        after: None,
    }
    .limit()?;
    let after = match query.after.as_deref() {
        None => None,
        Some(a) => Some(parse_cursor(a).ok_or_else(|| {
            AppError::field("after", "must be the next value of the previous page")
        })?),
    };
    let page = db_call(&state, move |s, conn| {
        let filter = review::queue_filter(&user, query.cluster, query.campaign, after)?;
        let rows = reviews::queue(conn, &filter, limit + 1)?;
        let page = Page::from_rows(rows, limit, queue_cursor);
        let mut items = Vec::with_capacity(page.items.len());
        for w in page.items {
            let q = s.questionnaire(conn, &w.questionnaire_id, &w.questionnaire_hash)?;
            items.push(QueueEntry {
                assessment_id: w.id,
                enterprise_id: w.enterprise_id,
                enterprise_name: w.enterprise,
                cluster_id: w.cluster_id,
                campaign_id: w.campaign_id,
                campaign_name: w.campaign,
                submitted_at: w.submitted_at,
                criteria: q.criterion_count(),
                evidence: w.evidence,
                in_progress: w.rated > 0 || w.sampled,
                rated: w.rated,
            });
        }
        Ok(Page {
            items,
            next: page.next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
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
