//! Why an item scores what it does: the levels that reached the pass threshold τ, the level
//! whose score fell short and stopped the item, and the levels above it that would pass on
//! their own but count only once it is met. The results page, the questionnaire page and the
//! enterprise report all say it in these words.

use serde::Serialize;

use super::policy::Policy;
use super::score::{Hundredths, ItemScore};
use crate::questionnaire::Lang;

/// A level's name: 初始级 … 优化级, and 未达初始级 (below Initial) for 0. The reports and pages
/// name levels with it (`report::level_name`).
pub fn level_name(lang: Lang, level: u8) -> &'static str {
    match level {
        0 => lang.t("未达初始级", "below Initial"),
        1 => lang.t("初始级", "Initial"),
        2 => lang.t("受管理级", "Managed"),
        3 => lang.t("稳健级", "Robust"),
        4 => lang.t("量化管理级", "Quantitatively managed"),
        _ => lang.t("优化级", "Optimizing"),
    }
}

/// One level and its score (0.00–1.00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelResult {
    pub level: u8,
    pub score: Hundredths,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// τ as a level score (0.70 for 70).
    pub threshold: Hundredths,
    /// Levels 1 to k, each at least τ: k is the achieved level.
    pub passed: Vec<LevelResult>,
    /// Level k + 1, below τ: what stopped the item (none once level 5 is reached).
    pub stopped: Option<LevelResult>,
    /// Levels above the stop that reach τ on their own and count only once it is met.
    pub held_back: Vec<u8>,
    /// The item score: k plus the score of level k + 1.
    pub score: Hundredths,
}

/// The explanation of `item`'s score under `policy` (the policy it was scored with).
pub fn explain(item: &ItemScore, policy: &Policy) -> Explanation {
    let tau = policy.pass_threshold;
    let levels = (1u8..).zip(item.level_scores);
    let passed: Vec<LevelResult> = levels
        .clone()
        .take_while(|(_, s)| s.0 >= tau)
        .map(|(level, score)| LevelResult { level, score })
        .collect();
    let k = passed.len();
    let stopped = levels
        .clone()
        .nth(k)
        .map(|(level, score)| LevelResult { level, score });
    let held_back = levels
        .skip(k + 1)
        .filter(|(_, s)| s.0 >= tau)
        .map(|(l, _)| l)
        .collect();
    Explanation {
        threshold: Hundredths(tau),
        passed,
        stopped,
        held_back,
        score: item.score,
    }
}

/// "第4、5级" / "levels 4 and 5".
fn levels_list(levels: &[u8], lang: Lang) -> String {
    let numbers: Vec<String> = levels.iter().map(u8::to_string).collect();
    match (lang, numbers.as_slice()) {
        (Lang::Zh, _) => format!("第{}级", numbers.join("、")),
        (Lang::En, [one]) => format!("level {one}"),
        (Lang::En, [init @ .., last]) => format!("levels {} and {last}", init.join(", ")),
        (Lang::En, []) => String::new(),
    }
}

fn named(level: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第{level}级（{}）", level_name(lang, level)),
        Lang::En => format!("level {level} ({})", level_name(lang, level)),
    }
}

impl Explanation {
    /// The achieved level.
    pub fn level(&self) -> u8 {
        self.passed.len() as u8
    }

    /// One line for a table cell: the level that stopped the item and its score against τ
    /// ("第3级（稳健级）0.62 < 0.70"), with the levels it holds back; or that every level passed.
    pub fn short(&self, lang: Lang) -> String {
        let tau = self.threshold;
        let Some(stop) = self.stopped else {
            return match lang {
                Lang::Zh => format!("各级均 ≥ {tau}"),
                Lang::En => format!("every level ≥ {tau}"),
            };
        };
        let mut out = match lang {
            Lang::Zh => format!("{}{} < {tau}", named(stop.level, lang), stop.score),
            Lang::En => format!("{} {} < {tau}", named(stop.level, lang), stop.score),
        };
        if !self.held_back.is_empty() {
            let held = levels_list(&self.held_back, lang);
            out.push_str(&match lang {
                Lang::Zh => format!("；{held}已达 {tau}，待其达到后计入"),
                Lang::En => format!("; {held} reach {tau}, counted once it is met"),
            });
        }
        out
    }

