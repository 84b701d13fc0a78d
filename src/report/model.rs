//! The enterprise assessment report as data: everything the PDF shows, in the language asked
//! for, built from the self-assessment's scores (and the verified ones once an auditor has
//! reviewed them), the questionnaire's names and texts, the enterprise profile, the auditor's
//! notes and the evidence index. Pure, so it can be tested without a PDF or a database.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::chart::{radar, Chart, Colour, RadarSeries};
use super::pdf::{Column, PdfDoc, ReportFont};
use crate::domain::assessment::Status;
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Lang, Profile, Questionnaire};
use crate::scoring::profile::{cdo_summary, eligibility, keys, EligibilityRules};
use crate::scoring::{Hundredths, ScoreReport};

#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// One step of the gap plan: a criterion to raise to "fully", and what that alone adds to the
/// overall score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    pub level: u8,
    pub criterion: String,
    pub item: String,
    pub text: String,
    pub gain: Hundredths,
}

/// An auditor's review: when, what was decided, and the note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub at: NaiveDateTime,
    /// `accept` or `return`, as stored.
    pub decision: String,
    pub text: String,
}

/// A piece of evidence: its file name, fingerprint and the criteria it supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceEntry {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub criteria: Vec<String>,
}

/// The eligibility pre-check and the CDO summary, in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    /// (condition, value, required, met)
    pub conditions: Vec<(String, i64, i64, bool)>,
    pub all_met: bool,
    pub cdo_appointed: bool,
    pub cdo_rank: Option<String>,
    pub cdo_decision_level: bool,
    pub cdo_in_charter: bool,
    pub cdo_duties: Vec<String>,
    pub cdo_missing_duties: Vec<String>,
}

/// What the report says beyond the scores.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub enterprise: String,
    pub credit_code: String,
    pub campaign: String,
    pub status: Status,
    /// The day of the last change to the assessment: the report shows the data as of then.
    pub as_of: NaiveDate,
    /// The campaign's target level: the radar's reference and the gap plan's aim.
    pub target: Option<u8>,
    /// The profile questionnaire and the enterprise's answers, when it filled in its profile.
    pub profile: Option<(&'a Profile, &'a ProfileAnswers)>,
    /// Oldest first.
    pub notes: Vec<Note>,
    pub evidence: Vec<EvidenceEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnterpriseReport {
    pub lang: Lang,
    pub enterprise: String,
    pub credit_code: String,
    pub campaign: String,
    pub status: String,
    pub as_of: NaiveDate,
    pub target: Option<u8>,
    pub questionnaire: String,
    pub edition: String,
    pub questionnaire_hash: String,
    pub policy: String,
    pub overall_self: Hundredths,
    pub overall_verified: Option<Hundredths>,
    pub level: u8,
    pub domains: Vec<ScoreRow>,
    pub items: Vec<ScoreRow>,
    /// To the target level, from the verified ratings when there are any.
    pub gap: Vec<GapRow>,
    pub profile: Option<ProfileSummary>,
    pub notes: Vec<Note>,
    pub evidence: Vec<EvidenceEntry>,
}

/// The label of `value` among the options of profile question `question`, or the value itself.
fn option_label(profile: &Profile, lang: Lang, question: &str, value: &str) -> String {
    profile
        .questions
        .iter()
        .find(|q| q.id == question)
        .and_then(|q| q.options.iter().find(|o| o.value == value))
        .map_or_else(|| value.to_owned(), |o| o.label.get(lang).to_owned())
}

fn profile_summary(profile: &Profile, answers: &ProfileAnswers, lang: Lang) -> ProfileSummary {
    let check = eligibility(answers, &EligibilityRules::default());
    let cdo = cdo_summary(answers);
    let duties = |list: &[String]| {
        list.iter()
            .map(|d| option_label(profile, lang, keys::CDO_DUTIES, d))
            .collect()
    };
    ProfileSummary {
        conditions: check
            .conditions
            .iter()
            .map(|c| (c.label.get(lang).to_owned(), c.value, c.required, c.met))
            .collect(),
        all_met: check.all_met,
        cdo_appointed: cdo.appointed,
        cdo_rank: cdo
            .rank
            .as_deref()
            .map(|r| option_label(profile, lang, keys::CDO_RANK, r)),
        cdo_decision_level: cdo.decision_level,
        cdo_in_charter: cdo.in_charter,
        cdo_duties: duties(&cdo.duties),
        cdo_missing_duties: duties(&cdo.missing_duties),
    }
}

