//! An enterprise's assessments as its home page lists them: each with its campaign, where it
//! stands and how far its answers have come per domain. The answers of all of them are
//! counted from one query.

use std::collections::{HashMap, HashSet};

use super::progress::{progress_of, Progress};
use crate::db::assessments::AssessmentRow;
use crate::db::campaigns::CampaignRow;
use crate::db::own_assessments;
use crate::db::DbConnection;
use crate::domain::assessment::Stage;
use crate::error::AppError;
use crate::ids::{AssessmentId, EnterpriseId};
use crate::questionnaire::Text;
use crate::state::AppState;

/// An enterprise has one assessment per campaign; a home page lists at most this many.
const LIMIT: i64 = 200;

#[derive(Debug, Clone)]
pub struct Overview {
    pub assessment: AssessmentRow,
    pub campaign: CampaignRow,
    /// The title of the questionnaire the assessment is pinned to.
    pub questionnaire: Text,
    pub stage: Stage,
    pub progress: Progress,
}

/// The assessments of `enterprise`, the newest campaign first. The caller has checked that
/// whoever asks may list them.
pub fn of_enterprise(
    state: &AppState,
    conn: &mut DbConnection,
    enterprise: EnterpriseId,
) -> Result<Vec<Overview>, AppError> {
    let rows = own_assessments::with_campaigns(conn, enterprise, LIMIT)?;
    let ids: Vec<AssessmentId> = rows.iter().map(|(a, _)| a.id).collect();
    let mut answered: HashMap<AssessmentId, Vec<String>> = HashMap::new();
    for (id, criterion) in own_assessments::answered_in(conn, &ids)? {
        answered.entry(id).or_default().push(criterion);
    }
    let mut out = Vec::with_capacity(rows.len());
    for (assessment, campaign) in rows {
        let q = state.questionnaire(
            conn,
            &assessment.questionnaire_id,
            &assessment.questionnaire_hash,
        )?;
        let ids: HashSet<&str> = answered
            .get(&assessment.id)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let progress = progress_of(&q, &ids);
        let stage = Stage::of(
            assessment.status,
            progress.answered > 0,
            assessment.return_note.is_some(),
        );
        out.push(Overview {
            questionnaire: q.title.clone(),
            stage,
            progress,
            assessment,
            campaign,
        });
    }
    Ok(out)
}
