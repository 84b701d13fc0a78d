//! What the audit log keeps of accounts, and who writes its entries: the audit log knows
//! nothing of accounts, the account side tells it.

use serde_json::Value;

use super::account::User;
use super::AuthUser;
use crate::audit::{account_cluster, Author, Entry};
#[cfg(test)]
use crate::domain::Actor;
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
        "created_at": crate::utc::text(&user.created_at),
        "updated_at": crate::utc::text(&user.updated_at),
    })
}

/// Writes a security event (a sign-in entry: `auth.*`) to the structured log as well, and
/// answers it for the audit log. The log line carries the action, the account's id when one
/// is known, and the client's address; it runs inside the request's span, which carries the
/// request id. A username that names no account is left out of the log (it may be a password
/// typed into the wrong box); the audit log, readable only by those who may, keeps it.
pub fn security(entry: Entry) -> Entry {
    let address = entry
        .after
        .as_ref()
        .and_then(|a| a.get("address"))
        .and_then(Value::as_str)
        .unwrap_or("-");
    let user = entry.actor_id.as_deref().unwrap_or("-");
    let action = entry.action.as_str();
    match action {
        "auth.login" | "auth.logout" | "auth.password_change" => {
            tracing::info!(target: "dcmm::security", event = action, user, client = address, "security event")
        }
        _ => {
            tracing::warn!(target: "dcmm::security", event = action, user, client = address, "security event")
        }
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::logged;

    #[test]
    fn a_security_event_is_logged_with_the_account_and_address_but_no_unknown_username() {
        let address = Some("192.0.2.7".parse().unwrap());
        let (_, log) = logged(|| {
            security(Entry::sign_in(
                "auth.login_failed",
                None,
                "hunter2-in-the-wrong-box",
                address,
            ))
        });
        assert!(
            log.contains("WARN") && log.contains("auth.login_failed"),
            "{log}"
        );
        assert!(log.contains("192.0.2.7"), "{log}");
        assert!(!log.contains("hunter2"), "{log}");
        let user = UserId::new();
        let (entry, log) = logged(|| {
            security(Entry::sign_in(
                "auth.login",
                Some((user, &Actor::Admin)),
                "root",
                address,
            ))
        });
        assert_eq!(entry.action, "auth.login");
        assert!(
            log.contains("INFO") && log.contains(&user.to_string()),
            "{log}"
        );
    }
}
