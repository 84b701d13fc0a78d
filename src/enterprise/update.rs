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
use crate::domain::contact;
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
    /// The contact's parts; an empty text clears one.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

impl Update {
    fn registration(&self) -> bool {
        self.name.is_some()
            || self.industry.is_some()
            || self.size.is_some()
            || self.region.is_some()
            || self.contact_name.is_some()
            || self.contact_phone.is_some()
            || self.contact_email.is_some()
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
    let name = check(
        "name",
        update.name,
        &|v| {
            let v = v.trim();
            (!v.is_empty() && v.chars().count() <= 200).then(|| v.to_owned())
        },
        "must be 1 to 200 characters",
    );
    let region = check(
        "region",
        update.region,
        &|v| (v.trim().chars().count() <= 100).then(|| v.trim().to_owned()),
        "must be at most 100 characters",
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
    let mut contact =
        |field: &str, value: Option<String>, parse: fn(&str) -> Result<String, &str>| {
            value.and_then(|v| match parse(&v) {
                Ok(ok) => Some(ok),
                Err(msg) => {
                    errors.insert(field.to_owned(), vec![msg.to_owned()]);
                    None
                }
            })
        };
    let contact_name = contact("contact_name", update.contact_name, contact::parse_name);
    let contact_phone = contact("contact_phone", update.contact_phone, contact::parse_phone);
    let contact_email = contact("contact_email", update.contact_email, contact::parse_email);
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "the changes are not valid".into(),
            fields: errors,
        });
    }
    Ok(EnterpriseChanges {
        name,
        industry,
        size,
        region,
        sharing,
        updated_at: Some(Utc::now().naive_utc()),
        contact_name,
        contact_phone,
        contact_email,
    })
}
