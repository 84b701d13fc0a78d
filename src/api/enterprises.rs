//! Enterprises of a cluster: register one, import a CSV, list, read, change.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::extract::{Page, PageQuery, Valid};
use crate::access;
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::enterprises::{self, EnterpriseRow};
use crate::db::{clusters, refs};
use crate::domain::enterprise::{NewEnterprise, RawEnterprise, Size};
use crate::domain::sharing::Sharing;
use crate::enterprise::update::Update;
use crate::enterprise::{self, industries, RowOutcome};
use crate::error::{AppError, ErrorBody, FieldErrors};
use crate::ids::{ClusterId, EnterpriseId};
use crate::state::{db_call, State};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseResponse {
    pub id: EnterpriseId,
    pub cluster_id: ClusterId,
    pub name: String,
    /// The unified social credit code (统一社会信用代码).
    pub credit_code: String,
    pub industry: String,
    pub size: Size,
    pub region: String,
    /// What the cluster manager may see.
    pub sharing: Sharing,
    /// Whom to call about the enterprise; null when not given.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

/// The empty text (how an absent contact part is stored) as null.
fn given(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl From<EnterpriseRow> for EnterpriseResponse {
    fn from(r: EnterpriseRow) -> Self {
        Self {
            id: r.id,
            cluster_id: r.cluster_id,
            name: r.name,
            credit_code: r.credit_code,
            industry: r.industry,
            size: r.size,
            region: r.region,
            sharing: r.sharing,
            contact_name: given(r.contact_name),
            contact_phone: given(r.contact_phone),
            contact_email: given(r.contact_email),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// An enterprise to register. `industry` is a value (or label) of the profile's industry
/// list; `size` is micro, small, medium or large.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnterprise {
    #[schema(example = "福州某装备制造有限公司")]
    pub name: String,
    #[schema(example = "91350100M000100Y43")]
    pub credit_code: String,
    #[schema(example = "equipment")]
    pub industry: String,
    #[schema(example = "medium")]
    pub size: String,
    #[serde(default)]
    pub region: String,
    /// At most 100 characters.
    #[schema(example = "王经理")]
    pub contact_name: Option<String>,
    /// Digits, spaces, `+`, `-` and parentheses, 5 to 30 characters.
    #[schema(example = "0591-87654321")]
    pub contact_phone: Option<String>,
    /// An email address, at most 254 characters.
    #[schema(example = "wang@example.com")]
    pub contact_email: Option<String>,
}

/// Changes; absent fields stay. The enterprise itself sets `sharing`; its cluster manager
/// (or an admin) corrects the registration fields.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEnterprise {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[schema(max_length = 100)]
    pub region: Option<String>,
    /// full, scores or anonymous.
    pub sharing: Option<String>,
    /// The contact's parts, checked as at registration; an empty text clears one.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportRowResult {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// created, valid (a dry run's row that would be created) or rejected.
    pub status: &'static str,
    pub id: Option<EnterpriseId>,
    pub errors: FieldErrors,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    /// Rows registered; in a dry run, rows that would be.
    pub created: usize,
    pub rejected: usize,
    pub rows: Vec<ImportRowResult>,
}

impl From<Vec<RowOutcome>> for ImportResult {
    fn from(outcomes: Vec<RowOutcome>) -> Self {
        let rows: Vec<ImportRowResult> = outcomes
            .into_iter()
            .map(|o| match o.result {
                Ok(id) => ImportRowResult {
                    line: o.line,
                    status: if id.is_some() { "created" } else { "valid" },
                    id,
                    errors: FieldErrors::new(),
                },
                Err(errors) => ImportRowResult {
                    line: o.line,
                    status: "rejected",
                    id: None,
                    errors,
                },
            })
            .collect();
        let created = rows.iter().filter(|r| r.status != "rejected").count();
        Self {
            created,
            rejected: rows.len() - created,
            rows,
        }
    }
}

/// Registers an enterprise in the cluster; it gets a draft in every open campaign.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])),
    params(("id" = ClusterId, Path, description = "the cluster")), request_body = CreateEnterprise, responses(
    (status = 201, description = "registered", body = EnterpriseResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not register enterprises", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
    (status = 409, description = "`credit_code_taken`: the credit code is already registered (`fields.credit_code`); told to admins only: a cluster manager gets a 422 with `codes.credit_code: [\"not_available\"]`, wherever the code is registered", body = ErrorBody),
    (status = 422, description = "a field is invalid (the credit code's check character, an unknown industry…)", body = ErrorBody),
))]
#[post("/clusters/{id}/enterprises")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn create_enterprise(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    body: Valid<CreateEnterprise>,
) -> Result<HttpResponse, AppError> {
    let cluster = path.into_inner();
    access::in_cluster(&user, Action::Create, Kind::Enterprise, cluster)?;
    let b = body.0;
    let raw = RawEnterprise {
        name: b.name,
        credit_code: b.credit_code,
        industry: b.industry,
        size: b.size,
        region: b.region,
        contact_name: b.contact_name.unwrap_or_default(),
        contact_phone: b.contact_phone.unwrap_or_default(),
        contact_email: b.contact_email.unwrap_or_default(),
    };
    let parsed =
        NewEnterprise::parse(&raw, &industries(&state)).map_err(|fields| AppError::Validation {
            message: "the enterprise's fields are not valid".into(),
            fields,
        })?;
    let row = db_call(&state, move |_, conn| {
        clusters::find(conn, cluster)?;
        enterprise::register(conn, &user, cluster, parsed)
    })
    .await?;
    Ok(HttpResponse::Created().json(EnterpriseResponse::from(row)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check every row as the import would (fields, credit codes repeated in the file
    /// or already registered) and write nothing; valid rows answer `valid`.
    #[serde(default)]
    pub dry_run: bool,
}

/// Registers many enterprises from a CSV file (UTF-8, with or without BOM; columns name,
/// credit_code, industry, size, region, contact_name, contact_phone, contact_email, or 企业名称,
/// 统一社会信用代码, 行业, 规模, 地区, 联系人, 联系电话, 电子邮箱). Each row stands alone: a bad row
/// is reported with its line and rejects nothing else. With `dry_run=true` nothing is written.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])),
    params(("id" = ClusterId, Path, description = "the cluster"), ImportQuery), request_body(content = String, content_type = "text/csv"), responses(
    (status = 200, description = "what became of each row (or would, in a dry run)", body = ImportResult),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller's role may not register enterprises", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
    (status = 422, description = "the file has no usable header row", body = ErrorBody),
))]
#[post("/clusters/{id}/enterprises/import")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn import_enterprises(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let cluster = path.into_inner();
    access::in_cluster(&user, Action::Create, Kind::Enterprise, cluster)?;
    let industries = industries(&state);
    let mode = if query.dry_run {
        enterprise::Mode::DryRun
    } else {
        enterprise::Mode::Write
    };
    let outcomes = db_call(&state, move |_, conn| {
        enterprise::import_csv(conn, &user, cluster, &body, &industries, mode)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ImportResult::from(outcomes)))
}

/// The enterprises of a cluster.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])), params(("id" = ClusterId, Path, description = "the cluster"), PageQuery), responses(
    (status = 200, description = "a page of enterprises", body = Page<EnterpriseResponse>),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "enterprise users do not list their cluster", body = ErrorBody),
    (status = 404, description = "no such cluster in the caller's scope", body = ErrorBody),
))]
#[get("/clusters/{id}/enterprises")]
#[tracing::instrument(skip_all, fields(cluster = %path))]
pub async fn list_enterprises(
    state: State,
    user: AuthUser,
    path: web::Path<ClusterId>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let cluster = path.into_inner();
    access::in_cluster(&user, Action::List, Kind::Enterprise, cluster)?;
    let limit = page.limit()?;
    let rows = db_call(&state, move |_, conn| {
        clusters::find(conn, cluster)?;
        Ok(enterprises::list(
            conn,
            cluster,
            page.after.as_deref(),
            limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |r| r.id.to_string()).map(EnterpriseResponse::from)))
}

#[utoipa::path(tag = "enterprises", security(("bearer" = [])),
    params(("id" = EnterpriseId, Path, description = "the enterprise")), responses(
    (status = 200, description = "the enterprise", body = EnterpriseResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
))]
#[get("/enterprises/{id}")]
#[tracing::instrument(skip_all, fields(enterprise = %path))]
pub async fn get_enterprise(
    state: State,
    user: AuthUser,
    path: web::Path<EnterpriseId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = db_call(&state, move |_, conn| {
        let e = refs::enterprise(conn, id)?;
        policy::require(
            &user.actor,
            Action::Read,
            &Resource::new(Kind::Enterprise, e.tenancy()),
        )?;
        Ok(enterprises::find(conn, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EnterpriseResponse::from(row)))
}

/// Changes an enterprise. The enterprise sets its own `sharing`; its cluster manager corrects
/// the name, industry, size and region; admins may change both.
#[utoipa::path(tag = "enterprises", security(("bearer" = [])),
    params(("id" = EnterpriseId, Path, description = "the enterprise")), request_body = UpdateEnterprise, responses(
    (status = 200, description = "the changed enterprise", body = EnterpriseResponse),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "the caller may not change these fields", body = ErrorBody),
    (status = 404, description = "no such enterprise in the caller's scope", body = ErrorBody),
    (status = 422, description = "a field is invalid", body = ErrorBody),
))]
#[patch("/enterprises/{id}")]
pub async fn update_enterprise(
    state: State,
    user: AuthUser,
    path: web::Path<EnterpriseId>,
    body: Valid<UpdateEnterprise>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let industries = industries(&state);
    let body = body.0;
    let update = Update {
        name: body.name,
        industry: body.industry,
        size: body.size,
        region: body.region,
        sharing: body.sharing,
        contact_name: body.contact_name,
        contact_phone: body.contact_phone,
        contact_email: body.contact_email,
    };
    let row = db_call(&state, move |_, conn| {
        enterprise::update::update(conn, &user, id, update, &industries)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EnterpriseResponse::from(row)))
}
