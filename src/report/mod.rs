//! Reports: the report models, the chart model every report draws, and its renderers (SVG for the web pages; the
//! PDF renderer, [`pdf`], draws the same model).

pub mod chart;
pub mod cluster;
pub mod enterprise;
pub mod issue;
pub mod pdf;
pub mod svg;
pub mod verify;
pub mod verify_at;

use crate::questionnaire::Lang;

/// The standard's name of an overall level; 0 is below Initial (未达初始级).
pub fn level_name(lang: Lang, level: u8) -> &'static str {
    crate::scoring::explain::level_name(lang, level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_has_its_name_and_zero_is_below_initial() {
        let zh: Vec<&str> = (0..=5).map(|l| level_name(Lang::Zh, l)).collect();
        assert_eq!(
            zh,
            [
                "未达初始级",
                "初始级",
                "受管理级",
                "稳健级",
                "量化管理级",
                "优化级"
            ]
        );
        assert_eq!(level_name(Lang::En, 0), "below Initial");
        assert_eq!(level_name(Lang::En, 5), "Optimizing");
    }
}
