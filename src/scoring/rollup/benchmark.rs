//! An enterprise's benchmark: where its verified scores stand within the cluster, its industry
//! and its size group, each group suppressed below k enterprises with accepted assessments.

use serde::Serialize;

use super::columns::{domain_of, Columns};
use super::stats::{percentile_rank, Percent};
use super::{CampaignInput, EnterpriseResult, RollupPolicy};
use crate::domain::assessment::Status;
use crate::ids::EnterpriseId;
use crate::questionnaire::{Questionnaire, Text};
use crate::scoring::score::{Hundredths, Scorecard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BenchmarkError {
    #[error("the enterprise is not in the campaign")]
    NotInCampaign,
    #[error("the enterprise's assessment is not accepted yet")]
    NotAccepted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Cluster,
    Industry,
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionReason {
    TooFewEnterprises,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Suppressed {
    pub reason: SuppressionReason,
    /// k, the fewest a group needs.
    pub min_group: u32,
    pub message: Text,
}

/// A percentile rank: the percent of the group scoring below, ties counting half, in
/// hundredths (see [`super::percentile_rank`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainPercentile {
    pub id: String,
    #[schema(value_type = f64)]
    pub score: Hundredths,
    #[schema(value_type = f64)]
    pub percentile: Percent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Percentiles {
    #[schema(value_type = f64)]
    pub overall: Percent,
    pub domains: Vec<DomainPercentile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GroupBenchmark {
    pub group: Group,
    /// The industry or the size class; none for the cluster.
    pub value: Option<String>,
    /// Enterprises of the group with accepted assessments, this one included.
    pub members: u32,
    /// `None` exactly when suppressed.
    pub percentiles: Option<Percentiles>,
    pub suppressed: Option<Suppressed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Benchmark {
    pub enterprise: EnterpriseId,
    pub cluster: GroupBenchmark,
    pub industry: GroupBenchmark,
    pub size: GroupBenchmark,
}

/// The benchmark of one enterprise whose assessment in the campaign is accepted.
pub fn benchmark(
    input: &CampaignInput<'_>,
    enterprise: EnterpriseId,
    policy: &RollupPolicy,
) -> Result<Benchmark, BenchmarkError> {
    let me = input
        .enterprises
        .iter()
        .find(|e| e.id == enterprise)
        .ok_or(BenchmarkError::NotInCampaign)?;
    let card = match (me.status, &me.verified) {
        (Status::Accepted, Some(card)) => card,
        _ => return Err(BenchmarkError::NotAccepted),
    };
    let scored: Vec<(&EnterpriseResult, &Scorecard)> = input
        .enterprises
        .iter()
        .filter(|e| e.status == Status::Accepted)
        .filter_map(|e| Some((e, e.verified.as_ref()?)))
        .collect();
    let group = |group, value, member: &dyn Fn(&EnterpriseResult) -> bool| {
        let cards: Vec<&Scorecard> = scored
            .iter()
            .filter(|(e, _)| member(e))
            .map(|(_, c)| *c)
            .collect();
        let shown = cards.len() >= policy.min_group;
        GroupBenchmark {
            group,
            value,
            members: cards.len() as u32,
            percentiles: shown.then(|| percentiles(input.questionnaire, card, &cards)),
            suppressed: (!shown).then(|| suppressed(policy.min_group)),
        }
    };
    Ok(Benchmark {
        enterprise,
        cluster: group(Group::Cluster, None, &|_| true),
        industry: group(Group::Industry, Some(me.industry.clone()), &|e| {
            e.industry == me.industry
        }),
        size: group(Group::Size, Some(me.size.as_str().to_owned()), &|e| {
            e.size == me.size
        }),
    })
}

fn percentiles(q: &Questionnaire, card: &Scorecard, group: &[&Scorecard]) -> Percentiles {
    let rank = |values: &mut Vec<u32>, value: u32| {
        values.sort_unstable();
        percentile_rank(values, value)
    };
    let mut columns = Columns::of(q, group.iter().copied());
    let domains = q
        .domains
        .iter()
        .zip(&mut columns.domains)
        .enumerate()
        .filter_map(|(di, (d, column))| {
            let score = domain_of(card, di, &d.id)?.score;
            Some(DomainPercentile {
                id: d.id.clone(),
                score,
                percentile: rank(&mut column.scores, score.0),
            })
        })
        .collect();
    Percentiles {
        overall: rank(&mut columns.overall, card.overall.score.0),
        domains,
    }
}

fn suppressed(k: usize) -> Suppressed {
    Suppressed {
        reason: SuppressionReason::TooFewEnterprises,
        min_group: k as u32,
        message: Text {
            zh: format!("该组已通过审核的企业少于 {k} 家，不显示对比。"),
            en: format!("Fewer than {k} enterprises of this group have an accepted assessment, so no comparison is shown."),
        },
    }
}
