//! The cluster's readiness tier (DESIGN.md section 5): indicative, from the mean overall score
//! S of accepted assessments and the shares of enterprises at or above a level.

use serde::Serialize;

use super::stats::{share, Percent};
use super::LevelDistribution;
use crate::questionnaire::Text;
use crate::scoring::score::Hundredths;

/// 基础级 / 成长级 / 跃升级 / 引领级, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Foundational,
    Growing,
    Advancing,
    Leading,
}

impl Tier {
    pub fn name(self) -> Text {
        let (zh, en) = match self {
            Self::Foundational => ("基础级", "Foundational"),
            Self::Growing => ("成长级", "Growing"),
            Self::Advancing => ("跃升级", "Advancing"),
            Self::Leading => ("引领级", "Leading"),
        };
        Text {
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }
}

/// A tier is reached when S ≥ `min_mean` and the share at level ≥ `level` is ≥ `min_share`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TierRule {
    #[schema(value_type = f64)]
    pub min_mean: Hundredths,
    pub level: u8,
    /// A percent in hundredths: 5000 is 50 %.
    #[schema(value_type = f64)]
    pub min_share: Percent,
}

/// The rules from the highest tier down; Foundational is what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TierRules {
    pub leading: TierRule,
    pub advancing: TierRule,
    pub growing: TierRule,
}

impl Default for TierRules {
    /// Leading: S ≥ 3.00 and P3 ≥ 50 %; Advancing: S ≥ 2.50 and P3 ≥ 25 %;
    /// Growing: S ≥ 2.00 and P2 ≥ 50 %.
    fn default() -> Self {
        let rule = |mean, level, share| TierRule {
            min_mean: Hundredths(mean),
            level,
            min_share: Hundredths(share),
        };
        Self {
            leading: rule(300, 3, 5000),
            advancing: rule(250, 3, 2500),
            growing: rule(200, 2, 5000),
        }
    }
}

/// One rule against the campaign's figures. Figures are compared as shown, in hundredths
/// rounded half up, so a reader checking the report by hand reaches the same tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TierCheck {
    pub tier: Tier,
    pub rule: TierRule,
    /// S, the mean overall score of accepted assessments.
    #[schema(value_type = f64)]
    pub mean: Hundredths,
    /// The share of accepted assessments at level ≥ `rule.level`, a percent in hundredths.
    #[schema(value_type = f64)]
    pub share: Percent,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `None` when no assessment is accepted: no tier is given then.
    pub tier: Option<Tier>,
    pub name: Option<Text>,
    /// Always true: an indication for the cluster, not a certification.
    pub indicative: bool,
    /// Accepted assessments the figures cover.
    pub n: u32,
    /// S, the mean overall score.
    #[schema(value_type = Option<f64>)]
    pub mean_overall: Option<Hundredths>,
    /// P2, the share at level ≥ 2, a percent in hundredths.
    #[schema(value_type = Option<f64>)]
    pub share_level_2_or_above: Option<Percent>,
    /// P3, the share at level ≥ 3, a percent in hundredths.
    #[schema(value_type = Option<f64>)]
    pub share_level_3_or_above: Option<Percent>,
    /// Each rule from the highest tier down, with the figures it compared; the first met
    /// decided the tier, Foundational when none was. Empty with no tier.
    pub checks: Vec<TierCheck>,
    pub note: Text,
}

