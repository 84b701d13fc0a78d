//! The HTTP edge: routes, extractor configuration, error shaping, headers.

mod answers;
mod assessments;
mod audit_log;
pub mod auth;
pub mod campaigns;
mod clusters;
pub mod dashboard;
mod enterprises;
mod evidence;
mod export;
pub mod extract;
#[cfg(test)]
mod fuzz;
mod health;
mod me;
mod openapi;
mod profile;
mod questionnaires;
pub mod reports;
mod reviews;
mod types;
mod upload;
mod users;

pub use openapi::openapi;

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse};
use actix_web::{error, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{AppError, ErrorBody, ErrorCode};

/// Every documented route of the service. Handlers registered here with `.service(...)` are
/// collected into the OpenAPI document.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
                .route("/openapi.json", web::get().to(openapi_json))
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(me::me)
                .service(me::update_me)
                .service(me::change_password)
                .service(questionnaires::list_questionnaires)
                .service(questionnaires::get_questionnaire)
                .service(questionnaires::get_questionnaire_version)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::update_user)
                .service(users::reset_password)
                .service(users::list_logins)
                .service(clusters::create_cluster)
                .service(clusters::list_clusters)
                .service(clusters::get_cluster)
                .service(clusters::update_cluster)
                .service(enterprises::create_enterprise)
                .service(enterprises::import_enterprises)
                .service(enterprises::list_enterprises)
                .service(enterprises::get_enterprise)
                .service(enterprises::update_enterprise)
                .service(campaigns::create_campaign)
                .service(campaigns::list_campaigns)
                .service(campaigns::get_campaign)
                .service(campaigns::update_campaign)
                .service(campaigns::close_campaign)
                .service(assessments::list_assessments)
                .service(assessments::get_assessment)
                .service(assessments::submit_assessment)
                .service(answers::list_answers)
                .service(answers::put_answer)
                .service(answers::put_answers)
                .service(reviews::list_reviews)
                .service(reviews::get_review)
                .service(reviews::put_review_rating)
                .service(reviews::delete_review_rating)
                .service(reviews::draw_sample)
                .service(reviews::review_assessment)
                .service(reviews::get_score)
                .service(audit_log::list_audit_log)
                .service(dashboard::get_dashboard)
                .service(dashboard::get_benchmark)
                .service(export::export_csv)
                .service(export::export_xlsx)
                .service(profile::get_profile)
                .service(profile::put_profile)
                .service(evidence::upload_evidence)
                .service(evidence::list_evidence)
                .service(evidence::get_evidence)
                .service(evidence::download_evidence)
                .service(evidence::link_evidence)
                .service(reports::assessment_report)
                .service(reports::campaign_report)
                .service(reports::get_report)
                .service(reports::verify),
        );
}

/// Extractor settings, the OpenAPI document, the API reference page at `/docs/` (Swagger UI from
/// assets built into the binary) and the JSON 404 for everything else.
pub fn configure(cfg: &mut web::ServiceConfig, max_body_bytes: usize, doc: web::Data<String>) {
    cfg.app_data(json_config(max_body_bytes))
        .app_data(web::PayloadConfig::new(max_body_bytes))
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _| AppError::field("query", err.to_string()).into()),
        )
        .app_data(doc)
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
        )
        .default_service(web::to(not_found));
}

async fn openapi_json(doc: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.get_ref().clone())
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

/// Turns actix's JSON extractor errors into the service's error shape, naming the field where
/// serde names one.
pub fn json_error(err: error::JsonPayloadError) -> AppError {
    match err {
        error::JsonPayloadError::Overflow { .. }
        | error::JsonPayloadError::OverflowKnownLength { .. } => AppError::PayloadTooLarge,
        error::JsonPayloadError::ContentType => AppError::UnsupportedMediaType(
            "expected a JSON body with Content-Type: application/json".into(),
        ),
        error::JsonPayloadError::Deserialize(e) if e.is_data() => {
            let text = e.to_string();
            let field = text
                .split('`')
                .nth(1)
                .filter(|_| text.contains("field"))
                .unwrap_or("body")
                .to_owned();
            AppError::field(field, text)
        }
        other => AppError::BadRequest {
            code: ErrorCode::InvalidJson,
            message: format!("the body is not valid JSON: {other}"),
        },
    }
}

/// The API reference page needs inline styles; everything else gets the strict policy.
pub const DOCS_CSP: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Headers every response carries.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
}

/// Any error response that is not already the service's JSON or a page (a 405 from routing, a 413 from a
/// payload limit, a panic turned into a 500) is rewritten into it.
pub fn normalize_error<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // The service's JSON errors, and the web pages' own error pages, pass as they are.
    let is_shaped = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
        });
    if is_shaped {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let body = match status.as_u16() {
        404 => AppError::NotFound.body(),
        405 => ErrorBody::new(
            ErrorCode::MethodNotAllowed,
            "this method is not allowed here",
        ),
        413 => AppError::PayloadTooLarge.body(),
        s if s >= 500 => AppError::Internal(anyhow::anyhow!("{status}")).body(),
        _ => ErrorBody::new(
            ErrorCode::BadRequest,
            status.canonical_reason().unwrap_or("bad request"),
        ),
    };
    let (req, old) = res.into_parts();
    let mut response = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.append_header((name.clone(), value.clone()));
        }
    }
    response.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    ));
    let res = ServiceResponse::new(req, response.json(body)).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
