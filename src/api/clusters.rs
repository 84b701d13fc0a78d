//! Clusters: create (admin), list, read, change.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use crate::auth::policy::{self, Action, Kind, Resource, Tenancy};
use crate::auth::AuthUser;
use crate::cluster;
use crate::db::clusters::{self, ClusterRow};
use crate::error::{AppError, ErrorBody};
use crate::ids::ClusterId;
use crate::state::{db_call, State};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterResponse {
    pub id: ClusterId,
    pub name: String,
    pub region: String,
    pub description: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

impl From<ClusterRow> for ClusterResponse {
    fn from(r: ClusterRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            region: r.region,
            description: r.description,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCluster {
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    #[schema(example = "福州软件园数字产业集群")]
    pub name: String,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[schema(max_length = 100)]
    #[serde(default)]
    pub region: String,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCluster {
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

fn resource(id: ClusterId) -> Resource {
    Resource::new(Kind::Cluster, Tenancy::Cluster(id))
}

/// Creates a cluster (admins).
#[utoipa::path(tag = "clusters", security(("bearer" = [])), request_body = CreateCluster, responses(
    (status = 201, description = "created", body = ClusterResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only admins create clusters", body = ErrorBody),
    (status = 422, description = "a field is invalid", body = ErrorBody),
))]
#[post("/clusters")]
#[tracing::instrument(skip_all)]
pub async fn create_cluster(
    state: State,
    user: AuthUser,
    body: Valid<CreateCluster>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let fields = cluster::Patch {
        name: Some(b.name),
        region: Some(b.region),
        description: Some(b.description),
    };
    let row = db_call(&state, move |_, conn| cluster::create(conn, &user, &fields)).await?;
    Ok(HttpResponse::Created().json(ClusterResponse::from(row)))
}

/// The clusters the caller may see.
#[utoipa::path(tag = "clusters", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, description = "a page of clusters", body = Page<ClusterResponse>),
    (status = 401, description = "not logged in", body = ErrorBody),
))]
#[get("/clusters")]
#[tracing::instrument(skip_all)]
pub async fn list_clusters(
    state: State,
    user: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    policy::require(&user.actor, Action::List, &Resource::global(Kind::Cluster))?;
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        Ok(clusters::list(
            conn,
            &user.actor,
            page.after.as_deref(),
            limit,
        )?)
    })
    .await?;
    let page = Page::from_rows(rows, limit, |r| r.id.to_string()).map(ClusterResponse::from);
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(tag = "clusters", security(("bearer" = [])),
    params(("id" = ClusterId, Path, description = "the cluster")), responses(
    (status = 200, description = "the cluster", body = ClusterResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
))]
#[get("/clusters/{id}")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn get_cluster(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    policy::require(&user.actor, Action::Read, &resource(id))?;
    let row = db_call(&state, move |_, conn| Ok(clusters::find(conn, id)?)).await?;
    Ok(HttpResponse::Ok().json(ClusterResponse::from(row)))
}

/// Changes a cluster's name, region or description (admins); absent fields stay.
#[utoipa::path(tag = "clusters", security(("bearer" = [])),
    params(("id" = ClusterId, Path, description = "the cluster")), request_body = UpdateCluster, responses(
    (status = 200, description = "the changed cluster", body = ClusterResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "only admins change clusters", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
    (status = 422, description = "a field is invalid", body = ErrorBody),
))]
#[patch("/clusters/{id}")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn update_cluster(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    body: Valid<UpdateCluster>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let b = body.0;
    let patch = cluster::Patch {
        name: b.name,
        region: b.region,
        description: b.description,
    };
    let row = db_call(&state, move |_, conn| {
        cluster::update(conn, &user, id, &patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClusterResponse::from(row)))
}
