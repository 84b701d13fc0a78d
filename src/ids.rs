//! Typed ids. Every id is a UUID (v7 when the service makes it) stored as text, except a
//! report's, which is derived from its content; a value of one of these types has been parsed
//! and cannot be malformed.

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
        $m!($crate::ids::ReportId);
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

/// An issued report: `DCMM-` and four groups of four hex digits, printed in every page's
/// footer. Made from a SHA-256 of the report's content (`report::issue::report_id`), so it is
/// not a UUID. Parsing takes either case, as someone copying it from paper may type it; it
/// always prints in upper case, the form that is stored.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    utoipa::ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[schema(
    value_type = String,
    pattern = "^DCMM-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$",
    example = "DCMM-1A2B-3C4D-5E6F-7A8B"
)]
pub struct ReportId(u64);

impl ReportId {
    /// The id whose digits are the first eight bytes of `digest`.
    pub fn from_digest(digest: &[u8]) -> Self {
        let mut bytes = [0u8; 8];
        for (b, d) in bytes.iter_mut().zip(digest) {
            *b = *d;
        }
        Self(u64::from_be_bytes(bytes))
    }
}

/// The text was not a report id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("is not a report id (DCMM-XXXX-XXXX-XXXX-XXXX)")]
pub struct InvalidReportId;

impl FromStr for ReportId {
    type Err = InvalidReportId;

    fn from_str(s: &str) -> Result<Self, InvalidReportId> {
        let s = s.trim();
        let (prefix, groups) = s.split_at_checked(5).ok_or(InvalidReportId)?;
        if !prefix.eq_ignore_ascii_case("DCMM-") {
            return Err(InvalidReportId);
        }
        let mut digits = String::with_capacity(16);
        let mut count = 0;
        for group in groups.split('-') {
            count += 1;
            if count > 4 || group.len() != 4 || !group.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(InvalidReportId);
            }
            digits.push_str(group);
        }
        if count != 4 {
            return Err(InvalidReportId);
        }
        u64::from_str_radix(&digits, 16)
            .map(Self)
            .map_err(|_| InvalidReportId)
    }
}

impl fmt::Display for ReportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = format!("{:016X}", self.0);
        write!(
            f,
            "DCMM-{}-{}-{}-{}",
            &hex[0..4],
            &hex[4..8],
            &hex[8..12],
            &hex[12..16]
        )
    }
}

impl Serialize for ReportId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

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

    #[test]
    fn a_report_id_round_trips_through_text_and_json() {
        let id: ReportId = "DCMM-1A2B-3C4D-5E6F-7A8B".parse().unwrap();
        assert_eq!(id.to_string(), "DCMM-1A2B-3C4D-5E6F-7A8B");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"DCMM-1A2B-3C4D-5E6F-7A8B\""
        );
        let back: ReportId = serde_json::from_str("\"DCMM-1A2B-3C4D-5E6F-7A8B\"").unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ReportId>("\"DCMM-1A2B\"").is_err());
        let zero = ReportId::from_digest(&[0; 32]);
        assert_eq!(zero.to_string(), "DCMM-0000-0000-0000-0000");
        let digest = [0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x7a, 0x8b, 0xff];
        assert_eq!(ReportId::from_digest(&digest), id);
    }

    #[test]
    fn a_report_id_is_read_in_either_case_and_printed_in_upper_case() {
        for text in [
            "dcmm-1a2b-3c4d-5e6f-7a8b",
            "DCMM-1a2B-3C4d-5e6f-7A8b",
            " DCMM-1A2B-3C4D-5E6F-7A8B ",
        ] {
            let id: ReportId = text.parse().unwrap();
            assert_eq!(id.to_string(), "DCMM-1A2B-3C4D-5E6F-7A8B", "{text}");
        }
    }

    #[test]
    fn a_malformed_report_id_is_refused() {
        for bad in [
            "",
            "DCMM-",
            "DCMM-1A2B-3C4D-5E6F",
            "DCMM-1A2B-3C4D-5E6F-7A8B-9C0D",
            "DCMM-1A2B-3C4D-5E6F-7A8",
            "DCMM-1A2B-3C4D-5E6F-7A8BC",
            "DCMM-1A2B3C4D-5E6F-7A8B",
            "DCMM-1A2B-3C4D-5E6F-7A8G",
            "DCMM-+A2B-3C4D-5E6F-7A8B",
            "RPT-1A2B-3C4D-5E6F-7A8B",
            "XCMM-1A2B-3C4D-5E6F-7A8B",
            "1A2B-3C4D-5E6F-7A8B",
            "DCMM1A2B-3C4D-5E6F-7A8B",
            "018f0c1e-7b2a-7c3d-9e4f-0123456789ab",
            "DCMM-1A2B-3C4D-5E6F-７A8B",
        ] {
            assert_eq!(bad.parse::<ReportId>(), Err(InvalidReportId), "{bad:?}");
        }
    }
}
