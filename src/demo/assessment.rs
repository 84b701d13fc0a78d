//! What happens to one assessment: answered as an enterprise of its capability would, left
//! half done, reviewed by the auditor, or given a policy document as evidence.

use chrono::Utc;
use diesel::prelude::*;

use super::{draw, Seeder};
use crate::audit::{self, Entry};
use crate::db::assessments::{self, AnswerRow, ReviewRow, VerifiedRow};
use crate::db::schema::answers;
use crate::domain::assessment::Decision;
use crate::evidence::Upload;
use crate::ids::{AssessmentId, ReviewId, UserId};
use crate::questionnaire::Questionnaire;
use crate::scoring::Rating;

impl Seeder<'_> {
    /// Answers every criterion as an enterprise of this capability would.
    pub(super) fn answer(
        &mut self,
        assessment: AssessmentId,
        q: &Questionnaire,
        by: UserId,
        capability: u8,
        now: chrono::NaiveDateTime,
    ) -> anyhow::Result<usize> {
        let rows: Vec<AnswerRow> = draw::answers(&mut self.rng, q, capability)
            .into_iter()
            .map(|(criterion, rating)| AnswerRow {
                assessment_id: assessment,
                criterion_id: criterion,
                rating,
                comment: String::new(),
                version: 1,
                updated_by: Some(by),
                updated_at: now,
            })
            .collect();
        for chunk in rows.chunks(500) {
            crate::on_backend!(&mut *self.conn, |c| diesel::insert_into(answers::table)
                .values(chunk)
                .execute(c))?;
        }
        assessments::touch(self.conn, assessment, now)?;
        // Filed under the cluster, so its auditors and manager find it in their audit log.
        let cluster = crate::db::refs::assessment(self.conn, assessment)?
            .enterprise
            .cluster_id;
        audit::append(
            self.conn,
            Entry {
                actor_id: Some(by.to_string()),
                cluster_id: Some(cluster.to_string()),
                action: "answers.import".into(),
                subject_type: "assessment".into(),
                subject_id: assessment.to_string(),
                after: Some(serde_json::json!({"answers": rows.len(), "source": "demo"})),
                ..Entry::default()
            },
        )?;
        Ok(rows.len())
    }

    /// Leaves a draft half done: removes `count` answers from its end.
    pub(super) fn forget_some(
        &mut self,
        assessment: AssessmentId,
        count: usize,
    ) -> anyhow::Result<()> {
        let ids: Vec<String> = assessments::answers_of(self.conn, assessment)?
            .into_iter()
            .rev()
            .take(count)
            .map(|a| a.criterion_id)
            .collect();
        diesel::delete(
            answers::table
                .filter(answers::assessment_id.eq(assessment))
                .filter(answers::criterion_id.eq_any(ids)),
        )
        .execute(self.conn)?;
        Ok(())
    }

    /// A review that verifies `changes` of the enterprise's `fully` ratings one step lower.
    pub(super) fn review(
        &mut self,
        assessment: AssessmentId,
        q: &Questionnaire,
        auditor: UserId,
        decision: Decision,
        note: &str,
        changes: usize,
    ) -> anyhow::Result<()> {
        let now = Utc::now().naive_utc();
        let review = ReviewRow {
            id: ReviewId::new(),
            assessment_id: assessment,
            auditor_id: auditor,
            decision,
            note: note.to_owned(),
            created_at: now,
        };
        let fully: Vec<String> = assessments::answers_of(self.conn, assessment)?
            .into_iter()
            .filter(|a| a.rating == Rating::Fully && q.index_of(&a.criterion_id).is_some())
            .map(|a| a.criterion_id)
            .collect();
        let mut verified = Vec::new();
        for _ in 0..changes.min(fully.len()) {
            let criterion = self.rng.pick(&fully).clone();
            if verified
                .iter()
                .any(|v: &VerifiedRow| v.criterion_id == criterion)
            {
                continue;
            }
            verified.push(VerifiedRow {
                assessment_id: assessment,
                criterion_id: criterion,
                rating: if self.rng.chance(70) {
                    Rating::Largely
                } else {
                    Rating::Partially
                },
                note: "现场核查：制度已发布但执行记录不完整".into(),
                review_id: review.id,
                auditor_id: auditor,
                created_at: now,
            });
        }
        assessments::review(self.conn, &review, &verified)?;
        let cluster = crate::db::refs::assessment(self.conn, assessment)?
            .enterprise
            .cluster_id;
        audit::append(
            self.conn,
            Entry {
                actor_id: Some(auditor.to_string()),
                cluster_id: Some(cluster.to_string()),
                action: format!("assessment.{decision}"),
                subject_type: "assessment".into(),
                subject_id: assessment.to_string(),
                after: Some(serde_json::json!({"decision": decision, "verified": verified.len()})),
                ..Entry::default()
            },
        )?;
        Ok(())
    }

    /// A policy document as evidence for the enterprise's first criteria of strategy and
    /// governance.
    pub(super) fn evidence(
        &mut self,
        assessment: AssessmentId,
        q: &Questionnaire,
        by: UserId,
        enterprise: &str,
    ) -> anyhow::Result<()> {
        let criteria: Vec<String> = q
            .criteria()
            .filter(|c| c.level <= 2)
            .take(3)
            .map(|c| c.id.clone())
            .collect();
        let text = format!(
            "{enterprise}\n数据管理制度汇编（2026 年版）\n\n第一章 总则\n为规范数据管理工作，明确数据管理组织与职责，制定本制度。\n\n第二章 组织与职责\n公司设立数据管理委员会，由分管副总经理担任主任。\n"
        );
        let upload = Upload {
            file: Some(crate::evidence::ReceivedFile::from_bytes(
                &self.store,
                "数据管理制度汇编.txt",
                text.as_bytes(),
            )?),
            criteria,
            effective_date: Some("2026-03-01".to_owned()),
        };
        let new = upload
            .check(q)
            .map_err(|e| anyhow::anyhow!("demo evidence: {e:?}"))?;
        crate::evidence::record(self.conn, &self.store, assessment, by, new)
            .map_err(|e| anyhow::anyhow!("demo evidence: {e}"))?;
        Ok(())
    }
}
