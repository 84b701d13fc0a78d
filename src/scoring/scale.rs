//! The rating scale every criterion is rated on (条款符合度): each rating's name and what an
//! assessor looks for before giving it, in the words of the questionnaire's `[rating]` guidance
//! when it has one. The API serves it with each questionnaire; the pages label their rating
//! choices with it.

use serde::Serialize;

use super::policy::{Policy, Rating};
use crate::questionnaire::{RatingGuidance, Text};

/// One step of the rating scale (条款符合度).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScaleStep {
    pub rating: Rating,
    pub name: Text,
    /// What an assessor looks for before giving it.
    pub meaning: Text,
    /// The points it counts in a level score; none for `na`, which is left out of its level.
    pub points: Option<u32>,
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.to_owned(),
        en: en.to_owned(),
    }
}

/// The scale every criterion is rated on, with the points of the scoring policy in force and
/// the meanings of the questionnaire's guidance (else short built-in ones).
pub fn scale(policy: &Policy, guidance: Option<&RatingGuidance>) -> Vec<ScaleStep> {
    let step = |rating: Rating, name: Text, meaning: Text| ScaleStep {
        rating,
        name,
        meaning: guidance
            .and_then(|g| g.of(rating.as_str()))
            .cloned()
            .unwrap_or(meaning),
        points: policy.points_of(Some(rating)),
    };
    vec![
        step(
            Rating::Fully,
            text("完全满足", "Fully met"),
            text(
                "要求在适用范围内全部落实，有正式发布的文件和持续的执行记录为证。",
                "Met throughout its scope, shown by formally issued documents and ongoing records.",
            ),
        ),
        step(
            Rating::Largely,
            text("大部分满足", "Largely met"),
            text(
                "要求大部分已落实，仅有个别环节或范围尚有欠缺。",
                "Mostly in place; only a few steps or parts of the scope fall short.",
            ),
        ),
        step(
            Rating::Partially,
            text("一般满足", "Partially met"),
            text(
                "要求已部分落实，但覆盖范围或执行证据明显不足。",
                "Partly in place, with clear gaps in scope or in the evidence of practice.",
            ),
        ),
        step(
            Rating::Not,
            text("不满足", "Not met"),
            text(
                "要求尚未落实，或没有可以核验的证据。",
                "Not in place, or nothing can be shown to check it.",
            ),
        ),
        step(
            Rating::Na,
            text("不适用", "Not applicable"),
            text(
                "仅限标明允许不适用的条款：该要求与本单位的业务无关。",
                "Only where a criterion allows it: the requirement does not apply to the organisation.",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rating_has_one_step_with_the_policy_s_points() {
        let policy = Policy::default();
        let steps = scale(&policy, None);
        assert_eq!(
            steps.iter().map(|s| s.rating).collect::<Vec<_>>(),
            Rating::ALL.to_vec()
        );
        for s in &steps {
            assert_eq!(s.points, policy.points_of(Some(s.rating)));
            assert!(!s.name.zh.is_empty() && !s.name.en.is_empty());
        }
    }

    #[test]
    fn the_questionnaire_s_guidance_gives_the_meanings() {
        let registry = crate::questionnaire::Registry::built_in().unwrap();
        for q in registry.dcmm_all() {
            let g = q
                .guidance
                .as_deref()
                .expect("built-in questionnaires have guidance");
            let steps = scale(&Policy::default(), Some(g));
            assert_eq!(steps[0].meaning, g.fully);
            assert_eq!(steps[4].meaning, g.na);
            assert!(g.fully.zh.contains("12") && g.largely.zh.contains("七成"));
        }
    }
}
