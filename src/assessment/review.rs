//! An auditor's review, shared by the API and the review page: the ratings saved as the review
//! goes, the sample, the verified score as the review stands, and the decision that freezes it.

use chrono::{NaiveDateTime, Utc};
use serde::Serialize;

use super::sample::{self, Stratum};
use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments::{self, AnswerRow, ReviewRow, VerifiedRow};
use crate::db::refs::AssessmentRef;
use crate::db::reviews::{self, QueueFilter, ReviewRatingRow, SampleRow};
use crate::db::DbConnection;
use crate::domain::assessment::{Decision, Status};
use crate::domain::Actor;
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::ids::{AssessmentId, ReviewId, UserId};
use crate::ids::{CampaignId, ClusterId};
use crate::questionnaire::Questionnaire;
use crate::scoring::{self, score, sheets, Hundredths, Policy, Rating, Sheet};
use crate::state::AppState;

/// One rating of the review in progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedRating {
    pub criterion: String,
    pub rating: Rating,
    pub note: String,
    /// Send it back in `If-Match` to write only over this version.
    pub version: i32,
    pub auditor_id: UserId,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

impl From<ReviewRatingRow> for SavedRating {
    fn from(r: ReviewRatingRow) -> Self {
        Self {
            criterion: r.criterion_id,
            rating: r.rating,
            note: r.note,
            version: r.version,
            auditor_id: r.auditor_id,
            updated_at: r.updated_at,
        }
    }
}

/// The sample drawn for the review: with the seed, anyone can draw it again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sample {
    /// 0 to 2^53 − 1.
    pub seed: u64,
    pub by: Stratum,
    pub size: usize,
    /// The drawn criteria, in questionnaire order.
    pub criteria: Vec<String>,
    pub drawn_by: UserId,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub drawn_at: NaiveDateTime,
}

impl From<SampleRow> for Sample {
    fn from(r: SampleRow) -> Self {
        Self {
            criteria: r.criteria(),
            seed: u64::try_from(r.seed).unwrap_or(0),
            by: Stratum::parse(&r.stratum).unwrap_or(Stratum::Level),
            size: usize::try_from(r.size).unwrap_or(0),
            drawn_by: r.auditor_id,
            drawn_at: r.created_at,
        }
    }
}

/// A verified rating from an earlier review of the assessment (one that returned it): it
/// stands until this review rates the criterion again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EarlierRating {
    pub criterion: String,
    pub rating: Rating,
    pub note: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub at: NaiveDateTime,
}

/// Self-assessed against verified, overall.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    #[schema(value_type = f64)]
    pub self_score: Hundredths,
    pub self_level: u8,
    #[schema(value_type = f64)]
    pub verified_score: Hundredths,
    pub verified_level: u8,
    /// verified − self, in points of the overall score (negative when verification lowers it).
    pub difference: f64,
    /// Criteria whose verified rating differs from the enterprise's own.
    pub re_rated: usize,
}

/// Everything of the review in progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InProgress {
    pub ratings: Vec<SavedRating>,
    pub earlier: Vec<EarlierRating>,
    pub sample: Option<Sample>,
    /// The scores as the review stands: the enterprise's own, and with every verified rating
    /// (earlier ones, then this review's).
    pub standing: Comparison,
}

/// Reviews change only submitted assessments of an open campaign.
fn require_submitted(a: &AssessmentRef) -> Result<(), AppError> {
    crate::access::require_open(a)?;
    if a.status == Status::Submitted {
        Ok(())
    } else {
        Err(AppError::conflict(
            ErrorCode::NotSubmitted,
            format!(
                "the assessment is {}, not waiting for review",
                a.status.as_str()
            ),
        ))
    }
}

/// Whether `user` may read the review in progress of `a`: its auditors, and admins.
pub fn may_read(user: &AuthUser, a: &AssessmentRef) -> bool {
    policy::decide(
        &user.actor,
        Action::Read,
        &Resource::new(Kind::ReviewInProgress, a.tenancy()),
    ) == policy::Decision::Allow
}

