//! A campaign's results as CSV and XLSX downloads, one row per enterprise as sharing allows.

use actix_web::{get, web, HttpResponse};

use super::types::FileBytes;
use crate::auth::AuthUser;
use crate::campaign::download::{download, FileType};
use crate::error::{AppError, ErrorBody};
use crate::ids::CampaignId;
use crate::state::State;

/// The campaign's results as CSV (UTF-8 with a byte-order mark, so Excel reads Chinese text):
/// one row per enterprise with status, verified overall score and level, verified domain
/// scores, the self-assessed overall score and the bias. A cluster manager gets the
/// enterprises that share `full` or `scores`; those sharing only anonymous statistics are
/// left out. Text cells that begin like a formula are prefixed with `'`.
#[utoipa::path(tag = "dashboard", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), responses(
    (status = 200, description = "the CSV file, as an attachment named after the campaign", content_type = "text/csv", body = String),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "enterprise users do not get the cluster's results", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
))]
#[get("/campaigns/{id}/export.csv")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn export_csv(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    download(state, user, path.into_inner(), FileType::Csv).await
}

/// The campaign's results as an Excel workbook: sheet "企业 Enterprises" with the rows of the
/// CSV export (scores as numbers), "能力项 Items" with one row per enterprise and capability
/// item, and "说明 About" naming the campaign, the questionnaire version, the scoring policy
/// and the time the file was made.
#[utoipa::path(tag = "dashboard", security(("bearer" = [])),
    params(("id" = CampaignId, Path, description = "the campaign")), responses(
    (status = 200, description = "the XLSX file, as an attachment named after the campaign", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = FileBytes),
    (status = 401, description = "not logged in", body = ErrorBody),
    (status = 403, description = "enterprise users do not get the cluster's results", body = ErrorBody),
    (status = 404, description = "no such campaign in the caller's scope", body = ErrorBody),
))]
#[get("/campaigns/{id}/export.xlsx")]
#[tracing::instrument(skip_all, fields(campaign = %path))]
pub async fn export_xlsx(
    state: State,
    user: AuthUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    download(state, user, path.into_inner(), FileType::Xlsx).await
}
