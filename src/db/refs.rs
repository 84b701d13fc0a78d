//! The tenancy of an enterprise or an assessment, looked up before any access decision.

use diesel::prelude::*;

use super::schema::{assessments, campaigns, enterprises};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::campaign::CampaignStatus;
use crate::domain::sharing::Sharing;
use crate::domain::Tenancy;
use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId};

/// An enterprise as the access policy needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseRef {
    pub id: EnterpriseId,
    pub cluster_id: ClusterId,
    pub name: String,
    pub sharing: Sharing,
}

impl EnterpriseRef {
    pub fn tenancy(&self) -> Tenancy {
        Tenancy::Enterprise {
            cluster: self.cluster_id,
            enterprise: self.id,
        }
    }
}

/// An assessment with what decides who may touch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRef {
    pub id: AssessmentId,
    pub campaign_id: CampaignId,
    pub enterprise: EnterpriseRef,
    pub status: Status,
    pub version: i32,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub target_level: i32,
    /// Whether its campaign is still open: nothing of a closed campaign's assessments changes.
    pub campaign_status: CampaignStatus,
}

impl AssessmentRef {
    pub fn tenancy(&self) -> Tenancy {
        self.enterprise.tenancy()
    }
}

/// `NotFound` when there is no such enterprise.
pub fn enterprise(conn: &mut DbConnection, id: EnterpriseId) -> QueryResult<EnterpriseRef> {
    let (id, cluster_id, name, sharing) = enterprises::table
        .filter(enterprises::id.eq(id))
        .select((
            enterprises::id,
            enterprises::cluster_id,
            enterprises::name,
            enterprises::sharing,
        ))
        .first(conn)?;
    Ok(EnterpriseRef {
        id,
        cluster_id,
        name,
        sharing,
    })
}

type AssessmentRow = (
    AssessmentId,
    CampaignId,
    Status,
    i32,
    String,
    String,
    i32,
    CampaignStatus,
    EnterpriseId,
    ClusterId,
    String,
    Sharing,
);

/// `NotFound` when there is no such assessment.
pub fn assessment(conn: &mut DbConnection, id: AssessmentId) -> QueryResult<AssessmentRef> {
    let row: AssessmentRow = assessments::table
        .inner_join(enterprises::table)
        .inner_join(campaigns::table)
        .filter(assessments::id.eq(id))
        .select((
            assessments::id,
            assessments::campaign_id,
            assessments::status,
            assessments::version,
            assessments::questionnaire_id,
            assessments::questionnaire_hash,
            campaigns::target_level,
            campaigns::status,
            enterprises::id,
            enterprises::cluster_id,
            enterprises::name,
            enterprises::sharing,
        ))
        .first(conn)?;
    let (
        id,
        campaign_id,
        status,
        version,
        qid,
        qhash,
        target,
        campaign_status,
        eid,
        cluster,
        name,
        sharing,
    ) = row;
    Ok(AssessmentRef {
        status,
        id,
        campaign_id,
        version,
        questionnaire_id: qid,
        questionnaire_hash: qhash,
        target_level: target,
        campaign_status,
        enterprise: EnterpriseRef {
            id: eid,
            cluster_id: cluster,
            name,
            sharing,
        },
    })
}
