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
use crate::scoring::{score, stored, Scorecard, Sheet};
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
    /// Runs `f` on the roll-up input of the enterprises `keep` keeps, built by moving the
    /// loaded parts in (no copies of scorecards) and putting them back, in their order, after:
    /// the page lists every enterprise too.
    pub fn with_kept<T>(
        &mut self,
        keep: impl Fn(&EnterpriseResult) -> bool,
        f: impl FnOnce(&CampaignInput<'_>) -> T,
    ) -> T {
        let all = std::mem::take(&mut self.enterprises);
        let mut kept_at = Vec::with_capacity(all.len());
        let (mut kept, mut rest) = (Vec::new(), Vec::new());
        for e in all {
            let k = keep(&e);
            kept_at.push(k);
            if k {
                kept.push(e);
            } else {
                rest.push(e);
            }
        }
        let q = Arc::clone(&self.questionnaire);
        let crosswalk = self.crosswalk.clone();
        let (previous_q, previous_cards) = match self.previous.as_mut() {
            Some((pq, cards)) => (Some(Arc::clone(pq)), std::mem::take(cards)),
            None => (None, Vec::new()),
        };
        let input = CampaignInput {
            questionnaire: &q,
            target_level: u8::try_from(self.campaign.target_level).unwrap_or(3),
            enterprises: kept,
            previous: previous_q.as_deref().map(|pq| PreviousCampaign {
                questionnaire: pq,
                verified: previous_cards,
                crosswalk: crosswalk.as_deref(),
            }),
        };
        let out = f(&input);
        let CampaignInput {
            enterprises,
            previous,
            ..
        } = input;
        if let (Some((_, cards)), Some(p)) = (self.previous.as_mut(), previous) {
            *cards = p.verified;
        }
        let (mut kept, mut rest) = (enterprises.into_iter(), rest.into_iter());
        self.enterprises = kept_at
            .into_iter()
            .filter_map(|k| if k { kept.next() } else { rest.next() })
            .collect();
        out
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

/// The scorecard of a frozen sheet: the stored card when it was computed under the running
/// policy (`key`) and fits the questionnaire, else the sheet scored again.
fn card(
    state: &AppState,
    q: &Questionnaire,
    key: &str,
    frozen: rows::Frozen<'_>,
) -> Option<Scorecard> {
    if frozen.key == Some(key) {
        if let Some(card) = frozen.card.and_then(|c| stored::decode(q, c)) {
            return Some(card);
        }
    }
    frozen
        .sheet
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
    let key = stored::policy_key(&state.settings.policy);
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
        let own = card(state, &q, &key, r.own());
        let verified = card(state, &q, &key, r.verified());
        enterprises.push(EnterpriseResult {
            id: r.enterprise_id,
            name: r.name,
            industry: r.industry,
            size: r.size,
            sharing: r.sharing,
            started: r.version > 0 || status != Status::Draft,
            overdue: status == Status::Draft && campaign.due_date < today,
            own,
            verified,
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
            let cards = rows::accepted_verified(conn, prev.id)?
                .iter()
                .filter_map(|v| card(state, &pq, &key, v.frozen()))
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
