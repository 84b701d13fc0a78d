//! Data put straight into a test database: clusters, enterprises, campaigns and assessments
//! (their endpoints come later) and accounts seeded the way `dcmm user add` makes them.

use diesel::prelude::*;

use dcmm::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use dcmm::auth::password;
use dcmm::db::schema::{assessments, campaigns, clusters, enterprises};
use dcmm::db::{self, DbTarget};
use dcmm::domain::Role;

use crate::helpers::TestApp;

/// The password of every seeded account.
pub const PASSWORD: &str = "correct horse battery staple";

pub fn pool(app: &TestApp) -> db::Pool {
    db::connect(&DbTarget::parse(&app.db.url).unwrap(), 1).unwrap()
}

pub fn insert_cluster(app: &TestApp, name: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(clusters::table)
        .values((
            clusters::id.eq(&id),
            clusters::name.eq(name),
            clusters::created_at.eq(now),
            clusters::updated_at.eq(now),
        ))
        .execute(&mut pool(app).get().unwrap())
        .unwrap();
    id
}

pub fn insert_enterprise(app: &TestApp, cluster: &str, name: &str) -> String {
    let id = uuid::Uuid::now_v7();
    let now = chrono::Utc::now().naive_utc();
    // Unique per enterprise; the check character is not validated here.
    let credit_code = id.simple().to_string()[14..32].to_uppercase();
    diesel::insert_into(enterprises::table)
        .values((
            enterprises::id.eq(id.to_string()),
            enterprises::cluster_id.eq(cluster),
            enterprises::name.eq(name),
            enterprises::credit_code.eq(credit_code),
            enterprises::size.eq("small"),
            enterprises::created_at.eq(now),
            enterprises::updated_at.eq(now),
        ))
        .execute(&mut pool(app).get().unwrap())
        .unwrap();
    id.to_string()
}