/// The tier of a campaign whose accepted assessments have mean overall score `mean` and
/// overall levels `levels`.
pub fn readiness(
    mean: Option<Hundredths>,
    levels: &LevelDistribution,
    rules: &TierRules,
) -> Readiness {
    let n = levels.n;
    let at_or_above = |level: u8| share(u64::from(levels.at_or_above(level)), u64::from(n));
    let Some(mean) = mean.filter(|_| n > 0) else {
        return Readiness {
            tier: None,
            name: None,
            indicative: true,
            n: 0,
            mean_overall: None,
            share_level_2_or_above: None,
            share_level_3_or_above: None,
            checks: Vec::new(),
            note: Text {
                zh: "尚无通过审核的评估，不评定集群就绪度梯队。".to_owned(),
                en: "No assessment has been accepted yet, so no readiness tier is given."
                    .to_owned(),
            },
        };
    };
    let checks: Vec<TierCheck> = [
        (Tier::Leading, rules.leading),
        (Tier::Advancing, rules.advancing),
        (Tier::Growing, rules.growing),
    ]
    .into_iter()
    .map(|(tier, rule)| {
        let share = at_or_above(rule.level);
        TierCheck {
            tier,
            rule,
            mean,
            share,
            met: mean >= rule.min_mean && share >= rule.min_share,
        }
    })
    .collect();
    let tier = checks
        .iter()
        .find(|c| c.met)
        .map_or(Tier::Foundational, |c| c.tier);
    Readiness {
        tier: Some(tier),
        name: Some(tier.name()),
        indicative: true,
        n,
        mean_overall: Some(mean),
        share_level_2_or_above: Some(at_or_above(2)),
        share_level_3_or_above: Some(at_or_above(3)),
        checks,
        note: Text {
            zh:
                "就绪度梯队为指示性结果，依据已通过审核评估的平均总分及达到相应等级的企业占比得出，\
                 不代表认证结论。"
                    .to_owned(),
            en: "The readiness tier is indicative: it follows from the mean overall score of \
                 accepted assessments and the shares of enterprises at or above a level, and is \
                 not a certification."
                .to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distribution of accepted assessments with these overall levels.
    fn levels(of: &[u8]) -> LevelDistribution {
        LevelDistribution::of(of.iter().copied())
    }

    fn tier(mean: u32, of: &[u8]) -> Option<Tier> {
        readiness(Some(Hundredths(mean)), &levels(of), &TierRules::default()).tier
    }

    #[test]
    fn leading_needs_a_mean_of_three_and_half_at_level_three() {
        // P3 = 2 / 4 = 50 % exactly.
        assert_eq!(tier(300, &[3, 3, 2, 2]), Some(Tier::Leading));
        assert_eq!(tier(299, &[3, 3, 2, 2]), Some(Tier::Advancing));
        // P3 = 1 / 4 = 25 %: Advancing at most.
        assert_eq!(tier(400, &[5, 2, 2, 2]), Some(Tier::Advancing));
    }

    #[test]
    fn advancing_needs_a_mean_of_two_and_a_half_and_a_quarter_at_level_three() {
        assert_eq!(tier(250, &[3, 2, 2, 2]), Some(Tier::Advancing));
        assert_eq!(tier(249, &[3, 2, 2, 2]), Some(Tier::Growing));
        // P3 = 0: Growing at most, whatever the mean.
        assert_eq!(tier(290, &[2, 2, 2, 2]), Some(Tier::Growing));
    }

    #[test]
    fn growing_needs_a_mean_of_two_and_half_at_level_two() {
        assert_eq!(tier(200, &[2, 2, 1, 1]), Some(Tier::Growing));
        assert_eq!(tier(199, &[2, 2, 1, 1]), Some(Tier::Foundational));
        // P2 = 1 / 4 = 25 %.
        assert_eq!(tier(240, &[4, 1, 1, 1]), Some(Tier::Foundational));
        assert_eq!(tier(0, &[0, 0, 0, 0]), Some(Tier::Foundational));
    }

    #[test]
    fn the_figures_that_decided_the_tier_are_reported() {
        let r = readiness(
            Some(Hundredths(262)),
            &levels(&[3, 2, 2, 1]),
            &TierRules::default(),
        );
        assert_eq!(r.tier, Some(Tier::Advancing));
        assert_eq!(r.name.as_ref().map(|t| t.zh.as_str()), Some("跃升级"));
        assert!(r.indicative);
        assert_eq!(r.share_level_2_or_above, Some(Hundredths(7500)));
        assert_eq!(r.share_level_3_or_above, Some(Hundredths(2500)));
        let met: Vec<(Tier, bool, u32)> = r
            .checks
            .iter()
            .map(|c| (c.tier, c.met, c.share.0))
            .collect();
        assert_eq!(
            met,
            [
                (Tier::Leading, false, 2500),
                (Tier::Advancing, true, 2500),
                (Tier::Growing, true, 7500)
            ]
        );
    }

    #[test]
    fn the_rules_are_configurable() {
        let strict = TierRules {
            growing: TierRule {
                min_mean: Hundredths(220),
                level: 2,
                min_share: Hundredths(7500),
            },
            ..TierRules::default()
        };
        let r = readiness(Some(Hundredths(210)), &levels(&[2, 2, 2, 1]), &strict);
        assert_eq!(r.tier, Some(Tier::Foundational));
    }

    #[test]
    fn no_accepted_assessment_gives_no_tier() {
        let r = readiness(None, &levels(&[]), &TierRules::default());
        assert_eq!((r.tier, r.n, r.mean_overall), (None, 0, None));
        assert!(r.checks.is_empty() && r.indicative);
        assert!(r.note.en.contains("no readiness tier"));
    }
}
