//! A campaign's roll-up input, loaded once from storage: its questionnaire version, every
//! invited enterprise with its scorecards, profile, eligibility and CDO summary, and the
//! cluster's previous campaign when the change since then is wanted.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::db::campaigns::CampaignRow;
use crate::db::{rollup as rows, DbConnection};
use crate::domain::assessment::Status;
use crate::domain::campaign::CampaignStatus;
use crate::error::AppError;
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Crosswalk, Questionnaire};
use crate::scoring::profile::{cdo_summary, eligibility, EligibilityRules};
use crate::scoring::rollup::{CampaignInput, EnterpriseResult, PreviousCampaign};
use crate::scoring::{score, Scorecard, Sheet};
use crate::state::AppState;

/// Everything a campaign's roll-up is computed from, loaded once.
pub struct Loaded {
    pub campaign: CampaignRow,
    pub questionnaire: Arc<Questionnaire>,
    pub enterprises: Vec<EnterpriseResult>,
    pub previous: Option<(Arc<Questionnaire>, Vec<Scorecard>)>,
    /// The crosswalk joining the previous campaign's edition with this one's, if it differs
    /// and one is loaded.
    pub crosswalk: Option<Arc<Crosswalk>>,
}

impl Loaded {
    /// The roll-up input as a copy, leaving the loaded parts for the caller (the page lists
    /// the enterprises too).
    pub fn input(&self) -> CampaignInput<'_> {
        CampaignInput {
            questionnaire: &self.questionnaire,
            target_level: u8::try_from(self.campaign.target_level).unwrap_or(3),
            enterprises: self.enterprises.clone(),
            previous: self.previous.as_ref().map(|(q, cards)| PreviousCampaign {
                questionnaire: q,
                verified: cards.clone(),
                crosswalk: self.crosswalk.as_deref(),
            }),
        }
    }

    /// Hands the roll-up input, built by moving the loaded parts (no copies of scorecards),
    /// to `f` with the campaign.
    pub fn with_input<T>(self, f: impl FnOnce(&CampaignInput<'_>, CampaignRow) -> T) -> T {
        let Loaded {
            campaign,
            questionnaire,
            enterprises,
            previous,
            crosswalk,
        } = self;
        let (previous_q, previous_cards) = match previous {
            Some((q, cards)) => (Some(q), cards),
            None => (None, Vec::new()),
        };
        let input = CampaignInput {
            questionnaire: &questionnaire,
            target_level: u8::try_from(campaign.target_level).unwrap_or(3),
            enterprises,
            previous: previous_q.as_deref().map(|q| PreviousCampaign {
                questionnaire: q,
                verified: previous_cards,
                crosswalk: crosswalk.as_deref(),
            }),
        };
        f(&input, campaign)
    }
}

fn card(state: &AppState, q: &Questionnaire, sheet: Option<&str>) -> Option<Scorecard> {
    sheet
        .and_then(|s| Sheet::from_compact(q, s))
        .map(|s| score(q, &s, &state.settings.policy))
}

/// What [`load`] reads beyond the campaign itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// Also the cluster's previous campaign, for the change since then (the roll-up).
    Include,
    /// Not needed (benchmarks, exports): saves its queries and scoring.
    Skip,
}

/// Loads a campaign's roll-up input.
pub fn load(
    state: &AppState,
    conn: &mut DbConnection,
    campaign: CampaignRow,
    today: NaiveDate,
    previous: Previous,
) -> Result<Loaded, AppError> {
    let q = state.questionnaire(
        conn,
        &campaign.questionnaire_id,
        &campaign.questionnaire_hash,
    )?;
    let rules = EligibilityRules::for_edition(&q.edition);
    let mut enterprises = Vec::new();
    for r in rows::invited(conn, campaign.id)? {
        let status = r.status;
        // A closed campaign reads the profile as it stood at closing, so its report stays final.
        let stored = match campaign.status {
            CampaignStatus::Closed => r.profile_at_close.as_deref(),
            CampaignStatus::Open => r.profile.as_deref(),
        };
        let profile: Option<ProfileAnswers> = match stored {
            Some(p) => Some(serde_json::from_str(p).map_err(|e| {
                AppError::Internal(anyhow::anyhow!(
                    "stored profile of enterprise {}: {e}",
                    r.enterprise_id
                ))
            })?),
            None => None,
        };
        enterprises.push(EnterpriseResult {
            id: r.enterprise_id,
            name: r.name,
            industry: r.industry,
            size: r.size,
            sharing: r.sharing,
            started: r.version > 0 || status != Status::Draft,
            overdue: status == Status::Draft && campaign.due_date < today,
            own: card(state, &q, r.own_sheet.as_deref()),
            verified: card(state, &q, r.verified_sheet.as_deref()),
            eligibility: profile.as_ref().map(|p| eligibility(p, &rules)),
            cdo: profile.as_ref().map(cdo_summary),
            status,
        });
    }
    let earlier = match previous {
        Previous::Include => rows::previous(conn, &campaign)?,
        Previous::Skip => None,
    };
    let previous = match earlier {
        Some(prev) => {
            let pq = state.questionnaire(conn, &prev.questionnaire_id, &prev.questionnaire_hash)?;
            let cards = rows::accepted_sheets(conn, prev.id)?
                .iter()
                .filter_map(|s| card(state, &pq, Some(s)))
                .collect();
            Some((pq, cards))
        }
        None => None,
    };
    let crosswalk = previous.as_ref().and_then(|(pq, _)| {
        state
            .questionnaires
            .crosswalk_between(&pq.id, &q.id)
            .cloned()
    });
    Ok(Loaded {
        campaign,
        questionnaire: q,
        enterprises,
        previous,
        crosswalk,
    })
}