    /// The whole reason in a sentence or two: which levels passed with their scores, which
    /// level stopped the item and why, how the score is made up, and what is held back.
    pub fn sentence(&self, lang: Lang) -> String {
        let tau = self.threshold;
        let k = self.level();
        let passed: Vec<String> = self
            .passed
            .iter()
            .map(|p| match lang {
                Lang::Zh => format!("第{}级 {}", p.level, p.score),
                Lang::En => format!("level {} {}", p.level, p.score),
            })
            .collect();
        let mut out = String::new();
        if !passed.is_empty() {
            out.push_str(&match lang {
                Lang::Zh => format!("达到 {tau}：{}。", passed.join("、")),
                Lang::En => format!("Reached {tau}: {}. ", passed.join(", ")),
            });
        }
        match self.stopped {
            Some(stop) => out.push_str(&match (lang, k) {
                (Lang::Zh, 0) => format!(
                    "{}得分 {} < {tau}，未达到，能力项{}，得分 {}。",
                    named(stop.level, lang),
                    stop.score,
                    level_name(lang, 0),
                    self.score
                ),
                (Lang::Zh, _) => format!(
                    "{}得分 {} < {tau}，未达到，能力项停在{}，得分 {} = {k} + {}。",
                    named(stop.level, lang),
                    stop.score,
                    named(k, lang),
                    self.score,
                    stop.score
                ),
                (Lang::En, 0) => format!(
                    "{} scored {} < {tau}, not reached: the item is {}, scoring {}.",
                    capitalised(&named(stop.level, lang)),
                    stop.score,
                    level_name(lang, 0),
                    self.score
                ),
                (Lang::En, _) => format!(
                    "{} scored {} < {tau}, not reached: the item stops at {}, scoring {} = {k} + {}.",
                    capitalised(&named(stop.level, lang)),
                    stop.score,
                    named(k, lang),
                    self.score,
                    stop.score
                ),
            }),
            None => out.push_str(&match lang {
                Lang::Zh => format!("能力项达到{}，得分 {}。", named(k, lang), self.score),
                Lang::En => format!(
                    "The item reaches {}, scoring {}.",
                    named(k, lang),
                    self.score
                ),
            }),
        }
        if let (Some(stop), false) = (self.stopped, self.held_back.is_empty()) {
            let held = levels_list(&self.held_back, lang);
            out.push_str(&match lang {
                Lang::Zh => format!("{held}虽达到 {tau}，须第{}级达到后才计入。", stop.level),
                Lang::En => format!(
                    " {} reach {tau} but count only once level {} is met.",
                    capitalised(&held),
                    stop.level
                ),
            });
        }
        out.trim_end().to_owned()
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::scoring::score::item_score;

    fn item(level_scores: [u32; 5], policy: &Policy) -> ItemScore {
        let (level, score) = item_score(&level_scores, policy);
        ItemScore {
            id: "2025:6.1".into(),
            score: Hundredths(score),
            level,
            level_scores: level_scores.map(Hundredths),
        }
    }

    fn policy(tau: u32) -> Policy {
        Policy {
            pass_threshold: tau,
            ..Policy::default()
        }
    }

    #[test]
    fn names_the_levels_that_passed_and_the_one_that_stopped_the_item() {
        let p = policy(70);
        let e = explain(&item([100, 85, 62, 40, 0], &p), &p);
        assert_eq!(e.level(), 2);
        assert_eq!(
            e.passed.iter().map(|l| l.score.0).collect::<Vec<_>>(),
            [100, 85]
        );
        assert_eq!(
            e.stopped,
            Some(LevelResult {
                level: 3,
                score: Hundredths(62)
            })
        );
        assert!(e.held_back.is_empty());
        assert_eq!(e.short(Lang::Zh), "第3级（稳健级）0.62 < 0.70");
        assert_eq!(
            e.sentence(Lang::Zh),
            "达到 0.70：第1级 1.00、第2级 0.85。第3级（稳健级）得分 0.62 < 0.70，未达到，\
             能力项停在第2级（受管理级），得分 2.62 = 2 + 0.62。"
        );
        assert_eq!(
            e.sentence(Lang::En),
            "Reached 0.70: level 1 1.00, level 2 0.85. Level 3 (Robust) scored 0.62 < 0.70, \
             not reached: the item stops at level 2 (Managed), scoring 2.62 = 2 + 0.62."
        );
    }

    #[test]
    fn a_level_one_cliff_says_which_higher_levels_it_holds_back() {
        // Every level fully met but level 1, which one "partially" pulls to 0.75.
        let strict = policy(80);
        let e = explain(&item([75, 100, 100, 100, 100], &strict), &strict);
        assert_eq!((e.level(), e.score), (0, Hundredths(75)));
        assert_eq!(e.held_back, [2, 3, 4, 5]);
        assert_eq!(
            e.short(Lang::Zh),
            "第1级（初始级）0.75 < 0.80；第2、3、4、5级已达 0.80，待其达到后计入"
        );
        let en = e.sentence(Lang::En);
        assert!(
            en.starts_with("Level 1 (Initial) scored 0.75 < 0.80, not reached: the item is below Initial, scoring 0.75."),
            "{en}"
        );
        assert!(
            en.ends_with("Levels 2, 3, 4 and 5 reach 0.80 but count only once level 1 is met."),
            "{en}"
        );
        // At τ = 70 the same scores pass every level.
        let default = policy(70);
        let e = explain(&item([75, 100, 100, 100, 100], &default), &default);
        assert_eq!((e.level(), e.stopped, e.score), (5, None, Hundredths(500)));
        assert_eq!(e.short(Lang::En), "every level ≥ 0.70");
        assert_eq!(
            e.sentence(Lang::Zh),
            "达到 0.70：第1级 0.75、第2级 1.00、第3级 1.00、第4级 1.00、第5级 1.00。能力项达到第5级（优化级），得分 5.00。"
        );
    }

    proptest! {
        /// The explanation agrees with the scoring rule at any threshold: its level is the
        /// item's, every passed level reaches τ, the stop falls short, and the score is k plus
        /// the stop's score.
        #[test]
        fn agrees_with_the_item_score(
            scores in proptest::array::uniform5(0u32..=100),
            tau in 1u32..=100,
        ) {
            let p = policy(tau);
            let it = item(scores, &p);
            let e = explain(&it, &p);
            prop_assert_eq!(e.level(), it.level);
            prop_assert!(e.passed.iter().all(|l| l.score.0 >= tau));
            let stop_score = e.stopped.map_or(0, |s| s.score.0);
            prop_assert!(e.stopped.is_none_or(|s| s.score.0 < tau && s.level == it.level + 1));
            prop_assert_eq!(it.score.0, 100 * u32::from(it.level) + stop_score);
            for l in &e.held_back {
                prop_assert!(*l > it.level + 1 && scores[usize::from(*l - 1)] >= tau);
            }
        }
    }
}
