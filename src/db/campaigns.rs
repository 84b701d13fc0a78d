//! Campaigns (评估批次) of a cluster.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{assessments, campaigns};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::campaign::CampaignStatus;
use crate::ids::{CampaignId, ClusterId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    pub id: CampaignId,
    pub cluster_id: ClusterId,
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub due_date: NaiveDate,
    pub target_level: i32,
    pub status: CampaignStatus,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// How far a campaign's assessments have come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = CampaignParticipation)]
pub struct Participation {
    /// Enterprises with an assessment in the campaign.
    pub invited: i64,
    /// Drafts with at least one answer, and everything beyond.
    pub started: i64,
    /// Handed in and waiting for review.
    pub submitted: i64,
    pub accepted: i64,
}

pub fn insert(conn: &mut DbConnection, row: &CampaignRow) -> QueryResult<()> {
    diesel::insert_into(campaigns::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, id: CampaignId) -> QueryResult<CampaignRow> {
    campaigns::table
        .filter(campaigns::id.eq(id))
        .select(CampaignRow::as_select())
        .first(conn)
}

pub fn open_in_cluster(
    conn: &mut DbConnection,
    cluster_id: ClusterId,
) -> QueryResult<Vec<CampaignRow>> {
    campaigns::table
        .filter(campaigns::cluster_id.eq(cluster_id))
        .filter(campaigns::status.eq(CampaignStatus::Open))
        .select(CampaignRow::as_select())
        .load(conn)
}

pub fn list(
    conn: &mut DbConnection,
    cluster_id: ClusterId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CampaignRow>> {
    let mut query = campaigns::table
        .filter(campaigns::cluster_id.eq(cluster_id))
        .select(CampaignRow::as_select())
        .order(campaigns::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(campaigns::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn participation(
    conn: &mut DbConnection,
    campaign_id: CampaignId,
) -> QueryResult<Participation> {
    let rows: Vec<(Status, i32)> = assessments::table
        .filter(assessments::campaign_id.eq(campaign_id))
        .select((assessments::status, assessments::version))
        .load(conn)?;
    let mut p = Participation {
        invited: rows.len() as i64,
        ..Participation::default()
    };
    for (status, version) in rows {
        match status {
            Status::Submitted => p.submitted += 1,
            Status::Accepted => p.accepted += 1,
            Status::Draft => {}
        }
        if version > 0 || status != Status::Draft {
            p.started += 1;
        }
    }
    Ok(p)
}

pub fn set_due_date(
    conn: &mut DbConnection,
    id: CampaignId,
    due_date: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<CampaignRow> {
    diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
        .set((
            campaigns::due_date.eq(due_date),
            campaigns::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, id)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: CampaignId,
    status: CampaignStatus,
    now: NaiveDateTime,
) -> QueryResult<CampaignRow> {
    diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
        .set((campaigns::status.eq(status), campaigns::updated_at.eq(now)))
        .execute(conn)?;
    find(conn, id)
}

/// Copies each invited enterprise's current profile onto its assessment in the campaign (the
/// profile as it stood at closing).
pub fn keep_profiles(conn: &mut DbConnection, id: CampaignId) -> QueryResult<()> {
    use super::schema::enterprise_profiles;
    let rows: Vec<(String, Option<String>)> = assessments::table
        .left_join(
            enterprise_profiles::table
                .on(enterprise_profiles::enterprise_id.eq(assessments::enterprise_id)),
        )
        .filter(assessments::campaign_id.eq(id))
        .select((
            assessments::id,
            enterprise_profiles::answers_json.nullable(),
        ))
        .load(conn)?;
    for (assessment, profile) in rows {
        diesel::update(assessments::table.filter(assessments::id.eq(assessment)))
            .set(assessments::profile_at_close.eq(profile))
            .execute(conn)?;
    }
    Ok(())
}
