//! A campaign's results as a table for spreadsheets: one row per enterprise as its sharing
//! setting allows, written as CSV or XLSX.

mod csv;
mod xlsx;

use std::collections::HashMap;

pub use self::csv::{text as csv_cell, to_csv};
pub use self::xlsx::{to_xlsx, About};

use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::{Detail, Sharing};
use crate::ids::EnterpriseId;
use crate::questionnaire::{Domain, Questionnaire};
use crate::scoring::rollup::{Delta, EnterpriseResult};
use crate::scoring::score::{DomainScore, ItemScore};
use crate::scoring::{Hundredths, Scorecard};

/// Who the export is for, which decides which enterprises appear by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Admins and auditors: everything in their scope.
    Everything,
    /// The cluster manager: enterprises sharing only anonymous statistics are left out.
    AsShared,
}

impl Audience {
    fn names(self, sharing: Sharing) -> bool {
        self == Self::Everything || sharing.shows(Detail::Scores)
    }
}

/// One enterprise's line.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub size: Size,
    pub sharing: Sharing,
    pub status: Status,
    /// Scored from verified ratings (own ratings where no auditor gave one); from submission on.
    pub verified: Option<Scorecard>,
    pub own: Option<Scorecard>,
}

impl Row {
    /// The domain of the verified scorecard at the questionnaire's position `i`.
    pub fn domain(&self, i: usize, domain: &Domain) -> Option<&DomainScore> {
        self.verified
            .as_ref()?
            .domains
            .get(i)
            .filter(|d| d.id == domain.id)
    }

    /// Verified and own score of every item, in questionnaire order.
    pub fn items(&self) -> Vec<(&ItemScore, Option<&ItemScore>)> {
        let Some(verified) = &self.verified else {
            return Vec::new();
        };
        let own: HashMap<&str, &ItemScore> = self
            .own
            .iter()
            .flat_map(|c| &c.domains)
            .flat_map(|d| &d.items)
            .map(|i| (i.id.as_str(), i))
            .collect();
        verified
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .map(|i| (i, own.get(i.id.as_str()).copied()))
            .collect()
    }

    pub fn self_overall(&self) -> Option<Hundredths> {
        self.own.as_ref().map(|c| c.overall.score)
    }

    /// Self minus verified overall score, once an auditor accepted the assessment: before
    /// that the verified score is the enterprise's own.
    pub fn bias(&self) -> Option<Delta> {
        if self.status != Status::Accepted {
            return None;
        }
        Some(Delta::between(
            self.own.as_ref()?.overall.score,
            self.verified.as_ref()?.overall.score,
        ))
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Enterprises left out because they share only anonymous statistics.
    pub left_out: usize,
}

impl Table {
    /// The rows `audience` may see, by name; `credit_codes` by enterprise id.
    pub fn new(
        enterprises: &[EnterpriseResult],
        credit_codes: &HashMap<EnterpriseId, String>,
        audience: Audience,
    ) -> Self {
        let mut rows: Vec<Row> = enterprises
            .iter()
            .filter(|e| audience.names(e.sharing))
            .map(|e| Row {
                name: e.name.clone(),
                credit_code: credit_codes.get(&e.id).cloned().unwrap_or_default(),
                industry: e.industry.clone(),
                size: e.size,
                sharing: e.sharing,
                status: e.status,
                verified: e.verified.clone(),
                own: e.own.clone(),
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.credit_code.cmp(&b.credit_code)));
        Self {
            left_out: enterprises.len() - rows.len(),
            rows,
        }
    }
}

/// The enterprise sheet's header: fixed columns, one per domain, then self score and bias.
pub fn header(q: &Questionnaire) -> Vec<String> {
    let mut h: Vec<String> = [
        "企业 Enterprise",
        "统一社会信用代码 Credit code",
        "行业 Industry",
        "规模 Size",
        "共享 Sharing",
        "状态 Status",
        "总分（核验）Overall (verified)",
        "等级 Level",
    ]
    .map(str::to_owned)
    .to_vec();
    h.extend(q.domains.iter().map(domain_label));
    h.push("自评总分 Self overall".to_owned());
    h.push("自评偏差 Bias (self − verified)".to_owned());
    h
}

/// `6 数据战略`: the domain's section and Chinese name.
pub fn domain_label(d: &Domain) -> String {
    format!("{} {}", d.section, d.name.zh)
}

/// The item sheet's header.
pub const ITEM_HEADER: [&str; 8] = [
    "企业 Enterprise",
    "统一社会信用代码 Credit code",
    "能力域 Domain",
    "能力项编号 Item id",
    "能力项 Item",
    "得分（核验）Score (verified)",
    "等级 Level",
    "自评得分 Self score",
];

/// What the export claims, and does not.
pub const STATEMENT_ZH: &str = "本导出中的得分与等级依据企业自评估及审核员核验结果计算，\
     为指示性结果，不代表数据管理能力成熟度（DCMM）认证结论。已提交但尚未通过审核的评估，\
     其核验得分即企业自评得分。";
pub const STATEMENT_EN: &str = "Scores and levels in this export are computed from the \
     enterprises' self-assessments and the auditors' verified ratings. They are indicative and \
     not a DCMM certification. For an assessment submitted but not yet accepted, the verified \
     score is the enterprise's own.";

#[cfg(test)]
mod tests;
