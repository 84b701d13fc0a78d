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

/// Where an assessment stands for the people following it: the status, with a draft told
/// apart by whether anything was saved and whether an auditor sent it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotStarted,
    InProgress,
    Returned,
    AwaitingReview,
    Accepted,
}

impl Stage {
    /// `started`: something was saved; `returned`: an auditor sent the draft back.
    pub fn of(status: Status, started: bool, returned: bool) -> Self {
        match status {
            Status::Accepted => Self::Accepted,
            Status::Submitted => Self::AwaitingReview,
            Status::Draft if returned => Self::Returned,
            Status::Draft if started => Self::InProgress,
            Status::Draft => Self::NotStarted,
        }
    }

    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::NotStarted => lang.t("未开始", "Not started"),
            Self::InProgress => lang.t("填写中", "In progress"),
            Self::Returned => lang.t("已退回", "Returned"),
            Self::AwaitingReview => lang.t("待审核", "Awaiting review"),
            Self::Accepted => lang.t("已通过", "Accepted"),
        }
    }

    /// The stable name of the stage, for a page's classes and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Returned => "returned",
            Self::AwaitingReview => "awaiting_review",
            Self::Accepted => "accepted",
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Lang;

    #[test]
    fn a_draft_is_not_started_until_something_is_saved_and_returned_once_sent_back() {
        let of = |status, started, returned| Stage::of(status, started, returned).label(Lang::Zh);
        assert_eq!(of(Status::Draft, false, false), "未开始");
        assert_eq!(of(Status::Draft, true, false), "填写中");
        assert_eq!(of(Status::Draft, true, true), "已退回");
        assert_eq!(of(Status::Submitted, true, false), "待审核");
        assert_eq!(of(Status::Accepted, true, false), "已通过");
        assert_eq!(Stage::Returned.label(Lang::En), "Returned");
    }
}
