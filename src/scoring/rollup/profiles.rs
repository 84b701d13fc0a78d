//! What the profiles of accepted assessments say across the cluster: chief-data-officer
//! coverage and the indicative certification-eligibility pre-check.

use serde::Serialize;

use super::stats::{share, Percent};
use crate::questionnaire::Text;
use crate::scoring::profile::{CdoSummary, Eligibility, CDO_DUTIES};
use crate::scoring::score::{mean_half_up, Hundredths};

/// Shares are of `n`, the accepted assessments with a profile; a CDO at decision level or in
/// the charter is an appointed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CdoCoverage {
    pub n: u32,
    pub appointed: u32,
    #[schema(value_type = f64)]
    pub appointed_share: Percent,
    /// Board member or senior executive.
    pub decision_level: u32,
    #[schema(value_type = f64)]
    pub decision_level_share: Percent,
    /// Written into the charter or management rules.
    pub in_charter: u32,
    #[schema(value_type = f64)]
    pub in_charter_share: Percent,
    /// The mean number of duties an appointed CDO covers, of `duties_total`; `None` with no
    /// CDO appointed.
    #[schema(value_type = Option<f64>)]
    pub mean_duties: Option<Hundredths>,
    pub duties_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConditionCount {
    pub key: String,
    pub label: Text,
    pub met: u32,
    #[schema(value_type = f64)]
    pub share: Percent,
}

/// Shares are of `n`, the accepted assessments with a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EligibilityCounts {
    /// Always true: a pre-check, not the assessment body's decision.
    pub indicative: bool,
    pub n: u32,
    pub all_met: u32,
    #[schema(value_type = f64)]
    pub all_met_share: Percent,
    /// Each condition in the order the pre-check lists them.
    pub conditions: Vec<ConditionCount>,
}

pub fn cdo_coverage<'a>(summaries: impl IntoIterator<Item = &'a CdoSummary>) -> CdoCoverage {
    let (mut n, mut appointed, mut decision, mut charter, mut duties) = (0u64, 0, 0, 0, 0u64);
    for s in summaries {
        n += 1;
        if s.appointed {
            appointed += 1;
            decision += u64::from(s.decision_level);
            charter += u64::from(s.in_charter);
            duties += s.duties.len() as u64;
        }
    }
    CdoCoverage {
        n: n as u32,
        appointed: appointed as u32,
        appointed_share: share(appointed, n),
        decision_level: decision as u32,
        decision_level_share: share(decision, n),
        in_charter: charter as u32,
        in_charter_share: share(charter, n),
        mean_duties: (appointed > 0).then(|| Hundredths(mean_half_up(100 * duties, appointed))),
        duties_total: CDO_DUTIES.len() as u32,
    }
}

pub fn eligibility_counts<'a>(
    results: impl IntoIterator<Item = &'a Eligibility>,
) -> EligibilityCounts {
    let (mut n, mut all_met) = (0u64, 0u64);
    let mut conditions: Vec<(ConditionCount, u64)> = Vec::new();
    for e in results {
        n += 1;
        all_met += u64::from(e.all_met);
        for c in &e.conditions {
            let at = match conditions.iter().position(|(k, _)| k.key == c.key) {
                Some(at) => at,
                None => {
                    conditions.push((
                        ConditionCount {
                            key: c.key.to_owned(),
                            label: c.label.clone(),
                            met: 0,
                            share: Hundredths(0),
                        },
                        0,
                    ));
                    conditions.len() - 1
                }
            };
            if let Some((_, met)) = conditions.get_mut(at) {
                *met += u64::from(c.met);
            }
        }
    }
    EligibilityCounts {
        indicative: true,
        n: n as u32,
        all_met: all_met as u32,
        all_met_share: share(all_met, n),
        conditions: conditions
            .into_iter()
            .map(|(c, met)| ConditionCount {
                met: met as u32,
                share: share(met, n),
                ..c
            })
            .collect(),
    }
}
