//! The cluster service: creating a cluster and changing it, each with its audit entry, checked
//! by the policy; `POST`/`PATCH /api/v1/clusters…` and the admin's cluster pages share it.
//! The fields are checked here too, so a page gets the same field errors as the API.
//!
//! These functions do database work: call them on a blocking thread.

use serde_json::{json, Value};

use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource, Tenancy};
use crate::auth::AuthUser;
use crate::db::clusters::{self, ClusterChanges, ClusterRow};
use crate::db::DbConnection;
use crate::error::{AppError, FieldErrors};
use crate::ids::ClusterId;

/// Changes to a cluster; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    pub name: Option<String>,
    pub region: Option<String>,
    pub description: Option<String>,
}

impl Patch {
    /// The fields trimmed and checked: a name of 1 to 100 characters, a region of at most
    /// 100, a description of at most 2000; else a 422 naming each bad field.
    fn checked(&self) -> Result<Patch, AppError> {
        let mut errors = FieldErrors::new();
        let mut bad = |field: &str, message: &str| {
            errors
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        };
        let name = self.name.as_deref().map(str::trim);
        if let Some(n) = name {
            if n.is_empty() || n.chars().count() > 100 {
                bad("name", "must be 1 to 100 characters");
            }
        }
        let region = self.region.as_deref().map(str::trim);
        if region.is_some_and(|r| r.chars().count() > 100) {
            bad("region", "must be at most 100 characters");
        }
        if self
            .description
            .as_deref()
            .is_some_and(|d| d.chars().count() > 2000)
        {
            bad("description", "must be at most 2000 characters");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation {
                message: "some fields are invalid".to_owned(),
                fields: errors,
            });
        }
        Ok(Patch {
            name: name.map(str::to_owned),
            region: region.map(str::to_owned),
            description: self.description.clone(),
        })
    }
}

/// What the audit log keeps of a cluster: every field, as the API shows it.
pub fn audited(r: &ClusterRow) -> Value {
    json!({
        "id": r.id, "name": r.name, "region": r.region, "description": r.description,
        "created_at": crate::utc::text(&r.created_at),
        "updated_at": crate::utc::text(&r.updated_at),
    })
}

/// Creates a cluster (admins only): a name is required.
pub fn create(
    conn: &mut DbConnection,
    user: &AuthUser,
    fields: &Patch,
) -> Result<ClusterRow, AppError> {
    policy::require(
        &user.actor,
        Action::Create,
        &Resource::global(Kind::Cluster),
    )?;
    let with_name = Patch {
        name: Some(fields.name.clone().unwrap_or_default()),
        ..fields.clone()
    };
    let f = with_name.checked()?;
    let now = crate::db::now();
    let row = ClusterRow {
        id: ClusterId::new(),
        name: f.name.unwrap_or_default(),
        region: f.region.unwrap_or_default(),
        description: f.description.unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    audit::write_tx(conn, |c| {
        clusters::insert(c, &row)?;
        audit::append(
            c,
            Entry::new(user, "cluster.create", "cluster", row.id)
                .cluster(row.id)
                .after(&audited(&row)),
        )?;
        Ok(row.clone())
    })
}

/// Changes a cluster the caller may update; 404 outside its scope.
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ClusterId,
    patch: &Patch,
) -> Result<ClusterRow, AppError> {
    policy::require(
        &user.actor,
        Action::Update,
        &Resource::new(Kind::Cluster, Tenancy::Cluster(id)),
    )?;
    let p = patch.checked()?;
    let changes = ClusterChanges {
        name: p.name,
        region: p.region,
        description: p.description,
        updated_at: Some(crate::db::now()),
    };
    audit::write_tx(conn, |c| {
        let before = clusters::find(c, id)?;
        clusters::update(c, id, &changes)?;
        let after = clusters::find(c, id)?;
        audit::append(
            c,
            Entry::new(user, "cluster.update", "cluster", id)
                .cluster(id)
                .before(&audited(&before))
                .after(&audited(&after)),
        )?;
        Ok(after)
    })
}
