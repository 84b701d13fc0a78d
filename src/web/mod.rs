//! Server-rendered pages: the login form, the caller's campaigns and the cluster dashboard.
//!
//! A page session is the API's access token kept in an HttpOnly, SameSite=Strict cookie, set by
//! the login form; pages are not API operations and stay out of the OpenAPI document. Styles
//! and scripts are files built into the binary: the strict Content-Security-Policy allows no
//! inline ones, and nothing is loaded from another host.

mod assets;
mod dashboard;
mod home;
mod html;
mod login;
mod my_assessments;
mod reports;
mod results;
mod session;
mod submit;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

pub use html::Lang;

/// The routes of the pages, registered after the API and before the JSON 404.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(root))
        .route("/login", web::get().to(login::form))
        .route("/login", web::post().to(login::submit))
        .route("/logout", web::post().to(login::logout))
        .route("/session/renew", web::get().to(login::renew))
        .route("/campaigns", web::get().to(home::list))
        .route("/campaigns/{id}/dashboard", web::get().to(dashboard::show))
        .route(
            "/campaigns/{id}/report.pdf",
            web::get().to(reports::campaign),
        )
        .route(
            "/campaigns/{id}/enterprises/{enterprise}/report.pdf",
            web::get().to(reports::enterprise),
        )
        .route("/assessments/{id}/submit", web::get().to(submit::show))
        .route("/assessments/{id}/submit", web::post().to(submit::post))
        .route("/assessments/{id}/results", web::get().to(results::show))
        .route(
            "/assessments/{id}/report.pdf",
            web::get().to(reports::assessment),
        )
        .route("/static/{name}", web::get().to(assets::serve));
}

async fn root() -> HttpResponse {
    see_other("/login")
}

/// A 303 to `location` (a path on this service).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}
