//! The enterprise report as PDF pages: the facts, the summary with the radar, the domains with
//! their strengths and weaknesses, the items with why each scores what it does, the gap plan,
//! the benchmark, the change since the previous campaign, the review (who verified, the
//! criteria re-rated), the profile and the evidence index, in that order, played into a
//! [`PdfDoc`].

mod review;

use super::{Block, EnterpriseReport, ScoreRow, FLAG};
use crate::questionnaire::Lang;
use crate::report::level_name;
use crate::report::pdf::{Column, PdfDoc, ReportFont};
use crate::report::verify_at::VerifyAt;

/// "3（稳健级）" / "3 (Robust)".
pub(crate) fn level_with_name(lang: Lang, level: u8) -> String {
    match lang {
        Lang::Zh => format!("{level}（{}）", level_name(lang, level)),
        Lang::En => format!("{level} ({})", level_name(lang, level)),
    }
}

fn yes_no(lang: Lang, yes: bool) -> &'static str {
    if yes {
        lang.t("是", "yes")
    } else {
        lang.t("否", "no")
    }
}

impl EnterpriseReport {
    /// The report as PDF pages, with `report_id` and where to verify it (`verify`) in every
    /// footer and on the cover, and, until the assessment is accepted, the mark that it is
    /// not final at the top of every page.
    pub fn to_pdf(&self, font: &ReportFont, report_id: &str, verify: &VerifyAt) -> Vec<u8> {
        let lang = self.lang;
        let title = lang.t("数据管理能力成熟度评估报告", "DCMM assessment report");
        let mut doc = PdfDoc::new(font, title, report_id);
        doc.describe(&self.enterprise, self.as_of);
        if let Some(mark) = &self.mark {
            doc.mark_every_page(mark);
        }
        doc.heading(title);
        self.cover(&mut doc, report_id);
        doc.verification(verify, lang, report_id);
        self.summary(&mut doc);
        self.domain_section(&mut doc);
        self.item_section(&mut doc);
        self.gap_plan(&mut doc);
        block(&mut doc, &self.benchmark);
        block(&mut doc, &self.change);
        self.review_section(&mut doc);
        self.profile_section(&mut doc);
        self.evidence_section(&mut doc);
        doc.finish()
    }

    /// The facts of the report, two to a row.
    fn cover(&self, doc: &mut PdfDoc<'_>, report_id: &str) {
        let lang = self.lang;
        let target = self
            .target
            .map_or_else(|| "—".to_owned(), |t| level_with_name(lang, t));
        let questionnaire = match lang {
            Lang::Zh => format!("{}（{}）", self.questionnaire, self.edition),
            Lang::En => format!("{} ({})", self.questionnaire, self.edition),
        };
        let pairs: [(&str, String); 10] = [
            (lang.t("企业", "Enterprise"), self.enterprise.clone()),
            (
                lang.t("统一社会信用代码", "Unified social credit code"),
                self.credit_code.clone(),
            ),
            (lang.t("评估活动", "Campaign"), self.campaign.clone()),
            (lang.t("状态", "Status"), self.status.clone()),
            (lang.t("问卷", "Questionnaire"), questionnaire),
            (lang.t("目标等级", "Target level"), target),
            (
                lang.t("数据截至", "Data as of"),
                self.as_of.format("%Y-%m-%d").to_string(),
            ),
            (lang.t("报告编号", "Report id"), report_id.to_owned()),
            (
                lang.t("评分规则版本", "Scoring policy"),
                self.policy.clone(),
            ),
            (
                lang.t("问卷内容哈希", "Questionnaire hash"),
                self.questionnaire_hash.clone(),
            ),
        ];
        let mut rows: Vec<Vec<String>> = pairs
            .chunks(2)
            .map(|two| {
                two.iter()
                    .flat_map(|(k, v)| [(*k).to_owned(), v.clone()])
                    .collect()
            })
            .collect();
        // The first pair of facts heads the table.
        let first = rows.remove(0);
        let shares = [1.1, 2.3, 1.2, 2.3];
        let columns: Vec<Column> = first
            .iter()
            .zip(shares)
            .map(|(h, share)| Column::new(h, share))
            .collect();
        doc.table(&columns, &rows);
    }

    fn summary(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        doc.heading(lang.t("摘要", "Summary"));
        for line in &self.summary {
            doc.paragraph(line);
        }
        if let Some(p) = &self.provisional {
            doc.paragraph(p);
        }
        doc.paragraph(lang.t(
            "本报告的等级为依据问卷自评（及审核员核验）计算出的指示性结果，不构成认证；\
             正式等级以评估机构按 GB/T 36073 开展的正式评估为准。",
            "The level in this report is indicative, computed from the questionnaire's \
             self-assessment (and the auditor's verification); it is not a certification. \
             A formal level comes only from a formal assessment under GB/T 36073 by an \
             assessment body.",
        ));
        doc.chart(&self.radar(), 105.0);
    }

