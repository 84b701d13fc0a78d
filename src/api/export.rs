//! A campaign's results as CSV and XLSX downloads, one row per enterprise as sharing allows.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{get, web, HttpResponse};
use chrono::Utc;

use super::types::{attachment_as, FileBytes};
use crate::access;
use crate::auth::policy;
use crate::auth::AuthUser;
use crate::campaign::{load, Previous};
use crate::domain::sharing::{Detail, Sharing};
use crate::error::{AppError, ErrorBody};
use crate::export::{to_csv, to_xlsx, About, Audience, Table};
use crate::ids::CampaignId;
use crate::questionnaire::Questionnaire;
use crate::state::{blocking, db_call, State};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Everything a file is written from, loaded on a blocking thread.
struct Prepared {
    questionnaire: Arc<Questionnaire>,
    table: Table,
    about: About,
}

impl Prepared {
    /// The campaign's name as a file name (path separators and control characters replaced),
    /// and an ASCII stand-in for clients that ignore `filename*`.
    fn file_names(&self, extension: &str) -> (String, String) {
        let name: String = self
            .about
            .campaign_name
            .chars()
            .map(|c| match c {
                '/' | '\\' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let fallback = format!("dcmm-campaign-{}.{extension}", self.about.campaign_id);
        (format!("{name}.{extension}"), fallback)
    }
}

/// Loads the campaign if the caller may read its cluster report: admins, the cluster's
/// manager and its auditors.
async fn prepare(state: &State, user: AuthUser, id: CampaignId) -> Result<Prepared, AppError> {
    db_call(state, move |s, conn| {
        let campaign = access::campaign_report(conn, &user, id)?;
        let codes: HashMap<_, _> = crate::db::enterprises::credit_codes(conn, campaign.cluster_id)?
            .into_iter()
            .collect();
        let now = Utc::now();
        let loaded = load(s, conn, campaign, now.date_naive(), Previous::Skip)?;
        let audience = if policy::shown(&user.actor, Sharing::Anonymous, Detail::Scores) {
            Audience::Everything
        } else {
            Audience::AsShared
        };
        Ok(Prepared {
            table: Table::new(&loaded.enterprises, &codes, audience),
            about: About {
                campaign_id: loaded.campaign.id.to_string(),
                campaign_name: loaded.campaign.name,
                policy_version: s.settings.policy.version(),
                generated: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            },
            questionnaire: loaded.questionnaire,
        })
    })
    .await
}

#[derive(Debug, Clone, Copy)]
enum FileType {
    Csv,
    Xlsx,
}

impl FileType {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => XLSX,
        }
    }

    fn write(self, p: &Prepared) -> anyhow::Result<Vec<u8>> {
        Ok(match self {
            Self::Csv => to_csv(&p.questionnaire, &p.table)?,
            Self::Xlsx => to_xlsx(&p.questionnaire, &p.table, &p.about)?,
        })
    }
}

/// The file as an attachment named after the campaign, written on a blocking thread.
async fn download(
    state: State,
    user: AuthUser,
    id: CampaignId,
    file: FileType,
) -> Result<HttpResponse, AppError> {
    let p = prepare(&state, user, id).await?;
    let (name, fallback) = p.file_names(file.extension());
    let bytes = blocking(&state, move |_| file.write(&p).map_err(AppError::Internal)).await?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type())
        .insert_header(attachment_as(&name, fallback))
        .body(bytes))
}

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
