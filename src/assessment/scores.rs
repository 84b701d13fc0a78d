//! The scores of one assessment, self-assessed and verified, as the API serves them and the
//! pages show them: one function, so a page never disagrees with `GET …/score`.

use serde::Serialize;

use crate::db::assessments::{self, AnswerRow, VerifiedRow};
use crate::db::refs::AssessmentRef;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::questionnaire::Questionnaire;
use crate::scoring::{evaluate, sheets, ScoreReport};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScorePair {
    /// As the enterprise rated itself.
    #[serde(rename = "self")]
    pub own: ScoreReport,
    /// With the auditor's verified ratings where given.
    pub verified: ScoreReport,
}

/// The scores of `a`, whose access the caller has checked, in the shape of `dcmm score
/// --format json`, each with the gap plan to `target` (default: the campaign's target level).
pub fn scores(
    state: &AppState,
    conn: &mut DbConnection,
    a: &AssessmentRef,
    target: Option<u8>,
) -> Result<ScorePair, AppError> {
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let answers = assessments::answers_of(conn, a.id)?;
    let verified = assessments::verified_of(conn, a.id)?;
    Ok(scores_of(state, &q, a, &answers, &verified, target))
}

/// [`scores`] from the rows of `a` already read, for a caller that shows them too.
pub fn scores_of(
    state: &AppState,
    q: &Questionnaire,
    a: &AssessmentRef,
    answers: &[AnswerRow],
    verified: &[VerifiedRow],
    target: Option<u8>,
) -> ScorePair {
    let (own_sheet, verified_sheet) = sheets::self_and_verified(
        q,
        answers
            .iter()
            .map(|r| (r.criterion_id.as_str(), r.rating.as_str())),
        verified
            .iter()
            .map(|r| (r.criterion_id.as_str(), r.rating.as_str())),
    );
    let target = target.or(u8::try_from(a.target_level).ok());
    let policy = &state.settings.policy;
    ScorePair {
        own: evaluate(q, &own_sheet, policy, target),
        verified: evaluate(q, &verified_sheet, policy, target),
    }
}
