//! `dcmm demo`: a realistic, deterministic demo cluster on an empty database — enterprises of
//! every industry and size, accounts of every role, a previous campaign on the 2018 edition and
//! a current one on the 2025 edition with answers, profiles, evidence and reviews.

pub mod draw;
mod profile;

use chrono::{Days, NaiveDate, Utc};
use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use crate::auth::password;
use crate::db::assessments::{self, AnswerRow, ReviewRow, VerifiedRow};
use crate::db::campaigns::{self, CampaignRow};
use crate::db::clusters::{self, ClusterRow};
use crate::db::enterprises::{self, EnterpriseRow};
use crate::db::schema::{answers, clusters as clusters_table};
use crate::db::DbConnection;
use crate::domain::{Actor, Role};
use crate::evidence::store::EvidenceStore;
use crate::evidence::Upload;
use crate::ids::UserId;
use crate::questionnaire::{Questionnaire, Registry, PROFILE_ID};
use crate::scoring::Rating;
use draw::Rng;

/// The password of every demo account.
pub const PASSWORD: &str = "dcmm-demo-2026";
/// The number of enterprises of the demo cluster unless asked otherwise.
pub const ENTERPRISES: usize = 40;

/// What was made, for the command line to print.
#[derive(Debug, Clone)]
pub struct Summary {
    pub cluster: String,
    pub enterprises: usize,
    pub accounts: Vec<(String, Role, String)>,
    pub campaigns: Vec<String>,
}

struct Seeder<'a> {
    conn: &'a mut DbConnection,
    enterprises: usize,
    registry: &'a Registry,
    store: EvidenceStore,
    rng: Rng,
    hash: String,
}

/// Seeds the demo cluster. Refuses a database that already has a cluster.
pub fn seed(
    conn: &mut DbConnection,
    registry: &Registry,
    data_dir: &std::path::Path,
    seed: u64,
    enterprises: usize,
) -> anyhow::Result<Summary> {
    let existing: i64 = clusters_table::table.count().get_result(conn)?;
    if existing > 0 {
        anyhow::bail!("the database already holds data; the demo seeds only an empty database");
    }
    let pw = password::Password::parse(PASSWORD, "admin").map_err(anyhow::Error::msg)?;
    // One hash for every demo account: they share the printed password.
    let hash = password::hash(&pw)?;
    audit::write_tx(conn, |conn| {
        let mut seeder = Seeder {
            conn,
            enterprises,
            registry,
            store: EvidenceStore::new(data_dir),
            rng: Rng::new(seed),
            hash,
        };
        seeder.run()
    })
}

