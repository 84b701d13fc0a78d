//! Enterprise profiles: one row per enterprise, its answers as JSON text, versioned.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::enterprise_profiles;
use super::DbConnection;
use crate::ids::{EnterpriseId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = enterprise_profiles)]
pub struct ProfileRow {
    pub enterprise_id: EnterpriseId,
    /// The hash of the profile questionnaire the answers were checked against.
    pub questionnaire_hash: String,
    pub answers_json: String,
    /// 1 for the first save, one more for each later save.
    pub version: i32,
    pub updated_by: Option<UserId>,
    pub updated_at: NaiveDateTime,
}

/// The enterprise's profile, if it was ever saved.
pub fn find(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
) -> QueryResult<Option<ProfileRow>> {
    enterprise_profiles::table
        .filter(enterprise_profiles::enterprise_id.eq(enterprise_id))
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()
}

/// Writes `row` (carrying the new version) over the version `previous`: an insert when
/// `previous` is 0, else an update of the row that still has that version. `false` when the
/// stored version is no longer `previous`.
pub fn save(conn: &mut DbConnection, row: &ProfileRow, previous: i32) -> QueryResult<bool> {
    if previous == 0 {
        return diesel::insert_into(enterprise_profiles::table)
            .values(row)
            .execute(conn)
            .map(|n| n == 1);
    }
    let updated = diesel::update(
        enterprise_profiles::table
            .filter(enterprise_profiles::enterprise_id.eq(&row.enterprise_id))
            .filter(enterprise_profiles::version.eq(previous)),
    )
    .set((
        enterprise_profiles::questionnaire_hash.eq(&row.questionnaire_hash),
        enterprise_profiles::answers_json.eq(&row.answers_json),
        enterprise_profiles::version.eq(row.version),
        enterprise_profiles::updated_by.eq(&row.updated_by),
        enterprise_profiles::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}
