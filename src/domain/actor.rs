//! Who a user is: a role and the scope that role acts in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::{ClusterId, EnterpriseId};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[clap(rename_all = "snake_case")]
pub enum Role {
    /// The whole installation.
    Admin,
    /// One cluster.
    ClusterManager,
    /// One enterprise.
    Enterprise,
    /// The clusters assigned to it.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::ClusterManager,
        Role::Enterprise,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ClusterManager => "cluster_manager",
            Role::Enterprise => "enterprise",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of admin, cluster_manager, enterprise, auditor")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(UnknownRole)
    }
}

/// A role together with its scope: what the access policy reasons about. A user's actor is
/// also where that user belongs, so the same type describes the target of user management.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Admin,
    ClusterManager {
        cluster: ClusterId,
    },
    Enterprise {
        cluster: ClusterId,
        enterprise: EnterpriseId,
    },
    Auditor {
        clusters: Vec<ClusterId>,
    },
}

impl Actor {
    pub fn role(&self) -> Role {
        match self {
            Actor::Admin => Role::Admin,
            Actor::ClusterManager { .. } => Role::ClusterManager,
            Actor::Enterprise { .. } => Role::Enterprise,
            Actor::Auditor { .. } => Role::Auditor,
        }
    }

    pub fn cluster_id(&self) -> Option<ClusterId> {
        match self {
            Actor::ClusterManager { cluster } => Some(*cluster),
            _ => None,
        }
    }

    pub fn enterprise_id(&self) -> Option<EnterpriseId> {
        match self {
            Actor::Enterprise { enterprise, .. } => Some(*enterprise),
            _ => None,
        }
    }

    pub fn auditor_clusters(&self) -> &[ClusterId] {
        match self {
            Actor::Auditor { clusters } => clusters,
            _ => &[],
        }
    }
}

/// Where a resource lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenancy {
    Installation,
    Cluster(ClusterId),
    Enterprise {
        cluster: ClusterId,
        enterprise: EnterpriseId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{role}\""));
        }
        assert_eq!("Admin".parse::<Role>(), Err(UnknownRole));
        assert_eq!("cluster-manager".parse::<Role>(), Err(UnknownRole));
    }
}
