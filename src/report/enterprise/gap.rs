//! The path to the target level as people act on it: each step with its item's name, its
//! criteria's texts and ratings in the report's language, grouped by item, and the few steps to
//! take first. Both renderers read these.

use serde::Serialize;

use super::EnterpriseReport;
use crate::questionnaire::{Lang, Questionnaire};
use crate::scoring::scale::scale;
use crate::scoring::{GapStep, Hundredths, Policy, Rating};

/// How many steps "do these first" lists.
pub const FIRST_STEPS: usize = 5;

/// One criterion of a step: its text and the rating it must go from and to, named in the
/// report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapCriterion {
    pub criterion: String,
    pub level: u8,
    pub text: String,
    /// The current rating's name ("unanswered" when there is none).
    pub from: String,
    pub to: String,
}

/// One step of an item's path to the target: the criteria that lift it past its level, and
/// what the step adds to the overall score once the item's earlier steps are done.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    pub item_id: String,
    pub item: String,
    pub criteria: Vec<GapCriterion>,
    pub level_before: u8,
    pub level_after: u8,
    pub score_before: Hundredths,
    pub score_after: Hundredths,
    pub gain: Hundredths,
}

/// An item's path: its steps in order.
#[derive(Debug, Clone, PartialEq)]
pub struct GapGroup<'a> {
    pub item_id: &'a str,
    pub item: &'a str,
    pub level_before: u8,
    pub level_after: u8,
    /// What the whole path adds to the overall score (the steps' gains add up to it).
    pub gain: Hundredths,
    pub rows: Vec<&'a GapRow>,
}

fn rating_name(lang: Lang, rating: Option<Rating>) -> String {
    let Some(rating) = rating else {
        return lang.t("未作答", "unanswered").to_owned();
    };
    // The names only; the points do not matter here.
    scale(&Policy::default(), None)
        .into_iter()
        .find(|s| s.rating == rating)
        .map_or_else(
            || rating.as_str().to_owned(),
            |s| s.name.get(lang).to_owned(),
        )
}

/// The report's rows of the plan `steps` (in the plan's ranked order).
pub(super) fn rows(q: &Questionnaire, steps: &[GapStep], lang: Lang) -> Vec<GapRow> {
    let item_name = |id: &str| {
        q.domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == id)
            .map_or_else(|| id.to_owned(), |i| i.name.get(lang).to_owned())
    };
    steps
        .iter()
        .map(|g| GapRow {
            item_id: g.item.clone(),
            item: item_name(&g.item),
            criteria: g
                .criteria
                .iter()
                .map(|r| GapCriterion {
                    criterion: r.criterion.clone(),
                    level: r.level,
                    text: q
                        .criterion(&r.criterion)
                        .map_or_else(String::new, |c| c.text.get(lang).to_owned()),
                    from: rating_name(lang, r.from),
                    to: rating_name(lang, Some(r.to)),
                })
                .collect(),
            level_before: g.level_before,
            level_after: g.level_after,
            score_before: g.score_before,
            score_after: g.score_after,
            gain: g.gain,
        })
        .collect()
}

/// What the path to level `target` lists and what its gains mean.
pub(super) fn intro(target: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "达到目标等级 {target} 的路径：每个低于目标的能力项逐级列出达到下一等级至少需要提升的条款\
             （达到阈值时只需提升到“大部分满足”），以及这一步使总分提高多少（在该能力项前面各步完成之后计算）。\
             各步按每提升一条款带来的增益排列，同一能力项的各步保持先后。"
        ),
        Lang::En => format!(
            "The path to target level {target}: for each item below it, the fewest criteria to \
             raise to reach the next level, one level at a time (to \"largely\" where that is \
             enough to pass), and what each step adds to the overall score once the item's \
             earlier steps are done. Steps are ranked by gain per criterion raised; an item's \
             steps keep their order."
        ),
    }
}

impl GapRow {
    /// "1 → 2" and the item scores, for a step's heading.
    pub fn levels(&self) -> String {
        format!(
            "{} → {} ({} → {})",
            self.level_before, self.level_after, self.score_before, self.score_after
        )
    }
}

impl EnterpriseReport {
    /// The path by item: items in the order of their first step in the plan, each with its
    /// steps in order.
    pub fn gap_by_item(&self) -> Vec<GapGroup<'_>> {
        let mut groups: Vec<GapGroup<'_>> = Vec::new();
        for g in &self.gap {
            match groups.iter_mut().find(|x| x.item_id == g.item_id) {
                Some(group) => {
                    group.level_after = g.level_after;
                    group.gain = Hundredths(group.gain.0 + g.gain.0);
                    group.rows.push(g);
                }
                None => groups.push(GapGroup {
                    item_id: &g.item_id,
                    item: &g.item,
                    level_before: g.level_before,
                    level_after: g.level_after,
                    gain: g.gain,
                    rows: vec![g],
                }),
            }
        }
        groups
    }

    pub fn first_steps_heading(&self) -> &'static str {
        self.lang.t("优先处理", "Do these first")
    }

    /// The steps to take first: the plan's best, which never skip a step they build on.
    pub fn first_steps(&self) -> &[GapRow] {
        &self.gap[..self.gap.len().min(FIRST_STEPS)]
    }

    /// How many criteria the whole path raises.
    pub fn gap_criteria(&self) -> usize {
        self.gap.iter().map(|g| g.criteria.len()).sum()
    }
}
