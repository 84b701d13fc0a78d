//! Report downloads for the pages' session: the same reports, records and audit entries as
//! `GET /api/v1/campaigns/{id}/report.pdf` and `GET /api/v1/assessments/{id}/report.pdf`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::html::{Lang, LangQuery};
use super::session::{PageError, PageUser};
use crate::error::AppError;
use crate::ids::{CampaignId, EnterpriseId};
use crate::report::issue::{issue, prepare_assessment, prepare_campaign};
use crate::state::State;

/// The cluster readiness report of a campaign.
pub async fn campaign(
    state: State,
    req: HttpRequest,
    page: PageUser,
    path: web::Path<CampaignId>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = report_lang(&query, page.user.language).map_err(fail)?;
    let id = path.into_inner();
    let rendered = issue(&state, page.user, move |s, conn, u| {
        prepare_campaign(s, conn, Some(u), id, lang)
    })
    .await
    .map_err(fail)?;
    Ok(rendered.into_response())
}

/// The enterprise report of an assessment (the results page's download).
pub async fn assessment(
    state: State,
    req: HttpRequest,
    page: PageUser,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = report_lang(&query, page.user.language).map_err(fail)?;
    let id = super::submit::assessment_id(&path).map_err(fail)?;
    let rendered = issue(&state, page.user, move |s, conn, u| {
        prepare_assessment(s, conn, Some(u), id, lang)
    })
    .await
    .map_err(fail)?;
    Ok(rendered.into_response())
}

/// The enterprise report of an enterprise's assessment in a campaign.
pub async fn enterprise(
    state: State,
    req: HttpRequest,
    page: PageUser,
    path: web::Path<(CampaignId, EnterpriseId)>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = report_lang(&query, page.user.language).map_err(fail)?;
    let (campaign, enterprise) = path.into_inner();
    let rendered = issue(&state, page.user, move |s, conn, u| {
        let id = crate::db::assessments::id_in_campaign(conn, campaign, enterprise)?;
        prepare_assessment(s, conn, Some(u), id, lang)
    })
    .await
    .map_err(fail)?;
    Ok(rendered.into_response())
}

/// The report's language: `?lang=`, else the account's. Unlike a page's, an unknown value is
/// refused (a 422 naming `lang`).
fn report_lang(query: &LangQuery, account: Lang) -> Result<Lang, AppError> {
    match query.lang.as_deref() {
        None => Ok(account),
        Some(raw) => raw
            .parse()
            .map_err(|e: crate::questionnaire::model::UnknownLang| {
                AppError::field("lang", e.to_string())
            }),
    }
}
