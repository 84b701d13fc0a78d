//! Clusters (产业集群): rows, look-ups by scope, inserts and updates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::clusters;
use super::DbConnection;
use crate::domain::Actor;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = clusters)]
pub struct ClusterRow {
    pub id: String,
    pub name: String,
    pub region: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = clusters)]
pub struct ClusterChanges {
    pub name: Option<String>,
    pub region: Option<String>,
    pub description: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// The clusters an actor may see: `None` means every cluster.
pub fn visible_ids(actor: &Actor) -> Option<Vec<String>> {
    match actor {
        Actor::Admin => None,
        Actor::ClusterManager { cluster } | Actor::Enterprise { cluster, .. } => {
            Some(vec![cluster.to_string()])
        }
        Actor::Auditor { clusters } => Some(clusters.iter().map(ToString::to_string).collect()),
    }
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    clusters::table.count().get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &ClusterRow) -> QueryResult<()> {
    diesel::insert_into(clusters::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<ClusterRow> {
    clusters::table
        .filter(clusters::id.eq(id))
        .select(ClusterRow::as_select())
        .first(conn)
}

/// A page of the clusters the actor may see, by id (time of creation).
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ClusterRow>> {
    let mut query = clusters::table
        .select(ClusterRow::as_select())
        .order(clusters::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(ids) = visible_ids(actor) {
        query = query.filter(clusters::id.eq_any(ids));
    }
    if let Some(after) = after {
        query = query.filter(clusters::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &ClusterChanges) -> QueryResult<()> {
    diesel::update(clusters::table.filter(clusters::id.eq(id)))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}
