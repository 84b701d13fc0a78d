//! What an enterprise lets its cluster manager see (auditors and admins see everything in
//! their scope; aggregate, anonymous cluster statistics always include every enterprise).

use serde::{Deserialize, Serialize};

#[derive(
    diesel::AsExpression,
    diesel::FromSqlRow,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// Answers, evidence, scores, profile and the enterprise report.
    Full,
    /// Scores and the profile, not the answers or the evidence behind them.
    Scores,
    /// Only anonymous cluster statistics: the enterprise never appears by name in them.
    Anonymous,
}

/// A kind of per-enterprise detail a cluster manager may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Answers,
    Evidence,
    Scores,
    Profile,
    Report,
}

impl Detail {
    /// Every detail, in the order a reader would weigh them.
    pub const ALL: [Detail; 5] = [
        Self::Answers,
        Self::Evidence,
        Self::Report,
        Self::Scores,
        Self::Profile,
    ];
}

impl Sharing {
    pub const ALL: [Sharing; 3] = [Self::Full, Self::Scores, Self::Anonymous];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Scores => "scores",
            Self::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether the cluster manager may see this detail of the enterprise.
    pub fn shows(self, detail: Detail) -> bool {
        match self {
            Self::Full => true,
            Self::Scores => matches!(detail, Detail::Scores | Detail::Profile),
            Self::Anonymous => false,
        }
    }
}

crate::text_enum!(Sharing);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_shows_what_it_says() {
        let all = Detail::ALL;
        assert!(all.iter().all(|d| Sharing::Full.shows(*d)));
        let scores: Vec<_> = all.iter().filter(|d| Sharing::Scores.shows(**d)).collect();
        assert_eq!(scores, [&Detail::Scores, &Detail::Profile]);
        assert!(!all.iter().any(|d| Sharing::Anonymous.shows(*d)));
    }
}
