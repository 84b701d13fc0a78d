//! The scoring policy: every constant of DESIGN.md section 4 in one configurable struct.

use serde::{Deserialize, Serialize};

/// A compliance rating of one criterion (条款符合度).
#[derive(
    diesel::AsExpression,
    diesel::FromSqlRow,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// 不满足
    Not,
    /// 一般满足
    Partially,
    /// 大部分满足
    Largely,
    /// 完全满足
    Fully,
    /// Not applicable: excluded from its level, only where the criterion allows it.
    Na,
}

impl Rating {
    pub const ALL: [Rating; 5] = [
        Self::Fully,
        Self::Largely,
        Self::Partially,
        Self::Not,
        Self::Na,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fully => "fully",
            Self::Largely => "largely",
            Self::Partially => "partially",
            Self::Not => "not",
            Self::Na => "na",
        }
    }
}

/// Rating points, in hundredths of a level (0–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub fully: u32,
    pub largely: u32,
    pub partially: u32,
    pub not: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub points: Points,
    /// τ: the level score (0–100) every level up to k must reach for level k to be achieved.
    pub pass_threshold: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            points: Points {
                fully: 100,
                largely: 70,
                partially: 50,
                not: 0,
            },
            pass_threshold: 70,
        }
    }
}

impl Policy {
    /// The points of a rating; `None` for N/A, which is excluded. An unanswered criterion counts
    /// as `not`.
    pub fn points_of(&self, rating: Option<Rating>) -> Option<u32> {
        match rating {
            Some(Rating::Fully) => Some(self.points.fully),
            Some(Rating::Largely) => Some(self.points.largely),
            Some(Rating::Partially) => Some(self.points.partially),
            Some(Rating::Not) | None => Some(self.points.not),
            Some(Rating::Na) => None,
        }
    }

    /// A printable version that names every constant, so a report says exactly how it scored.
    pub fn version(&self) -> String {
        let p = &self.points;
        format!(
            "dcmm-policy-1 tau={} points={}/{}/{}/{}",
            self.pass_threshold, p.fully, p.largely, p.partially, p.not
        )
    }

    /// Refuses constants that would break the scoring rules (a level score above 100, points
    /// out of order, a threshold no level could reach).
    pub fn validate(&self) -> Result<(), String> {
        let p = &self.points;
        if p.fully > 100 {
            return Err("points.fully must be at most 100".into());
        }
        if !(p.fully >= p.largely && p.largely >= p.partially && p.partially >= p.not) {
            return Err(
                "points must not increase from fully to largely to partially to not".into(),
            );
        }
        if self.pass_threshold == 0 || self.pass_threshold > p.fully {
            return Err(format!(
                "pass_threshold must be between 1 and points.fully ({})",
                p.fully
            ));
        }
        Ok(())
    }
}

/// The rating `rating` (`fully`, `largely`, `partially`, `not` or `na`) given to `criterion` of
/// `q`, or why it cannot be.
pub fn check_rating(
    q: &crate::questionnaire::Questionnaire,
    criterion: &str,
    rating: &str,
) -> Result<Rating, &'static str> {
    let c = q
        .criterion(criterion)
        .ok_or("no such criterion in this questionnaire")?;
    let r = Rating::parse(rating).ok_or("must be fully, largely, partially, not or na")?;
    if r == Rating::Na && !c.allow_na {
        return Err("this criterion does not allow na");
    }
    Ok(r)
}

crate::text_enum!(Rating);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_names_its_constants() {
        let p = Policy::default();
        p.validate().unwrap();
        assert_eq!(p.version(), "dcmm-policy-1 tau=70 points=100/70/50/0");
    }

    #[test]
    fn bad_constants_are_refused() {
        for pass_threshold in [0, 101] {
            let p = Policy {
                pass_threshold,
                ..Policy::default()
            };
            assert!(p.validate().is_err());
        }
        let mut p = Policy::default();
        p.points.largely = 120;
        assert!(p.validate().is_err());
    }

    #[test]
    fn ratings_parse_from_their_names() {
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(r));
        }
        assert_eq!(Rating::parse("mostly"), None);
    }
}
