//! The whole access matrix in one place: every kind × action × role, inside and outside the
//! actor's tenant.

use super::*;
use crate::domain::sharing::{Detail, Sharing};
use crate::ids::{ClusterId, EnterpriseId};

/// Who may do what inside their own scope. A (kind, action) pair missing here is allowed to
/// nobody. Letters: A admin, M cluster manager, E enterprise user, U auditor.
const ALLOWED: &[(&str, &str, &str)] = &[
    ("account", "read", "AMEU"),
    ("account", "update", "AMEU"),
    ("users", "list", "AM"),
    ("user:admin", "read", "A"),
    ("user:admin", "create", "A"),
    ("user:admin", "update", "A"),
    ("user:admin", "grant", "A"),
    ("user:admin", "delete", "A"),
    ("user:admin", "reset_password", "A"),
    ("user:cluster_manager", "read", "A"),
    ("user:cluster_manager", "create", "A"),
    ("user:cluster_manager", "update", "A"),
    ("user:cluster_manager", "grant", "A"),
    ("user:cluster_manager", "delete", "A"),
    ("user:cluster_manager", "reset_password", "A"),
    ("user:enterprise", "read", "AM"),
    ("user:enterprise", "create", "AM"),
    ("user:enterprise", "update", "AM"),
    ("user:enterprise", "grant", "A"),
    ("user:enterprise", "delete", "A"),
    ("user:enterprise", "reset_password", "AM"),
    ("user:auditor", "read", "A"),
    ("user:auditor", "create", "A"),
    ("user:auditor", "update", "A"),
    ("user:auditor", "grant", "A"),
    ("user:auditor", "delete", "A"),
    ("user:auditor", "reset_password", "A"),
    ("cluster", "read", "AMEU"),
    ("cluster", "list", "AMEU"),
    ("cluster", "create", "A"),
    ("cluster", "update", "A"),
    ("cluster", "delete", "A"),
    ("enterprise", "read", "AMEU"),
    ("enterprise", "list", "AMU"),
    ("enterprise", "create", "AM"),
    ("enterprise", "delete", "A"),
    ("registration", "update", "AM"),
    ("sharing", "update", "AE"),
    ("profile", "read", "AMEU"),
    ("profile", "update", "E"),
    ("campaign", "read", "AMEU"),
    ("campaign", "list", "AMEU"),
    ("campaign", "create", "AM"),
    ("campaign", "update", "AM"),
    ("campaign", "delete", "AM"),
    ("assessment", "read", "AMEU"),
    ("assessment", "list", "AMEU"),
    ("assessment", "create", "AM"),
    ("assessment", "update", "E"),
    ("assessment", "submit", "E"),
    ("assessment", "review", "U"),
    ("evidence", "read", "AMEU"),
    ("evidence", "list", "AMEU"),
    ("evidence", "create", "E"),
    ("evidence", "update", "E"),
    ("evidence", "delete", "E"),
    ("review", "read", "AMEU"),
    ("review", "list", "AMEU"),
    ("review", "create", "U"),
    ("enterprise_report", "read", "AMEU"),
    ("enterprise_report", "list", "AMEU"),
    ("enterprise_report", "create", "AMEU"),
    ("cluster_report", "read", "AMU"),
    ("cluster_report", "list", "AMU"),
    ("cluster_report", "create", "AMU"),
    ("review_in_progress", "read", "AU"),
    ("review_queue", "list", "AU"),
    ("audit_log", "read", "AU"),
    ("audit_log", "list", "AU"),
    ("questionnaire", "read", "AMEU"),
    ("questionnaire", "list", "AMEU"),
    ("questionnaire", "create", "A"),
    ("questionnaire", "update", "A"),
];