/// The review in progress of `a`, whose access the caller has checked.
pub fn load(
    state: &AppState,
    conn: &mut DbConnection,
    q: &Questionnaire,
    a: &AssessmentRef,
) -> Result<InProgress, AppError> {
    let answers = assessments::answers_of(conn, a.id)?;
    let earlier = assessments::verified_of(conn, a.id)?;
    load_with(state, conn, q, a, &answers, &earlier)
}

/// [`load`] for a caller that has read the assessment's answers and verified ratings already.
pub fn load_with(
    state: &AppState,
    conn: &mut DbConnection,
    q: &Questionnaire,
    a: &AssessmentRef,
    answers: &[AnswerRow],
    earlier: &[VerifiedRow],
) -> Result<InProgress, AppError> {
    let ratings = reviews::ratings_of(conn, a.id)?;
    let sample = reviews::sample_of(conn, a.id)?;
    let standing = standing(earlier, &ratings);
    let (own, verified) = sheets::self_and_verified(
        q,
        answers
            .iter()
            .map(|r| (r.criterion_id.as_str(), r.rating.as_str())),
        standing.iter().map(|(c, r)| (*c, r.as_str())),
    );
    Ok(InProgress {
        standing: comparison(q, &own, &verified, &state.settings.policy),
        ratings: ratings.into_iter().map(SavedRating::from).collect(),
        earlier: earlier
            .iter()
            .map(|v| EarlierRating {
                criterion: v.criterion_id.clone(),
                rating: v.rating,
                note: v.note.clone(),
                at: v.created_at,
            })
            .collect(),
        sample: sample.map(Sample::from),
    })
}

/// The overall scores of the two sheets side by side, and how many criteria they rate apart.
fn comparison(q: &Questionnaire, own: &Sheet, verified: &Sheet, policy: &Policy) -> Comparison {
    let (o, v) = (
        score(q, own, policy).overall,
        score(q, verified, policy).overall,
    );
    Comparison {
        self_score: o.score,
        self_level: o.level,
        verified_score: v.score,
        verified_level: v.level,
        difference: (f64::from(v.score.0) - f64::from(o.score.0)) / 100.0,
        re_rated: own
            .0
            .iter()
            .zip(&verified.0)
            .filter(|(a, b)| a != b)
            .count(),
    }
}

/// The verified rating of each criterion as the review stands: this review's over earlier
/// ones.
fn standing<'a>(
    earlier: &'a [VerifiedRow],
    ratings: &'a [ReviewRatingRow],
) -> Vec<(&'a str, Rating)> {
    let mut by: std::collections::BTreeMap<&str, Rating> = earlier
        .iter()
        .map(|v| (v.criterion_id.as_str(), v.rating))
        .collect();
    for r in ratings {
        by.insert(r.criterion_id.as_str(), r.rating);
    }
    by.into_iter().collect()
}

fn stale(criterion: &str, current: i32) -> AppError {
    AppError::conflict(
        ErrorCode::VersionConflict,
        format!(
            "the review's rating of {criterion} changed meanwhile; its version is now {current}"
        ),
    )
}

/// Saves one verified rating of the review in progress (an auditor of the cluster, while the
/// assessment is submitted), with its audit entry. The caller holds the audit lock.
#[allow(clippy::too_many_arguments)]
pub fn save_rating(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
    criterion: &str,
    rating: &str,
    note: String,
    expected: Option<i32>,
) -> Result<SavedRating, AppError> {
    let a = access::assessment(conn, user, id, Action::Review, None)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    if q.criterion(criterion).is_none() {
        return Err(AppError::NotFound);
    }
    require_submitted(&a)?;
    let rating =
        scoring::check_rating(&q, criterion, rating).map_err(|m| AppError::field("rating", m))?;
    let new = ReviewRatingRow {
        assessment_id: a.id,
        criterion_id: criterion.to_owned(),
        rating,
        note,
        version: 0,
        auditor_id: user.id,
        updated_at: Utc::now().naive_utc(),
    };
    let (before, row) =
        reviews::write_rating(conn, &new, expected)?.map_err(|s| stale(criterion, s.current))?;
    audit::append(
        conn,
        Entry::new(user, "review.rate", "assessment", a.id)
            .cluster(a.enterprise.cluster_id)
            .before(&before.map(SavedRating::from))
            .after(&SavedRating::from(row.clone())),
    )?;
    Ok(SavedRating::from(row))
}

