//! The access matrix: every operation of the OpenAPI document, called by every role on a
//! resource of its own tenant and of another tenant, answers the status in [`MATRIX`].
//!
//! A new endpoint fails `every_documented_operation_has_a_row_in_the_access_matrix` until
//! it gets a row here (and a request recipe in [`recipe`]): no endpoint ships without a
//! decision about who may call it.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::client::Session;
use crate::client_evidence::{full_profile, multipart, upload_parts, CRITERION, PDF};
use crate::fixtures::{
    insert_assessment, open_campaign, seed_user, world, Account, World, PASSWORD,
};
use crate::helpers::{spawn_app, TestApp};

/// Who calls, in the column order of [`MATRIX`]; `None` is anonymous.
const CALLERS: [(&str, Option<Caller>, bool); 9] = [
    ("admin, own tenant", Some(Caller::Admin), true),
    ("admin, other tenant", Some(Caller::Admin), false),
    ("cluster manager, own tenant", Some(Caller::Manager), true),
    (
        "cluster manager, other tenant",
        Some(Caller::Manager),
        false,
    ),
    (
        "enterprise user, own tenant",
        Some(Caller::Enterprise),
        true,
    ),
    (
        "enterprise user, other tenant",
        Some(Caller::Enterprise),
        false,
    ),
    ("auditor, own tenant", Some(Caller::Auditor), true),
    ("auditor, other tenant", Some(Caller::Auditor), false),
    ("anonymous", None, true),
];