fn kind_name(kind: Kind) -> String {
    match kind {
        Kind::Account => "account".into(),
        Kind::Users => "users".into(),
        Kind::User(role) => format!("user:{role}"),
        Kind::Cluster => "cluster".into(),
        Kind::Enterprise => "enterprise".into(),
        Kind::Registration => "registration".into(),
        Kind::Sharing => "sharing".into(),
        Kind::Profile => "profile".into(),
        Kind::Campaign => "campaign".into(),
        Kind::Assessment => "assessment".into(),
        Kind::Evidence => "evidence".into(),
        Kind::Review => "review".into(),
        Kind::ReviewInProgress => "review_in_progress".into(),
        Kind::ReviewQueue => "review_queue".into(),
        Kind::EnterpriseReport => "enterprise_report".into(),
        Kind::ClusterReport => "cluster_report".into(),
        Kind::AuditLog => "audit_log".into(),
        Kind::Questionnaire => "questionnaire".into(),
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Read => "read",
        Action::List => "list",
        Action::Create => "create",
        Action::Update => "update",
        Action::Grant => "grant",
        Action::Delete => "delete",
        Action::Submit => "submit",
        Action::Review => "review",
        Action::ResetPassword => "reset_password",
    }
}

fn letter(role: Role) -> char {
    match role {
        Role::Admin => 'A',
        Role::ClusterManager => 'M',
        Role::Enterprise => 'E',
        Role::Auditor => 'U',
    }
}

/// Two clusters, each with two enterprises; the actors live in cluster `a`, enterprise `a1`.
struct World {
    a: ClusterId,
    a1: EnterpriseId,
    a2: EnterpriseId,
    b: ClusterId,
    b1: EnterpriseId,
}

impl World {
    fn new() -> Self {
        Self {
            a: ClusterId::new(),
            a1: EnterpriseId::new(),
            a2: EnterpriseId::new(),
            b: ClusterId::new(),
            b1: EnterpriseId::new(),
        }
    }

    fn actor(&self, role: Role) -> Actor {
        match role {
            Role::Admin => Actor::Admin,
            Role::ClusterManager => Actor::ClusterManager { cluster: self.a },
            Role::Enterprise => Actor::Enterprise {
                cluster: self.a,
                enterprise: self.a1,
            },
            Role::Auditor => Actor::Auditor {
                clusters: vec![ClusterId::new(), self.a],
            },
        }
    }

    /// Where a resource of this kind lives: in cluster `a` (own) or `b` (other).
    fn tenancy(&self, kind: Kind, own: bool) -> Tenancy {
        let (cluster, enterprise) = if own {
            (self.a, self.a1)
        } else {
            (self.b, self.b1)
        };
        match kind {
            Kind::Account
            | Kind::Users
            | Kind::User(Role::Admin | Role::Auditor)
            | Kind::Questionnaire
            | Kind::ReviewQueue => Tenancy::Installation,
            Kind::User(Role::ClusterManager)
            | Kind::Cluster
            | Kind::Campaign
            | Kind::ClusterReport
            | Kind::AuditLog => Tenancy::Cluster(cluster),
            Kind::User(Role::Enterprise)
            | Kind::Enterprise
            | Kind::Registration
            | Kind::Sharing
            | Kind::Profile
            | Kind::Assessment
            | Kind::Evidence
            | Kind::Review
            | Kind::ReviewInProgress
            | Kind::EnterpriseReport => Tenancy::Enterprise {
                cluster,
                enterprise,
            },
        }
    }
}

#[test]
fn the_table_names_only_real_kinds_and_actions() {
    let kinds: Vec<String> = Kind::all().into_iter().map(kind_name).collect();
    let actions: Vec<&str> = Action::ALL.into_iter().map(action_name).collect();
    for (kind, action, roles) in ALLOWED {
        assert!(kinds.iter().any(|k| k == kind), "unknown kind {kind}");
        assert!(actions.contains(action), "unknown action {action}");
        assert!(roles.chars().all(|c| "AMEU".contains(c)), "{roles}");
    }
}

#[test]
fn inside_its_scope_an_actor_is_allowed_exactly_what_the_table_says() {
    let world = World::new();
    for kind in Kind::all() {
        for action in Action::ALL {
            let entry = ALLOWED
                .iter()
                .find(|(k, a, _)| *k == kind_name(kind) && *a == action_name(action))
                .map_or("", |(_, _, roles)| *roles);
            for role in Role::ALL {
                let expected = if entry.contains(letter(role)) {
                    Decision::Allow
                } else {
                    Decision::Forbidden
                };
                let resource = Resource::new(kind, world.tenancy(kind, true));
                assert_eq!(
                    decide(&world.actor(role), action, &resource),
                    expected,
                    "{role} {} {}",
                    action_name(action),
                    kind_name(kind)
                );
            }
        }
    }
}