/// Takes a rating back out of the review in progress (the enterprise's own rating stands
/// again, or an earlier review's). The caller holds the audit lock.
pub fn remove_rating(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
    criterion: &str,
    expected: Option<i32>,
) -> Result<(), AppError> {
    let a = access::assessment(conn, user, id, Action::Review, None)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    if q.criterion(criterion).is_none() {
        return Err(AppError::NotFound);
    }
    require_submitted(&a)?;
    let before = reviews::remove_rating(conn, a.id, criterion, expected)?
        .map_err(|s| stale(criterion, s.current))?;
    if let Some(before) = before {
        audit::append(
            conn,
            Entry::new(user, "review.unrate", "assessment", a.id)
                .cluster(a.enterprise.cluster_id)
                .before(&SavedRating::from(before)),
        )?;
    }
    Ok(())
}

/// Draws the review's sample (replacing an earlier one) and records it in the audit log. A
/// missing seed is drawn from the operating system. The caller holds the audit lock.
pub fn draw_sample(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
    size: usize,
    by: Stratum,
    seed: Option<u64>,
) -> Result<Sample, AppError> {
    let a = access::assessment(conn, user, id, Action::Review, None)?;
    require_submitted(&a)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let total = q.criterion_count();
    if size == 0 || size > total {
        return Err(AppError::field(
            "size",
            format!("must be between 1 and {total}, the questionnaire's criteria"),
        ));
    }
    let seed = match seed {
        Some(s) if s > sample::MAX_SEED => {
            return Err(AppError::field("seed", "must be between 0 and 2^53 - 1"))
        }
        Some(s) => s,
        None => {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no random seed: {e}"))?;
            u64::from_le_bytes(bytes) & sample::MAX_SEED
        }
    };
    let criteria = sample::draw(&q, size, by, seed);
    let row = SampleRow {
        assessment_id: a.id,
        seed: i64::try_from(seed).unwrap_or(0),
        stratum: by.as_str().to_owned(),
        size: i32::try_from(criteria.len()).unwrap_or(i32::MAX),
        criteria: serde_json::to_string(&criteria).map_err(anyhow::Error::from)?,
        auditor_id: user.id,
        created_at: Utc::now().naive_utc(),
    };
    reviews::put_sample(conn, &row)?;
    let drawn = Sample::from(row);
    audit::append(
        conn,
        Entry::new(user, "review.sample", "assessment", a.id)
            .cluster(a.enterprise.cluster_id)
            .after(&drawn),
    )?;
    Ok(drawn)
}

/// A decision as asked for.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    pub decision: String,
    pub note: String,
    pub confirm: bool,
    /// Ratings sent with the decision (criterion, rating, note): over the saved ones.
    pub verified: Vec<(String, String, String)>,
}