/// Expected status per operation. Columns: admin own, admin other, cluster manager own,
/// other, enterprise user own, other, auditor own, other, anonymous. "Own tenant" means the
/// resource the request names (path id or body scope) lies in the caller's cluster or
/// enterprise; the callers live in cluster A, enterprise A1.
#[rustfmt::skip]
const MATRIX: &[(&str, [u16; 9])] = &[
    ("GET /healthz",                [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /readyz",                 [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/v1/openapi.json",    [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/v1/auth/login",     [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/v1/auth/refresh",   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/v1/auth/logout",    [204, 204, 204, 204, 204, 204, 204, 204, 401]),
    ("GET /api/v1/me",              [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("PATCH /api/v1/me",            [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("POST /api/v1/me/password",    [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/v1/users",           [200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("POST /api/v1/users",          [201, 201, 201, 404, 403, 404, 403, 404, 401]),
    ("PATCH /api/v1/users/{id}",    [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    // Identity pages: a reset targets a spare enterprise user of A1 or B1 (so the callers'
    // own passwords stay); the login history names the enterprise user of A1 or B1.
    ("POST /api/v1/users/{id}/password-reset", [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    ("GET /api/v1/users/{id}/logins",          [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    ("POST /api/v1/clusters",                             [201, 201, 403, 403, 403, 403, 403, 403, 401]),
    ("GET /api/v1/clusters",                              [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/v1/clusters/{id}",                         [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("PATCH /api/v1/clusters/{id}",                       [200, 200, 403, 404, 403, 404, 403, 404, 401]),
    ("POST /api/v1/clusters/{id}/enterprises",            [201, 201, 201, 404, 403, 404, 403, 404, 401]),
    ("POST /api/v1/clusters/{id}/enterprises/import",     [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    ("GET /api/v1/clusters/{id}/enterprises",             [200, 200, 200, 404, 403, 404, 200, 404, 401]),
    ("GET /api/v1/enterprises/{id}",                      [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("PATCH /api/v1/enterprises/{id}",                    [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    ("POST /api/v1/clusters/{id}/campaigns",              [201, 201, 201, 404, 403, 404, 403, 404, 401]),
    ("GET /api/v1/clusters/{id}/campaigns",               [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/campaigns/{id}",                        [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("PATCH /api/v1/campaigns/{id}",                      [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    // Each call closes a campaign of its own, opened for it.
    ("POST /api/v1/campaigns/{id}/close",                 [200, 200, 200, 404, 403, 404, 403, 404, 401]),
    ("GET /api/v1/enterprises/{id}/assessments",          [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/assessments/{id}",                      [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    // A1 shares scores only (the default): its answers stay hidden from its manager.
    ("GET /api/v1/assessments/{id}/answers",              [200, 200, 403, 404, 200, 404, 200, 404, 401]),
    ("PUT /api/v1/assessments/{id}/answers/{criterion}",  [403, 403, 403, 404, 200, 404, 403, 404, 401]),
    ("PUT /api/v1/assessments/{id}/answers",              [403, 403, 403, 404, 200, 404, 403, 404, 401]),
    // Allowed for the enterprise, then refused because criteria are unanswered.
    ("POST /api/v1/assessments/{id}/submit",              [403, 403, 403, 404, 422, 404, 403, 404, 401]),
    // Allowed for the auditor, then refused because the assessment is a draft.
    ("POST /api/v1/assessments/{id}/review",              [403, 403, 403, 404, 403, 404, 409, 404, 401]),
    // The review in progress: the auditor's working notes, read by auditors and admins.
    ("GET /api/v1/assessments/{id}/review",               [200, 200, 403, 404, 403, 404, 200, 404, 401]),
    // Allowed for the auditor, then refused because the assessment is a draft.
    ("PUT /api/v1/assessments/{id}/review/ratings/{criterion}", [403, 403, 403, 404, 403, 404, 409, 404, 401]),
    ("DELETE /api/v1/assessments/{id}/review/ratings/{criterion}", [403, 403, 403, 404, 403, 404, 409, 404, 401]),
    ("POST /api/v1/assessments/{id}/review/sample",       [403, 403, 403, 404, 403, 404, 409, 404, 401]),
    // The queue: an auditor's clusters (the other tenant's auditor sees an empty queue).
    ("GET /api/v1/reviews",                               [200, 200, 403, 403, 403, 403, 200, 200, 401]),
    ("GET /api/v1/assessments/{id}/score",                [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/campaigns/{id}/dashboard",             [200, 200, 200, 404, 403, 404, 200, 404, 401]),
    ("GET /api/v1/campaigns/{id}/export.csv",            [200, 200, 200, 404, 403, 404, 200, 404, 401]),
    ("GET /api/v1/campaigns/{id}/export.xlsx",           [200, 200, 200, 404, 403, 404, 200, 404, 401]),
    // Allowed, then refused: the world's assessments are drafts, not accepted.
    ("GET /api/v1/assessments/{id}/benchmark",            [409, 409, 409, 404, 409, 404, 409, 404, 401]),
    ("GET /api/v1/audit-log",                             [200, 200, 403, 403, 403, 403, 200, 200, 401]),
    // Enterprise A1 keeps the default sharing, `scores`: its manager sees the profile, not
    // the evidence.
    ("GET /api/v1/enterprises/{id}/profile",     [200, 200, 200, 404, 200, 404, 200, 404, 401]),
    ("PUT /api/v1/enterprises/{id}/profile",     [403, 403, 403, 404, 200, 404, 403, 404, 401]),
    ("POST /api/v1/assessments/{id}/evidence",   [403, 403, 403, 404, 201, 404, 403, 404, 401]),
    ("GET /api/v1/assessments/{id}/evidence",    [200, 200, 403, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/evidence/{id}",                [200, 200, 403, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/evidence/{id}/download",       [200, 200, 403, 404, 200, 404, 200, 404, 401]),
    // Linking evidence to more criteria is the enterprise's, like the upload.
    ("PUT /api/v1/evidence/{id}/criteria",       [403, 403, 403, 404, 200, 404, 403, 404, 401]),
    // A1 shares scores only: its report, answers and evidence included, stays with A1.
    ("GET /api/v1/assessments/{id}/report.pdf",  [200, 200, 403, 404, 200, 404, 200, 404, 401]),
    ("GET /api/v1/campaigns/{id}/report.pdf",    [200, 200, 200, 404, 403, 404, 200, 404, 401]),
    // A report's record is visible to whoever may read the report; to others it does not exist.
    ("GET /api/v1/reports/{id}",                 [200, 200, 404, 404, 200, 404, 200, 404, 401]),
    // Holding a report (or its hash, or its id) is enough to check it, even without a login.
    ("POST /api/v1/reports/verify",              [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    // The questionnaires belong to the installation: every logged-in user reads them.
    ("GET /api/v1/questionnaires",                     [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/v1/questionnaires/{id}",                [200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/v1/questionnaires/{id}/versions/{hash}", [200, 200, 200, 200, 200, 200, 200, 200, 401]),
];

/// Served but, being the document itself, not in it.
const UNDOCUMENTED: &[&str] = &["GET /api/v1/openapi.json"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Admin,
    Manager,
    Enterprise,
    Auditor,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// "METHOD /path" for every operation of the OpenAPI document.
fn documented_operations() -> BTreeSet<String> {
    let doc = serde_json::to_value(dcmm::api::openapi()).unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if METHODS.contains(&method.as_str()) {
                operations.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    operations
}

#[test]
fn every_documented_operation_has_a_row_in_the_access_matrix() {
    let documented = documented_operations();
    assert!(documented.len() >= 10, "{documented:?}");
    let rows: BTreeSet<String> = MATRIX.iter().map(|(op, _)| op.to_string()).collect();
    assert_eq!(rows.len(), MATRIX.len(), "an operation has two rows");
    let missing: Vec<&String> = documented.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "operations without an access decision: {missing:?}"
    );
    let stale: Vec<&String> = rows
        .difference(&documented)
        .filter(|op| !UNDOCUMENTED.contains(&op.as_str()))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for operations that do not exist: {stale:?}"
    );
}

/// The state a run of the matrix carries: the world and each account's current password.
struct Run {
    world: World,
    spare: Account,
    /// Enterprise users of A1 and B1 whose passwords the matrix resets: (own, other).
    reset: (String, String),
    passwords: BTreeMap<String, String>,
    counter: u32,
    /// Reports issued on the world's assessments of A1 and B1, (id, SHA-256): (own, other).
    reports: ((String, String), (String, String)),
    /// Assessments of A1 and B1, each with one piece of evidence: (own, other).
    assessments: (String, String),
    evidence: (String, String),
}

impl Run {
    fn account(&self, caller: Caller) -> &Account {
        match caller {
            Caller::Admin => &self.world.admin,
            Caller::Manager => &self.world.manager_a,
            Caller::Enterprise => &self.world.enterprise_a1,
            Caller::Auditor => &self.world.auditor_a,
        }
    }

    fn password(&self, account: &Account) -> String {
        self.passwords
            .get(&account.username)
            .cloned()
            .unwrap_or_else(|| PASSWORD.to_owned())
    }

    async fn session(&self, app: &TestApp, account: &Account) -> Session {
        app.session(&account.username, &self.password(account))
            .await
    }
}

/// A request of the matrix; `new_password` is the caller's password once it succeeds.
struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
    /// A non-JSON body: its content type and bytes.
    raw: Option<(String, Vec<u8>)>,
    new_password: Option<(String, String)>,
}

/// A distinct valid unified social credit code per call.
fn credit_code(n: u32) -> String {
    let first17 = format!("9135010{:010}", 3_000_000 + n);
    dcmm::domain::CreditCode::complete(&first17)
        .unwrap()
        .to_string()
}

/// The request that exercises `operation` against the own or the other tenant.
async fn recipe(
    app: &TestApp,
    run: &mut Run,
    operation: &str,
    caller: Option<Caller>,
    own: bool,
) -> Call {
    let (method, path) = operation.split_once(' ').unwrap();
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    run.counter += 1;
    let w = &run.world;
    let (enterprise, target) = if own {
        (&w.a1, &w.enterprise_a1.id)
    } else {
        (&w.b1, &w.enterprise_b1.id)
    };
    let (cluster, campaign, assessment) = if own {
        (&w.a, &w.campaign_a, &w.assessment_a1)
    } else {
        (&w.b, &w.campaign_b, &w.assessment_b1)
    };
    let pick = |pair: &(String, String)| if own { pair.0.clone() } else { pair.1.clone() };
    let id = match operation {
        "GET /api/v1/enterprises/{id}/profile" | "PUT /api/v1/enterprises/{id}/profile" => {
            enterprise.clone()
        }
        "POST /api/v1/assessments/{id}/evidence" | "GET /api/v1/assessments/{id}/evidence" => {
            pick(&run.assessments)
        }
        "GET /api/v1/evidence/{id}"
        | "GET /api/v1/evidence/{id}/download"
        | "PUT /api/v1/evidence/{id}/criteria" => pick(&run.evidence),
        "GET /api/v1/reports/{id}" => {
            if own {
                run.reports.0 .0.clone()
            } else {
                run.reports.1 .0.clone()
            }
        }
        _ if path.starts_with("/api/v1/questionnaires") => "dcmm-2025".to_owned(),
        "POST /api/v1/campaigns/{id}/close" => open_campaign(app, cluster),
        "POST /api/v1/users/{id}/password-reset" => pick(&run.reset),
        // Otherwise the path names a user, a cluster, an enterprise, a campaign or an assessment.
        _ if path.starts_with("/api/v1/users/") => target.clone(),
        _ if path.starts_with("/api/v1/clusters/") => cluster.clone(),
        _ if path.starts_with("/api/v1/enterprises/") => enterprise.clone(),
        _ if path.starts_with("/api/v1/campaigns/") => campaign.clone(),
        _ => assessment.clone(),
    };
    let mut raw = (operation == "POST /api/v1/assessments/{id}/evidence")
        .then(|| multipart(&upload_parts("matrix.pdf", PDF, &[CRITERION])));
    let mut new_password = None;
    let body = match operation {
        "GET /healthz"
        | "GET /readyz"
        | "GET /api/v1/openapi.json"
        | "GET /api/v1/me"
        | "GET /api/v1/users"
        | "POST /api/v1/users/{id}/password-reset"
        | "GET /api/v1/users/{id}/logins"
        | "POST /api/v1/auth/logout"
        | "GET /api/v1/enterprises/{id}/profile"
        | "POST /api/v1/assessments/{id}/evidence"
        | "GET /api/v1/assessments/{id}/evidence"
        | "GET /api/v1/evidence/{id}"
        | "GET /api/v1/evidence/{id}/download"
        | "GET /api/v1/assessments/{id}/report.pdf"
        | "GET /api/v1/campaigns/{id}/report.pdf"
        | "GET /api/v1/reports/{id}"
        | "GET /api/v1/questionnaires"
        | "GET /api/v1/questionnaires/{id}"
        | "GET /api/v1/questionnaires/{id}/versions/{hash}" => None,
        "POST /api/v1/reports/verify" => {
            let (_, sha) = if own { &run.reports.0 } else { &run.reports.1 };
            Some(json!({ "sha256": sha }))
        }
        "PUT /api/v1/enterprises/{id}/profile" => Some(json!({ "answers": full_profile() })),
        "PUT /api/v1/evidence/{id}/criteria" => {
            Some(json!({ "criteria": [CRITERION, "2025:6.1:L2:1"] }))
        }
        "POST /api/v1/auth/login" => Some(json!({
            "username": run.spare.username, "password": PASSWORD,
        })),
        "POST /api/v1/auth/refresh" => {
            let spare = app.session(&run.spare.username, PASSWORD).await;
            Some(json!({ "refresh_token": spare.refresh }))
        }
        "POST /api/v1/me/password" => {
            let account = caller.map_or(&run.spare, |c| run.account(c)).clone();
            let current = run.password(&account);
            let new = format!("matrix passphrase {}", run.counter);
            new_password = Some((account.username.clone(), new.clone()));
            Some(json!({ "current_password": current, "new_password": new }))
        }
        "POST /api/v1/users" => Some(json!({
            "username": format!("matrix.{}", run.counter),
            "password": PASSWORD,
            "role": "enterprise",
            "enterprise_id": enterprise,
        })),
        "PATCH /api/v1/users/{id}" => Some(json!({ "display_name": "Matrix" })),
        "PATCH /api/v1/me" => Some(json!({ "language": "zh" })),
        "GET /api/v1/clusters"
        | "GET /api/v1/clusters/{id}"
        | "GET /api/v1/clusters/{id}/enterprises"
        | "GET /api/v1/enterprises/{id}"
        | "GET /api/v1/clusters/{id}/campaigns"
        | "GET /api/v1/campaigns/{id}"
        | "GET /api/v1/enterprises/{id}/assessments"
        | "GET /api/v1/assessments/{id}"
        | "GET /api/v1/assessments/{id}/answers"
        | "GET /api/v1/assessments/{id}/score"
        | "GET /api/v1/audit-log"
        | "GET /api/v1/assessments/{id}/review"
        | "DELETE /api/v1/assessments/{id}/review/ratings/{criterion}"
        | "GET /api/v1/reviews"
        | "GET /api/v1/campaigns/{id}/dashboard"
        | "GET /api/v1/campaigns/{id}/export.csv"
        | "GET /api/v1/campaigns/{id}/export.xlsx"
        | "GET /api/v1/assessments/{id}/benchmark"
        | "POST /api/v1/campaigns/{id}/close"
        | "POST /api/v1/assessments/{id}/submit" => None,
        "PATCH /api/v1/campaigns/{id}" => Some(json!({ "due_date": "2099-12-31" })),
        "POST /api/v1/clusters" => Some(json!({ "name": format!("Cluster {}", run.counter) })),
        "PATCH /api/v1/clusters/{id}" => Some(json!({ "description": "矩阵" })),
        "POST /api/v1/clusters/{id}/enterprises" => Some(json!({
            "name": format!("矩阵企业 {}", run.counter), "credit_code": credit_code(run.counter),
            "industry": "equipment", "size": "small", "region": "福州",
        })),
        "POST /api/v1/clusters/{id}/enterprises/import" => {
            raw = Some((
                "text/csv; charset=utf-8".to_owned(),
                format!(
                "name,credit_code,industry,size,region\n导入企业 {n},{code},software,micro,厦门\n",
                n = run.counter,
                code = credit_code(run.counter),
            )
                .into_bytes(),
            ));
            None
        }
        "PATCH /api/v1/enterprises/{id}" => Some(json!({ "region": "福州" })),
        "POST /api/v1/clusters/{id}/campaigns" => Some(json!({
            "name": format!("Matrix {}", run.counter), "due_date": "2099-12-31", "target_level": 3,
        })),
        "PUT /api/v1/assessments/{id}/answers/{criterion}" => Some(json!({ "rating": "fully" })),
        "PUT /api/v1/assessments/{id}/answers" => Some(json!({
            "answers": [{ "criterion": "2025:6.1:L1:2", "rating": "largely" }],
        })),
        "POST /api/v1/assessments/{id}/review" => {
            Some(json!({ "decision": "accept", "confirm": true }))
        }
        "PUT /api/v1/assessments/{id}/review/ratings/{criterion}" => {
            Some(json!({ "rating": "partially", "note": "抽查" }))
        }
        "POST /api/v1/assessments/{id}/review/sample" => Some(json!({ "size": 10, "by": "level" })),
        other => panic!("no request recipe for {other}: add one next to its matrix row"),
    };
    Call {
        method,
        path: path
            .replace("{id}", &id)
            .replace("{criterion}", "2025:6.1:L1:1")
            .replace("{hash}", &current_hash("dcmm-2025")),
        body,
        raw,
        new_password,
    }
}

/// A draft assessment of the enterprise with one piece of evidence its user uploaded:
/// (assessment id, evidence id).
async fn with_evidence(
    app: &TestApp,
    cluster: &str,
    enterprise: &str,
    user: &Account,
) -> (String, String) {
    let assessment = insert_assessment(app, cluster, enterprise);
    let token = app.session(&user.username, PASSWORD).await.access;
    let response = app
        .upload(
            &token,
            &assessment,
            &upload_parts("seed.pdf", PDF, &[CRITERION]),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    (assessment, body["id"].as_str().unwrap().to_owned())
}

both_backends! {
    async fn every_operation_answers_each_role_as_the_matrix_says(backend: Backend) {
        let app = spawn_app(backend).await;
        let world = world(&app);
        let spare_id = seed_user(&app, "spare", dcmm::domain::Role::Auditor, &[&world.b]);
        let reset = (
            seed_user(&app, "reset.a1", dcmm::domain::Role::Enterprise, &[&world.a1]),
            seed_user(&app, "reset.b1", dcmm::domain::Role::Enterprise, &[&world.b1]),
        );
        let (own, other) = (
            with_evidence(&app, &world.a, &world.a1, &world.enterprise_a1).await,
            with_evidence(&app, &world.b, &world.b1, &world.enterprise_b1).await,
        );
        let admin = app.session(&world.admin.username, PASSWORD).await.access;
        let mut reports = Vec::new();
        for assessment in [&world.assessment_a1, &world.assessment_b1] {
            let path = format!("/api/v1/assessments/{assessment}/report.pdf");
            let response = app.send(Method::GET, &path, Some(&admin), None).await;
            assert_eq!(response.status().as_u16(), 200);
            let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
            reports.push((header("x-report-id"), header("x-report-sha256")));
        }
        let other_report = reports.pop().unwrap();
        let own_report = reports.pop().unwrap();
        let mut run = Run {
            reports: (own_report, other_report),
            world,
            spare: Account { username: "spare".into(), id: spare_id },
            reset,
            passwords: BTreeMap::new(),
            counter: 0,
            assessments: (own.0, other.0),
            evidence: (own.1, other.1),
        };
        let mut wrong = Vec::new();
        for (operation, expected) in MATRIX {
            for ((label, caller, own), want) in CALLERS.iter().zip(expected) {
                let token = match caller {
                    Some(c) => {
                        let account = run.account(*c).clone();
                        Some(run.session(&app, &account).await.access)
                    }
                    None => None,
                };
                let call = recipe(&app, &mut run, operation, *caller, *own).await;
                let response = match call.raw {
                    Some((content_type, bytes)) => {
                        app.send_bytes(call.method, &call.path, token.as_deref(), &content_type, bytes).await
                    }
                    None => app.send(call.method, &call.path, token.as_deref(), call.body.as_ref()).await,
                };
                let got = response.status().as_u16();
                if got == 200 {
                    if let Some((username, password)) = call.new_password {
                        run.passwords.insert(username, password);
                    }
                }
                if got != *want {
                    let text = response.text().await.unwrap_or_default();
                    wrong.push(format!("{operation} as {label}: {got}, expected {want} ({text})"));
                }
            }
        }
        assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
    }
}

/// The content hash of a built-in questionnaire's current version.
fn current_hash(id: &str) -> String {
    dcmm::questionnaire::Registry::built_in()
        .unwrap()
        .dcmm(id)
        .unwrap()
        .hash
        .clone()
}