#[test]
fn another_tenants_resource_is_not_found_for_everyone_but_the_admin() {
    let world = World::new();
    for kind in Kind::all() {
        let tenancy = world.tenancy(kind, false);
        for action in Action::ALL {
            for role in Role::ALL {
                let decision = decide(&world.actor(role), action, &Resource::new(kind, tenancy));
                let tenant_bound = tenancy != Tenancy::Installation;
                if role != Role::Admin && tenant_bound {
                    assert_eq!(decision, Decision::NotFound, "{role} {kind:?} {action:?}");
                } else {
                    assert_ne!(decision, Decision::NotFound, "{role} {kind:?} {action:?}");
                }
            }
        }
    }
}

#[test]
fn scope_follows_the_role() {
    let w = World::new();
    let own_cluster = Tenancy::Cluster(w.a);
    let own_enterprise = Tenancy::Enterprise {
        cluster: w.a,
        enterprise: w.a1,
    };
    let sibling = Tenancy::Enterprise {
        cluster: w.a,
        enterprise: w.a2,
    };
    let other_cluster = Tenancy::Cluster(w.b);
    let other_enterprise = Tenancy::Enterprise {
        cluster: w.b,
        enterprise: w.b1,
    };
    let places = [
        Tenancy::Installation,
        own_cluster,
        own_enterprise,
        sibling,
        other_cluster,
        other_enterprise,
    ];
    // In the order of `places`.
    let expected: [(Role, [bool; 6]); 4] = [
        (Role::Admin, [true, true, true, true, true, true]),
        (Role::ClusterManager, [true, true, true, true, false, false]),
        (Role::Enterprise, [true, true, true, false, false, false]),
        (Role::Auditor, [true, true, true, true, false, false]),
    ];
    for (role, row) in expected {
        for (place, want) in places.iter().zip(row) {
            assert_eq!(in_scope(&w.actor(role), place), want, "{role} {place:?}");
        }
    }
}

#[test]
fn a_cluster_manager_creates_enterprise_users_only_in_its_own_cluster() {
    let w = World::new();
    let manager = w.actor(Role::ClusterManager);
    let own = Actor::Enterprise {
        cluster: w.a,
        enterprise: w.a2,
    };
    let other = Actor::Enterprise {
        cluster: w.b,
        enterprise: w.b1,
    };
    let peer = Actor::ClusterManager { cluster: w.a };
    let create = |target: &Actor| decide(&manager, Action::Create, &Resource::user(target));
    assert_eq!(create(&own), Decision::Allow);
    assert_eq!(create(&other), Decision::NotFound);
    assert_eq!(create(&peer), Decision::Forbidden);
    assert_eq!(create(&Actor::Admin), Decision::Forbidden);
    assert_eq!(
        decide(&manager, Action::Grant, &Resource::user(&own)),
        Decision::Forbidden
    );
}

#[test]
fn decisions_become_the_matching_http_errors() {
    assert!(Decision::Allow.require().is_ok());
    assert!(matches!(
        Decision::Forbidden.require(),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        Decision::NotFound.require(),
        Err(AppError::NotFound)
    ));
}

