//! The review section of the PDF: who reviewed the assessment and when, every review's
//! decision and note, and the criteria the auditor rated, the enterprise's rating beside each.

use crate::report::enterprise::EnterpriseReport;
use crate::report::pdf::{Column, PdfDoc};

impl EnterpriseReport {
    pub(super) fn review_section(&self, doc: &mut PdfDoc<'_>) {
        let lang = self.lang;
        let heading = lang.t("审核与核验", "Review and verification");
        if self.notes.is_empty() {
            doc.heading(heading);
            doc.paragraph(lang.t(
                "尚无审核记录：评估提交后由审核员核验。",
                "The assessment has not been reviewed yet: an auditor verifies it once it is \
                 submitted.",
            ));
            return;
        }
        let dash = |t: &str| {
            if t.trim().is_empty() {
                "—".to_owned()
            } else {
                t.to_owned()
            }
        };
        let rows: Vec<Vec<String>> = self
            .notes
            .iter()
            .map(|n| {
                let decision = n
                    .decision
                    .parse::<crate::domain::assessment::Decision>()
                    .map_or_else(|_| n.decision.clone(), |d| d.label(lang).to_owned());
                vec![
                    n.at.format("%Y-%m-%d").to_string(),
                    n.auditor.clone(),
                    decision,
                    dash(&n.text),
                ]
            })
            .collect();
        let columns = [
            Column::new(lang.t("日期", "Date"), 1.2),
            Column::new(lang.t("审核员", "Auditor"), 1.4),
            Column::new(lang.t("结论", "Decision"), 1.0),
            Column::new(lang.t("意见", "Note"), 4.4),
        ];
        let intro = lang.t(
            "核验后得分以审核员的评定为准，未经审核员评定的条款沿用企业自评。",
            "Verified scores take the auditor's rating where one was given and the \
             enterprise's own elsewhere.",
        );
        doc.section(heading, &[intro], &columns, &rows);
        if self.rerated.is_empty() {
            doc.paragraph(lang.t(
                "审核员未改动任何条款的评定。",
                "The auditor changed no criterion's rating.",
            ));
            return;
        }
        let rows: Vec<Vec<String>> = self
            .rerated
            .iter()
            .map(|r| {
                vec![
                    format!("{} · {} {}", r.item, r.criterion, r.text),
                    r.self_rating.clone(),
                    r.verified.clone(),
                    dash(&r.note),
                ]
            })
            .collect();
        let columns = [
            Column::new(lang.t("条款", "Criterion"), 4.0),
            Column::new(lang.t("自评", "Self"), 1.1),
            Column::new(lang.t("核验", "Verified"), 1.1),
            Column::new(lang.t("审核员说明", "Auditor's note"), 2.4),
        ];
        doc.section(
            lang.t("审核员评定的条款", "Criteria the auditor rated"),
            &[],
            &columns,
            &rows,
        );
    }
}
