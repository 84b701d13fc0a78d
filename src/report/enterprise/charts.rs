//! The report's chart, drawn from the model alone: the domain radar.

use super::EnterpriseReport;
use crate::report::chart::{radar, Chart, Colour, RadarSeries};

impl EnterpriseReport {
    /// The domain scores (verified where there are any) against the target, as a radar.
    pub fn radar(&self) -> Chart {
        let lang = self.lang;
        let labels: Vec<String> = self.domains.iter().map(|d| d.domain.clone()).collect();
        let mut series = vec![RadarSeries {
            name: lang.t("得分", "Score").to_owned(),
            values: self
                .domains
                .iter()
                .map(|d| Some(d.verified.unwrap_or(d.self_score).as_f64()))
                .collect(),
            colour: Colour::BLUE,
            filled: true,
        }];
        if let Some(t) = self.target {
            series.push(RadarSeries {
                name: lang.t("目标", "Target").to_owned(),
                values: vec![Some(f64::from(t)); labels.len()],
                colour: Colour::ORANGE,
                filled: false,
            });
        }
        radar(
            lang.t("各能力域得分与目标", "Domain scores against the target"),
            &labels,
            &series,
            5,
        )
    }
}
