//! The scorecards stored beside an assessment's frozen sheets (`assessment_cards`), and the
//! key of the policy they were computed under (`scoring::stored`).

use diesel::prelude::*;

use crate::db::schema::{assessment_cards, assessments};
use crate::db::DbConnection;
use crate::ids::AssessmentId;
use crate::questionnaire::Questionnaire;
use crate::scoring::{score, stored, Policy, Sheet};

/// An assessment's stored scorecards as they are written: all `None` for a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredCards {
    pub own: Option<Vec<u8>>,
    pub verified: Option<Vec<u8>>,
    /// The policy key both cards were computed under.
    pub key: Option<String>,
}

impl StoredCards {
    /// The cards of a frozen assessment's sheets, scored under `policy`.
    pub fn scored(
        q: &Questionnaire,
        own: Option<&Sheet>,
        verified: Option<&Sheet>,
        policy: &Policy,
    ) -> Self {
        let card = |sheet: Option<&Sheet>| sheet.and_then(|s| stored::encode(&score(q, s, policy)));
        Self {
            own: card(own),
            verified: card(verified),
            key: Some(stored::policy_key(policy)),
        }
    }
}

/// A frozen assessment whose stored cards were computed under another policy key, or never.
#[derive(Debug, Clone, Queryable)]
pub struct StaleRow {
    pub id: AssessmentId,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub own_sheet: Option<String>,
    pub verified_sheet: Option<String>,
}

/// At most `limit` frozen assessments whose cards are not stored under `key`.
pub fn stale(conn: &mut DbConnection, key: &str, limit: i64) -> QueryResult<Vec<StaleRow>> {
    assessments::table
        .left_join(assessment_cards::table)
        .filter(
            assessments::own_sheet
                .is_not_null()
                .or(assessments::verified_sheet.is_not_null()),
        )
        .filter(
            assessment_cards::card_key
                .nullable()
                .is_null()
                .or(assessment_cards::card_key.nullable().ne(key)),
        )
        .order(assessments::id.asc())
        .limit(limit)
        .select((
            assessments::id,
            assessments::questionnaire_id,
            assessments::questionnaire_hash,
            assessments::own_sheet,
            assessments::verified_sheet,
        ))
        .load(conn)
}

/// Replaces the assessment's stored cards with `cards`; without a key, removes them.
pub fn store(conn: &mut DbConnection, id: AssessmentId, cards: &StoredCards) -> QueryResult<()> {
    diesel::delete(assessment_cards::table.filter(assessment_cards::assessment_id.eq(id)))
        .execute(conn)?;
    if let Some(key) = &cards.key {
        diesel::insert_into(assessment_cards::table)
            .values((
                assessment_cards::assessment_id.eq(id),
                assessment_cards::own_card.eq(&cards.own),
                assessment_cards::verified_card.eq(&cards.verified),
                assessment_cards::card_key.eq(key),
            ))
            .execute(conn)?;
    }
    Ok(())
}
