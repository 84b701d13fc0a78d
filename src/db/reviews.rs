//! The review in progress (an auditor's ratings saved one at a time, the drawn sample) and the
//! queue of assessments waiting for review.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::assessments::Stale;
use super::schema::{
    assessments, campaigns, enterprises, evidence, review_ratings, review_samples,
};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId, UserId};
use crate::scoring::Rating;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = review_ratings)]
pub struct ReviewRatingRow {
    pub assessment_id: AssessmentId,
    pub criterion_id: String,
    pub rating: Rating,
    pub note: String,
    pub version: i32,
    pub auditor_id: UserId,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = review_samples)]
pub struct SampleRow {
    pub assessment_id: AssessmentId,
    pub seed: i64,
    pub stratum: String,
    pub size: i32,
    /// A JSON array of criterion ids, in questionnaire order.
    pub criteria: String,
    pub auditor_id: UserId,
    pub created_at: NaiveDateTime,
}

impl SampleRow {
    /// The drawn criteria (none when the stored list is unreadable, which only a hand edit
    /// could cause).
    pub fn criteria(&self) -> Vec<String> {
        serde_json::from_str(&self.criteria).unwrap_or_default()
    }
}

pub fn ratings_of(conn: &mut DbConnection, id: AssessmentId) -> QueryResult<Vec<ReviewRatingRow>> {
    review_ratings::table
        .filter(review_ratings::assessment_id.eq(id))
        .order(review_ratings::criterion_id.asc())
        .select(ReviewRatingRow::as_select())
        .load(conn)
}

fn rating(
    conn: &mut DbConnection,
    id: AssessmentId,
    criterion: &str,
) -> QueryResult<Option<ReviewRatingRow>> {
    review_ratings::table
        .filter(review_ratings::assessment_id.eq(id))
        .filter(review_ratings::criterion_id.eq(criterion))
        .select(ReviewRatingRow::as_select())
        .first(conn)
        .optional()
}

