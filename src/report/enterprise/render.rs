//! The enterprise report as PDF pages: cover, summary with the radar, score tables, gap plan,
//! benchmark, change since the previous campaign, profile, auditor's notes and evidence index,
//! in that order, played into a [`PdfDoc`].

use super::{Block, EnterpriseReport, ScoreRow};
use crate::questionnaire::Lang;
use crate::report::pdf::{Column, PdfDoc, ReportFont};

fn yes_no(lang: Lang, yes: bool) -> &'static str {
    if yes {
        lang.t("是", "yes")
    } else {
        lang.t("否", "no")
    }
}

impl EnterpriseReport {
    /// The report as PDF pages, with `report_id` in every footer.
    pub fn to_pdf(&self, font: &ReportFont, report_id: &str) -> Vec<u8> {
        let lang = self.lang;
        let title = lang.t("数据管理能力成熟度评估报告", "DCMM assessment report");
        let mut doc = PdfDoc::new(font, title, report_id);
        doc.describe(&self.enterprise, self.as_of);
        doc.heading(title);
        self.cover(&mut doc, report_id);
        self.summary(&mut doc);
        self.score_tables(&mut doc);
        self.gap_plan(&mut doc);
        block(&mut doc, &self.benchmark);
        block(&mut doc, &self.change);
        self.profile_section(&mut doc);
        self.notes_section(&mut doc);
        self.evidence_section(&mut doc);
        doc.finish()
    }

    fn cover(&self, doc: &mut PdfDoc<'_>, report_id: &str) {
        let lang = self.lang;
        let target = self
            .target
            .map_or_else(|| "—".to_owned(), |t| t.to_string());
        let rows = vec![
            vec![lang.t("企业", "Enterprise").into(), self.enterprise.clone()],
            vec![
                lang.t("统一社会信用代码", "Unified social credit code")
                    .into(),
                self.credit_code.clone(),
            ],
            vec![lang.t("评估活动", "Campaign").into(), self.campaign.clone()],
            vec![
                lang.t("问卷", "Questionnaire").into(),
                match lang {
                    Lang::Zh => format!("{}（{}）", self.questionnaire, self.edition),
                    Lang::En => format!("{} ({})", self.questionnaire, self.edition),
                },
            ],
            vec![
                lang.t("问卷内容哈希", "Questionnaire hash").into(),
                self.questionnaire_hash.clone(),
            ],
            vec![
                lang.t("评分规则版本", "Scoring policy").into(),
                self.policy.clone(),
            ],
            vec![lang.t("目标等级", "Target level").into(), target],
            vec![lang.t("状态", "Status").into(), self.status.clone()],
            vec![
                lang.t("数据截至", "Data as of").into(),
                self.as_of.format("%Y-%m-%d").to_string(),
            ],
            vec![lang.t("报告编号", "Report id").into(), report_id.to_owned()],
        ];
        doc.table(
            &[
                Column::new(lang.t("项目", "Field"), 1.0),
                Column::new(lang.t("内容", "Value"), 3.0),
            ],
            &rows,
        );
    }

    fn summary(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        doc.heading(lang.t("摘要", "Summary"));
        let level = match lang {
            Lang::Zh => format!("{}（{}）", self.level, self.level_name),
            Lang::En => format!("{} ({})", self.level, self.level_name),
        };
        let line = match (lang, self.overall_verified) {
            (Lang::Zh, Some(v)) => format!(
                "自评总分：{}；核验后总分：{v}。指示等级：{level}。",
                self.overall_self
            ),
            (Lang::Zh, None) => format!(
                "自评总分：{}（尚未经审核员核验）。指示等级：{level}。",
                self.overall_self
            ),
            (Lang::En, Some(v)) => format!(
                "Self-assessed overall score: {}; verified overall score: {v}. Indicated level: {level}.",
                self.overall_self
            ),
            (Lang::En, None) => format!(
                "Self-assessed overall score: {} (not yet verified by an auditor). Indicated \
                 level: {level}.",
                self.overall_self
            ),
        };
        doc.paragraph(&line);
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
        doc.chart(&self.radar(), 120.0);
    }

    fn score_tables(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let score = |r: &ScoreRow| {
            vec![
                r.self_score.to_string(),
                r.verified.map_or_else(|| "—".to_owned(), |v| v.to_string()),
                r.level.to_string(),
            ]
        };
        let tail = [
            Column::new(lang.t("自评", "Self"), 1.0),
            Column::new(lang.t("核验", "Verified"), 1.0),
            Column::new(lang.t("等级", "Level"), 0.8),
        ];
        let mut columns = vec![Column::new(lang.t("能力域", "Domain"), 3.0)];
        columns.extend(tail.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .domains
            .iter()
            .map(|r| [vec![r.domain.clone()], score(r)].concat())
            .collect();
        doc.section(lang.t("能力域得分", "Domain scores"), &[], &columns, &rows);
        let mut columns = vec![
            Column::new(lang.t("能力域", "Domain"), 2.0),
            Column::new(lang.t("能力项", "Item"), 3.0),
        ];
        columns.extend(tail.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| [vec![r.domain.clone(), r.item.clone()], score(r)].concat())
            .collect();
        doc.section(lang.t("能力项得分", "Item scores"), &[], &columns, &rows);
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

    fn notes_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let heading = lang.t("审核意见", "Auditor's notes");
        if self.notes.is_empty() {
            doc.heading(heading);
            doc.paragraph(lang.t(
                "尚无审核记录。",
                "The assessment has not been reviewed yet.",
            ));
            return;
        }
        let rows: Vec<Vec<String>> = self
            .notes
            .iter()
            .map(|n| {
                let decision = match n.decision.as_str() {
                    "accept" => lang.t("通过", "accepted"),
                    "return" => lang.t("退回修改", "returned"),
                    _ => n.decision.as_str(),
                };
                vec![
                    n.at.format("%Y-%m-%d").to_string(),
                    decision.to_owned(),
                    if n.text.is_empty() {
                        "—".to_owned()
                    } else {
                        n.text.clone()
                    },
                ]
            })
            .collect();
        let columns = [
            Column::new(lang.t("日期", "Date"), 1.2),
            Column::new(lang.t("结论", "Decision"), 1.0),
            Column::new(lang.t("意见", "Note"), 5.0),
        ];
        doc.section(heading, &[], &columns, &rows);
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
