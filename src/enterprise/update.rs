//! Changing an enterprise: its registration fields (the cluster manager's) and its sharing
//! setting (the enterprise's own), with the audit entry. `PATCH /api/v1/enterprises/{id}` and
//! the sharing page call the same function.

use chrono::Utc;

use super::audited;
use crate::audit::{self, Entry};
use crate::auth::policy;
use crate::auth::AuthUser;
use crate::db::enterprises::{self, EnterpriseChanges, EnterpriseRow};
use crate::db::{refs, DbConnection};
use crate::domain::enterprise::{parse_industry, Size};
use crate::domain::sharing::Sharing;
use crate::error::{AppError, FieldErrors};
use crate::ids::EnterpriseId;
use crate::questionnaire::model::Choice;

/// Changes as a client sent them; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct Update {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub region: Option<String>,
    /// `full`, `scores` or `anonymous`.
    pub sharing: Option<String>,
}

impl Update {
    fn registration(&self) -> bool {
        self.name.is_some()
            || self.industry.is_some()
            || self.size.is_some()
            || self.region.is_some()
    }
}

/// Applies the changes the caller may make (registration fields: the manager or an admin;
/// sharing: the enterprise itself or an admin; otherwise 403), after checking every field
/// (a 422 naming each bad one, nothing changed). One `enterprise.update` audit entry with the
/// enterprise before and after.
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: EnterpriseId,
    update: Update,
    industries: &[Choice],
) -> Result<EnterpriseRow, AppError> {
    let e = refs::enterprise(conn, id)?;
    policy::require_enterprise_change(
        &user.actor,
        e.tenancy(),
        update.registration(),
        update.sharing.is_some(),
    )?;
    let changes = changes(update, industries)?;
    audit::write_tx(conn, |c| {
        let before = enterprises::find(c, id)?;
        enterprises::update(c, id, &changes)?;
        let after = enterprises::find(c, id)?;
        audit::append(
            c,
            Entry::new(user, "enterprise.update", "enterprise", id)
                .cluster(after.cluster_id)
                .before(&audited(&before))
                .after(&audited(&after)),
        )?;
        Ok::<_, AppError>(after)
    })
}

fn changes(update: Update, industries: &[Choice]) -> Result<EnterpriseChanges, AppError> {
    let mut errors = FieldErrors::new();
    let mut check =
        |field: &str, value: Option<String>, ok: &dyn Fn(&str) -> Option<String>, msg: &str| {
            value.and_then(|v| {
                let parsed = ok(&v);
                if parsed.is_none() {
                    errors.insert(field.to_owned(), vec![msg.to_owned()]);
                }
                parsed
            })
        };
    let industry = check(
        "industry",
        update.industry,
        &|v| parse_industry(v, industries),
        "not an industry of the profile's list",
    );
    let size = check(
        "size",
        update.size,
        &|v| Size::parse(v).map(|s| s.as_str().to_owned()),
        "must be micro, small, medium or large",
    );
    let sharing = check(
        "sharing",
        update.sharing,
        &|v| Sharing::parse(v).map(|s| s.as_str().to_owned()),
        "must be full, scores or anonymous",
    );
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the changes are not valid".into(),
            fields: errors,
        });
    }
    Ok(EnterpriseChanges {
        name: update.name.map(|n| n.trim().to_owned()),
        industry,
        size,
        region: update.region.map(|r| r.trim().to_owned()),
        sharing,
        updated_at: Some(Utc::now().naive_utc()),
    })
}