#[test]
fn a_cluster_manager_sees_an_enterprise_detail_only_as_its_sharing_allows() {
    use crate::domain::sharing::{Detail, Sharing};
    let w = World::new();
    let evidence = Resource::new(Kind::Evidence, w.tenancy(Kind::Evidence, true));
    let profile = Resource::new(Kind::Profile, w.tenancy(Kind::Profile, true));
    let read = |role: Role, resource: &Resource, sharing: Sharing, detail: Detail| {
        require_shared(&w.actor(role), Action::Read, resource, sharing, detail)
    };
    let manager = Role::ClusterManager;
    assert!(read(manager, &evidence, Sharing::Full, Detail::Evidence).is_ok());
    assert!(matches!(
        read(manager, &evidence, Sharing::Scores, Detail::Evidence),
        Err(AppError::NotShared)
    ));
    assert!(read(manager, &profile, Sharing::Scores, Detail::Profile).is_ok());
    assert!(matches!(
        read(manager, &profile, Sharing::Anonymous, Detail::Profile),
        Err(AppError::NotShared)
    ));
    for role in [Role::Admin, Role::Enterprise, Role::Auditor] {
        assert!(read(role, &evidence, Sharing::Anonymous, Detail::Evidence).is_ok());
    }
    // Out of scope stays a 404, whatever the sharing.
    let other = Resource::new(Kind::Evidence, w.tenancy(Kind::Evidence, false));
    assert!(matches!(
        read(manager, &other, Sharing::Full, Detail::Evidence),
        Err(AppError::NotFound)
    ));
}

#[test]
fn registration_is_the_managers_and_sharing_the_enterprises_to_change() {
    let w = World::new();
    let own = w.tenancy(Kind::Registration, true);
    let change = |role, registration, sharing| {
        require_enterprise_change(&w.actor(role), own, registration, sharing).map_err(|e| e.code())
    };
    use crate::error::ErrorCode::Forbidden;
    for role in [Role::Admin, Role::ClusterManager] {
        assert_eq!(change(role, true, false), Ok(()), "{role}");
    }
    for role in [Role::Admin, Role::Enterprise] {
        assert_eq!(change(role, false, true), Ok(()), "{role}");
    }
    assert_eq!(change(Role::Enterprise, true, false), Err(Forbidden));
    assert_eq!(change(Role::ClusterManager, false, true), Err(Forbidden));
    assert_eq!(change(Role::ClusterManager, true, true), Err(Forbidden));
    assert_eq!(change(Role::Auditor, false, false), Err(Forbidden));
    assert_eq!(change(Role::Enterprise, false, false), Ok(()));
    let other = w.tenancy(Kind::Registration, false);
    assert_eq!(
        require_enterprise_change(&w.actor(Role::ClusterManager), other, true, false)
            .map_err(|e| e.code()),
        Err(crate::error::ErrorCode::NotFound)
    );
}

#[test]
fn only_a_cluster_manager_is_held_to_an_enterprises_sharing() {
    let w = World::new();
    for role in Role::ALL {
        for sharing in [Sharing::Full, Sharing::Scores, Sharing::Anonymous] {
            for detail in [Detail::Answers, Detail::Scores, Detail::Report] {
                let expected = role != Role::ClusterManager || sharing.shows(detail);
                assert_eq!(
                    shown(&w.actor(role), sharing, detail),
                    expected,
                    "{role} {sharing:?} {detail:?}"
                );
            }
        }
    }
}

#[test]
fn a_refusal_is_logged_as_a_security_event_and_an_allowed_action_is_not() {
    let a = ClusterId::new();
    let b = ClusterId::new();
    let manager = Actor::ClusterManager { cluster: a };
    let other_tenant = Resource::new(Kind::Campaign, Tenancy::Cluster(b));
    let (refused, log) =
        crate::error::tests::logged(|| require(&manager, Action::Read, &other_tenant));
    assert!(matches!(refused, Err(AppError::NotFound)));
    assert!(
        log.contains("WARN") && log.contains("access.denied") && log.contains("NotFound"),
        "{log}"
    );
    assert!(
        log.contains(&b.to_string()),
        "names the resource's tenancy: {log}"
    );
    let (refused, log) = crate::error::tests::logged(|| {
        require(
            &manager,
            Action::Create,
            &Resource::global(Kind::Questionnaire),
        )
    });
    assert!(matches!(refused, Err(AppError::Forbidden)));
    assert!(log.contains("Forbidden"), "{log}");
    let own = Resource::new(Kind::Campaign, Tenancy::Cluster(a));
    let (allowed, log) = crate::error::tests::logged(|| require(&manager, Action::Read, &own));
    assert!(allowed.is_ok());
    assert!(log.is_empty(), "{log}");
}
