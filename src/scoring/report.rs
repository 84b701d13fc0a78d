//! The scored result in the one shape the command line and the API both print.

use serde::Serialize;

use super::gap::{gap_plan, GapStep};
use super::policy::Policy;
use super::score::{score, DomainScore, Overall, Sheet};
use crate::questionnaire::Questionnaire;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScoredQuestionnaire {
    pub id: String,
    pub edition: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScoreReport {
    pub questionnaire: ScoredQuestionnaire,
    /// The scoring-policy version, naming every constant.
    pub policy: String,
    pub overall: Overall,
    pub domains: Vec<DomainScore>,
    /// Present when a target level was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<Vec<GapStep>>,
}

/// Scores a sheet, with the gap plan to `target` when one is given.
pub fn evaluate(
    q: &Questionnaire,
    sheet: &Sheet,
    policy: &Policy,
    target: Option<u8>,
) -> ScoreReport {
    let card = score(q, sheet, policy);
    let gap = target.map(|t| gap_plan(q, sheet, &card, policy, t));
    ScoreReport {
        questionnaire: ScoredQuestionnaire {
            id: q.id.clone(),
            edition: q.edition.clone(),
            hash: q.hash.clone(),
        },
        policy: policy.version(),
        overall: card.overall,
        domains: card.domains,
        gap,
    }
}
