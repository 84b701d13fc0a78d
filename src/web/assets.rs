//! The pages' stylesheet and script, built into the binary.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::error::AppError;

const FILES: [(&str, &str, &str); 7] = [
    (
        "chase.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/chase.js"),
    ),
    (
        "dcmm.css",
        "text/css; charset=utf-8",
        include_str!("assets/dcmm.css"),
    ),
    (
        "dcmm.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/dcmm.js"),
    ),
    (
        "profile.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/profile.js"),
    ),
    (
        "questionnaire.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/questionnaire.js"),
    ),
    (
        "review.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/review.js"),
    ),
    (
        "verify.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/verify.js"),
    ),
];

pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(n, _, _)| *n == name.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn the_assets_load_nothing_from_elsewhere() {
        for (name, _, body) in FILES {
            assert!(
                !body.contains("http://") && !body.contains("https://"),
                "{name}"
            );
            assert!(
                !body.contains("@import") && !body.contains("url("),
                "{name}"
            );
        }
    }
}
