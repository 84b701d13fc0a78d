//! `dcmm demo`: a realistic, deterministic demo cluster on an empty database — enterprises of
//! every industry and size, accounts of every role, a previous campaign on the 2018 edition and
//! a current one on the 2025 edition with answers, profiles, evidence and reviews.
//!
//! [`seed`] runs the steps in order: the cluster and its staff, then the enterprises
//! ([`cluster`]), then last year's and this year's campaigns ([`campaigns`]), whose assessments
//! are answered, submitted, evidenced and reviewed by [`assessment`]. Every random draw comes
//! from one [`Rng`] in that order, so the steps must keep it for a seed to give the same data.

mod assessment;
mod campaigns;
mod cluster;
pub mod draw;
mod profile;

use chrono::Utc;
use diesel::prelude::*;

use crate::audit;
use crate::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use crate::auth::password;
use crate::db::schema::clusters as clusters_table;
use crate::db::DbConnection;
use crate::domain::{Actor, Role};
use crate::evidence::store::EvidenceStore;
use crate::ids::UserId;
use crate::questionnaire::{Questionnaire, Registry};
use crate::scoring::Policy;
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
    enterprise_count: usize,
    registry: &'a Registry,
    store: EvidenceStore,
    rng: Rng,
    hash: String,
    /// The policy the frozen assessments' stored scorecards are scored under.
    policy: Policy,
    /// Every account made so far, for the summary.
    accounts: Vec<(String, Role, String)>,
}

/// Seeds the demo cluster, its stored scorecards scored under the default policy (a server
/// with another policy scores them again at start-up). Refuses a database that already has a
/// cluster.
pub fn seed(
    conn: &mut DbConnection,
    registry: &Registry,
    data_dir: &std::path::Path,
    seed: u64,
    enterprises: usize,
) -> anyhow::Result<Summary> {
    seed_under(
        conn,
        registry,
        data_dir,
        seed,
        enterprises,
        &Policy::default(),
    )
}

/// [`seed`] with the stored scorecards scored under `policy`.
pub fn seed_under(
    conn: &mut DbConnection,
    registry: &Registry,
    data_dir: &std::path::Path,
    seed: u64,
    enterprises: usize,
    policy: &Policy,
) -> anyhow::Result<Summary> {
    let existing: i64 = clusters_table::table.count().get_result(conn)?;
    if existing > 0 {
        anyhow::bail!("the database already holds data; the demo seeds only an empty database");
    }
    let pw = password::Password::check(PASSWORD, "admin").map_err(|w| anyhow::anyhow!("{w}"))?;
    // One hash for every demo account: they share the printed password.
    let hash = password::hash(&pw)?;
    let summary = audit::write_tx(conn, |conn| {
        let mut seeder = Seeder {
            conn,
            enterprise_count: enterprises,
            registry,
            store: EvidenceStore::new(data_dir),
            rng: Rng::new(seed),
            hash,
            policy: policy.clone(),
            accounts: Vec::new(),
        };
        seeder.run()
    })?;
    Ok(summary)
}

impl Seeder<'_> {
    fn run(&mut self) -> anyhow::Result<Summary> {
        let now = Utc::now().naive_utc();
        let staff = self.cluster_and_staff(now)?;
        let firms = self.enterprises(&staff, now)?;
        let previous = self.last_years_campaign(&staff, &firms, now)?;
        let current = self.this_years_campaign(&staff, &firms, now)?;
        // Last year's campaign is closed: its report keeps the profiles as they stand.
        crate::db::campaigns::keep_profiles(self.conn, previous.id)?;
        Ok(Summary {
            cluster: staff.cluster.name,
            enterprises: firms.len(),
            accounts: std::mem::take(&mut self.accounts),
            campaigns: vec![previous.name, current.name],
        })
    }

    /// An account with the shared demo password.
    fn account(
        &mut self,
        username: &str,
        display: &str,
        role: Role,
        scope: ScopeFields<'_>,
    ) -> anyhow::Result<UserId> {
        let account = NewAccount::parse(&NewAccountInput {
            username,
            password: Some(PASSWORD),
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
}
