//! Who may touch an assessment's evidence: the API's handlers and the pages ask here.

use crate::auth::policy::{self, Action, Kind, Resource};
use crate::db::evidence::{self as rows, Evidence};
use crate::db::refs::{self, AssessmentRef};
use crate::db::DbConnection;
use crate::domain::sharing::Detail;
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::{AssessmentId, EvidenceId};

/// The assessment, if `actor` may do `action` to its evidence: another tenant's is a 404; a
/// cluster manager needs the enterprise to share `full` (else 403 `not_shared`).
pub fn assessment_of(
    conn: &mut DbConnection,
    actor: &Actor,
    action: Action,
    assessment_id: AssessmentId,
) -> Result<AssessmentRef, AppError> {
    let assessment = refs::assessment(conn, assessment_id)?;
    let resource = Resource::new(Kind::Evidence, assessment.tenancy());
    let sharing = assessment.enterprise.sharing;
    policy::require_shared(actor, action, &resource, sharing, Detail::Evidence)?;
    Ok(assessment)
}

/// One piece of evidence the caller may read.
pub fn readable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EvidenceId,
) -> Result<Evidence, AppError> {
    let found = rows::find(conn, id)?;
    assessment_of(conn, actor, Action::Read, found.row.assessment_id)?;
    Ok(found)
}
