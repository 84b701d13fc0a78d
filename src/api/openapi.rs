//! The OpenAPI document: the handlers' own declarations, the bearer scheme, and the error
//! responses that come from the service's shared layers rather than from one handler.
//!
//! A JSON body goes through one extractor ([`super::extract::Valid`]), every query through one
//! `QueryConfig` (and headers such as `If-Match` through their own parsers), every protected operation through one `AuthUser` extractor and every database
//! call through one pool; the errors those give are the same for every operation that uses
//! them, so they are declared here, once, where a handler has not declared them itself with
//! its own wording. `tests/api/openapi_doc.rs` checks that every operation declares them.

use utoipa::openapi::path::{HttpMethod, Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa_actix_web::AppExt;

use crate::auth::extractor::allowed_before_password_change;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "dcmm",
        description = "DCMM (GB/T 36073) maturity assessment for industrial clusters. Every error \
                       answers {\"error\": code, \"message\": text, \"fields\": {field: [messages]}} \
                       (the codes are `ErrorCode`). A JSON body that is not JSON answers 400 \
                       `invalid_json`, one sent without `Content-Type: application/json` 415 \
                       `unsupported_media_type`, one past the size limit 413 \
                       `payload_too_large`. When the database cannot be reached an operation \
                       answers 503 `database_unavailable`, and a write when the data folder \
                       is full 507 `storage_full`; nothing was written then. Timestamps are \
                       RFC 3339 in UTC (`…Z`). \
                       Log in at /api/v1/auth/login and send the access token as \
                       `Authorization: Bearer <token>`."
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the protected operations name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of [`super::routes`].
pub fn openapi() -> OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .configure(super::routes)
        .split_for_parts();
    declare_shared_errors(&mut api);
    declare_download_types(&mut api);
    api
}

/// A download is served with the type its file was stored as: every kind evidence may be,
/// and `application/octet-stream` for a file of none.
fn declare_download_types(api: &mut OpenApi) {
    let Some(op) = api
        .paths
        .paths
        .get_mut("/api/v1/evidence/{id}/download")
        .and_then(|item| item.get.as_mut())
    else {
        return;
    };
    let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
        return;
    };
    let Some(bytes) = ok.content.get("application/octet-stream").cloned() else {
        return;
    };
    for kind in crate::evidence::FileKind::ALL {
        let media_type = kind.content_type();
        let media_type = media_type.split(';').next().unwrap_or(media_type);
        ok.content.insert(media_type.to_owned(), bytes.clone());
    }
}

/// Paths that answer without the database: the liveness probe only (`/readyz` declares its
/// own 503).
const WITHOUT_DATABASE: &[&str] = &["/healthz", "/readyz"];

fn declare_shared_errors(api: &mut OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        let operations = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Delete, &mut item.delete),
            (HttpMethod::Patch, &mut item.patch),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                declare(path, &method, operation);
            }
        }
    }
}

fn declare(path: &str, method: &HttpMethod, op: &mut Operation) {
    let body_types: Vec<String> = match &op.request_body {
        Some(RefOr::T(body)) => body.content.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let json = body_types.iter().any(|t| t == "application/json");
    let multipart = body_types.iter().any(|t| t == "multipart/form-data");
    if json || multipart {
        add(
            op,
            400,
            if multipart {
                "`invalid_multipart`: the multipart body cannot be read"
            } else {
                "`invalid_json`: the body is not JSON"
            },
        );
        add(
            op,
            415,
            "`unsupported_media_type`: the body is not sent with a type this operation takes",
        );
        add(
            op,
            422,
            "`validation_failed`: a field is missing or invalid (`fields` names it)",
        );
    }
    if !body_types.is_empty() {
        add(
            op,
            413,
            "`payload_too_large`: the body is over the size limit",
        );
        add(
            op,
            408,
            "`request_timeout`: the body did not arrive within the body deadline",
        );
    }
    // A path parameter that does not parse is a 404 (no such resource); a query or header
    // parameter that does not is a 422 naming it.
    let has_checked_parameter = op.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p)
            if matches!(p.parameter_in, ParameterIn::Query | ParameterIn::Header))
    });
    if has_checked_parameter {
        add(
            op,
            422,
            "`validation_failed`: a query or header parameter is invalid (`fields` names it)",
        );
    }
    let authenticated = op.security.as_ref().is_some_and(|s| !s.is_empty());
    if authenticated {
        add(
            op,
            401,
            "`unauthorized`: no valid access token (missing, expired, or its session ended)",
        );
        let method = actix_web::http::Method::from_bytes(method_name(method).as_bytes());
        if method.is_ok_and(|m| !allowed_before_password_change(&m, path)) {
            add(
                op,
                403,
                "`password_change_required`: the account must change its password first",
            );
        }
    }
    if !WITHOUT_DATABASE.contains(&path) {
        add(
            op,
            503,
            "`database_unavailable`: the database cannot be reached; nothing was written, try \
             again shortly",
        );
        if !matches!(method, HttpMethod::Get) {
            add(
                op,
                507,
                "`storage_full`: the data folder is full; nothing was written",
            );
        }
    }
}

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Trace => "TRACE",
    }
}

/// Declares `status` with the error body unless the handler declared it already.
fn add(op: &mut Operation, status: u16, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
                .into()
        });
}