/// Saves a rating of the review in progress as version `previous + 1`; with `expected`, only
/// when the stored version (0 for not yet rated) is still that one. Answers the row before.
pub fn write_rating(
    conn: &mut DbConnection,
    new: &ReviewRatingRow,
    expected: Option<i32>,
) -> QueryResult<Result<(Option<ReviewRatingRow>, ReviewRatingRow), Stale>> {
    let before = rating(conn, new.assessment_id, &new.criterion_id)?;
    let current = before.as_ref().map_or(0, |r| r.version);
    if expected.is_some_and(|e| e != current) {
        return Ok(Err(Stale { current }));
    }
    let row = ReviewRatingRow {
        version: current + 1,
        ..new.clone()
    };
    if before.is_some() {
        let changed = diesel::update(
            review_ratings::table
                .filter(review_ratings::assessment_id.eq(&row.assessment_id))
                .filter(review_ratings::criterion_id.eq(&row.criterion_id))
                .filter(review_ratings::version.eq(current)),
        )
        .set((
            review_ratings::rating.eq(&row.rating),
            review_ratings::note.eq(&row.note),
            review_ratings::version.eq(row.version),
            review_ratings::auditor_id.eq(&row.auditor_id),
            review_ratings::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(Err(Stale { current }));
        }
    } else {
        diesel::insert_into(review_ratings::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(Ok((before, row)))
}

/// Takes a rating back out of the review in progress; with `expected`, only when the stored
/// version is still that one. Answers the row removed (none when there was none).
pub fn remove_rating(
    conn: &mut DbConnection,
    id: AssessmentId,
    criterion: &str,
    expected: Option<i32>,
) -> QueryResult<Result<Option<ReviewRatingRow>, Stale>> {
    let before = rating(conn, id, criterion)?;
    let current = before.as_ref().map_or(0, |r| r.version);
    if expected.is_some_and(|e| e != current) {
        return Ok(Err(Stale { current }));
    }
    let removed = diesel::delete(
        review_ratings::table
            .filter(review_ratings::assessment_id.eq(id))
            .filter(review_ratings::criterion_id.eq(criterion))
            .filter(review_ratings::version.eq(current)),
    )
    .execute(conn)?;
    if before.is_some() && removed == 0 {
        return Ok(Err(Stale { current }));
    }
    Ok(Ok(before))
}

pub fn sample_of(conn: &mut DbConnection, id: AssessmentId) -> QueryResult<Option<SampleRow>> {
    review_samples::table
        .filter(review_samples::assessment_id.eq(id))
        .select(SampleRow::as_select())
        .first(conn)
        .optional()
}

/// Keeps `row` as the assessment's sample, in place of an earlier one.
pub fn put_sample(conn: &mut DbConnection, row: &SampleRow) -> QueryResult<()> {
    diesel::delete(
        review_samples::table.filter(review_samples::assessment_id.eq(row.assessment_id)),
    )
    .execute(conn)?;
    diesel::insert_into(review_samples::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Ends the review in progress: its ratings and sample go (the decision has taken them over).
pub fn clear(conn: &mut DbConnection, id: AssessmentId) -> QueryResult<()> {
    diesel::delete(review_ratings::table.filter(review_ratings::assessment_id.eq(id)))
        .execute(conn)?;
    diesel::delete(review_samples::table.filter(review_samples::assessment_id.eq(id)))
        .execute(conn)
        .map(|_| ())
}

/// One assessment waiting for review.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub id: AssessmentId,
    pub submitted_at: NaiveDateTime,
    pub enterprise_id: EnterpriseId,
    pub enterprise: String,
    pub cluster_id: ClusterId,
    pub campaign_id: CampaignId,
    pub campaign: String,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub evidence: i64,
    /// Ratings saved in the review in progress.
    pub rated: i64,
    pub sampled: bool,
}

/// Where the queue starts and what it holds: `clusters` is the caller's scope (`None`: all).
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub clusters: Option<Vec<ClusterId>>,
    pub cluster: Option<ClusterId>,
    pub campaign: Option<CampaignId>,
    /// The cursor: the submission time and id of the last row of the previous page.
    pub after: Option<(NaiveDateTime, AssessmentId)>,
}

/// Submitted assessments, oldest submission first, up to `limit` rows.
pub fn queue(
    conn: &mut DbConnection,
    filter: &QueueFilter,
    limit: i64,
) -> QueryResult<Vec<Waiting>> {
    let mut query = assessments::table
        .inner_join(enterprises::table)
        .inner_join(campaigns::table)
        .filter(assessments::status.eq(Status::Submitted))
        .filter(assessments::submitted_at.is_not_null())
        .into_boxed();
    if let Some(clusters) = &filter.clusters {
        query = query.filter(enterprises::cluster_id.eq_any(clusters.clone()));
    }
    if let Some(c) = filter.cluster {
        query = query.filter(enterprises::cluster_id.eq(c));
    }
    if let Some(c) = filter.campaign {
        query = query.filter(assessments::campaign_id.eq(c));
    }
    if let Some((at, id)) = filter.after {
        query = query.filter(
            assessments::submitted_at
                .gt(at)
                .or(assessments::submitted_at.eq(at).and(assessments::id.gt(id))),
        );
    }
    type Row = (
        AssessmentId,
        Option<NaiveDateTime>,
        EnterpriseId,
        String,
        ClusterId,
        CampaignId,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = query
        .order((assessments::submitted_at.asc(), assessments::id.asc()))
        .limit(limit)
        .select((
            assessments::id,
            assessments::submitted_at,
            enterprises::id,
            enterprises::name,
            enterprises::cluster_id,
            campaigns::id,
            campaigns::name,
            assessments::questionnaire_id,
            assessments::questionnaire_hash,
        ))
        .load(conn)?;
    let ids: Vec<AssessmentId> = rows.iter().map(|r| r.0).collect();
    let count = |pairs: Vec<(AssessmentId, i64)>| pairs.into_iter().collect::<HashMap<_, _>>();
    let files = count(
        evidence::table
            .filter(evidence::assessment_id.eq_any(ids.clone()))
            .group_by(evidence::assessment_id)
            .select((evidence::assessment_id, diesel::dsl::count_star()))
            .load(conn)?,
    );
    let rated = count(
        review_ratings::table
            .filter(review_ratings::assessment_id.eq_any(ids.clone()))
            .group_by(review_ratings::assessment_id)
            .select((review_ratings::assessment_id, diesel::dsl::count_star()))
            .load(conn)?,
    );
    let sampled: HashSet<AssessmentId> = review_samples::table
        .filter(review_samples::assessment_id.eq_any(ids))
        .select(review_samples::assessment_id)
        .load(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(id, at, eid, ename, cluster, cid, cname, qid, qhash)| {
            Some(Waiting {
                id,
                submitted_at: at?,
                enterprise_id: eid,
                enterprise: ename,
                cluster_id: cluster,
                campaign_id: cid,
                campaign: cname,
                questionnaire_id: qid,
                questionnaire_hash: qhash,
                evidence: files.get(&id).copied().unwrap_or(0),
                rated: rated.get(&id).copied().unwrap_or(0),
                sampled: sampled.contains(&id),
            })
        })
        .collect())
}
