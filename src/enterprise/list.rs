//! The enterprises of a cluster as its manager looks for them: filtered by industry, size and
//! where each stands in the cluster's current campaign, and searched by name or credit code.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::db::assessments::{self, AssessmentRow};
use crate::db::campaigns::{self, CampaignRow};
use crate::db::enterprises::EnterpriseRow;
use crate::db::schema::{answers, assessments as assessment_table, enterprises};
use crate::db::DbConnection;
use crate::domain::assessment::Stage;
use crate::domain::campaign::CampaignStatus;
use crate::domain::enterprise::Size;
use crate::ids::{AssessmentId, ClusterId, EnterpriseId};

/// Where an enterprise stands in the current campaign, as the status filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Stage(Stage),
    /// No assessment in the current campaign.
    NotInvited,
}

impl Standing {
    pub const ALL: [Standing; 6] = [
        Self::Stage(Stage::NotStarted),
        Self::Stage(Stage::InProgress),
        Self::Stage(Stage::Returned),
        Self::Stage(Stage::AwaitingReview),
        Self::Stage(Stage::Accepted),
        Self::NotInvited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stage(s) => s.as_str(),
            Self::NotInvited => "not_invited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::Stage(s) => s.label(lang),
            Self::NotInvited => lang.t("未受邀", "Not invited"),
        }
    }
}

/// What to look for; `None` and the empty text are no filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A case-insensitive part of the name or the credit code.
    pub q: String,
    /// An industry option value.
    pub industry: Option<String>,
    pub size: Option<Size>,
    pub standing: Option<Standing>,
}

impl Filter {
    /// Whether the enterprise's own fields match (the standing aside).
    pub fn matches(&self, e: &EnterpriseRow) -> bool {
        let q = self.q.trim().to_lowercase();
        let found = q.is_empty()
            || e.name.to_lowercase().contains(&q)
            || e.credit_code.to_lowercase().contains(&q);
        found
            && self.industry.as_ref().is_none_or(|i| *i == e.industry)
            && self.size.is_none_or(|s| s == e.size)
    }
}

#[derive(Debug, Clone)]
pub struct Listed {
    pub enterprise: EnterpriseRow,
    pub standing: Standing,
}

#[derive(Debug, Clone)]
pub struct Listing {
    /// The cluster's latest open campaign, else its latest; none before the first.
    pub campaign: Option<CampaignRow>,
    /// The matching enterprises by name.
    pub rows: Vec<Listed>,
    /// Every enterprise of the cluster.
    pub total: usize,
}

/// The campaign the list reports on: the latest open one, else the latest (ids grow with
/// time).
pub fn current_campaign(
    conn: &mut DbConnection,
    cluster: ClusterId,
) -> QueryResult<Option<CampaignRow>> {
    let all = campaigns::list(conn, cluster, None, 10_000)?;
    let latest_open = all
        .iter()
        .filter(|c| c.status == CampaignStatus::Open)
        .max_by_key(|c| c.id)
        .cloned();
    Ok(latest_open.or_else(|| all.into_iter().max_by_key(|c| c.id)))
}

/// The stage of each assessment of `rows`: whether anything was answered is counted in one
/// query.
pub fn stages(
    conn: &mut DbConnection,
    campaign: &CampaignRow,
    rows: &[AssessmentRow],
) -> QueryResult<HashMap<EnterpriseId, Stage>> {
    let started: HashSet<AssessmentId> = answers::table
        .inner_join(assessment_table::table)
        .filter(assessment_table::campaign_id.eq(campaign.id))
        .select(answers::assessment_id)
        .distinct()
        .load(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .iter()
        .map(|a| {
            let stage = Stage::of(a.status, started.contains(&a.id), a.return_note.is_some());
            (a.enterprise_id, stage)
        })
        .collect())
}

/// The cluster's enterprises that match `filter`, by name, with their standing in the
/// current campaign. The caller has checked that whoever asks may list them.
pub fn search(
    conn: &mut DbConnection,
    cluster: ClusterId,
    filter: &Filter,
) -> QueryResult<Listing> {
    let all: Vec<EnterpriseRow> = enterprises::table
        .filter(enterprises::cluster_id.eq(cluster))
        .select(EnterpriseRow::as_select())
        .order((enterprises::name.asc(), enterprises::id.asc()))
        .load(conn)?;
    let campaign = current_campaign(conn, cluster)?;
    let stages = match &campaign {
        Some(c) => {
            let rows = assessments::of_campaign(conn, c.id)?;
            stages(conn, c, &rows)?
        }
        None => HashMap::new(),
    };
    let total = all.len();
    let rows = all
        .into_iter()
        .filter(|e| filter.matches(e))
        .map(|e| Listed {
            standing: stages
                .get(&e.id)
                .map_or(Standing::NotInvited, |s| Standing::Stage(*s)),
            enterprise: e,
        })
        .filter(|l| filter.standing.is_none_or(|s| s == l.standing))
        .collect();
    Ok(Listing {
        campaign,
        rows,
        total,
    })
}
