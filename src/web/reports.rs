//! Report downloads for the pages' session: the same reports, records and audit entries as
//! `GET /api/v1/campaigns/{id}/report.pdf` and `GET /api/v1/assessments/{id}/report.pdf`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::html::{error_page, here, Lang, LangQuery};
use super::session;
use crate::api::reports::{
    issue, issue_for, parse_lang, pdf_response, prepare_assessment, prepare_campaign,
};
use crate::state::State;

/// The cluster readiness report of a campaign.
pub async fn campaign(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let page_lang = Lang::of(query.lang.as_deref());
    let result = async {
        let user = session::user(&req, &state).await?;
        issue_for(
            &state,
            user,
            path.into_inner(),
            query.lang.as_deref(),
            prepare_campaign,
        )
        .await
    }
    .await;
    match result {
        Ok(rendered) => pdf_response(rendered),
        Err(e) => error_page(page_lang, e, &here(&req)),
    }
}

/// The enterprise report of an enterprise's assessment in a campaign.
pub async fn enterprise(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let page_lang = Lang::of(query.lang.as_deref());
    let result = async {
        let lang = parse_lang(query.lang.as_deref())?;
        let user = session::user(&req, &state).await?;
        let (campaign, enterprise) = path.into_inner();
        issue(&state, user, move |s, conn, u| {
            let assessment = crate::db::assessments::id_in_campaign(conn, &campaign, &enterprise)?;
            prepare_assessment(s, conn, Some(u), &assessment, lang)
        })
        .await
    }
    .await;
    match result {
        Ok(rendered) => pdf_response(rendered),
        Err(e) => error_page(page_lang, e, &here(&req)),
    }
}
