//! Stored scorecards kept current: at start-up, the cards of every frozen assessment stored
//! under another policy key (another policy, another scoring version, or none yet) are scored
//! again from the frozen sheets, a batch at a time.

use crate::audit;
use crate::db::assessments::cards::{self, StaleRow, StoredCards};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::scoring::{stored, Sheet};
use crate::state::AppState;

/// How many assessments one transaction of the pass scores again.
const BATCH: i64 = 500;

/// Scores again the stored cards that were not computed under the running policy; answers
/// how many assessments it wrote. Blocking.
pub fn refresh(state: &AppState) -> Result<usize, AppError> {
    let key = stored::policy_key(&state.settings.policy);
    let mut conn = state.writer.get()?;
    let mut written = 0;
    loop {
        let done = audit::write_tx(&mut conn, |c| refresh_batch(state, c, &key))?;
        if done == 0 {
            return Ok(written);
        }
        written += done;
    }
}

/// One batch of [`refresh`]; 0 when nothing is left.
fn refresh_batch(state: &AppState, conn: &mut DbConnection, key: &str) -> Result<usize, AppError> {
    let rows = cards::stale(conn, key, BATCH)?;
    for row in &rows {
        // In a write transaction: no submission or review changes the sheets meanwhile.
        let fresh = rescored(state, conn, row);
        cards::store(conn, row.id, &fresh)?;
    }
    Ok(rows.len())
}

/// The cards of a stale row under the running policy. A sheet that does not fit its
/// questionnaire has no card, as the roll-up scores it; so has an assessment whose
/// questionnaire cannot be read (logged), which the roll-up then scores, and fails on, itself.
fn rescored(state: &AppState, conn: &mut DbConnection, row: &StaleRow) -> StoredCards {
    let policy = &state.settings.policy;
    match state.questionnaire(conn, &row.questionnaire_id, &row.questionnaire_hash) {
        Ok(q) => {
            let sheet = |s: &Option<String>| s.as_deref().and_then(|s| Sheet::from_compact(&q, s));
            let (own, verified) = (sheet(&row.own_sheet), sheet(&row.verified_sheet));
            StoredCards::scored(&q, own.as_ref(), verified.as_ref(), policy)
        }
        Err(e) => {
            tracing::warn!(assessment = %row.id, error = %e, "no stored scorecard: questionnaire unreadable");
            StoredCards {
                key: Some(stored::policy_key(policy)),
                ..StoredCards::default()
            }
        }
    }
}
