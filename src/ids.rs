//! Typed ids. Every id is a UUID (v7 when the service makes it) stored as text; a value of one
//! of these types has been parsed and cannot be malformed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| InvalidId)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }
    };
}

/// Every id type stored as text, for the storage layer's conversions.
#[macro_export]
macro_rules! for_each_id {
    ($m:ident) => {
        $m!($crate::ids::UserId);
        $m!($crate::ids::ClusterId);
        $m!($crate::ids::EnterpriseId);
        $m!($crate::ids::SessionId);
        $m!($crate::ids::CampaignId);
        $m!($crate::ids::AssessmentId);
        $m!($crate::ids::ReviewId);
        $m!($crate::ids::EvidenceId);
    };
}

/// The text was not a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("is not a UUID")]
pub struct InvalidId;

id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A cluster (产业集群), the tenant of cluster managers and auditors.
    ClusterId
);
id_type!(
    /// An enterprise of a cluster, the tenant of enterprise users.
    EnterpriseId
);
id_type!(
    /// A login session: the family of refresh tokens that grew from one login.
    SessionId
);
id_type!(
    /// A campaign (评估批次) of a cluster.
    CampaignId
);
id_type!(
    /// An enterprise's assessment in a campaign.
    AssessmentId
);
id_type!(
    /// An auditor's review of an assessment: its decision, note and verified ratings.
    ReviewId
);
id_type!(
    /// A piece of evidence: one uploaded file attached to an assessment.
    EvidenceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = UserId::new();
        let text = id.to_string();
        assert_eq!(text.parse::<UserId>().unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!("not-a-uuid".parse::<ClusterId>(), Err(InvalidId));
    }
}
