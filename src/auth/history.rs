//! An account's sign-in history, read from the audit log: its last logins, failed attempts and
//! throttled attempts (`auth.login`, `auth.login_failed`, `auth.throttled` entries naming it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::policy::{self, Action, Resource};
use crate::db::schema::audit_log;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::ids::UserId;

/// How many attempts the history shows.
pub const LAST: i64 = 20;

/// What became of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = LoginOutcome)]
pub enum Outcome {
    /// Logged in.
    Success,
    /// A wrong password, or a disabled account.
    Failed,
    /// Refused by the login throttle before the password was checked.
    Throttled,
}

impl Outcome {
    fn of_action(action: &str) -> Option<Self> {
        match action {
            "auth.login" => Some(Self::Success),
            "auth.login_failed" => Some(Self::Failed),
            "auth.throttled" => Some(Self::Throttled),
            _ => None,
        }
    }
}

/// One attempt: when, how it ended, and from which address (if it was recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: NaiveDateTime,
    pub outcome: Outcome,
    pub address: Option<String>,
}

/// The last [`LAST`] attempts on the account, newest first, for whoever may read the account
/// (an admin; a cluster manager for its cluster's enterprise users; another tenant's is a 404).
pub fn of_account(
    conn: &mut DbConnection,
    key: &crate::audit::AuditKey,
    actor: &crate::domain::Actor,
    id: UserId,
) -> Result<Vec<Attempt>, AppError> {
    let target = crate::auth::users::find(conn, id)?.ok_or(AppError::NotFound)?;
    policy::require(actor, Action::Read, &Resource::user(&target.actor))?;
    crate::audit::settle(conn, key)?;
    let rows: Vec<(NaiveDateTime, String, Option<String>)> = audit_log::table
        .filter(audit_log::subject_type.eq("user"))
        .filter(audit_log::subject_id.eq(id.to_string()))
        .filter(audit_log::action.eq_any(["auth.login", "auth.login_failed", "auth.throttled"]))
        .order(audit_log::seq.desc())
        .limit(LAST)
        .select((audit_log::at, audit_log::action, audit_log::after_json))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, action, after)| {
            Some(Attempt {
                at,
                outcome: Outcome::of_action(&action)?,
                address: address_of(after.as_deref()),
            })
        })
        .collect())
}

/// The `address` an entry's details recorded.
fn address_of(after: Option<&str>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(after?).ok()?;
    value.get("address")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_from_the_details_when_recorded() {
        assert_eq!(
            address_of(Some(r#"{"username":"a","address":"10.0.0.7"}"#)).as_deref(),
            Some("10.0.0.7")
        );
        assert_eq!(address_of(Some(r#"{"username":"a","address":null}"#)), None);
        assert_eq!(address_of(None), None);
        assert_eq!(Outcome::of_action("auth.logout"), None);
        assert_eq!(
            Outcome::of_action("auth.throttled"),
            Some(Outcome::Throttled)
        );
    }
}
