//! Enterprises of a cluster: rows, inserts with their draft assessments, updates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::enterprises;
use super::DbConnection;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::ids::{ClusterId, EnterpriseId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = enterprises)]
pub struct EnterpriseRow {
    pub id: EnterpriseId,
    pub cluster_id: ClusterId,
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub size: Size,
    pub region: String,
    pub sharing: Sharing,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The contact's name, phone and email; empty when not given.
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = enterprises)]
pub struct EnterpriseChanges {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub region: Option<String>,
    pub sharing: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

/// Inserts the enterprise and a draft assessment in every open campaign of its cluster.
pub fn insert(conn: &mut DbConnection, row: &EnterpriseRow) -> QueryResult<()> {
    diesel::insert_into(enterprises::table)
        .values(row)
        .execute(conn)?;
    for campaign in super::campaigns::open_in_cluster(conn, row.cluster_id)? {
        super::assessments::create_drafts(conn, &campaign, std::slice::from_ref(&row.id), None)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: EnterpriseId) -> QueryResult<EnterpriseRow> {
    enterprises::table
        .filter(enterprises::id.eq(id))
        .select(EnterpriseRow::as_select())
        .first(conn)
}

pub fn list(
    conn: &mut DbConnection,
    cluster_id: ClusterId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<EnterpriseRow>> {
    let mut query = enterprises::table
        .filter(enterprises::cluster_id.eq(cluster_id))
        .select(EnterpriseRow::as_select())
        .order(enterprises::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(enterprises::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn ids_in_cluster(
    conn: &mut DbConnection,
    cluster_id: ClusterId,
) -> QueryResult<Vec<EnterpriseId>> {
    enterprises::table
        .filter(enterprises::cluster_id.eq(cluster_id))
        .select(enterprises::id)
        .order(enterprises::id.asc())
        .load(conn)
}

/// The unified social credit code of every enterprise of the cluster, by enterprise id.
pub fn credit_codes(
    conn: &mut DbConnection,
    cluster_id: ClusterId,
) -> QueryResult<Vec<(EnterpriseId, String)>> {
    enterprises::table
        .filter(enterprises::cluster_id.eq(cluster_id))
        .select((enterprises::id, enterprises::credit_code))
        .load(conn)
}

pub fn update(
    conn: &mut DbConnection,
    id: EnterpriseId,
    changes: &EnterpriseChanges,
) -> QueryResult<()> {
    diesel::update(enterprises::table.filter(enterprises::id.eq(id)))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// Which of `codes` are registered already (to any cluster: a credit code is unique).
pub fn taken_credit_codes(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<String>> {
    let mut taken = Vec::new();
    // In chunks, to stay under the backends' limits on bound parameters.
    for chunk in codes.chunks(500) {
        taken.extend(
            enterprises::table
                .filter(enterprises::credit_code.eq_any(chunk))
                .select(enterprises::credit_code)
                .load::<String>(conn)?,
        );
    }
    Ok(taken)
}
