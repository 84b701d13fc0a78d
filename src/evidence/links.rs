//! Linking evidence already uploaded to other criteria of its assessment: the set of
//! criteria a file supports is replaced as a whole, on a draft only, and audited like the
//! upload.

use serde_json::json;

use super::access::assessment_of;
use super::{check_criteria, require_draft};
use crate::audit::{self, Entry};
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::db::evidence::{self as rows, Evidence};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::ids::EvidenceId;
use crate::state::AppState;

/// Links evidence `id` to exactly `criteria` (criterion ids of its assessment's
/// questionnaire), as `user`: 404 outside the caller's scope, 403 for a role that does not
/// upload, 409 `assessment_frozen` once the assessment is no longer a draft, 422 on
/// `criteria` for an empty list or an id the questionnaire does not have. Nothing changes on
/// any failure; an unchanged set writes no audit entry.
pub fn link(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: EvidenceId,
    criteria: Vec<String>,
) -> Result<Evidence, AppError> {
    audit::write_tx(conn, |c| {
        let found = rows::find(c, id)?;
        let assessment = assessment_of(c, &user.actor, Action::Update, found.row.assessment_id)?;
        require_draft(&assessment)?;
        let q = state.questionnaire(
            c,
            &assessment.questionnaire_id,
            &assessment.questionnaire_hash,
        )?;
        let criteria =
            check_criteria(&q, criteria).map_err(|message| AppError::field("criteria", message))?;
        if criteria == found.criteria {
            return Ok(found);
        }
        rows::replace_criteria(c, id, &criteria)?;
        audit::append(
            c,
            Entry::new(user, "evidence.link", "evidence", id)
                .cluster(assessment.enterprise.cluster_id)
                .before(&json!({
                    "assessment_id": assessment.id,
                    "criteria": found.criteria,
                }))
                .after(&json!({
                    "assessment_id": assessment.id,
                    "criteria": criteria,
                })),
        )?;
        Ok(Evidence {
            row: found.row,
            criteria,
        })
    })
}
