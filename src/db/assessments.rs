//! Assessments, their answers, reviews and verified ratings.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use super::campaigns::CampaignRow;
use super::schema::{answers, assessments, reviews, users, verified_ratings};
use super::DbConnection;
use crate::domain::assessment::{Decision, Status};
use crate::ids::{AssessmentId, CampaignId, EnterpriseId, ReviewId, UserId};
use crate::on_backend;
use crate::questionnaire::{Questionnaire, Registry};
use crate::scoring::carry::{self, Carried, Previous};
use crate::scoring::{sheets, Policy, Rating, Sheet};

pub mod cards;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: AssessmentId,
    pub campaign_id: CampaignId,
    pub enterprise_id: EnterpriseId,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub status: Status,
    pub version: i32,
    pub return_note: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub own_sheet: Option<String>,
    pub verified_sheet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = answers)]
pub struct AnswerRow {
    pub assessment_id: AssessmentId,
    pub criterion_id: String,
    pub rating: Rating,
    pub comment: String,
    pub version: i32,
    pub updated_by: Option<UserId>,
    pub updated_at: NaiveDateTime,
}

/// An answer a new draft starts from: marked carried over until the enterprise saves it.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = answers)]
struct CarriedRow {
    #[diesel(embed)]
    answer: AnswerRow,
    carried_over: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    pub id: ReviewId,
    pub assessment_id: AssessmentId,
    pub auditor_id: UserId,
    pub decision: Decision,
    pub note: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = verified_ratings)]
pub struct VerifiedRow {
    pub assessment_id: AssessmentId,
    pub criterion_id: String,
    pub rating: Rating,
    pub note: String,
    pub review_id: ReviewId,
    pub auditor_id: UserId,
    pub created_at: NaiveDateTime,
}

