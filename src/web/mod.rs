//! Server-rendered pages: the login form, the caller's campaigns, the cluster dashboard, an
//! assessment's questionnaire, and the enterprise's profile and sharing pages and everyone's
//! account page; and, for anyone without logging in, the report check at `/verify`.
//!
//! A page session is the API's access token kept in an HttpOnly, SameSite=Strict cookie, set by
//! the login form; pages are not API operations and stay out of the OpenAPI document. Styles
//! and scripts are files built into the binary: the strict Content-Security-Policy allows no
//! inline ones, and nothing is loaded from another host.

mod account;
mod assets;
mod audit_log;
mod campaigns;
#[cfg(test)]
mod check;
mod clusters;
mod dashboard;
mod enterprises;
mod evidence;
mod form_nonce;
mod home;
mod html;
mod login;
mod my_assessments;
mod next;
mod origin;
mod profile;
mod questionnaire;
mod reports;
mod results;
mod reviews;
mod session;
mod sharing;
mod submit;
// Identity: the accounts an admin or a cluster manager looks after.
mod users;
mod verify;

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
        .route("/campaigns/new", web::get().to(campaigns::new_form))
        .route("/campaigns/new", web::post().to(campaigns::open))
        .route("/campaigns/{id}", web::get().to(campaigns::show))
        .route(
            "/campaigns/{id}/due-date",
            web::post().to(campaigns::move_due_date),
        )
        .route(
            "/campaigns/{id}/close",
            web::get().to(campaigns::confirm_close),
        )
        .route("/campaigns/{id}/close", web::post().to(campaigns::close))
        .route("/campaigns/{id}/chase", web::get().to(campaigns::chase))
        .route(
            "/campaigns/{id}/chase.csv",
            web::get().to(campaigns::chase_csv),
        )
        .route(
            "/campaigns/{id}/export.{ext}",
            web::get().to(campaigns::export),
        )
        .route("/campaigns/{id}/dashboard", web::get().to(dashboard::show))
        .route(
            "/campaigns/{id}/report.pdf",
            web::get().to(reports::campaign),
        )
        .route(
            "/campaigns/{id}/enterprises/{enterprise}/report.pdf",
            web::get().to(reports::enterprise),
        )
        .route("/assessments/{id}", web::get().to(questionnaire::show))
        .route("/evidence/{id}/download", web::get().to(evidence::download))
        .route("/profile", web::get().to(profile::show))
        .route("/profile", web::post().to(profile::submit))
        .route("/sharing", web::get().to(sharing::show))
        .route("/sharing", web::post().to(sharing::submit))
        .route("/account", web::get().to(account::show))
        .route("/account", web::post().to(account::save_preferences))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .route("/assessments/{id}/submit", web::get().to(submit::show))
        .route("/assessments/{id}/submit", web::post().to(submit::post))
        .route("/assessments/{id}/results", web::get().to(results::show))
        .route("/reviews", web::get().to(reviews::show))
        .route(
            "/assessments/{id}/review",
            web::get().to(questionnaire::review),
        )
        .route(
            "/assessments/{id}/review/sample",
            web::post().to(questionnaire::draw_sample),
        )
        .route(
            "/assessments/{id}/review/decision",
            web::post().to(questionnaire::decide),
        )
        .route(
            "/assessments/{id}/review/accept",
            web::get().to(questionnaire::confirm),
        )
        .route("/evidence/{id}/view", web::get().to(evidence::view))
        .route(
            "/assessments/{id}/report.pdf",
            web::get().to(reports::assessment),
        )
        .route("/audit-log", web::get().to(audit_log::show))
        .route("/verify", web::get().to(verify::show))
        .route("/verify", web::post().to(verify::submit))
        .route("/static/{name}", web::get().to(assets::serve));
    enterprise_routes(cfg);
    user_routes(cfg);
    cluster_routes(cfg);
}

/// The admin's cluster pages; `/clusters/new` before `/clusters/{id}`.
fn cluster_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clusters", web::get().to(clusters::list))
        .route("/clusters/new", web::get().to(clusters::new))
        .route("/clusters/new", web::post().to(clusters::create))
        .route("/clusters/{id}", web::get().to(clusters::show))
        .route("/clusters/{id}", web::post().to(clusters::save))
        .route("/clusters/{id}/assign", web::post().to(clusters::assign));
}

/// The accounts an admin or a cluster manager looks after.
fn user_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(users::list))
        .route("/users", web::post().to(users::create))
        .route("/users/new", web::get().to(users::new))
        .route("/users/{id}", web::get().to(users::show))
        .route("/users/{id}", web::post().to(users::update))
        .route(
            "/users/{id}/password-reset",
            web::post().to(users::reset_password),
        );
}

/// The enterprise pages; the fixed paths before `/enterprises/{id}`.
fn enterprise_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/enterprises", web::get().to(enterprises::show))
        .route("/enterprises", web::post().to(enterprises::register))
        .route("/enterprises/new", web::get().to(enterprises::new))
        .route(
            "/enterprises/import/template.csv",
            web::get().to(enterprises::template),
        )
        .route(
            "/enterprises/import/preview",
            web::post().to(enterprises::preview),
        )
        .service(
            web::resource("/enterprises/import")
                .app_data(web::FormConfig::default().limit(enterprises::MAX_FORM_BYTES))
                .route(web::get().to(enterprises::upload))
                .route(web::post().to(enterprises::import)),
        )
        .route("/enterprises/{id}", web::get().to(enterprises::edit))
        .route("/enterprises/{id}", web::post().to(enterprises::save));
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