/// An open campaign of the cluster on `dcmm-2025` with a draft assessment for the enterprise,
/// pinned to the built-in questionnaire's hash. Answers the assessment's id.
pub fn insert_assessment(app: &TestApp, cluster: &str, enterprise: &str) -> String {
    let registry = dcmm::questionnaire::Registry::built_in().unwrap();
    let hash = registry.dcmm("dcmm-2025").unwrap().hash.clone();
    let (campaign, assessment) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    let now = chrono::Utc::now().naive_utc();
    let mut conn = pool(app).get().unwrap();
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::id.eq(&campaign),
            campaigns::cluster_id.eq(cluster),
            campaigns::name.eq("2026 批次"),
            campaigns::questionnaire_id.eq("dcmm-2025"),
            campaigns::questionnaire_hash.eq(&hash),
            campaigns::due_date.eq(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            campaigns::target_level.eq(3),
            campaigns::created_at.eq(now),
            campaigns::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(assessments::table)
        .values((
            assessments::id.eq(&assessment),
            assessments::campaign_id.eq(&campaign),
            assessments::enterprise_id.eq(enterprise),
            assessments::questionnaire_id.eq("dcmm-2025"),
            assessments::questionnaire_hash.eq(&hash),
            assessments::status.eq("draft"),
            assessments::created_at.eq(now),
            assessments::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    assessment
}

/// Moves an assessment to `draft`, `submitted` or `accepted`.
pub fn set_assessment_status(app: &TestApp, assessment: &str, status: &str) {
    diesel::update(assessments::table.filter(assessments::id.eq(assessment)))
        .set(assessments::status.eq(status))
        .execute(&mut pool(app).get().unwrap())
        .unwrap();
}

/// Sets what the enterprise shares with its cluster manager: `full`, `scores` or `anonymous`.
pub fn set_sharing(app: &TestApp, enterprise: &str, sharing: &str) {
    diesel::update(enterprises::table.filter(enterprises::id.eq(enterprise)))
        .set(enterprises::sharing.eq(sharing))
        .execute(&mut pool(app).get().unwrap())
        .unwrap();
}

/// The audit chain of the app's database, verified.
pub fn verify_audit(app: &TestApp) -> dcmm::audit::Verification {
    let key = crate::helpers::audit_key(&app.db);
    dcmm::audit::verify(&mut pool(app).get().unwrap(), Some(&key)).unwrap()
}

/// The audit entries of writes (logins, logouts and other `auth.*` events left out), once the
/// whole chain verifies.
pub fn audited_writes(app: &TestApp) -> i64 {
    use dcmm::db::schema::audit_log;
    let v = verify_audit(app);
    assert_eq!(
        v.first_broken, None,
        "the audit chain verifies: {:?}",
        v.reason
    );
    audit_log::table
        .filter(audit_log::action.not_like("auth.%"))
        .count()
        .get_result(&mut pool(app).get().unwrap())
        .unwrap()
}

/// Seeds an account with [`PASSWORD`]; `scope` is the cluster of a manager, the enterprise
/// of an enterprise user or the clusters of an auditor. Answers its id.
pub fn seed_user(app: &TestApp, username: &str, role: Role, scope: &[&str]) -> String {
    let list: Vec<String> = scope.iter().map(|s| s.to_string()).collect();
    let fields = match role {
        Role::Admin => ScopeFields::default(),
        Role::ClusterManager => ScopeFields {
            cluster_id: Some(scope[0]),
            ..Default::default()
        },
        Role::Enterprise => ScopeFields {
            enterprise_id: Some(scope[0]),
            ..Default::default()
        },
        Role::Auditor => ScopeFields {
            cluster_ids: Some(&list),
            ..Default::default()
        },
    };
    let account = NewAccount::parse(&NewAccountInput {
        username,
        password: Some(PASSWORD),
        display_name: None,
        language: None,
        role,
        scope: fields,
    })
    .unwrap();
    let mut conn = pool(app).get().unwrap();
    let actor = dcmm::auth::users::resolve_scope(&mut conn, &account.scope)
        .unwrap()
        .unwrap();
    let hash = password::hash(&account.password).unwrap();
    dcmm::auth::users::insert(&mut conn, &account, &actor, &hash)
        .unwrap()
        .id
        .to_string()
}

/// An account of the world: its username and id.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub id: String,
}

/// Clusters A and B with enterprises A1 (and A2) and B1; an account of every role in A, and
/// a manager and an enterprise user in B.
pub struct World {
    pub a: String,
    pub a1: String,
    pub a2: String,
    pub b: String,
    pub b1: String,
    /// An open dcmm-2025 campaign in each cluster, and the drafts of A1 and B1 in it.
    pub campaign_a: String,
    pub campaign_b: String,
    pub assessment_a1: String,
    pub assessment_b1: String,
    pub admin: Account,
    pub manager_a: Account,
    pub enterprise_a1: Account,
    pub auditor_a: Account,
    pub manager_b: Account,
    pub enterprise_b1: Account,
}

pub fn world(app: &TestApp) -> World {
    let a = insert_cluster(app, "Cluster A");
    let b = insert_cluster(app, "Cluster B");
    let a1 = insert_enterprise(app, &a, "A1 Ltd");
    let a2 = insert_enterprise(app, &a, "A2 Ltd");
    let b1 = insert_enterprise(app, &b, "B1 Ltd");
    let campaign_a = open_campaign(app, &a);
    let campaign_b = open_campaign(app, &b);
    let assessment_a1 = assessment_of(app, &campaign_a, &a1);
    let assessment_b1 = assessment_of(app, &campaign_b, &b1);
    let account = |username: &str, role: Role, scope: &[&str]| Account {
        username: username.to_owned(),
        id: seed_user(app, username, role, scope),
    };
    World {
        admin: account("admin", Role::Admin, &[]),
        manager_a: account("manager.a", Role::ClusterManager, &[&a]),
        enterprise_a1: account("user.a1", Role::Enterprise, &[&a1]),
        auditor_a: account("auditor.a", Role::Auditor, &[&a]),
        manager_b: account("manager.b", Role::ClusterManager, &[&b]),
        enterprise_b1: account("user.b1", Role::Enterprise, &[&b1]),
        a,
        a1,
        a2,
        b,
        b1,
        campaign_a,
        campaign_b,
        assessment_a1,
        assessment_b1,
    }
}

/// Opens a dcmm-2025 campaign in the cluster with a draft for each of its enterprises, as the
/// campaign endpoint does.
pub fn open_campaign(app: &TestApp, cluster: &str) -> String {
    let registry = dcmm::questionnaire::Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let now = chrono::Utc::now().naive_utc();
    let row = dcmm::db::campaigns::CampaignRow {
        id: dcmm::ids::CampaignId::new(),
        cluster_id: cluster.parse().unwrap(),
        name: "Campaign".into(),
        questionnaire_id: q.id.clone(),
        questionnaire_hash: q.hash.clone(),
        due_date: now.date() + chrono::Days::new(30),
        target_level: 3,
        status: dcmm::domain::campaign::CampaignStatus::Open,
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    let mut conn = pool(app).get().unwrap();
    dcmm::db::campaigns::insert(&mut conn, &row).unwrap();
    let ids = dcmm::db::enterprises::ids_in_cluster(&mut conn, row.cluster_id).unwrap();
    dcmm::db::assessments::create_drafts(&mut conn, &row, &ids, None).unwrap();
    row.id.to_string()
}

/// The enterprise's assessment in the campaign.
pub fn assessment_of(app: &TestApp, campaign: &str, enterprise: &str) -> String {
    let mut conn = pool(app).get().unwrap();
    dcmm::db::assessments::of_campaign(&mut conn, campaign.parse().unwrap())
        .unwrap()
        .into_iter()
        .find(|a| a.enterprise_id.to_string() == enterprise)
        .unwrap()
        .id
        .to_string()
}
