//! Whether a campaign still takes answers.

use serde::{Deserialize, Serialize};

/// A campaign is open until it is closed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Open,
    Closed,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 2] = [Self::Open, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// The status as pages and reports name it.
    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::Open => lang.t("进行中", "open"),
            Self::Closed => lang.t("已结束", "closed"),
        }
    }
}

crate::text_enum!(CampaignStatus);
