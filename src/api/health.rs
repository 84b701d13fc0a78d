//! Liveness and readiness.

use std::time::Duration;

use actix_web::{get, HttpResponse};
use serde::Serialize;

use crate::error::AppError;
use crate::state::{blocking, State};

#[derive(Serialize, utoipa::ToSchema)]
struct Health {
    status: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Ready {
    status: &'static str,
    database: &'static str,
}

/// The process is up and answering.
#[utoipa::path(tag = "health", responses((status = 200, description = "the process answers", body = Health)))]
#[get("/healthz")]
#[tracing::instrument(skip_all)]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers a query; 503 while it does not.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "the database answers", body = Ready),
    (status = 503, description = "the database does not answer", body = crate::error::ErrorBody),
))]
#[get("/readyz")]
#[tracing::instrument(skip_all)]
pub async fn readyz(state: State) -> Result<HttpResponse, AppError> {
    let database = state.settings.database.backend_name();
    blocking(&state, |s| {
        crate::db::ping(&s.pool, Duration::from_secs(2)).map_err(AppError::Unavailable)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Ready {
        status: "ready",
        database,
    }))
}
