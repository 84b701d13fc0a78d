//! The weakest items across the cluster, each with a shared action quoted from the
//! questionnaire's criteria.

use super::{block, counted, header};
use crate::questionnaire::{Lang, Questionnaire};
use crate::report::cluster::{Block, Table};
use crate::scoring::rollup::{Rollup, WeakItem};

/// At most `max` characters of a criterion, without its final stop; a cut ends at a clause or
/// word boundary in the last third when there is one, and shows an ellipsis (three full stops
/// in English: the report font draws "…" centred, as Chinese sets it).
pub(in crate::report::cluster) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim().trim_end_matches(['。', '.', '；', ';']);
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let boundary = cut
        .char_indices()
        .rev()
        .find(|(i, c)| {
            matches!(c, '，' | '、' | '；' | ',' | ';' | ' ')
                && cut[..*i].chars().count() >= max * 2 / 3
        })
        .map(|(i, _)| i);
    let kept = boundary.map_or(cut.as_str(), |i| &cut[..i]).trim_end();
    let chinese = text.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c));
    let ellipsis = if chinese { "…" } else { "..." };
    format!("{kept}{ellipsis}")
}

/// The level whose criteria a shared action quotes: the one above the cluster mean's level,
/// at most the target level (and 5).
pub(in crate::report::cluster) fn action_level(mean_level: u8, target: u8) -> u8 {
    mean_level.saturating_add(1).min(target.clamp(1, 5))
}

/// "Help enterprises meet level L: …" from the first two criteria of that level of the item;
/// `None` when the questionnaire has none there.
fn action(q: &Questionnaire, w: &WeakItem, target: u8, lang: Lang) -> Option<String> {
    let item = q
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .find(|i| i.id == w.id)?;
    let level = action_level(w.mean.whole(), target);
    let max = match lang {
        Lang::Zh => 36,
        Lang::En => 90,
    };
    let criteria: Vec<String> = item
        .criteria
        .iter()
        .filter(|c| c.level == level)
        .take(2)
        .map(|c| shorten(c.text.get(lang), max))
        .collect();
    if criteria.is_empty() {
        return None;
    }
    let name = item.name.get(lang);
    let quoted = match lang {
        Lang::Zh => criteria.join("；"),
        Lang::En => criteria.join("; "),
    };
    // A cut criterion ends in its ellipsis, not in a stop after it.
    let stop = match (quoted.ends_with('…') || quoted.ends_with("..."), lang) {
        (true, _) => "",
        (false, Lang::Zh) => "。",
        (false, Lang::En) => ".",
    };
    Some(match lang {
        Lang::Zh => format!(
            "{} {name}——共同行动：帮助企业达到第 {level} 级要求：{quoted}{stop}",
            w.section
        ),
        Lang::En => format!(
            "{} {name} — shared action: help enterprises meet level {level}: {quoted}{stop}",
            w.section
        ),
    })
}

pub(super) fn weakest(q: &Questionnaire, r: &Rollup, lang: Lang) -> Block {
    let heading = lang.t("最薄弱的能力项", "Weakest items");
    if r.weakest_items.is_empty() {
        return block(
            heading,
            vec![lang
                .t(
                    "尚无通过审核的评估。",
                    "No assessment has been accepted yet.",
                )
                .to_owned()],
            None,
        );
    }
    let domain = |id: &str| {
        r.domains
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_owned(), |d| d.name.get(lang).to_owned())
    };
    let rows = r
        .weakest_items
        .iter()
        .map(|w| {
            vec![
                w.section.clone(),
                w.name.get(lang).to_owned(),
                domain(&w.domain),
                w.mean.to_string(),
                counted(w.below_target, w.below_target_share),
            ]
        })
        .collect();
    let mut after = vec![lang
        .t(
            "建议的共同行动，引自问卷中该能力项高于集群平均等级一级（不超过目标等级）的评估要求：",
            "Suggested shared actions, quoting the questionnaire's criteria for each item at the \
         level above the cluster mean's level (at most the target level):",
        )
        .to_owned()];
    after.extend(
        r.weakest_items
            .iter()
            .filter_map(|w| action(q, w, r.target_level, lang)),
    );
    Block {
        after,
        ..block(
            heading,
            vec![lang.t("集群平均分最低的能力项：共享培训、工具或公共服务在这里收益最大。",
                "The items with the lowest cluster mean: where shared training, tools or public \
                 services pay off most.",
            )
            .to_owned()],
            Some(
                Table::new(
                    header(&[
                        lang.t("条款", "Section"),
                        lang.t("能力项", "Item"),
                        lang.t("能力域", "Domain"),
                        lang.t("平均分", "Mean"),
                        lang.t("低于目标的企业", "Below target"),
                    ]),
                    rows,
                )
                .keyed(r.weakest_items.iter().map(|w| w.id.clone()).collect()),
            ),
        )
    }
}
