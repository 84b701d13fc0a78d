//! The audit log, for admins (everything) and auditors (their clusters).

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::extract::Page;
use crate::auth::policy::{self, Action, Kind, Resource, Tenancy};
use crate::auth::AuthUser;
use crate::db::audit_log::{self as log, AuditRow, Filter, FilterText, Order, Scope};
use crate::error::{AppError, ErrorBody, FieldErrors};
use crate::state::{db_call, State};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// At most this many entries (1–500, default 100).
    pub limit: Option<String>,
    /// The `next` value of the previous page: the entries after that sequence number in the
    /// listing's order.
    pub after: Option<String>,
    /// `oldest` (the default: in the order written) or `newest` (the latest first).
    pub order: Option<String>,
    /// Only entries written by this user (its id).
    pub actor_id: Option<String>,
    /// Only entries of this action, e.g. `assessment.submit`.
    pub action: Option<String>,
    /// Only entries about this kind of entity, e.g. `assessment`, `enterprise`, `user`.
    pub subject_type: Option<String>,
    /// Only entries about the entity with this id.
    pub subject_id: Option<String>,
    /// Only entries about this cluster; a cluster outside the caller's scope is a 404.
    pub cluster_id: Option<String>,
    /// Only entries written from this day (`YYYY-MM-DD`, UTC) or instant
    /// (`YYYY-MM-DDTHH:MM:SS`, UTC unless an offset is given) on.
    pub from: Option<String>,
    /// Only entries written up to this day (inclusive) or instant.
    pub to: Option<String>,
}

/// A listing as asked: which entries, in which order, from where, how many.
struct Asked {
    filter: Filter,
    order: Order,
    after: Option<i64>,
    limit: i64,
}

impl AuditQuery {
    /// Every part parsed, each wrong one named.
    fn parse(&self) -> Result<Asked, AppError> {
        let filter = Filter::parse(&FilterText {
            actor_id: self.actor_id.as_deref(),
            action: self.action.as_deref(),
            subject_type: self.subject_type.as_deref(),
            subject_id: self.subject_id.as_deref(),
            cluster_id: self.cluster_id.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        });
        let mut fields = filter.as_ref().err().cloned().unwrap_or_default();
        let mut wrong = |field: &str, message: &str| {
            fields
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        };
        let limit = match self.limit.as_deref().map(str::parse::<i64>) {
            None => 100,
            Some(Ok(n)) if (1..=500).contains(&n) => n,
            Some(_) => {
                wrong("limit", "must be between 1 and 500");
                0
            }
        };
        let after = match self.after.as_deref().map(str::parse::<i64>) {
            None => None,
            Some(Ok(n)) if n >= 0 => Some(n),
            Some(_) => {
                wrong("after", "must be the next value of a previous page");
                None
            }
        };
        let order = match self.order.as_deref() {
            None | Some("oldest") => Order::Oldest,
            Some("newest") => Order::Newest,
            Some(_) => {
                wrong("order", "must be oldest or newest");
                Order::Oldest
            }
        };
        match filter {
            Ok(filter) if fields.is_empty() => Ok(Asked {
                filter,
                order,
                after,
                limit,
            }),
            _ => Err(invalid(fields)),
        }
    }
}

fn invalid(fields: FieldErrors) -> AppError {
    let message = match fields.keys().next() {
        Some(first) if fields.len() == 1 => format!("{first} is not valid"),
        _ => format!("{} fields are not valid", fields.len()),
    };
    AppError::Validation { message, fields }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub cluster_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            action: r.action,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            cluster_id: r.cluster_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Audit entries: every write, who made it, when, and what changed; filtered by who, action,
/// entity, cluster and time, oldest or newest first.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery), responses(
    (status = 200, description = "a page of entries", body = Page<AuditEntry>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only admins and auditors read the audit log", body = ErrorBody),
    (status = 404, description = "the cluster asked for is not in the caller's scope", body = ErrorBody),
    (status = 422, description = "a bad filter, order, cursor or limit, named in `fields`", body = ErrorBody),
))]
#[get("/audit-log")]
#[tracing::instrument(skip_all)]
pub async fn list_audit_log(
    state: State,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    policy::require(&user.actor, Action::List, &Resource::global(Kind::AuditLog))?;
    let asked = query.parse()?;
    let rows = db_call(&state, move |state, conn| {
        if let Some(cluster) = asked.filter.cluster {
            crate::db::clusters::find(conn, cluster)?;
            let of_cluster = Resource::new(Kind::AuditLog, Tenancy::Cluster(cluster));
            policy::require(&user.actor, Action::List, &of_cluster)?;
        }
        // The entries pending so far join the chain first, so the page shows every write.
        crate::audit::settle(conn, &state.audit_key)?;
        let scope = Scope::of(&user.actor);
        let (filter, order, after, limit) = (&asked.filter, asked.order, asked.after, asked.limit);
        Ok(log::page(conn, &scope, filter, order, after, limit)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, asked.limit, |r| r.seq.to_string()).map(AuditEntry::from)))
}
