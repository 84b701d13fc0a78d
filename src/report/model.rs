//! The enterprise assessment report as data: everything the PDF shows, in the language asked
//! for, built from the self-assessment's scores (and the verified ones when an auditor has
//! verified them) and the questionnaire's names. Pure, so it can be tested without a PDF.

use super::chart::{radar, Chart, Colour, RadarSeries};
use super::pdf::{Column, PdfDoc, ReportFont};
use crate::questionnaire::{Lang, Questionnaire};
use crate::scoring::{Hundredths, ScoreReport};

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// The domain's name (for an item row: its domain's).
    pub domain: String,
    /// Empty for a domain row.
    pub item: String,
    pub self_score: Hundredths,
    pub verified: Option<Hundredths>,
    /// The level of the verified score when there is one, else of the self-assessed one.
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseReport {
    pub lang: Lang,
    pub questionnaire: String,
    pub edition: String,
    pub questionnaire_hash: String,
    pub policy: String,
    pub overall_self: Hundredths,
    pub overall_verified: Option<Hundredths>,
    pub level: u8,
    pub domains: Vec<ScoreRow>,
    pub items: Vec<ScoreRow>,
}

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The report of `self_scores` (and `verified` when given), both scored on `q`.
pub fn enterprise_report(
    q: &Questionnaire,
    self_scores: &ScoreReport,
    verified: Option<&ScoreReport>,
    lang: Lang,
) -> EnterpriseReport {
    let domain_name = |id: &str| {
        q.domains
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_owned(), |d| d.name.get(lang).to_owned())
    };
    let item_name = |id: &str| {
        q.domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == id)
            .map_or_else(|| id.to_owned(), |i| i.name.get(lang).to_owned())
    };
    let mut domains = Vec::new();
    let mut items = Vec::new();
    for d in &self_scores.domains {
        let checked = verified.and_then(|v| v.domains.iter().find(|x| x.id == d.id));
        let name = domain_name(&d.id);
        domains.push(ScoreRow {
            domain: name.clone(),
            item: String::new(),
            self_score: d.score,
            verified: checked.map(|c| c.score),
            level: checked.map_or(d.level, |c| c.level),
        });
        for i in &d.items {
            let checked = checked.and_then(|c| c.items.iter().find(|x| x.id == i.id));
            items.push(ScoreRow {
                domain: name.clone(),
                item: item_name(&i.id),
                self_score: i.score,
                verified: checked.map(|c| c.score),
                level: checked.map_or(i.level, |c| c.level),
            });
        }
    }
    EnterpriseReport {
        lang,
        questionnaire: q.title.get(lang).to_owned(),
        edition: self_scores.questionnaire.edition.clone(),
        questionnaire_hash: self_scores.questionnaire.hash.clone(),
        policy: self_scores.policy.clone(),
        overall_self: self_scores.overall.score,
        overall_verified: verified.map(|v| v.overall.score),
        level: verified.map_or(self_scores.overall.level, |v| v.overall.level),
        domains,
        items,
    }
}

impl EnterpriseReport {
    /// The domain scores (verified where there are any) against `target`, as a radar.
    pub fn radar(&self, target: Option<u8>) -> Chart {
        let lang = self.lang;
        let labels: Vec<String> = self.domains.iter().map(|d| d.domain.clone()).collect();
        let mut series = vec![RadarSeries {
            name: tr(lang, "得分", "Score").to_owned(),
            values: self
                .domains
                .iter()
                .map(|d| Some(d.verified.unwrap_or(d.self_score).as_f64()))
                .collect(),
            colour: Colour::BLUE,
            filled: true,
        }];
        if let Some(t) = target {
            series.push(RadarSeries {
                name: tr(lang, "目标", "Target").to_owned(),
                values: vec![Some(f64::from(t)); labels.len()],
                colour: Colour::ORANGE,
                filled: false,
            });
        }
        radar(
            tr(lang, "各能力域得分", "Domain scores"),
            &labels,
            &series,
            5,
        )
    }

    /// The report as PDF pages.
    pub fn to_pdf(&self, font: &ReportFont, report_id: &str, target: Option<u8>) -> Vec<u8> {
        let lang = self.lang;
        let title = tr(lang, "数据管理能力成熟度评估报告", "DCMM assessment report");
        let mut doc = PdfDoc::new(font, title, report_id);
        doc.heading(title);
        doc.paragraph(&format!(
            "{}：{} {}（{}）",
            tr(lang, "问卷", "Questionnaire"),
            self.questionnaire,
            self.edition,
            self.questionnaire_hash
        ));
        doc.paragraph(&format!(
            "{}：{}",
            tr(lang, "评分规则", "Scoring policy"),
            self.policy
        ));
        let verified = self
            .overall_verified
            .map_or_else(String::new, |v| format!(" / {v}"));
        doc.paragraph(&format!(
            "{}：{}{}，{}：{}。{}",
            tr(lang, "总分", "Overall score"),
            self.overall_self,
            verified,
            tr(lang, "指示等级", "indicated level"),
            self.level,
            tr(
                lang,
                "该等级仅为指示性结果，不构成认证。",
                "The level is indicative, not a certification."
            )
        ));
        doc.chart(&self.radar(target), 120.0);
        let score = |r: &ScoreRow| {
            vec![
                r.self_score.to_string(),
                r.verified.map_or_else(|| "—".to_owned(), |v| v.to_string()),
                r.level.to_string(),
            ]
        };
        let tail = [
            Column::new(tr(lang, "自评", "Self"), 1.0),
            Column::new(tr(lang, "核验", "Verified"), 1.0),
            Column::new(tr(lang, "等级", "Level"), 0.8),
        ];
        doc.heading(tr(lang, "能力域", "Domains"));
        let mut columns = vec![Column::new(tr(lang, "能力域", "Domain"), 3.0)];
        columns.extend(tail.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .domains
            .iter()
            .map(|r| [vec![r.domain.clone()], score(r)].concat())
            .collect();
        doc.table(&columns, &rows);
        doc.heading(tr(lang, "能力项", "Items"));
        let mut columns = vec![
            Column::new(tr(lang, "能力域", "Domain"), 2.0),
            Column::new(tr(lang, "能力项", "Item"), 3.0),
        ];
        columns.extend(tail.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| [vec![r.domain.clone(), r.item.clone()], score(r)].concat())
            .collect();
        doc.table(&columns, &rows);
        doc.finish()
    }
}

#[cfg(test)]
mod tests;