/// Creates a draft for each enterprise in the campaign. With `copy_previous` (the registry
/// its crosswalks come from), each starts from the answers of the enterprise's latest earlier
/// assessment on the same questionnaire or on one a crosswalk carries into it, marked as
/// carried over for the enterprise to confirm.
pub fn create_drafts(
    conn: &mut DbConnection,
    campaign: &CampaignRow,
    enterprise_ids: &[EnterpriseId],
    copy_previous: Option<&Registry>,
) -> QueryResult<usize> {
    let now = Utc::now().naive_utc();
    let rows: Vec<AssessmentRow> = enterprise_ids
        .iter()
        .map(|e| AssessmentRow {
            id: AssessmentId::new(),
            campaign_id: campaign.id,
            enterprise_id: *e,
            questionnaire_id: campaign.questionnaire_id.clone(),
            questionnaire_hash: campaign.questionnaire_hash.clone(),
            status: Status::Draft,
            version: 0,
            return_note: None,
            submitted_at: None,
            reviewed_at: None,
            created_at: now,
            updated_at: now,
            own_sheet: None,
            verified_sheet: None,
        })
        .collect();
    let mut copied = Vec::new();
    let target = copy_previous.and_then(|r| {
        r.dcmm(&campaign.questionnaire_id)
            .filter(|q| q.hash == campaign.questionnaire_hash)
            .map(|q| (r, q))
    });
    if let Some((registry, target)) = target {
        for row in &rows {
            for c in carried(conn, registry, target, row)? {
                copied.push(CarriedRow {
                    answer: AnswerRow {
                        assessment_id: row.id,
                        criterion_id: c.criterion,
                        rating: c.rating,
                        comment: c.comment,
                        version: 1,
                        updated_by: None,
                        updated_at: now,
                    },
                    carried_over: true,
                });
            }
        }
    }
    for chunk in rows.chunks(500) {
        on_backend!(conn, |c| diesel::insert_into(assessments::table)
            .values(chunk)
            .execute(c))?;
    }
    for chunk in copied.chunks(500) {
        on_backend!(conn, |c| diesel::insert_into(answers::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(rows.len())
}

/// What the new draft `row` takes over from the enterprise's latest assessment of another
/// campaign on `target`'s questionnaire or on one a crosswalk carries into it.
fn carried(
    conn: &mut DbConnection,
    registry: &Registry,
    target: &Questionnaire,
    row: &AssessmentRow,
) -> QueryResult<Vec<Carried>> {
    let mut sources = vec![target.id.clone()];
    sources.extend(
        registry
            .crosswalks_all()
            .filter(|c| c.to == target.id)
            .map(|c| c.from.clone()),
    );
    let previous: Option<(AssessmentId, String)> = assessments::table
        .filter(assessments::enterprise_id.eq(&row.enterprise_id))
        .filter(assessments::questionnaire_id.eq_any(&sources))
        .filter(assessments::campaign_id.ne(&row.campaign_id))
        .order(assessments::created_at.desc())
        .select((assessments::id, assessments::questionnaire_id))
        .first(conn)
        .optional()?;
    let Some((previous, questionnaire)) = previous else {
        return Ok(Vec::new());
    };
    let answers = answers_of(conn, previous)?;
    let given = answers.iter().map(|a| {
        (
            a.criterion_id.as_str(),
            Previous {
                rating: a.rating,
                comment: &a.comment,
            },
        )
    });
    if questionnaire == target.id {
        return Ok(carry::same(target, given));
    }
    Ok(registry
        .crosswalk_between(&questionnaire, &target.id)
        .filter(|c| c.from == questionnaire)
        .map(|c| carry::across(c, target, &given.collect()))
        .unwrap_or_default())
}

/// Which of the assessment's answers are still carried over from a previous assessment, by
/// criterion id.
pub fn carried_of(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
) -> QueryResult<Vec<String>> {
    answers::table
        .filter(answers::assessment_id.eq(assessment_id))
        .filter(answers::carried_over.eq(true))
        .order(answers::criterion_id.asc())
        .select(answers::criterion_id)
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: AssessmentId) -> QueryResult<AssessmentRow> {
    assessments::table
        .filter(assessments::id.eq(id))
        .select(AssessmentRow::as_select())
        .first(conn)
}

/// A page of the enterprise's assessments by id: those after `after`, at most `limit + 1` (the
/// extra one only says that more follow).
pub fn of_enterprise(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AssessmentRow>> {
    let mut query = assessments::table
        .filter(assessments::enterprise_id.eq(enterprise_id))
        .order(assessments::id.asc())
        .limit(limit + 1)
        .select(AssessmentRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(assessments::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The id of the enterprise's assessment in the campaign; `NotFound` when it has none.
pub fn id_in_campaign(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
    enterprise_id: EnterpriseId,
) -> QueryResult<AssessmentId> {
    assessments::table
        .filter(assessments::campaign_id.eq(campaign_id))
        .filter(assessments::enterprise_id.eq(enterprise_id))
        .select(assessments::id)
        .first(conn)
}

pub fn of_campaign(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
) -> QueryResult<Vec<AssessmentRow>> {
    assessments::table
        .filter(assessments::campaign_id.eq(campaign_id))
        .order(assessments::id.asc())
        .select(AssessmentRow::as_select())
        .load(conn)
}

/// The enterprises whose draft in the campaign an auditor returned for changes.
pub fn returned_in(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
) -> QueryResult<Vec<EnterpriseId>> {
    assessments::table
        .filter(assessments::campaign_id.eq(campaign_id))
        .filter(assessments::status.eq(Status::Draft))
        .filter(assessments::return_note.is_not_null())
        .select(assessments::enterprise_id)
        .load(conn)
}

pub fn answers_of(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
) -> QueryResult<Vec<AnswerRow>> {
    answers::table
        .filter(answers::assessment_id.eq(assessment_id))
        .order(answers::criterion_id.asc())
        .select(AnswerRow::as_select())
        .load(conn)
}

/// A page of the assessment's answers by criterion id, each with whether it is still carried
/// over: those after `after`, at most `limit + 1` (the extra one only says that more follow).
pub fn answers_page(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(AnswerRow, bool)>> {
    let mut query = answers::table
        .filter(answers::assessment_id.eq(assessment_id))
        .order(answers::criterion_id.asc())
        .limit(limit + 1)
        .select((AnswerRow::as_select(), answers::carried_over))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(answers::criterion_id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn answer(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
    criterion: &str,
) -> QueryResult<Option<AnswerRow>> {
    answers::table
        .filter(answers::assessment_id.eq(assessment_id))
        .filter(answers::criterion_id.eq(criterion))
        .select(AnswerRow::as_select())
        .first(conn)
        .optional()
}

/// The answer's version did not match: someone else wrote it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale {
    pub current: i32,
}

/// Writes an answer as version `previous + 1`, no longer carried over. With `expected`, the
/// write happens only when the stored version (0 for unanswered) is still that one.
pub fn write_answer(
    conn: &mut DbConnection,
    new: &AnswerRow,
    expected: Option<i32>,
) -> QueryResult<Result<(Option<AnswerRow>, AnswerRow), Stale>> {
    let before = answer(conn, new.assessment_id, &new.criterion_id)?;
    let current = before.as_ref().map_or(0, |a| a.version);
    if expected.is_some_and(|e| e != current) {
        return Ok(Err(Stale { current }));
    }
    let row = AnswerRow {
        version: current + 1,
        ..new.clone()
    };
    if before.is_some() {
        let changed = diesel::update(
            answers::table
                .filter(answers::assessment_id.eq(&row.assessment_id))
                .filter(answers::criterion_id.eq(&row.criterion_id))
                .filter(answers::version.eq(current)),
        )
        .set((
            answers::rating.eq(&row.rating),
            answers::comment.eq(&row.comment),
            answers::version.eq(row.version),
            answers::updated_by.eq(&row.updated_by),
            answers::updated_at.eq(row.updated_at),
            answers::carried_over.eq(false),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(Err(Stale { current }));
        }
    } else {
        // Two first writes of one answer may meet (autosaves run side by side): the later
        // finds the row there and is stale like any other outdated write.
        let inserted = crate::on_backend!(&mut *conn, |c| diesel::insert_into(answers::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c))?;
        if inserted == 0 {
            let current =
                answer(conn, new.assessment_id, &new.criterion_id)?.map_or(0, |a| a.version);
            return Ok(Err(Stale { current }));
        }
    }
    Ok(Ok((before, row)))
}

/// Counts one more change of the assessment.
pub fn touch(conn: &mut DbConnection, id: AssessmentId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(assessments::table.filter(assessments::id.eq(id)))
        .set((
            assessments::version.eq(assessments::version + 1),
            assessments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn submit(conn: &mut DbConnection, id: AssessmentId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(assessments::table.filter(assessments::id.eq(id)))
        .set((
            assessments::status.eq("submitted"),
            assessments::submitted_at.eq(Some(now)),
            assessments::version.eq(assessments::version + 1),
            assessments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The assessment's own and verified sheets from its answer and verified-rating rows.
pub fn sheets(
    conn: &mut DbConnection,
    q: &Questionnaire,
    id: AssessmentId,
) -> QueryResult<(Sheet, Sheet)> {
    let own = answers_of(conn, id)?;
    let verified = verified_of(conn, id)?;
    Ok(sheets::self_and_verified(
        q,
        own.iter()
            .map(|r| (r.criterion_id.as_str(), r.rating.as_str())),
        verified
            .iter()
            .map(|r| (r.criterion_id.as_str(), r.rating.as_str())),
    ))
}

/// Keeps the sheets of an assessment that has just been frozen (submitted or accepted), with
/// their scorecards under `policy`, or clears both when it returns to draft. Answers its own
/// and verified sheets as they stand.
pub fn store_sheets(
    conn: &mut DbConnection,
    q: &Questionnaire,
    id: AssessmentId,
    policy: &Policy,
) -> QueryResult<(Sheet, Sheet)> {
    let status: Status = assessments::table
        .filter(assessments::id.eq(id))
        .select(assessments::status)
        .first(conn)?;
    let (own, verified) = sheets(conn, q, id)?;
    let (stored, scored) = match status {
        Status::Draft => ((None, None), cards::StoredCards::default()),
        Status::Submitted | Status::Accepted => (
            (Some(own.to_compact()), Some(verified.to_compact())),
            cards::StoredCards::scored(q, Some(&own), Some(&verified), policy),
        ),
    };
    diesel::update(assessments::table.filter(assessments::id.eq(id)))
        .set((
            assessments::own_sheet.eq(stored.0),
            assessments::verified_sheet.eq(stored.1),
        ))
        .execute(conn)?;
    cards::store(conn, id, &scored)?;
    Ok((own, verified))
}

/// Records a review: its verified ratings replace earlier ones of the same criteria; the
/// assessment becomes accepted, or returns to draft with the note.
pub fn review(
    conn: &mut DbConnection,
    review: &ReviewRow,
    verified: &[VerifiedRow],
) -> QueryResult<()> {
    diesel::insert_into(reviews::table)
        .values(review)
        .execute(conn)?;
    for v in verified {
        diesel::delete(
            verified_ratings::table
                .filter(verified_ratings::assessment_id.eq(&v.assessment_id))
                .filter(verified_ratings::criterion_id.eq(&v.criterion_id)),
        )
        .execute(conn)?;
        diesel::insert_into(verified_ratings::table)
            .values(v)
            .execute(conn)?;
    }
    let accepted = review.decision == Decision::Accept;
    diesel::update(assessments::table.filter(assessments::id.eq(&review.assessment_id)))
        .set((
            assessments::status.eq(if accepted {
                Status::Accepted
            } else {
                Status::Draft
            }),
            assessments::return_note.eq((!accepted).then(|| review.note.clone())),
            assessments::reviewed_at.eq(Some(review.created_at)),
            assessments::version.eq(assessments::version + 1),
            assessments::updated_at.eq(review.created_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn verified_of(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
) -> QueryResult<Vec<VerifiedRow>> {
    verified_ratings::table
        .filter(verified_ratings::assessment_id.eq(assessment_id))
        .order(verified_ratings::criterion_id.asc())
        .select(VerifiedRow::as_select())
        .load(conn)
}

pub fn reviews_of(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
) -> QueryResult<Vec<ReviewRow>> {
    reviews::table
        .filter(reviews::assessment_id.eq(assessment_id))
        .order(reviews::id.asc())
        .select(ReviewRow::as_select())
        .load(conn)
}

/// The assessment's reviews, oldest first, each with its auditor's display name.
pub fn reviews_with_auditors(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
) -> QueryResult<Vec<(ReviewRow, String)>> {
    reviews::table
        .inner_join(users::table.on(users::id.eq(reviews::auditor_id)))
        .filter(reviews::assessment_id.eq(assessment_id))
        .order(reviews::id.asc())
        .select((ReviewRow::as_select(), users::display_name))
        .load(conn)
}
