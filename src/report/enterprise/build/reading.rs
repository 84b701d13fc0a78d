//! What the scores say about each domain: its items above the enterprise's own overall level
//! (strengths), those below it (weaknesses), and those far below it, flagged.

use crate::questionnaire::Lang;
use crate::report::enterprise::{DomainReading, ScoreRow};
use crate::report::level_name;
use crate::scoring::Hundredths;

/// An item this far (1.00) or more below the overall score is flagged as far below the
/// enterprise's own level.
pub const FAR_BELOW: Hundredths = Hundredths(100);

/// The mark of an item far below the enterprise's level.
pub const FLAG: &str = "▼";

/// The score shown for a row: verified where there is one.
pub(super) fn shown(r: &ScoreRow) -> Hundredths {
    r.verified.unwrap_or(r.self_score)
}

pub(super) fn far_below(item: Hundredths, overall: Hundredths) -> bool {
    item.0 + FAR_BELOW.0 <= overall.0
}

/// The rule the readings follow, with the figures it compares against.
pub(super) fn rule(level: u8, overall: Hundredths, lang: Lang) -> String {
    let name = level_name(lang, level);
    match lang {
        Lang::Zh => format!(
            "强项：能力项等级高于企业总体指示等级 {level}（{name}）；弱项：低于该等级；\
             {FLAG} 远低于企业水平：能力项得分比总分 {overall} 低 {FAR_BELOW} 及以上。"
        ),
        Lang::En => format!(
            "Strengths: items above the enterprise's overall indicated level {level} ({name}); \
             weaknesses: items below it; {FLAG} far below the enterprise's level: an item score \
             at least {FAR_BELOW} below the overall score {overall}."
        ),
    }
}

/// Each domain's strengths and weaknesses, read from its item rows (already flagged).
pub(super) fn readings(domains: &[ScoreRow], items: &[ScoreRow], level: u8) -> Vec<DomainReading> {
    domains
        .iter()
        .map(|d| {
            let mine = || items.iter().filter(|i| i.domain == d.domain);
            let label = |i: &ScoreRow| {
                let flag = if i.far_below { FLAG } else { "" };
                format!("{flag}{} {}", i.item, shown(i))
            };
            DomainReading {
                id: d.id.clone(),
                domain: d.domain.clone(),
                strengths: mine()
                    .filter(|i| i.level > level)
                    .map(|i| i.item.clone())
                    .collect(),
                weaknesses: mine().filter(|i| i.level < level).map(label).collect(),
            }
        })
        .collect()
}