    /// The score columns: self-assessed, verified once reviewed, and the level with its name.
    fn score_columns(&self, level_share: f32) -> Vec<Column> {
        let lang = self.lang;
        let mut columns = vec![Column::new(lang.t("自评", "Self"), 0.9)];
        if self.overall_verified.is_some() {
            columns.push(Column::new(lang.t("核验", "Verified"), 0.9));
        }
        columns.push(Column::new(lang.t("等级", "Level"), level_share));
        columns
    }

    fn score_cells(&self, r: &ScoreRow) -> Vec<String> {
        let mut cells = vec![r.self_score.to_string()];
        if self.overall_verified.is_some() {
            cells.push(r.verified.map_or_else(|| "—".to_owned(), |v| v.to_string()));
        }
        cells.push(level_with_name(self.lang, r.level));
        cells
    }

    /// Each domain's scores with its strengths and weaknesses.
    fn domain_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let mut columns = vec![Column::new(lang.t("能力域", "Domain"), 1.4)];
        columns.extend(self.score_columns(1.9));
        columns.push(Column::new(lang.t("强项", "Strengths"), 2.6));
        columns.push(Column::new(lang.t("弱项", "Weaknesses"), 2.6));
        let list = |l: &[String]| {
            if l.is_empty() {
                "—".to_owned()
            } else {
                l.join(lang.t("、", "; "))
            }
        };
        let rows: Vec<Vec<String>> = self
            .domains
            .iter()
            .zip(&self.readings)
            .map(|(d, reading)| {
                let mut row = vec![d.domain.clone()];
                row.extend(self.score_cells(d));
                row.push(list(&reading.strengths));
                row.push(list(&reading.weaknesses));
                row
            })
            .collect();
        doc.section(
            lang.t(
                "能力域得分与强弱项",
                "Domains: scores, strengths and weaknesses",
            ),
            &[&self.reading_rule],
            &columns,
            &rows,
        );
    }

    /// Each item's scores and the level that stopped it.
    fn item_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let mut columns = vec![Column::new(lang.t("能力项", "Item"), 2.2)];
        columns.extend(self.score_columns(1.7));
        columns.push(Column::new(lang.t("原因", "Why"), 3.4));
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| {
                let section = r.id.split_once(':').map_or(r.id.as_str(), |(_, s)| s);
                let flag = if r.far_below { FLAG } else { "" };
                let mut row = vec![format!("{flag}{section} {}", r.item)];
                row.extend(self.score_cells(r));
                row.push(r.why.clone());
                row
            })
            .collect();
        doc.section(
            lang.t("能力项得分及原因", "Item scores and why"),
            &[&self.why_intro],
            &columns,
            &rows,
        );
    }
    fn gap_plan(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let Some(target) = self.target else {
            return;
        };
        let heading = lang.t("差距与提升计划", "Gap plan");
        if self.gap.is_empty() {
            doc.heading(heading);
            doc.paragraph(&match lang {
                Lang::Zh => format!("各能力项均已达到目标等级 {target}。"),
                Lang::En => format!("Every item is at target level {target} or above."),
            });
            return;
        }
        let count = match lang {
            Lang::Zh => format!(
                "共 {} 个能力项、{} 步、{} 条条款。",
                self.gap_by_item().len(),
                self.gap.len(),
                self.gap_criteria()
            ),
            Lang::En => format!(
                "{} items, {} steps, {} criteria to raise.",
                self.gap_by_item().len(),
                self.gap.len(),
                self.gap_criteria()
            ),
        };
        let first: Vec<String> = self
            .first_steps()
            .iter()
            .enumerate()
            .map(|(n, g)| match lang {
                Lang::Zh => format!(
                    "{}. {}：等级 {}，提升 {} 条，总分 +{}",
                    n + 1,
                    g.item,
                    g.levels(),
                    g.criteria.len(),
                    g.gain
                ),
                Lang::En => format!(
                    "{}. {}: level {}, {} {}, overall +{}",
                    n + 1,
                    g.item,
                    g.levels(),
                    g.criteria.len(),
                    if g.criteria.len() == 1 {
                        "criterion"
                    } else {
                        "criteria"
                    },
                    g.gain
                ),
            })
            .collect();
        let mut paragraphs: Vec<&str> = vec![&self.gap_intro, &count, self.first_steps_heading()];
        paragraphs.extend(first.iter().map(String::as_str));
        let rows: Vec<Vec<String>> = self
            .gap_by_item()
            .iter()
            .flat_map(|group| {
                group.rows.iter().enumerate().map(|(n, g)| {
                    let criteria: Vec<String> = g
                        .criteria
                        .iter()
                        .map(|c| match lang {
                            Lang::Zh => format!("{}（{} → {}）", c.text, c.from, c.to),
                            Lang::En => format!("{} ({} → {})", c.text, c.from, c.to),
                        })
                        .collect();
                    vec![
                        if n == 0 {
                            group.item.to_owned()
                        } else {
                            String::new()
                        },
                        g.levels(),
                        criteria.join("\n"),
                        format!("+{}", g.gain),
                    ]
                })
            })
            .collect();
        let columns = [
            Column::new(lang.t("能力项", "Item"), 1.4),
            Column::new(lang.t("等级（得分）", "Level (score)"), 1.2),
            Column::new(lang.t("需提升的条款", "Criteria to raise"), 5.0),
            Column::new(lang.t("总分增益", "Overall gain"), 0.8),
        ];
        doc.section(heading, &paragraphs, &columns, &rows);
    }

    fn profile_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let heading = lang.t(
            "贯标条件预检与首席数据官",
            "Eligibility pre-check and chief data officer",
        );
        let Some(p) = &self.profile else {
            doc.heading(heading);
            doc.paragraph(lang.t(
                "企业尚未填写企业概况，无法进行预检。",
                "The enterprise has not filled in its profile; there is nothing to check.",
            ));
            return;
        };
        let intro = lang.t(
            "预检为指示性结果，申请正式评估的条件以评估机构的判断为准。",
            "The pre-check is indicative; whether the enterprise may apply for a formal \
             assessment is for the assessment body to decide.",
        );
        let rows: Vec<Vec<String>> = p
            .conditions
            .iter()
            .map(|(label, value, required, met)| {
                vec![
                    label.clone(),
                    value.to_string(),
                    required.to_string(),
                    yes_no(lang, *met).to_owned(),
                ]
            })
            .collect();
        let columns = [
            Column::new(lang.t("条件", "Condition"), 3.0),
            Column::new(lang.t("现状", "Value"), 1.0),
            Column::new(lang.t("要求", "Required"), 1.0),
            Column::new(lang.t("满足", "Met"), 0.8),
        ];
        doc.section(heading, &[intro], &columns, &rows);
        let none = || "—".to_owned();
        let list = |l: &[String]| if l.is_empty() { none() } else { l.join("、") };
        let rows = vec![
            vec![
                lang.t("已任命首席数据官", "CDO appointed").into(),
                yes_no(lang, p.cdo_appointed).into(),
            ],
            vec![
                lang.t("职级", "Rank").into(),
                p.cdo_rank.clone().unwrap_or_else(none),
            ],
            vec![
                lang.t("属于决策层", "At decision level").into(),
                yes_no(lang, p.cdo_decision_level).into(),
            ],
            vec![
                lang.t("写入章程", "In the charter").into(),
                yes_no(lang, p.cdo_in_charter).into(),
            ],
            vec![
                lang.t("已履行的职责", "Duties carried out").into(),
                list(&p.cdo_duties),
            ],
            vec![
                lang.t("尚未覆盖的职责", "Duties not covered").into(),
                list(&p.cdo_missing_duties),
            ],
        ];
        doc.table(
            &[
                Column::new(lang.t("首席数据官", "Chief data officer"), 1.5),
                Column::new("", 3.0),
            ],
            &rows,
        );
    }

    fn evidence_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let heading = lang.t("证据索引", "Evidence index");
        if self.evidence.is_empty() {
            doc.heading(heading);
            doc.paragraph(lang.t("未上传证据材料。", "No evidence was uploaded."));
            return;
        }
        let intro = lang.t(
            "每份材料的 SHA-256 指纹可与原文件核对。",
            "Each file's SHA-256 fingerprint can be checked against the original.",
        );
        let rows: Vec<Vec<String>> = self
            .evidence
            .iter()
            .map(|e| vec![e.file_name.clone(), e.criteria.join(" "), e.sha256.clone()])
            .collect();
        let columns = [
            Column::new(lang.t("文件", "File"), 2.2),
            Column::new(lang.t("支撑条款", "Criteria"), 1.8),
            Column::new("SHA-256", 3.2),
        ];
        doc.section(heading, &[intro], &columns, &rows);
    }
}

/// A section of the model with its notes and, when there is one, its table (the first column
/// twice as wide as the others).
fn block(doc: &mut PdfDoc<'_>, b: &Block) {
    let notes: Vec<&str> = b.notes.iter().map(String::as_str).collect();
    match &b.table {
        Some(t) => {
            let columns: Vec<Column> = t
                .header
                .iter()
                .enumerate()
                .map(|(j, h)| Column::new(h, if j == 0 { 2.0 } else { 1.0 }))
                .collect();
            doc.section(&b.heading, &notes, &columns, &t.rows);
        }
        None => {
            doc.heading(&b.heading);
            for n in notes {
                doc.paragraph(n);
            }
        }
    }
}
