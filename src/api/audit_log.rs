//! The audit log, for admins (everything) and auditors (their clusters).

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::extract::Page;
use crate::audit::Record;
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::schema::audit_log;
use crate::domain::Actor;
use crate::error::{AppError, ErrorBody};
use crate::state::{db_call, State};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// At most this many entries (1–500, default 100).
    pub limit: Option<i64>,
    /// The `next` value of the previous page: entries after this sequence number.
    pub after: Option<i64>,
    /// Only entries about this cluster.
    pub cluster_id: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub cluster_id: Option<String>,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<Record> for AuditEntry {
    fn from(r: Record) -> Self {
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

/// Audit entries in order: every write, who made it, when, and what changed.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery), responses(
    (status = 200, description = "a page of entries", body = Page<AuditEntry>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only admins and auditors read the audit log", body = ErrorBody),
    (status = 422, description = "a bad limit", body = ErrorBody),
))]
#[get("/audit-log")]
#[tracing::instrument(skip_all)]
pub async fn list_audit_log(
    state: State,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    policy::require(&user.actor, Action::List, &Resource::global(Kind::AuditLog))?;
    let limit = match query.limit {
        None => 100,
        Some(n) if (1..=500).contains(&n) => n,
        Some(_) => return Err(AppError::field("limit", "must be between 1 and 500")),
    };
    let rows = db_call(&state, move |_, conn| {
        let mut q = audit_log::table
            .filter(audit_log::seq.gt(query.after.unwrap_or(0)))
            .order(audit_log::seq.asc())
            .limit(limit + 1)
            .select(Record::as_select())
            .into_boxed();
        if let Actor::Auditor { clusters } = &user.actor {
            let ids: Vec<String> = clusters.iter().map(ToString::to_string).collect();
            q = q.filter(audit_log::cluster_id.eq_any(ids));
        }
        if let Some(cluster) = &query.cluster_id {
            q = q.filter(audit_log::cluster_id.eq(cluster.clone()));
        }
        Ok(q.load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |r| r.seq.to_string()).map(AuditEntry::from)))
}
