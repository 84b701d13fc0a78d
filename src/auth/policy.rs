//! The access policy: one pure function answering "may this actor do this action to this
//! resource?". Every handler asks it before touching data.
//!
//! Two questions, in this order:
//! 1. Is the resource inside the actor's scope? If not, it does not exist for the actor:
//!    [`Decision::NotFound`], so an id from another tenant tells nothing.
//! 2. Does the actor's role allow the action on this kind of resource? If not,
//!    [`Decision::Forbidden`].
//!
//! Installation-wide things (questionnaires, admin and auditor accounts, the list of users)
//! belong to no tenant and are inside everyone's scope; the role alone decides.

use crate::domain::sharing::{Detail, Sharing};
use crate::domain::{Actor, Role};
use crate::error::{AppError, ErrorCode, NOT_AVAILABLE, NOT_AVAILABLE_CODE};

pub use crate::domain::Tenancy;

/// What a resource is. `User` carries the role of the account, because who may manage an
/// account depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The actor's own account (`/me`).
    Account,
    /// The directory of user accounts, as a collection.
    Users,
    /// One user account with this role.
    User(Role),
    Cluster,
    Enterprise,
    /// An enterprise's registration fields: name, industry, size, region.
    Registration,
    /// What an enterprise shares with its cluster manager.
    Sharing,
    /// An enterprise's profile: size, data staff, tools, policies, chief data officer.
    Profile,
    Campaign,
    Assessment,
    Evidence,
    Review,
    /// The ratings, notes and sample of a review not yet decided: its auditors' working notes.
    ReviewInProgress,
    /// The assessments waiting for review, across enterprises.
    ReviewQueue,
    /// An enterprise's own report (scores, gap plan, PDF).
    EnterpriseReport,
    /// A cluster's dashboard and readiness report.
    ClusterReport,
    AuditLog,
    Questionnaire,
}

impl Kind {
    /// Every kind, for tests that walk the whole matrix.
    pub fn all() -> Vec<Kind> {
        let mut kinds = vec![Kind::Account, Kind::Users];
        kinds.extend(Role::ALL.map(Kind::User));
        kinds.extend([
            Kind::Cluster,
            Kind::Enterprise,
            Kind::Registration,
            Kind::Sharing,
            Kind::Profile,
            Kind::Campaign,
            Kind::Assessment,
            Kind::Evidence,
            Kind::Review,
            Kind::ReviewInProgress,
            Kind::ReviewQueue,
            Kind::EnterpriseReport,
            Kind::ClusterReport,
            Kind::AuditLog,
            Kind::Questionnaire,
        ]);
        kinds
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    List,
    Create,
    Update,
    /// Change the role or the scope of an account.
    Grant,
    Delete,
    /// Hand an assessment in for review.
    Submit,
    /// Record a verified rating, accept or return an assessment.
    Review,
    /// Replace an account's password with a generated one it must change, ending its sessions.
    ResetPassword,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Read,
        Action::List,
        Action::Create,
        Action::Update,
        Action::Grant,
        Action::Delete,
        Action::Submit,
        Action::Review,
        Action::ResetPassword,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub kind: Kind,
    pub tenancy: Tenancy,
}

impl Resource {
    pub fn new(kind: Kind, tenancy: Tenancy) -> Self {
        Self { kind, tenancy }
    }

    /// A thing of the whole installation.
    pub fn global(kind: Kind) -> Self {
        Self::new(kind, Tenancy::Installation)
    }

