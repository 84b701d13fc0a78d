//! What the ids in a page of audit entries stand for: the people who wrote them and the
//! entities they are about, each looked up once for the whole page.

use diesel::prelude::*;

use crate::db::schema::{assessments, campaigns, clusters, enterprises, evidence, users};
use crate::db::DbConnection;
use crate::domain::sharing::Sharing;
use crate::domain::Tenancy;
use crate::ids::{ClusterId, EnterpriseId};

/// An account that wrote entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
}

pub fn people(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Person>> {
    let rows: Vec<(String, String, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::display_name, users::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, role)| Person {
            id,
            username,
            display_name,
            role,
        })
        .collect())
}

/// An assessment: whose, in which campaign, and what decides who may open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentName {
    pub id: String,
    pub enterprise: String,
    pub campaign: String,
    pub tenancy: Tenancy,
    pub sharing: Sharing,
}

pub fn assessments(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<AssessmentName>> {
    let rows: Vec<(String, EnterpriseId, ClusterId, String, Sharing, String)> = assessments::table
        .inner_join(enterprises::table)
        .inner_join(campaigns::table)
        .filter(assessments::id.eq_any(ids))
        .select((
            assessments::id,
            enterprises::id,
            enterprises::cluster_id,
            enterprises::name,
            enterprises::sharing,
            campaigns::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, enterprise, cluster, name, sharing, campaign)| AssessmentName {
                id,
                enterprise: name,
                campaign,
                tenancy: Tenancy::Enterprise {
                    cluster,
                    enterprise,
                },
                sharing,
            },
        )
        .collect())
}

/// Any other entity: its name and where it lives (`None`: the whole installation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub cluster: Option<ClusterId>,
}

/// A thing of one cluster, as its id, name and cluster id were read.
impl From<(String, String, ClusterId)> for Named {
    fn from((id, name, cluster): (String, String, ClusterId)) -> Self {
        Self {
            id,
            name,
            cluster: Some(cluster),
        }
    }
}

pub fn enterprises(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Named>> {
    let rows: Vec<(String, String, ClusterId)> = enterprises::table
        .filter(enterprises::id.eq_any(ids))
        .select((enterprises::id, enterprises::name, enterprises::cluster_id))
        .load(conn)?;
    Ok(rows.into_iter().map(Named::from).collect())
}

pub fn campaigns(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Named>> {
    let rows: Vec<(String, String, ClusterId)> = campaigns::table
        .filter(campaigns::id.eq_any(ids))
        .select((campaigns::id, campaigns::name, campaigns::cluster_id))
        .load(conn)?;
    Ok(rows.into_iter().map(Named::from).collect())
}

pub fn clusters(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Named>> {
    let rows: Vec<(ClusterId, String)> = clusters::table
        .filter(clusters::id.eq_any(ids))
        .select((clusters::id, clusters::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Named {
            id: id.to_string(),
            name,
            cluster: Some(id),
        })
        .collect())
}

/// Evidence files by name, placed in the cluster of their assessment's enterprise.
pub fn evidence(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Named>> {
    let rows: Vec<(String, String, ClusterId)> = evidence::table
        .inner_join(assessments::table.inner_join(enterprises::table))
        .filter(evidence::id.eq_any(ids))
        .select((evidence::id, evidence::file_name, enterprises::cluster_id))
        .load(conn)?;
    Ok(rows.into_iter().map(Named::from).collect())
}
