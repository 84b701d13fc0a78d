//! What a campaign's roll-up reads: every invited enterprise with its frozen sheets and
//! profile, and the accepted sheets of the cluster's previous campaign.

use diesel::prelude::*;

use super::campaigns::CampaignRow;
use super::schema::{
    answers, assessment_cards, assessments, campaigns, enterprise_profiles, enterprises,
};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::ids::{AssessmentId, CampaignId, EnterpriseId};

/// One invited enterprise, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct InvitedRow {
    pub assessment_id: AssessmentId,
    pub status: Status,
    pub version: i32,
    pub own_sheet: Option<String>,
    pub verified_sheet: Option<String>,
    pub enterprise_id: EnterpriseId,
    pub name: String,
    pub industry: String,
    pub size: Size,
    pub sharing: Sharing,
    /// The profile answers as JSON text, if the enterprise saved a profile.
    pub profile: Option<String>,
    /// The profile as it stood when the campaign closed.
    pub profile_at_close: Option<String>,
    pub own_card: Option<Vec<u8>>,
    pub verified_card: Option<Vec<u8>>,
    /// The policy key the stored cards were computed under.
    pub card_key: Option<String>,
}

/// A frozen sheet as stored, with its stored card and the policy key that card was computed
/// under.
#[derive(Debug, Clone, Copy)]
pub struct Frozen<'a> {
    pub sheet: Option<&'a str>,
    pub card: Option<&'a [u8]>,
    pub key: Option<&'a str>,
}

impl InvitedRow {
    /// The enterprise's own sheet and card.
    pub fn own(&self) -> Frozen<'_> {
        Frozen {
            sheet: self.own_sheet.as_deref(),
            card: self.own_card.as_deref(),
            key: self.card_key.as_deref(),
        }
    }

    /// The verified sheet and card.
    pub fn verified(&self) -> Frozen<'_> {
        Frozen {
            sheet: self.verified_sheet.as_deref(),
            card: self.verified_card.as_deref(),
            key: self.card_key.as_deref(),
        }
    }
}

pub fn invited(conn: &mut DbConnection, campaign_id: CampaignId) -> QueryResult<Vec<InvitedRow>> {
    assessments::table
        .inner_join(enterprises::table)
        .left_join(
            enterprise_profiles::table.on(enterprise_profiles::enterprise_id.eq(enterprises::id)),
        )
        .left_join(assessment_cards::table)
        .filter(assessments::campaign_id.eq(campaign_id))
        .order(enterprises::id.asc())
        .select((
            assessments::id,
            assessments::status,
            assessments::version,
            assessments::own_sheet,
            assessments::verified_sheet,
            enterprises::id,
            enterprises::name,
            enterprises::industry,
            enterprises::size,
            enterprises::sharing,
            enterprise_profiles::answers_json.nullable(),
            assessments::profile_at_close,
            assessment_cards::own_card.nullable(),
            assessment_cards::verified_card.nullable(),
            assessment_cards::card_key.nullable(),
        ))
        .load(conn)
}

/// The cluster's campaign opened just before this one.
pub fn previous(
    conn: &mut DbConnection,
    campaign: &CampaignRow,
) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .filter(campaigns::cluster_id.eq(&campaign.cluster_id))
        .filter(campaigns::id.lt(&campaign.id))
        .order(campaigns::id.desc())
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

/// The verified sheet of an accepted assessment, with its stored card.
#[derive(Debug, Clone, Queryable)]
pub struct AcceptedRow {
    pub verified_sheet: Option<String>,
    pub verified_card: Option<Vec<u8>>,
    pub card_key: Option<String>,
}

impl AcceptedRow {
    pub fn frozen(&self) -> Frozen<'_> {
        Frozen {
            sheet: self.verified_sheet.as_deref(),
            card: self.verified_card.as_deref(),
            key: self.card_key.as_deref(),
        }
    }
}

/// The verified sheets and cards of a campaign's accepted assessments that have a sheet.
pub fn accepted_verified(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
) -> QueryResult<Vec<AcceptedRow>> {
    assessments::table
        .left_join(assessment_cards::table)
        .filter(assessments::campaign_id.eq(campaign_id))
        .filter(assessments::status.eq(Status::Accepted))
        .filter(assessments::verified_sheet.is_not_null())
        .select((
            assessments::verified_sheet,
            assessment_cards::verified_card.nullable(),
            assessment_cards::card_key.nullable(),
        ))
        .load(conn)
}

/// One invited enterprise as the list of whom to remind reads it: no sheets, no profile.
#[derive(Debug, Clone, Queryable)]
pub struct ChaseRow {
    pub assessment_id: AssessmentId,
    pub status: Status,
    pub version: i32,
    pub return_note: Option<String>,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub enterprise_id: EnterpriseId,
    pub name: String,
    pub sharing: Sharing,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
}

/// Every invited enterprise of the campaign, with how many criteria its assessment answers.
pub fn chase(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
) -> QueryResult<Vec<(ChaseRow, i64)>> {
    let rows: Vec<ChaseRow> = assessments::table
        .inner_join(enterprises::table)
        .filter(assessments::campaign_id.eq(campaign_id))
        .order(enterprises::name.asc())
        .select((
            assessments::id,
            assessments::status,
            assessments::version,
            assessments::return_note,
            assessments::submitted_at,
            enterprises::id,
            enterprises::name,
            enterprises::sharing,
            enterprises::contact_name,
            enterprises::contact_phone,
            enterprises::contact_email,
        ))
        .load(conn)?;
    let counts: Vec<(AssessmentId, i64)> = answers::table
        .inner_join(assessments::table)
        .filter(assessments::campaign_id.eq(campaign_id))
        .group_by(answers::assessment_id)
        .select((answers::assessment_id, diesel::dsl::count_star()))
        .load(conn)?;
    let counts: std::collections::HashMap<AssessmentId, i64> = counts.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = counts.get(&r.assessment_id).copied().unwrap_or(0);
            (r, n)
        })
        .collect())
}
