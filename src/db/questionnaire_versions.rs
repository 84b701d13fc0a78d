//! The stored text of every questionnaire version assessments may be pinned to.

use chrono::Utc;
use diesel::prelude::*;

use super::schema::questionnaire_versions;
use super::DbConnection;
use crate::questionnaire::Registry;

/// Stores every loaded DCMM questionnaire's text under its hash, once.
pub fn sync(conn: &mut DbConnection, registry: &Registry) -> QueryResult<usize> {
    let mut added = 0;
    for (id, hash, text) in registry.dcmm_sources() {
        let known: i64 = questionnaire_versions::table
            .filter(questionnaire_versions::hash.eq(hash))
            .count()
            .get_result(conn)?;
        if known == 0 {
            diesel::insert_into(questionnaire_versions::table)
                .values((
                    questionnaire_versions::hash.eq(hash),
                    questionnaire_versions::questionnaire_id.eq(id),
                    questionnaire_versions::source.eq(text),
                    questionnaire_versions::first_loaded_at.eq(Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            added += 1;
        }
    }
    Ok(added)
}

pub fn source(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<String>> {
    questionnaire_versions::table
        .filter(questionnaire_versions::hash.eq(hash))
        .select(questionnaire_versions::source)
        .first(conn)
        .optional()
}
