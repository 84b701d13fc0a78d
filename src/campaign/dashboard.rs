//! The cluster dashboard's data: a campaign's roll-up over the enterprises a filter keeps,
//! for a caller who may read the cluster report. The API and the page both serve it.

use chrono::NaiveDate;
use serde::Serialize;

use super::load::{load, Loaded, Previous};
use crate::access;
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::domain::campaign::CampaignStatus;
use crate::domain::enterprise::Size;
use crate::error::AppError;
use crate::ids::{CampaignId, ClusterId};
use crate::scoring::rollup::{rollup, EnterpriseResult, Rollup, RollupPolicy};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignInfo {
    pub id: CampaignId,
    pub name: String,
    pub cluster_id: ClusterId,
    #[schema(value_type = String, format = Date)]
    pub due_date: NaiveDate,
    /// Days until the due date; negative once it has passed.
    pub days_left: i64,
    pub status: CampaignStatus,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub campaign: CampaignInfo,
    pub rollup: Rollup,
}

/// Which invited enterprises a roll-up covers: all, or those of one industry and size class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub industry: Option<String>,
    pub size: Option<Size>,
}

impl Filter {
    pub fn keeps(&self, e: &EnterpriseResult) -> bool {
        self.industry.as_deref().is_none_or(|i| e.industry == i)
            && self.size.is_none_or(|s| e.size == s)
    }

    pub fn is_empty(&self) -> bool {
        self.industry.is_none() && self.size.is_none()
    }
}

/// The dashboard of campaign `id` for a caller who may read its cluster report, over the
/// enterprises `filter` keeps, and the input it was computed from (all enterprises).
pub fn dashboard(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
    today: NaiveDate,
    filter: &Filter,
) -> Result<(Dashboard, Loaded), AppError> {
    let campaign = access::campaign_report(conn, user, id)?;
    let mut loaded = load(state, conn, campaign, today, Previous::Include)?;
    let rollup = loaded.with_kept(
        |e| filter.keeps(e),
        |input| rollup(input, &RollupPolicy::default()),
    );
    let c = &loaded.campaign;
    let dashboard = Dashboard {
        campaign: CampaignInfo {
            days_left: (c.due_date - today).num_days(),
            id: c.id,
            name: c.name.clone(),
            cluster_id: c.cluster_id,
            due_date: c.due_date,
            status: c.status,
        },
        rollup,
    };
    Ok((dashboard, loaded))
}
