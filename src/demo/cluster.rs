//! The first two steps: the cluster with its administrator, manager and auditor; then its
//! enterprises, each with an account and a profile that fits the capability drawn for it.

use chrono::NaiveDateTime;

use super::{draw, profile, Seeder};
use crate::audit::{self, Entry};
use crate::auth::account::ScopeFields;
use crate::db::clusters::{self, ClusterRow};
use crate::db::enterprises::{self, EnterpriseRow};
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::domain::Role;
use crate::ids::{ClusterId, EnterpriseId, UserId};
use crate::questionnaire::PROFILE_ID;

/// The cluster and the accounts that run it.
pub(super) struct Staff {
    pub cluster: ClusterRow,
    pub manager: UserId,
    pub auditor: UserId,
}

impl Staff {
    /// An audit entry of the cluster.
    pub fn entry(
        &self,
        by: UserId,
        action: &str,
        subject: &str,
        id: impl std::fmt::Display,
    ) -> Entry {
        Entry {
            actor_id: Some(by.to_string()),
            action: action.to_owned(),
            subject_type: subject.to_owned(),
            subject_id: id.to_string(),
            cluster_id: Some(self.cluster.id.to_string()),
            ..Entry::default()
        }
    }
}

/// An enterprise, its account, and the capability level its answers are drawn around.
pub(super) struct Firm {
    pub row: EnterpriseRow,
    pub user: UserId,
    pub capability: u8,
}

impl Seeder<'_> {
    pub(super) fn cluster_and_staff(&mut self, now: NaiveDateTime) -> anyhow::Result<Staff> {
        let cluster = ClusterRow {
            id: ClusterId::new(),
            name: "榕城数字经济产业集群".into(),
            region: "福建省福州市".into(),
            description: "工业互联网与智能制造企业集聚的省级数字产业集群，开展 DCMM 贯标试点。"
                .into(),
            created_at: now,
            updated_at: now,
        };
        clusters::insert(self.conn, &cluster)?;
        let admin = self.account("admin", "系统管理员", Role::Admin, ScopeFields::default())?;
        self.accounts
            .push(("admin".to_owned(), Role::Admin, "系统管理员".to_owned()));
        let cluster_id = cluster.id.to_string();
        let cluster_list = [cluster_id.clone()];
        let manager = self.account(
            "manager",
            "集群管理员 林晓",
            Role::ClusterManager,
            ScopeFields {
                cluster_id: Some(&cluster_id),
                ..Default::default()
            },
        )?;
        self.accounts.push((
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
        self.accounts.push((
            "auditor".to_owned(),
            Role::Auditor,
            "评估师 陈志远".to_owned(),
        ));
        let staff = Staff {
            cluster,
            manager,
            auditor,
        };
        audit::append(
            self.conn,
            staff.entry(admin, "cluster.create", "cluster", staff.cluster.id),
        )?;
        Ok(staff)
    }

    /// The enterprises of every industry the profile offers (but "other"), of mixed sizes and
    /// sharing settings.
    pub(super) fn enterprises(
        &mut self,
        staff: &Staff,
        now: NaiveDateTime,
    ) -> anyhow::Result<Vec<Firm>> {
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
        for n in 0..self.enterprise_count {
            let industry = self.rng.pick(&industries).clone();
            let size = match self.rng.below(100) {
                0..=14 => Size::Micro,
                15..=54 => Size::Small,
                55..=84 => Size::Medium,
                _ => Size::Large,
            };
            let sharing = match self.rng.below(100) {
                0..=29 => Sharing::Full,
                30..=89 => Sharing::Scores,
                _ => Sharing::Anonymous,
            };
            let row = EnterpriseRow {
                id: EnterpriseId::new(),
                cluster_id: staff.cluster.id,
                name: draw::enterprise_name(&mut self.rng, &industry, n),
                credit_code: draw::credit_code(&mut self.rng).to_string(),
                industry,
                size,
                region: "福州".into(),
                sharing,
                created_at: now,
                updated_at: now,
                contact_name: String::new(),
                contact_phone: String::new(),
                contact_email: String::new(),
            };
            enterprises::insert(self.conn, &row)?;
            audit::append(
                self.conn,
                staff.entry(staff.manager, "enterprise.create", "enterprise", row.id),
            )?;
            let username = format!("e{:02}", n + 1);
            let enterprise_id = row.id.to_string();
            let user = self.account(
                &username,
                &format!("{} 数据负责人", row.name),
                Role::Enterprise,
                ScopeFields {
                    enterprise_id: Some(&enterprise_id),
                    ..Default::default()
                },
            )?;
            self.accounts
                .push((username, Role::Enterprise, row.name.clone()));
            let capability = draw::capability(&mut self.rng);
            profile::save(self.conn, &mut self.rng, &profile, &row, user, capability)?;
            firms.push(Firm {
                row,
                user,
                capability,
            });
        }
        Ok(firms)
    }
}
