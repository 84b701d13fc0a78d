//! Answers: read them, write one (autosave, with optimistic concurrency), write many at once.

use actix_web::http::header;
use actix_web::{get, put, web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{IfMatch, Page, PageQuery, Valid};
use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::assessments::{self, AnswerRow};
use crate::db::refs::AssessmentRef;
use crate::db::DbConnection;
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorBody, ErrorCode, FieldErrors};
use crate::ids::{AssessmentId, UserId};
use crate::scoring;
use crate::scoring::Rating;
use crate::state::{db_call, db_write, State};

#[cfg(test)]
#[path = "answers_fuzz.rs"]
mod fuzz;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnswerResponse {
    pub criterion: String,
    pub rating: Rating,
    pub comment: String,
    /// Send it back in `If-Match` to write only over this version.
    pub version: i32,
    pub updated_by: Option<UserId>,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
    /// Taken over from the enterprise's previous assessment when the campaign opened (through
    /// the edition crosswalk when the editions differ) and not saved since: for the enterprise
    /// to confirm. Saving the answer clears it.
    pub carried_over: bool,
}

impl From<(AnswerRow, bool)> for AnswerResponse {
    fn from((r, carried_over): (AnswerRow, bool)) -> Self {
        Self {
            criterion: r.criterion_id,
            rating: r.rating,
            comment: r.comment,
            version: r.version,
            updated_by: r.updated_by,
            updated_at: r.updated_at,
            carried_over,
        }
    }
}

/// An answer as just written, which is never carried over.
impl From<AnswerRow> for AnswerResponse {
    fn from(r: AnswerRow) -> Self {
        Self::from((r, false))
    }
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// fully (完全满足), largely (大部分满足), partially (一般满足), not (不满足), or na where the
    /// criterion allows it.
    #[schema(example = "largely")]
    pub rating: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Deserialize, Serialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchEntry {
    #[schema(example = "2025:6.1:L2:1")]
    pub criterion: String,
    pub rating: String,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub comment: String,
    /// When given, the write happens only over this version of the answer (0: unanswered).
    pub version: Option<i32>,
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[validate(
        nested,
        length(min = 1, max = 1000, message = "must hold 1 to 1000 answers")
    )]
    #[schema(min_items = 1, max_items = 1000)]
    pub answers: Vec<BatchEntry>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchResponse {
    pub answers: Vec<AnswerResponse>,
}

fn stale(criterion: &str, current: i32) -> AppError {
    AppError::conflict(
        ErrorCode::VersionConflict,
        format!("answer {criterion} changed meanwhile; its version is now {current}"),
    )
}

/// Writes one answer and its audit entry, in the caller's write transaction.
fn write(
    conn: &mut DbConnection,
    user: &AuthUser,
    a: &AssessmentRef,
    new: AnswerRow,
    expected: Option<i32>,
) -> Result<AnswerRow, AppError> {
    let (before, row) = assessments::write_answer(conn, &new, expected)?
        .map_err(|s| stale(&new.criterion_id, s.current))?;
    audit::append(
        conn,
        Entry::new(user, "answer.write", "assessment", a.id)
            .cluster(a.enterprise.cluster_id)
            .before(&before.map(AnswerResponse::from))
            .after(&AnswerResponse::from(row.clone())),
    )?;
    Ok(row)
}

fn new_answer(
    a: &AssessmentRef,
    user: &AuthUser,
    criterion: String,
    rating: Rating,
    comment: String,
    now: NaiveDateTime,
) -> AnswerRow {
    AnswerRow {
        assessment_id: a.id,
        criterion_id: criterion,
        rating,
        comment,
        version: 0,
        updated_by: Some(user.id),
        updated_at: now,
    }
}

/// The answers given so far, by criterion id.
#[utoipa::path(tag = "answers", security(("bearer" = [])), params(("id" = AssessmentId, Path, description = "the assessment"), PageQuery), responses(
    (status = 200, description = "a page of answers", body = Page<AnswerResponse>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the enterprise does not share its answers with its cluster manager", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
))]
#[get("/assessments/{id}/answers")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn list_answers(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        let a = access::assessment(conn, &user, *path, Action::Read, Some(Detail::Answers))?;
        Ok(assessments::answers_page(
            conn,
            a.id,
            page.after.as_deref(),
            limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |r| r.0.criterion_id.clone()).map(AnswerResponse::from)))
}

