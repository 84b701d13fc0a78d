//! The tenancy of an enterprise or an assessment, looked up before any access decision.

use diesel::prelude::*;

use super::schema::{assessments, campaigns, enterprises};
use super::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::sharing::Sharing;
use crate::domain::Tenancy;
use crate::ids::{ClusterId, EnterpriseId};

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
    pub id: String,
    pub campaign_id: String,
    pub enterprise: EnterpriseRef,
    pub status: Status,
    pub version: i32,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub target_level: i32,
}

impl AssessmentRef {
    pub fn tenancy(&self) -> Tenancy {
        self.enterprise.tenancy()
    }
}

fn corrupt(what: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("stored {what} {value:?} is not valid").into(),
    )
}

fn enterprise_ref(
    id: String,
    cluster: String,
    name: String,
    sharing: String,
) -> QueryResult<EnterpriseRef> {
    Ok(EnterpriseRef {
        id: id.parse().map_err(|_| corrupt("enterprise id", &id))?,
        cluster_id: cluster
            .parse()
            .map_err(|_| corrupt("cluster id", &cluster))?,
        name,
        sharing: Sharing::parse(&sharing).ok_or_else(|| corrupt("sharing", &sharing))?,
    })
}

/// `NotFound` when there is no such enterprise (or the id is not one).
pub fn enterprise(conn: &mut DbConnection, id: &str) -> QueryResult<EnterpriseRef> {
    let (id, cluster, name, sharing): (String, String, String, String) = enterprises::table
        .filter(enterprises::id.eq(id))
        .select((
            enterprises::id,
            enterprises::cluster_id,
            enterprises::name,
            enterprises::sharing,
        ))
        .first(conn)?;
    enterprise_ref(id, cluster, name, sharing)
}

type AssessmentRow = (
    String,
    String,
    String,
    i32,
    String,
    String,
    i32,
    String,
    String,
    String,
    String,
);

/// `NotFound` when there is no such assessment.
pub fn assessment(conn: &mut DbConnection, id: &str) -> QueryResult<AssessmentRef> {
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
            enterprises::id,
            enterprises::cluster_id,
            enterprises::name,
            enterprises::sharing,
        ))
        .first(conn)?;
    let (id, campaign_id, status, version, qid, qhash, target, eid, cluster, name, sharing) = row;
    Ok(AssessmentRef {
        status: Status::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        id,
        campaign_id,
        version,
        questionnaire_id: qid,
        questionnaire_hash: qhash,
        target_level: target,
        enterprise: enterprise_ref(eid, cluster, name, sharing)?,
    })
}
