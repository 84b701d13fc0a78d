//! What the audit log keeps of accounts, and who writes its entries: the audit log knows
//! nothing of accounts, the account side tells it.

use serde_json::Value;

use super::account::User;
use super::AuthUser;
use crate::audit::{account_cluster, Author, Entry};
use crate::ids::UserId;

impl Author for AuthUser {
    fn author_id(&self) -> UserId {
        self.id
    }
}

impl Entry {
    /// An entry for a change to a user account by `by`: the account before and after as the
    /// API shows it, never its password hash; filed under the account's cluster, if it has one.
    pub fn account(by: &AuthUser, action: &str, before: Option<&User>, after: &User) -> Self {
        let mut entry = Self::new(by, action, "user", after.id);
        entry.cluster_id = account_cluster(&after.actor);
        entry.before = before.map(account_view);
        entry.after = Some(account_view(after));
        entry
    }
}

/// An account as `GET /api/v1/me` shows it.
fn account_view(user: &User) -> Value {
    serde_json::json!({
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.actor.role(),
        "cluster_id": user.actor.cluster_id(),
        "enterprise_id": user.actor.enterprise_id(),
        "cluster_ids": user.actor.auditor_clusters(),
        "disabled": user.disabled,
        "must_change_password": user.must_change_password,
        "language": user.language,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    })
}