/// The report of `self_scores` (and `verified` once reviewed), both scored on `q`; the gap plan
/// is taken from the verified scores when given, else from the self-assessed ones (either must
/// have been evaluated with the target level for it to be there).
pub fn enterprise_report(
    q: &Questionnaire,
    self_scores: &ScoreReport,
    verified: Option<&ScoreReport>,
    facts: Facts<'_>,
    lang: Lang,
) -> EnterpriseReport {
    let domain_name = |id: &str| {
        q.domains
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_owned(), |d| d.name.get(lang).to_owned())
    };
    let items_by_id: Vec<(&str, &crate::questionnaire::Item)> = q
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .map(|i| (i.id.as_str(), i))
        .collect();
    let item_name = |id: &str| {
        items_by_id
            .iter()
            .find(|(i, _)| *i == id)
            .map_or_else(|| id.to_owned(), |(_, i)| i.name.get(lang).to_owned())
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
    let planned = verified.unwrap_or(self_scores);
    let gap = planned
        .gap
        .iter()
        .flatten()
        .map(|g| {
            let item = items_by_id
                .iter()
                .find(|(_, i)| i.criteria.iter().any(|c| c.id == g.criterion));
            GapRow {
                level: g.level,
                criterion: g.criterion.clone(),
                item: item.map_or_else(String::new, |(_, i)| i.name.get(lang).to_owned()),
                text: q
                    .criterion(&g.criterion)
                    .map_or_else(String::new, |c| c.text.get(lang).to_owned()),
                gain: g.gain,
            }
        })
        .collect();
    EnterpriseReport {
        lang,
        enterprise: facts.enterprise,
        credit_code: facts.credit_code,
        campaign: facts.campaign,
        status: facts.status.label(lang).to_owned(),
        as_of: facts.as_of,
        target: facts.target,
        questionnaire: q.title.get(lang).to_owned(),
        edition: self_scores.questionnaire.edition.clone(),
        questionnaire_hash: self_scores.questionnaire.hash.clone(),
        policy: self_scores.policy.clone(),
        overall_self: self_scores.overall.score,
        overall_verified: verified.map(|v| v.overall.score),
        level: verified.map_or(self_scores.overall.level, |v| v.overall.level),
        domains,
        items,
        gap,
        profile: facts
            .profile
            .map(|(p, answers)| profile_summary(p, answers, lang)),
        notes: facts.notes,
        evidence: facts.evidence,
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
        let line = match (lang, self.overall_verified) {
            (Lang::Zh, Some(v)) => format!(
                "自评总分：{}；核验后总分：{v}。指示等级：{}。",
                self.overall_self, self.level
            ),
            (Lang::Zh, None) => format!(
                "自评总分：{}（尚未经审核员核验）。指示等级：{}。",
                self.overall_self, self.level
            ),
            (Lang::En, Some(v)) => format!(
                "Self-assessed overall score: {}; verified overall score: {v}. Indicated level: {}.",
                self.overall_self, self.level
            ),
            (Lang::En, None) => format!(
                "Self-assessed overall score: {} (not yet verified by an auditor). Indicated \
                 level: {}.",
                self.overall_self, self.level
            ),
        };
        doc.paragraph(&line);
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
            doc.paragraph(&format!(
                "{} {target}{}",
                lang.t("目标等级", "Every criterion up to target level"),
                lang.t(" 及以下的所有条款均已完全满足。", " is already fully met.")
            ));
            return;
        }
        let intro = format!(
            "{} {target}{}",
            lang.t("达到目标等级",
                "Criteria still to meet for target level"
            ),
            lang.t(" 尚需满足的条款，按等级排列；“增益”为仅将该条款提升为“完全满足”时总分的提高。\
                 增益为 0.00 的条款同样必需：能力项得分只反映已达到的等级及其上一级，这类条款或属于已达到、\
                 仍应完全满足的等级，或要等较低等级达到后才会提高得分。",
                ", by level; the gain is what raising that criterion alone to \"fully\" adds to \
                 the overall score. A criterion with a gain of 0.00 is needed all the same: an \
                 item's score reflects only the levels it has reached and the next one up, so \
                 such a criterion belongs either to a level already reached, where it is still \
                 expected in full, or to a level that counts once the levels below it are \
                 reached."
            )
        );
        let rows: Vec<Vec<String>> = self
            .gap
            .iter()
            .map(|g| {
                vec![
                    g.level.to_string(),
                    g.item.clone(),
                    format!("{} {}", g.criterion, g.text),
                    format!("+{}", g.gain),
                ]
            })
            .collect();
        let columns = [
            Column::new(lang.t("等级", "Level"), 0.6),
            Column::new(lang.t("能力项", "Item"), 1.6),
            Column::new(lang.t("条款", "Criterion"), 5.0),
            Column::new(lang.t("增益", "Gain"), 0.8),
        ];
        doc.section(heading, &[&intro], &columns, &rows);
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

#[cfg(test)]
mod tests;
