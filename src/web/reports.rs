//! Report downloads for the pages' session: the same reports, records and audit entries as
//! `GET /api/v1/campaigns/{id}/report.pdf` and `GET /api/v1/assessments/{id}/report.pdf`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::html::{error_page, here, Lang, LangQuery};
use super::session;
use crate::error::AppError;
use crate::ids::{CampaignId, EnterpriseId};
use crate::report::issue::{issue, prepare_assessment, prepare_campaign};
use crate::state::State;

/// The cluster readiness report of a campaign.
pub async fn campaign(
    state: State,
    req: HttpRequest,
    path: web::Path<CampaignId>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let page_lang = Lang::of(query.lang.as_deref());
    let result = async {
        let lang = report_lang(&query)?;
        let user = session::user(&req, &state).await?;
        let id = path.into_inner();
        issue(&state, user, move |s, conn, u| {
            prepare_campaign(s, conn, Some(u), id, lang)
        })
        .await
    }
    .await;
    match result {
        Ok(rendered) => rendered.into_response(),
        Err(e) => error_page(page_lang, e, &here(&req)),
    }
}

/// The enterprise report of an enterprise's assessment in a campaign.
pub async fn enterprise(
    state: State,
    req: HttpRequest,
    path: web::Path<(CampaignId, EnterpriseId)>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let page_lang = Lang::of(query.lang.as_deref());
    let result = async {
        let lang = report_lang(&query)?;
        let user = session::user(&req, &state).await?;
        let (campaign, enterprise) = path.into_inner();
        issue(&state, user, move |s, conn, u| {
            let assessment = crate::db::assessments::id_in_campaign(
                conn,
                &campaign.to_string(),
                &enterprise.to_string(),
            )?;
            let id = assessment
                .parse()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("stored assessment id")))?;
            prepare_assessment(s, conn, Some(u), id, lang)
        })
        .await
    }
    .await;
    match result {
        Ok(rendered) => rendered.into_response(),
        Err(e) => error_page(page_lang, e, &here(&req)),
    }
}

/// The report's language: unlike a page's, an unknown value is refused (a 422 naming `lang`).
fn report_lang(query: &LangQuery) -> Result<crate::questionnaire::Lang, AppError> {
    match query.lang.as_deref() {
        None => Ok(Lang::Zh),
        Some(raw) => raw
            .parse()
            .map_err(|e: crate::questionnaire::model::UnknownLang| {
                AppError::field("lang", e.to_string())
            }),
    }
}
