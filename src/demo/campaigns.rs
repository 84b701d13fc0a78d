//! The two campaigns: last year's on the 2018 edition, closed with every assessment accepted,
//! and this year's on the 2025 edition, under way with assessments in every state.

use chrono::{Days, NaiveDate, NaiveDateTime, Utc};

use super::cluster::{Firm, Staff};
use super::Seeder;
use crate::audit;
use crate::db::assessments;
use crate::db::campaigns::{self, CampaignRow};
use crate::db::enterprises;
use crate::domain::assessment::Decision;
use crate::domain::campaign::CampaignStatus;
use crate::ids::{CampaignId, ClusterId, UserId};
use crate::questionnaire::Questionnaire;

impl Seeder<'_> {
    /// Every enterprise took part and was accepted; most have improved a level since.
    pub(super) fn last_years_campaign(
        &mut self,
        staff: &Staff,
        firms: &[Firm],
        now: NaiveDateTime,
    ) -> anyhow::Result<CampaignRow> {
        let q2018 = self.dcmm("dcmm-2018")?;
        let previous = self.campaign(
            staff.cluster.id,
            staff.manager,
            &q2018,
            "2025年度数据管理能力评估（2018 版）",
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(now.date()),
            CampaignStatus::Closed,
        )?;
        let drafts = assessments::of_campaign(self.conn, previous.id)?;
        for (a, firm) in drafts.iter().zip(firms) {
            let earlier = firm
                .capability
                .saturating_sub(u8::from(self.rng.chance(60)))
                .max(1);
            self.answer(a.id, &q2018, firm.user, earlier, now)?;
            assessments::submit(self.conn, a.id, now)?;
            self.review(a.id, &q2018, staff.auditor, Decision::Accept, "", 2)?;
            assessments::store_sheets(self.conn, &q2018, a.id, &self.policy)?;
        }
        Ok(previous)
    }

    /// Under way: of every 40 enterprises, 20 accepted, 8 submitted, 2 returned, 6 half done
    /// and 4 not started; every third one that submitted attached a policy document.
    pub(super) fn this_years_campaign(
        &mut self,
        staff: &Staff,
        firms: &[Firm],
        now: NaiveDateTime,
    ) -> anyhow::Result<CampaignRow> {
        let q2025 = self.dcmm("dcmm-2025")?;
        let current = self.campaign(
            staff.cluster.id,
            staff.manager,
            &q2025,
            "2026年度数据管理能力评估（DCMM 2025 版）",
            now.date() + Days::new(45),
            CampaignStatus::Open,
        )?;
        let drafts = assessments::of_campaign(self.conn, current.id)?;
        for (n, (a, firm)) in drafts.iter().zip(firms).enumerate() {
            let slot = n % 40;
            match slot {
                0..=35 => {
                    let answered = self.answer(a.id, &q2025, firm.user, firm.capability, now)?;
                    if slot >= 30 {
                        self.forget_some(a.id, answered / 2)?;
                        continue;
                    }
                }
                _ => continue,
            }
            if n % 3 == 0 {
                self.evidence(a.id, &q2025, firm.user, &firm.row.name)?;
            }
            assessments::submit(self.conn, a.id, now)?;
            assessments::store_sheets(self.conn, &q2025, a.id, &self.policy)?;
            audit::append(
                self.conn,
                staff.entry(firm.user, "assessment.submit", "assessment", a.id),
            )?;
            match slot {
                0..=19 => self.review(a.id, &q2025, staff.auditor, Decision::Accept, "", 6)?,
                20..=27 => {}
                _ => self.review(
                    a.id,
                    &q2025,
                    staff.auditor,
                    Decision::Return,
                    "部分二级条款缺少正式发布的制度文件，请补充证据后重新提交。",
                    3,
                )?,
            }
            assessments::store_sheets(self.conn, &q2025, a.id, &self.policy)?;
        }
        Ok(current)
    }

    /// A campaign of the cluster with a draft for each of its enterprises.
    fn campaign(
        &mut self,
        cluster: ClusterId,
        by: UserId,
        q: &Questionnaire,
        name: &str,
        due: NaiveDate,
        status: CampaignStatus,
    ) -> anyhow::Result<CampaignRow> {
        let now = Utc::now().naive_utc();
        let row = CampaignRow {
            id: CampaignId::new(),
            cluster_id: cluster,
            name: name.to_owned(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            due_date: due,
            target_level: 3,
            status,
            created_by: Some(by),
            created_at: now,
            updated_at: now,
        };
        campaigns::insert(self.conn, &row)?;
        let ids = enterprises::ids_in_cluster(self.conn, cluster)?;
        assessments::create_drafts(self.conn, &row, &ids, None)?;
        Ok(row)
    }
}
