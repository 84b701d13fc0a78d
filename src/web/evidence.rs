//! Evidence files for the pages' session: the same file, checks and headers as
//! `GET /api/v1/evidence/{id}/download`, so a plain link on the questionnaire page downloads;
//! and images and PDFs to look at in a tab of their own.

use actix_web::{web, HttpRequest, HttpResponse};

use super::session::{PageError, PageUser};
use crate::error::AppError;
use crate::evidence::{download, EvidenceStore};
use crate::ids::EvidenceId;
use crate::state::{db_call, State};

pub async fn download(
    state: State,
    req: HttpRequest,
    page: PageUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    Ok(read(state, &req, page, &path).await?.into_response())
}

/// An image or PDF shown in its own tab (anything else downloads), with the same checks.
pub async fn view(
    state: State,
    req: HttpRequest,
    page: PageUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    Ok(read(state, &req, page, &path).await?.into_view())
}

async fn read(
    state: State,
    req: &HttpRequest,
    page: PageUser,
    path: &str,
) -> Result<crate::evidence::download::EvidenceFile, PageError> {
    let id = path
        .parse::<EvidenceId>()
        .map_err(|_| PageError::new(req, AppError::NotFound))?;
    let actor = page.user.actor;
    db_call(&state, move |s, conn| {
        download::read(conn, &EvidenceStore::new(&s.settings.data_dir), &actor, id)
    })
    .await
    .map_err(|e| PageError::new(req, e))
}
