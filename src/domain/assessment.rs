//! The life of an assessment: draft → submitted → accepted, or returned to draft with a note.

use serde::{Deserialize, Serialize};

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
pub enum Status {
    /// Being filled in; answers and evidence may change.
    Draft,
    /// Handed in: frozen until an auditor accepts or returns it.
    Submitted,
    /// Accepted by an auditor: frozen for good.
    Accepted,
}

impl Status {
    pub const ALL: [Status; 3] = [Self::Draft, Self::Submitted, Self::Accepted];

    /// The status as pages and reports name it.
    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::Draft => lang.t("填写中", "draft"),
            Self::Submitted => lang.t("待审核", "awaiting review"),
            Self::Accepted => lang.t("已通过", "accepted"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Answers, evidence and the profile of this assessment may still change.
    pub fn is_editable(self) -> bool {
        self == Self::Draft
    }
}

crate::text_enum!(Status);

/// An auditor's decision on a submitted assessment.
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
pub enum Decision {
    /// The assessment is accepted for good.
    Accept,
    /// Back to draft, with the auditor's note.
    Return,
}

impl Decision {
    pub const ALL: [Decision; 2] = [Self::Accept, Self::Return];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Return => "return",
        }
    }

    /// The decision as pages and reports name it.
    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::Accept => lang.t("通过", "accepted"),
            Self::Return => lang.t("退回修改", "returned"),
        }
    }
}

crate::text_enum!(Decision);
