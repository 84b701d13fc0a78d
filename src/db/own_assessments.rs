//! What an enterprise's own pages read about its assessments: each with its campaign, the
//! answered criteria of several assessments in one query, and the accepted assessment of an
//! earlier campaign to compare with.

use diesel::prelude::*;

use super::assessments::AssessmentRow;
use super::campaigns::CampaignRow;
use super::schema::{answers, assessments, campaigns};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::ids::{AssessmentId, CampaignId, EnterpriseId};

/// The enterprise's assessments with their campaigns, the newest campaign first; at most
/// `limit`.
pub fn with_campaigns(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    limit: i64,
) -> QueryResult<Vec<(AssessmentRow, CampaignRow)>> {
    assessments::table
        .inner_join(campaigns::table)
        .filter(assessments::enterprise_id.eq(enterprise_id))
        .order(campaigns::id.desc())
        .limit(limit)
        .select((AssessmentRow::as_select(), CampaignRow::as_select()))
        .load(conn)
}

/// The criteria answered in each of `ids`, as (assessment, criterion) pairs.
pub fn answered_in(
    conn: &mut DbConnection,
    ids: &[AssessmentId],
) -> QueryResult<Vec<(AssessmentId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    answers::table
        .filter(answers::assessment_id.eq_any(ids))
        .select((answers::assessment_id, answers::criterion_id))
        .load(conn)
}

/// The enterprise's accepted assessment in the latest campaign of its cluster before
/// `campaign_id` (campaign ids grow with time), with that campaign.
pub fn accepted_before(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    campaign_id: CampaignId,
) -> QueryResult<Option<(AssessmentRow, CampaignRow)>> {
    assessments::table
        .inner_join(campaigns::table)
        .filter(assessments::enterprise_id.eq(enterprise_id))
        .filter(assessments::status.eq(Status::Accepted))
        .filter(campaigns::id.lt(campaign_id))
        .order(campaigns::id.desc())
        .select((AssessmentRow::as_select(), CampaignRow::as_select()))
        .first(conn)
        .optional()
}