impl Seeder<'_> {
    fn account(
        &mut self,
        username: &str,
        display: &str,
        role: Role,
        scope: ScopeFields<'_>,
    ) -> anyhow::Result<UserId> {
        let account = NewAccount::parse(&NewAccountInput {
            username,
            password: PASSWORD,
            display_name: Some(display),
            language: None,
            role,
            scope,
        })
        .map_err(|e| anyhow::anyhow!("demo account {username}: {e:?}"))?;
        let actor: Actor = crate::auth::users::resolve_scope(self.conn, &account.scope)?
            .map_err(|m| anyhow::anyhow!("demo account {username}: no {}", m.field))?;
        Ok(crate::auth::users::insert(self.conn, &account, &actor, &self.hash)?.id)
    }

    fn dcmm(&self, id: &str) -> anyhow::Result<std::sync::Arc<Questionnaire>> {
        self.registry
            .dcmm(id)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("questionnaire {id} is not loaded"))
    }

    fn run(&mut self) -> anyhow::Result<Summary> {
        let now = Utc::now().naive_utc();
        let today = now.date();
        let cluster = ClusterRow {
            id: uuid::Uuid::now_v7().to_string(),
            name: "榕城数字经济产业集群".into(),
            region: "福建省福州市".into(),
            description: "工业互联网与智能制造企业集聚的省级数字产业集群，开展 DCMM 贯标试点。"
                .into(),
            created_at: now,
            updated_at: now,
        };
        clusters::insert(self.conn, &cluster)?;
        let mut accounts = Vec::new();
        let admin = self.account("admin", "系统管理员", Role::Admin, ScopeFields::default())?;
        accounts.push(("admin".to_owned(), Role::Admin, "系统管理员".to_owned()));
        let cluster_list = [cluster.id.clone()];
        let manager = self.account(
            "manager",
            "集群管理员 林晓",
            Role::ClusterManager,
            ScopeFields {
                cluster_id: Some(&cluster.id),
                ..Default::default()
            },
        )?;
        accounts.push((
            "manager".to_owned(),
            Role::ClusterManager,
            "集群管理员 林晓".to_owned(),
        ));
        let auditor = self.account(
            "auditor",
            "评估师 陈志远",
            Role::Auditor,
            ScopeFields {
                cluster_ids: Some(&cluster_list),
                ..Default::default()
            },
        )?;
        accounts.push((
            "auditor".to_owned(),
            Role::Auditor,
            "评估师 陈志远".to_owned(),
        ));
        let entry = |by: UserId, action: &str, subject: &str, id: &str| Entry {
            actor_id: Some(by.to_string()),
            action: action.to_owned(),
            subject_type: subject.to_owned(),
            subject_id: id.to_owned(),
            cluster_id: Some(cluster.id.clone()),
            ..Entry::default()
        };
        audit::append(
            self.conn,
            entry(admin, "cluster.create", "cluster", &cluster.id),
        )?;

        let profile = self
            .registry
            .profile(PROFILE_ID)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the enterprise profile is not loaded"))?;
        let industries: Vec<String> = profile
            .question("industry")
            .map(|q| {
                q.options
                    .iter()
                    .map(|o| o.value.clone())
                    .filter(|v| v != "other")
                    .collect()
            })
            .unwrap_or_default();
        let mut firms = Vec::new();
        for n in 0..self.enterprises {
            let industry = self.rng.pick(&industries).clone();
            let size = match self.rng.below(100) {
                0..=14 => "micro",
                15..=54 => "small",
                55..=84 => "medium",
                _ => "large",
            };
            let sharing = match self.rng.below(100) {
                0..=29 => "full",
                30..=89 => "scores",
                _ => "anonymous",
            };
            let row = EnterpriseRow {
                id: uuid::Uuid::now_v7().to_string(),
                cluster_id: cluster.id.clone(),
                name: draw::enterprise_name(&mut self.rng, &industry, n),
                credit_code: draw::credit_code(&mut self.rng).to_string(),
                industry,
                size: size.to_owned(),
                region: "福州".into(),
                sharing: sharing.to_owned(),
                created_at: now,
                updated_at: now,
            };
            enterprises::insert(self.conn, &row)?;
            audit::append(
                self.conn,
                entry(manager, "enterprise.create", "enterprise", &row.id),
            )?;
            let username = format!("e{:02}", n + 1);
            let user = self.account(
                &username,
                &format!("{} 数据负责人", row.name),
                Role::Enterprise,
                ScopeFields {
                    enterprise_id: Some(&row.id),
                    ..Default::default()
                },
            )?;
            accounts.push((username, Role::Enterprise, row.name.clone()));
            let capability = draw::capability(&mut self.rng);
            profile::save(self.conn, &mut self.rng, &profile, &row, user, capability)?;
            firms.push((row, user, capability));
        }

        // Last year's campaign on the 2018 edition: every enterprise took part and was accepted;
        // most have improved a level since.
        let q2018 = self.dcmm("dcmm-2018")?;
        let previous = self.campaign(
            &cluster.id,
            manager,
            &q2018,
            "2025年度数据管理能力评估（2018 版）",
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(today),
            "closed",
        )?;
        let drafts = assessments::of_campaign(self.conn, &previous.id)?;
        for (a, (_, user, capability)) in drafts.iter().zip(&firms) {
            let earlier = capability
                .saturating_sub(u8::from(self.rng.chance(60)))
                .max(1);
            self.answer(&a.id, &q2018, *user, earlier, now)?;
            assessments::submit(self.conn, &a.id, now)?;
            self.review(&a.id, &q2018, auditor, "accept", "", 2)?;
            assessments::store_sheets(self.conn, &q2018, &a.id)?;
        }

        // This year's campaign on the 2025 edition, under way.
        let q2025 = self.dcmm("dcmm-2025")?;
        let current = self.campaign(
            &cluster.id,
            manager,
            &q2025,
            "2026年度数据管理能力评估（DCMM 2025 版）",
            today + Days::new(45),
            "open",
        )?;
        let drafts = assessments::of_campaign(self.conn, &current.id)?;
        for (n, (a, (firm, user, capability))) in drafts.iter().zip(&firms).enumerate() {
            // Every 40 enterprises: 20 accepted, 8 submitted, 2 returned, 6 half done, 4 not started.
            let slot = n % 40;
            match slot {
                0..=35 => {
                    let answered = self.answer(&a.id, &q2025, *user, *capability, now)?;
                    if slot >= 30 {
                        self.forget_some(&a.id, answered / 2)?;
                        continue;
                    }
                }
                _ => continue,
            }
            if n % 3 == 0 {
                self.evidence(&a.id, &q2025, *user, &firm.name)?;
            }
            assessments::submit(self.conn, &a.id, now)?;
            assessments::store_sheets(self.conn, &q2025, &a.id)?;
            audit::append(
                self.conn,
                entry(*user, "assessment.submit", "assessment", &a.id),
            )?;
            match slot {
                0..=19 => self.review(&a.id, &q2025, auditor, "accept", "", 6)?,
                20..=27 => {}
                _ => self.review(
                    &a.id,
                    &q2025,
                    auditor,
                    "return",
                    "部分二级条款缺少正式发布的制度文件，请补充证据后重新提交。",
                    3,
                )?,
            }
            assessments::store_sheets(self.conn, &q2025, &a.id)?;
        }
        let summary = Summary {
            cluster: cluster.name.clone(),
            enterprises: firms.len(),
            accounts,
            campaigns: vec![previous.name, current.name],
        };
        Ok(summary)
    }

    fn campaign(
        &mut self,
        cluster: &str,
        by: UserId,
        q: &Questionnaire,
        name: &str,
        due: NaiveDate,
        status: &str,
    ) -> anyhow::Result<CampaignRow> {
        let now = Utc::now().naive_utc();
        let row = CampaignRow {
            id: uuid::Uuid::now_v7().to_string(),
            cluster_id: cluster.to_owned(),
            name: name.to_owned(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            due_date: due,
            target_level: 3,
            status: status.to_owned(),
            created_by: Some(by.to_string()),
            created_at: now,
            updated_at: now,
        };
        campaigns::insert(self.conn, &row)?;
        let ids = enterprises::ids_in_cluster(self.conn, cluster)?;
        assessments::create_drafts(self.conn, &row, &ids, false)?;
        Ok(row)
    }

    /// Answers every criterion as an enterprise of this capability would.
    fn answer(
        &mut self,
        assessment: &str,
        q: &Questionnaire,
        by: UserId,
        capability: u8,
        now: chrono::NaiveDateTime,
    ) -> anyhow::Result<usize> {
        let rows: Vec<AnswerRow> = draw::answers(&mut self.rng, q, capability)
            .into_iter()
            .map(|(criterion, rating)| AnswerRow {
                assessment_id: assessment.to_owned(),
                criterion_id: criterion,
                rating: rating.as_str().to_owned(),
                comment: String::new(),
                version: 1,
                updated_by: Some(by.to_string()),
                updated_at: now,
            })
            .collect();
        for chunk in rows.chunks(500) {
            crate::on_backend!(&mut *self.conn, |c| diesel::insert_into(answers::table)
                .values(chunk)
                .execute(c))?;
        }
        assessments::touch(self.conn, assessment, now)?;
        audit::append(
            self.conn,
            Entry {
                actor_id: Some(by.to_string()),
                action: "answers.import".into(),
                subject_type: "assessment".into(),
                subject_id: assessment.to_owned(),
                after: Some(serde_json::json!({"answers": rows.len(), "source": "demo"})),
                ..Entry::default()
            },
        )?;
        Ok(rows.len())
    }

    /// Leaves a draft half done: removes `count` answers from its end.
    fn forget_some(&mut self, assessment: &str, count: usize) -> anyhow::Result<()> {
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
    fn review(
        &mut self,
        assessment: &str,
        q: &Questionnaire,
        auditor: UserId,
        decision: &str,
        note: &str,
        changes: usize,
    ) -> anyhow::Result<()> {
        let now = Utc::now().naive_utc();
        let review = ReviewRow {
            id: uuid::Uuid::now_v7().to_string(),
            assessment_id: assessment.to_owned(),
            auditor_id: auditor.to_string(),
            decision: decision.to_owned(),
            note: note.to_owned(),
            created_at: now,
        };
        let fully: Vec<String> = assessments::answers_of(self.conn, assessment)?
            .into_iter()
            .filter(|a| a.rating == Rating::Fully.as_str() && q.index_of(&a.criterion_id).is_some())
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
                assessment_id: assessment.to_owned(),
                criterion_id: criterion,
                rating: if self.rng.chance(70) {
                    "largely"
                } else {
                    "partially"
                }
                .to_owned(),
                note: "现场核查：制度已发布但执行记录不完整".into(),
                review_id: review.id.clone(),
                auditor_id: auditor.to_string(),
                created_at: now,
            });
        }
        assessments::review(self.conn, &review, &verified)?;
        audit::append(
            self.conn,
            Entry {
                actor_id: Some(auditor.to_string()),
                action: format!("assessment.{decision}"),
                subject_type: "assessment".into(),
                subject_id: assessment.to_owned(),
                after: Some(serde_json::json!({"decision": decision, "verified": verified.len()})),
                ..Entry::default()
            },
        )?;
        Ok(())
    }

    /// A policy document as evidence for the enterprise's first criteria of strategy and
    /// governance.
    fn evidence(
        &mut self,
        assessment: &str,
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
            file: Some(("数据管理制度汇编.txt".to_owned(), text.into_bytes())),
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
