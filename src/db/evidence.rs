//! Evidence rows and the criteria each piece of evidence supports.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{evidence, evidence_criteria};
use super::DbConnection;
use crate::ids::{AssessmentId, EvidenceId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evidence)]
pub struct EvidenceRow {
    pub id: EvidenceId,
    pub assessment_id: AssessmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub effective_date: Option<NaiveDate>,
    pub uploaded_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// A piece of evidence with the criterion ids it is linked to, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub row: EvidenceRow,
    pub criteria: Vec<String>,
}

/// Inserts the row and one link per criterion.
pub fn insert(conn: &mut DbConnection, row: &EvidenceRow, criteria: &[String]) -> QueryResult<()> {
    diesel::insert_into(evidence::table)
        .values(row)
        .execute(conn)?;
    for criterion in criteria {
        diesel::insert_into(evidence_criteria::table)
            .values((
                evidence_criteria::evidence_id.eq(&row.id),
                evidence_criteria::criterion_id.eq(criterion),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Links the evidence to exactly `criteria`, in place of the criteria it named.
pub fn replace_criteria(
    conn: &mut DbConnection,
    id: EvidenceId,
    criteria: &[String],
) -> QueryResult<()> {
    diesel::delete(evidence_criteria::table.filter(evidence_criteria::evidence_id.eq(id)))
        .execute(conn)?;
    for criterion in criteria {
        diesel::insert_into(evidence_criteria::table)
            .values((
                evidence_criteria::evidence_id.eq(id),
                evidence_criteria::criterion_id.eq(criterion),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// `NotFound` when there is no such evidence.
pub fn find(conn: &mut DbConnection, id: EvidenceId) -> QueryResult<Evidence> {
    let row: EvidenceRow = evidence::table
        .filter(evidence::id.eq(id))
        .select(EvidenceRow::as_select())
        .first(conn)?;
    let mut links = criteria_of(conn, std::slice::from_ref(&row.id))?;
    Ok(Evidence {
        criteria: links.remove(&row.id).unwrap_or_default(),
        row,
    })
}

/// Up to `limit` pieces of an assessment's evidence after the id `after`, oldest first (ids
/// are time-ordered).
pub fn list(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Evidence>> {
    let mut query = evidence::table
        .filter(evidence::assessment_id.eq(assessment_id))
        .select(EvidenceRow::as_select())
        .order(evidence::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(evidence::id.gt(after.to_owned()));
    }
    let rows: Vec<EvidenceRow> = query.load(conn)?;
    let ids: Vec<EvidenceId> = rows.iter().map(|r| r.id).collect();
    let mut links = criteria_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| Evidence {
            criteria: links.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

fn criteria_of(
    conn: &mut DbConnection,
    ids: &[EvidenceId],
) -> QueryResult<BTreeMap<EvidenceId, Vec<String>>> {
    let links: Vec<(EvidenceId, String)> = evidence_criteria::table
        .filter(evidence_criteria::evidence_id.eq_any(ids))
        .select((
            evidence_criteria::evidence_id,
            evidence_criteria::criterion_id,
        ))
        .order((
            evidence_criteria::evidence_id.asc(),
            evidence_criteria::criterion_id.asc(),
        ))
        .load(conn)?;
    let mut map: BTreeMap<EvidenceId, Vec<String>> = BTreeMap::new();
    for (evidence_id, criterion) in links {
        map.entry(evidence_id).or_default().push(criterion);
    }
    Ok(map)
}

/// Whether any evidence row names this stored file.
pub fn key_in_use(conn: &mut DbConnection, storage_key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        evidence::table.filter(evidence::storage_key.eq(storage_key)),
    ))
    .get_result(conn)
}