/// Writes one answer (autosave). With `If-Match` naming a version that is no longer current,
/// nothing changes and the answer is 409.
#[utoipa::path(tag = "answers", security(("bearer" = [])), request_body = AnswerRequest,
    params(("If-Match" = Option<String>, Header, description = "the answer version the client last saw; 0 when unanswered")),
    responses(
    (status = 200, description = "the answer as written, with its new version (also in ETag)", body = AnswerResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only the enterprise answers its assessment", body = ErrorBody),
    (status = 404, description = "no such assessment or criterion", body = ErrorBody),
    (status = 409, description = "a stale If-Match, or the assessment is submitted", body = ErrorBody),
    (status = 422, description = "a bad rating or comment", body = ErrorBody),
))]
#[put("/assessments/{id}/answers/{criterion}")]
#[tracing::instrument(skip_all, fields(assessment = %path.0, criterion = %path.1))]
pub async fn put_answer(
    state: State,
    user: AuthUser,
    if_match: IfMatch,
    path: web::Path<(AssessmentId, String)>,
    body: Valid<AnswerRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.0;
    let (id, criterion) = path.into_inner();
    let row = db_write(&state, move |s, conn| {
        audit::shared_write_tx(conn, |c| {
            let a = access::assessment(c, &user, id, Action::Update, None)?;
            let q = s.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
            if q.criterion(&criterion).is_none() {
                return Err(AppError::NotFound);
            }
            access::require_draft(&a)?;
            let rating = scoring::check_rating(&q, &criterion, &body.0.rating)
                .map_err(|m| AppError::field("rating", m))?;
            let now = Utc::now().naive_utc();
            let row = write(
                c,
                &user,
                &a,
                new_answer(&a, &user, criterion, rating, body.0.comment, now),
                expected,
            )?;
            assessments::touch(c, a.id, now)?;
            Ok(row)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", row.version)))
        .json(AnswerResponse::from(row)))
}

/// Writes many answers in one transaction: all or nothing. Every entry is checked first (422
/// naming `answers[i].field`); an entry whose `version` is stale rejects the whole batch (409).
#[utoipa::path(tag = "answers", security(("bearer" = [])),
    params(("id" = AssessmentId, Path, description = "the assessment")), request_body = BatchRequest, responses(
    (status = 200, description = "every answer as written", body = BatchResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only the enterprise answers its assessment", body = ErrorBody),
    (status = 404, description = "no such assessment in the caller's scope", body = ErrorBody),
    (status = 409, description = "a stale version, or the assessment is submitted", body = ErrorBody),
    (status = 422, description = "an entry is invalid", body = ErrorBody),
))]
#[put("/assessments/{id}/answers")]
#[tracing::instrument(skip_all, fields(assessment = %path))]
pub async fn put_answers(
    state: State,
    user: AuthUser,
    path: web::Path<AssessmentId>,
    body: Valid<BatchRequest>,
) -> Result<HttpResponse, AppError> {
    let rows = db_write(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            let a = access::assessment(c, &user, *path, Action::Update, None)?;
            access::require_draft(&a)?;
            let q = s.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
            let mut errors = FieldErrors::new();
            let mut seen = std::collections::HashSet::new();
            let mut ratings = Vec::with_capacity(body.0.answers.len());
            for (i, e) in body.0.answers.iter().enumerate() {
                if !seen.insert(e.criterion.as_str()) {
                    errors.insert(
                        format!("answers[{i}].criterion"),
                        vec!["appears twice in this batch".into()],
                    );
                }
                match scoring::check_rating(&q, &e.criterion, &e.rating) {
                    Ok(r) => ratings.push(r),
                    Err(m) => {
                        let field = if q.criterion(&e.criterion).is_none() {
                            "criterion"
                        } else {
                            "rating"
                        };
                        errors.insert(format!("answers[{i}].{field}"), vec![m.into()]);
                    }
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation {
                    message: format!("{} entries are not valid", errors.len()),
                    fields: errors,
                });
            }
            let now = Utc::now().naive_utc();
            let mut written = Vec::with_capacity(ratings.len());
            for (e, rating) in body.0.answers.into_iter().zip(ratings) {
                let new = new_answer(&a, &user, e.criterion, rating, e.comment, now);
                written.push(AnswerResponse::from(write(c, &user, &a, new, e.version)?));
            }
            assessments::touch(c, a.id, now)?;
            Ok(written)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(BatchResponse { answers: rows }))
}
