//! Issued reports: one row per report id, with the SHA-256 of its PDF, what it is about, who
//! first asked for it and when. Later requests for the same report (the same content gives the
//! same id and bytes) are in the audit log.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::reports;
use super::DbConnection;
use crate::ids::ReportId;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: ReportId,
    /// `assessment` or `campaign`.
    pub kind: String,
    pub subject_id: String,
    pub language: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub policy_version: String,
    pub requested_by: Option<String>,
    pub created_at: NaiveDateTime,
    /// What the report prints: the enterprise, or the cluster and campaign.
    pub subject_name: Option<String>,
    /// The day of its data.
    pub data_date: Option<NaiveDate>,
    /// The indicated level (an enterprise report) or readiness tier (a cluster report), as
    /// printed in the report's language.
    pub indicated_level: Option<String>,
    /// Every page says the report is not final (an assessment not yet accepted).
    pub not_final: Option<bool>,
}

pub fn find(conn: &mut DbConnection, id: ReportId) -> QueryResult<Option<ReportRow>> {
    reports::table
        .filter(reports::id.eq(id))
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_sha256(conn: &mut DbConnection, sha256: &str) -> QueryResult<Option<ReportRow>> {
    reports::table
        .filter(reports::sha256.eq(sha256))
        .select(ReportRow::as_select())
        .order(reports::created_at.asc())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &ReportRow) -> QueryResult<()> {
    diesel::insert_into(reports::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}