    /// A user account with this role and scope, existing or about to be created.
    pub fn user(target: &Actor) -> Self {
        let tenancy = match target {
            Actor::Admin | Actor::Auditor { .. } => Tenancy::Installation,
            Actor::ClusterManager { cluster } => Tenancy::Cluster(*cluster),
            Actor::Enterprise {
                cluster,
                enterprise,
            } => Tenancy::Enterprise {
                cluster: *cluster,
                enterprise: *enterprise,
            },
        };
        Self::new(Kind::User(target.role()), tenancy)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Forbidden,
    NotFound,
}

impl Decision {
    /// `Ok` when allowed, else the error the client sees (403 or 404).
    pub fn require(self) -> Result<(), AppError> {
        match self {
            Decision::Allow => Ok(()),
            Decision::Forbidden => Err(AppError::Forbidden),
            Decision::NotFound => Err(AppError::NotFound),
        }
    }
}

/// May `actor` do `action` to `resource`?
pub fn decide(actor: &Actor, action: Action, resource: &Resource) -> Decision {
    if !in_scope(actor, &resource.tenancy) {
        return Decision::NotFound;
    }
    if roles_allowed(resource.kind, action).contains(&actor.role()) {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// [`decide`], as a `Result` for handlers. A refusal is a security event in the structured
/// log (inside the request's span, with its request id and client address): a 403, or a 404
/// for a resource outside the actor's scope, such as another tenant's. It is not written to
/// the audit log: any logged-in user could grow that log, a serialised and hash-chained
/// write, without limit by asking for ids that are not theirs.
pub fn require(actor: &Actor, action: Action, resource: &Resource) -> Result<(), AppError> {
    let decision = decide(actor, action, resource);
    if decision != Decision::Allow {
        tracing::warn!(
            target: "dcmm::security",
            event = "access.denied",
            decision = ?decision,
            actor = ?actor,
            action = ?action,
            kind = ?resource.kind,
            tenancy = ?resource.tenancy,
            "access denied"
        );
    }
    decision.require()
}

/// [`require`] for one enterprise's detail: a cluster manager also needs the enterprise's
/// sharing setting to show it, else [`AppError::NotShared`]. Auditors and admins see every
/// detail in their scope; an enterprise user sees its own.
pub fn require_shared(
    actor: &Actor,
    action: Action,
    resource: &Resource,
    sharing: Sharing,
    detail: Detail,
) -> Result<(), AppError> {
    require(actor, action, resource)?;
    if !shown(actor, sharing, detail) {
        tracing::warn!(
            target: "dcmm::security",
            event = "access.denied",
            decision = "NotShared",
            actor = ?actor,
            detail = ?detail,
            "access denied"
        );
        return Err(AppError::NotShared);
    }
    Ok(())
}

/// Whether `actor` may change an enterprise's registration fields, its sharing setting, or
/// both: registration is the manager's, sharing the enterprise's (both the admin's). An empty
/// change needs either right.
pub fn require_enterprise_change(
    actor: &Actor,
    tenancy: Tenancy,
    registration: bool,
    sharing: bool,
) -> Result<(), AppError> {
    let of = |kind| Resource::new(kind, tenancy);
    if !registration && !sharing {
        return require(actor, Action::Update, &of(Kind::Registration))
            .or_else(|_| require(actor, Action::Update, &of(Kind::Sharing)));
    }
    if registration {
        require(actor, Action::Update, &of(Kind::Registration))?;
    }
    if sharing {
        require(actor, Action::Update, &of(Kind::Sharing))?;
    }
    Ok(())
}

/// Whether `actor` sees `detail` of an enterprise (in its scope) that shares `sharing`: a
/// cluster manager sees what the enterprise shares; auditors, admins and the enterprise itself
/// see everything.
pub fn shown(actor: &Actor, sharing: Sharing, detail: Detail) -> bool {
    actor.role() != Role::ClusterManager || sharing.shows(detail)
}

/// Whether the resource's tenant is one the actor may know about.
pub fn in_scope(actor: &Actor, tenancy: &Tenancy) -> bool {
    let (cluster_of_resource, enterprise_of_resource) = match *tenancy {
        Tenancy::Installation => return true,
        Tenancy::Cluster(c) => (c, None),
        Tenancy::Enterprise {
            cluster,
            enterprise,
        } => (cluster, Some(enterprise)),
    };
    match actor {
        Actor::Admin => true,
        Actor::ClusterManager { cluster } => *cluster == cluster_of_resource,
        // An enterprise user sees its cluster's shared things (campaigns) and its own
        // enterprise, never a sibling enterprise.
        Actor::Enterprise {
            cluster,
            enterprise,
        } => match enterprise_of_resource {
            Some(e) => e == *enterprise,
            None => *cluster == cluster_of_resource,
        },
        Actor::Auditor { clusters } => clusters.contains(&cluster_of_resource),
    }
}

const ALL: &[Role] = &Role::ALL;
const ADMIN: &[Role] = &[Role::Admin];
const MANAGERS: &[Role] = &[Role::Admin, Role::ClusterManager];
const NOBODY: &[Role] = &[];

/// The roles that may do `action` to a resource of `kind` inside their scope.
fn roles_allowed(kind: Kind, action: Action) -> &'static [Role] {
    use Action::*;
    use Role::{Admin, Auditor, ClusterManager, Enterprise};
    match (kind, action) {
        (Kind::Account, Read | Update) => ALL,
        (Kind::Users, List) => MANAGERS,
        // Cluster managers look after the enterprise users of their cluster; every other
        // account, and every change of role or scope, is the admin's.
        (Kind::User(Enterprise), Read | Create | Update | ResetPassword) => MANAGERS,
        (Kind::User(_), Read | Create | Update | Grant | Delete | ResetPassword) => ADMIN,
        (Kind::Cluster, Read | List) => ALL,
        (Kind::Cluster, Create | Update | Delete) => ADMIN,
        (Kind::Enterprise, Read) => ALL,
        // The enterprises of a cluster: an enterprise user sees its own, never the list.
        (Kind::Enterprise, List) => &[Admin, ClusterManager, Auditor],
        (Kind::Enterprise, Create) => MANAGERS,
        (Kind::Enterprise, Delete) => ADMIN,
        // The manager corrects registration data; the enterprise sets its own sharing.
        (Kind::Registration, Update) => MANAGERS,
        (Kind::Sharing, Update) => &[Admin, Enterprise],
        // The enterprise describes itself; others read it as its sharing setting allows.
        (Kind::Profile, Read) => ALL,
        (Kind::Profile, Update) => &[Enterprise],
        (Kind::Campaign, Read | List) => ALL,
        (Kind::Campaign, Create | Update | Delete) => MANAGERS,
        (Kind::Assessment, Read | List) => ALL,
        (Kind::Assessment, Create) => MANAGERS,
        (Kind::Assessment, Update | Submit) => &[Enterprise],
        (Kind::Assessment, Review) => &[Auditor],
        (Kind::Evidence, Read | List) => ALL,
        // The enterprise attaches files and links them to more criteria.
        (Kind::Evidence, Create | Update | Delete) => &[Enterprise],
        (Kind::Review, Read | List) => ALL,
        (Kind::Review, Create) => &[Auditor],
        (Kind::ReviewInProgress, Read) => &[Admin, Auditor],
        (Kind::ReviewQueue, List) => &[Admin, Auditor],
        (Kind::EnterpriseReport, Read | List | Create) => ALL,
        (Kind::ClusterReport, Read | List | Create) => &[Admin, ClusterManager, Auditor],
        (Kind::AuditLog, Read | List) => &[Admin, Auditor],
        (Kind::Questionnaire, Read | List) => ALL,
        (Kind::Questionnaire, Create | Update) => ADMIN,
        _ => NOBODY,
    }
}

/// A taken credit code or username as `actor` may learn of it. Both are unique across the
/// installation, so a 409 would tell a cluster manager that an enterprise or account exists
/// in another cluster: anyone but an admin gets the same 422 `not_available` on the field,
/// whichever cluster the clash is in. An admin sees everything anyway and keeps the 409.
pub fn taken_as_told_to(actor: &Actor, error: AppError) -> AppError {
    match (actor, error) {
        (Actor::Admin, error) => error,
        (
            _,
            AppError::Conflict {
                code: code @ (ErrorCode::CreditCodeTaken | ErrorCode::UsernameTaken),
                ..
            },
        ) => {
            let field = match code {
                ErrorCode::CreditCodeTaken => "credit_code",
                _ => "username",
            };
            AppError::rule(field, NOT_AVAILABLE_CODE, NOT_AVAILABLE)
        }
        (_, error) => error,
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