/// What a decision did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    #[schema(value_type = crate::domain::assessment::Decision)]
    pub decision: Decision,
    /// Verified ratings this review recorded (saved as it went and sent with the decision).
    pub rated: usize,
    /// Self-assessed against verified as frozen (accept) or as returned.
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// Records the decision of an auditor of the cluster on a submitted assessment: the saved
/// ratings and those sent with it become verified ratings; accept needs `confirm`, return a
/// note. The caller holds the audit lock.
pub fn decide(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
    request: &DecisionRequest,
) -> Result<(AssessmentRef, Outcome), AppError> {
    let a = access::assessment(conn, user, id, Action::Review, None)?;
    require_submitted(&a)?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let mut errors = FieldErrors::new();
    let decision = request.decision.parse::<Decision>().ok();
    if decision.is_none() {
        errors.insert("decision".into(), vec!["must be accept or return".into()]);
    }
    if decision == Some(Decision::Return) && request.note.trim().is_empty() {
        errors.insert(
            "note".into(),
            vec!["say why the assessment is returned".into()],
        );
    }
    if decision == Some(Decision::Accept) && !request.confirm {
        errors.insert(
            "confirm".into(),
            vec!["accepting freezes the assessment for good: send \"confirm\": true".into()],
        );
    }
    let mut sent = Vec::with_capacity(request.verified.len());
    for (i, (criterion, rating, _)) in request.verified.iter().enumerate() {
        match scoring::check_rating(&q, criterion, rating) {
            Ok(r) => sent.push(r),
            Err(m) => {
                let field = if q.criterion(criterion).is_none() {
                    "criterion"
                } else {
                    "rating"
                };
                errors.insert(format!("verified[{i}].{field}"), vec![m.into()]);
            }
        }
    }
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation {
            message: "the review is not valid".into(),
            fields: errors,
        });
    };
    let now = Utc::now().naive_utc();
    let review = ReviewRow {
        id: ReviewId::new(),
        assessment_id: a.id,
        auditor_id: user.id,
        decision,
        note: request.note.clone(),
        created_at: now,
    };
    let mut verified: std::collections::BTreeMap<String, VerifiedRow> =
        reviews::ratings_of(conn, a.id)?
            .into_iter()
            .map(|r| {
                let row = VerifiedRow {
                    assessment_id: a.id,
                    criterion_id: r.criterion_id.clone(),
                    rating: r.rating,
                    note: r.note,
                    review_id: review.id,
                    auditor_id: r.auditor_id,
                    created_at: now,
                };
                (r.criterion_id, row)
            })
            .collect();
    for ((criterion, _, note), rating) in request.verified.iter().zip(sent) {
        verified.insert(
            criterion.clone(),
            VerifiedRow {
                assessment_id: a.id,
                criterion_id: criterion.clone(),
                rating,
                note: note.clone(),
                review_id: review.id,
                auditor_id: user.id,
                created_at: now,
            },
        );
    }
    let verified: Vec<VerifiedRow> = verified.into_values().collect();
    assessments::review(conn, &review, &verified)?;
    reviews::clear(conn, a.id)?;
    let (own, all_verified) = assessments::store_sheets(conn, &q, a.id, &state.settings.policy)?;
    let outcome = Outcome {
        decision,
        rated: verified.len(),
        comparison: comparison(&q, &own, &all_verified, &state.settings.policy),
    };
    let action = if decision == Decision::Accept {
        "assessment.accept"
    } else {
        "assessment.return"
    };
    let recorded: Vec<serde_json::Value> = verified
        .iter()
        .map(|v| serde_json::json!({"criterion": v.criterion_id, "rating": v.rating, "note": v.note}))
        .collect();
    audit::append(
        conn,
        Entry::new(user, action, "assessment", a.id)
            .cluster(a.enterprise.cluster_id)
            .before(&serde_json::json!({"status": a.status}))
            .after(&serde_json::json!({
                "decision": decision, "note": review.note, "verified": recorded,
                "rated": outcome.rated, "re_rated": outcome.comparison.re_rated,
                "self_score": outcome.comparison.self_score,
                "verified_score": outcome.comparison.verified_score,
                "difference": outcome.comparison.difference,
            })),
    )?;
    Ok((crate::db::refs::assessment(conn, a.id)?, outcome))
}

/// The queue's scope for `user`: an auditor's clusters, everything for an admin, 403 for
/// anyone else; a cluster filter outside an auditor's clusters finds nothing.
pub fn queue_filter(
    user: &AuthUser,
    cluster: Option<ClusterId>,
    campaign: Option<CampaignId>,
    after: Option<(NaiveDateTime, AssessmentId)>,
) -> Result<QueueFilter, AppError> {
    policy::require(
        &user.actor,
        Action::List,
        &Resource::global(Kind::ReviewQueue),
    )?;
    let clusters = match &user.actor {
        Actor::Auditor { clusters } => Some(clusters.clone()),
        _ => None,
    };
    Ok(QueueFilter {
        clusters,
        cluster,
        campaign,
        after,
    })
}
