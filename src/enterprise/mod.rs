//! Enterprise services: registering an enterprise of a cluster with its audit entry, one by
//! one or many from a CSV file; changing it (registration fields, sharing); its profile. The
//! fields are parsed in [`crate::domain::enterprise`].

mod import;
pub mod list;
pub mod profile;
pub mod update;

pub use import::{import_csv, Mode, RowOutcome};

use chrono::Utc;
use serde_json::{json, Value};

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::enterprises::{self, EnterpriseRow};
use crate::db::DbConnection;
use crate::domain::enterprise::NewEnterprise;
use crate::domain::sharing::Sharing;
use crate::error::AppError;
use crate::ids::{ClusterId, EnterpriseId};
use crate::questionnaire::model::Choice;
use crate::questionnaire::PROFILE_ID;
use crate::state::AppState;

/// The industries an enterprise may name: the options of the profile questionnaire's
/// industry question.
pub fn industries(state: &AppState) -> Vec<Choice> {
    state
        .questionnaires
        .profile(PROFILE_ID)
        .and_then(|p| p.question("industry"))
        .map(|q| q.options.clone())
        .unwrap_or_default()
}

/// Registers an enterprise in the cluster (which the caller has found: a missing cluster is
/// its 404), sharing scores until it chooses otherwise, with its audit entry; it gets a draft
/// in every open campaign of the cluster. A taken credit code is a 409 `credit_code_taken`
/// naming its field for an admin, a 422 `not_available` for anyone else
/// ([`crate::auth::policy::taken_as_told_to`]).
pub fn register(
    conn: &mut DbConnection,
    user: &AuthUser,
    cluster: ClusterId,
    new: NewEnterprise,
) -> Result<EnterpriseRow, AppError> {
    let now = Utc::now().naive_utc();
    let row = EnterpriseRow {
        id: EnterpriseId::new(),
        cluster_id: cluster,
        name: new.name,
        credit_code: new.credit_code.to_string(),
        industry: new.industry,
        size: new.size,
        region: new.region,
        sharing: Sharing::Scores,
        created_at: now,
        updated_at: now,
        contact_name: new.contact.name,
        contact_phone: new.contact.phone,
        contact_email: new.contact.email,
    };
    audit::write_tx(conn, |c| {
        enterprises::insert(c, &row)?;
        audit::append(
            c,
            Entry::new(user, "enterprise.create", "enterprise", row.id)
                .cluster(row.cluster_id)
                .after(&audited(&row)),
        )?;
        Ok::<_, AppError>(())
    })
    .map_err(|e| crate::auth::policy::taken_as_told_to(&user.actor, e))?;
    Ok(row)
}

/// What the audit log keeps of an enterprise: every field, as the API shows it.
fn audited(row: &EnterpriseRow) -> Value {
    json!({
        "id": row.id,
        "cluster_id": row.cluster_id,
        "name": row.name,
        "credit_code": row.credit_code,
        "industry": row.industry,
        "size": row.size,
        "region": row.region,
        "sharing": row.sharing,
        "contact_name": given(&row.contact_name),
        "contact_phone": given(&row.contact_phone),
        "contact_email": given(&row.contact_email),
        "created_at": crate::utc::text(&row.created_at),
        "updated_at": crate::utc::text(&row.updated_at),
    })
}

/// An absent contact part (stored as the empty text) as null, the way the API shows it.
fn given(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}
