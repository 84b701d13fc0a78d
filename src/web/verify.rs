//! The report check at `/verify`, for anyone holding a report, with or without an account:
//! choose or drop the PDF, or type the report id or SHA-256 printed on it, and read the
//! answer in plain words. The same service and throttle as `POST /api/v1/reports/verify`
//! ([`crate::report::verify`]); a report's QR code opens `/verify?id=<report id>`.
//!
//! The form works without scripts (a multipart POST); `verify.js` only adds dropping a file
//! anywhere on the page. Before login there is no session to tie a CSRF token to, so the form
//! carries an HMAC of a random nonce kept in a SameSite=Strict cookie of its own.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;

use super::form_nonce;
use super::html::{page_with, Lang};
use super::session::{self, PageUser};
use crate::auth::throttle::client_address;
use crate::error::AppError;
use crate::report::verify::{self as service, Asked, Outcome};
use crate::state::{db_call, db_write, State};

mod markup;

/// The cookie that holds the form's nonce, sent only to `/verify`.
const NONCE_COOKIE: &str = "dcmm_verify";
/// The most bytes the typed id or hash, or the token, may have.
const MAX_TEXT_BYTES: usize = 1024;

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    lang: Option<String>,
    /// A report id (or SHA-256) to check at once: what the cover's QR code opens.
    id: Option<String>,
}

/// Who is asking: the page session when there is one, the form's nonce and token.
struct Visitor {
    lang: Lang,
    user: Option<PageUser>,
    /// The nonce of the request's cookie, if it has one.
    presented_nonce: Option<String>,
    nonce: String,
    token: String,
}

impl Visitor {
    async fn of(req: &HttpRequest, state: &State, lang: Option<&str>) -> Result<Self, AppError> {
        let user = match session::user(req, state).await {
            Ok(user) => {
                let csrf = state.issuer.keys.csrf_token(user.session)?;
                let lang = lang.map_or(user.language, |l| Lang::of(Some(l)));
                Some(PageUser { user, lang, csrf })
            }
            Err(_) => None,
        };
        let lang = user.as_ref().map_or(Lang::of(lang), |u| u.lang);
        let presented_nonce = form_nonce::presented(req, NONCE_COOKIE);
        let nonce = match &presented_nonce {
            Some(n) => n.clone(),
            None => form_nonce::new()?,
        };
        let token = state.issuer.keys.form_token(&nonce)?;
        Ok(Self {
            lang,
            user,
            presented_nonce,
            nonce,
            token,
        })
    }

    /// The check is throttled per client address unless the visitor is logged in.
    async fn admit(&self, req: &HttpRequest, state: &State) -> Result<(), AppError> {
        if self.user.is_some() {
            return Ok(());
        }
        let client = client_address(req, state.settings.trust_forwarded_for);
        db_write(state, move |_, conn| service::admit(conn, client)).await
    }

    fn respond(
        &self,
        req: &HttpRequest,
        status: StatusCode,
        view: &markup::View<'_>,
    ) -> HttpResponse {
        let title = self.lang.t("核验报告", "Verify a report");
        let body = markup::body(self.lang, &self.token, view);
        let html = page_with(self.lang, title, self.user.as_ref(), &body, &["verify.js"]);
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((
                header::SET_COOKIE,
                form_nonce::set_cookie(req, NONCE_COOKIE, "/verify", &self.nonce),
            ))
            .body(html)
    }
}

/// `GET /verify`: the form, and the answer for `?id=` when given.
pub async fn show(state: State, req: HttpRequest, query: web::Query<VerifyQuery>) -> HttpResponse {
    let visitor = match Visitor::of(&req, &state, query.lang.as_deref()).await {
        Ok(v) => v,
        Err(e) => return super::html::error_page(Lang::of(query.lang.as_deref()), &e, "/verify"),
    };
    let typed = query.id.clone().unwrap_or_default();
    if typed.trim().is_empty() {
        return visitor.respond(&req, StatusCode::OK, &markup::View::default());
    }
    let result = match service::parse_typed(&typed) {
        Some(asked) => run(&state, &req, &visitor, asked).await,
        None => Err(AppError::field("id", "not a report id or SHA-256")),
    };
    answer(&req, &visitor, &typed, result)
}

/// `POST /verify` (multipart): `csrf`, and `file` or `query`.
pub async fn submit(
    state: State,
    req: HttpRequest,
    query: web::Query<VerifyQuery>,
    form: crate::multipart::Form,
) -> HttpResponse {
    let visitor = match Visitor::of(&req, &state, query.lang.as_deref()).await {
        Ok(v) => v,
        Err(e) => return super::html::error_page(Lang::of(query.lang.as_deref()), &e, "/verify"),
    };
    // Counted before the body is read: a flood of uploads is refused early.
    if let Err(e) = visitor.admit(&req, &state).await {
        return answer(&req, &visitor, "", Err(e));
    }
    let max = state.settings.max_evidence_bytes;
    let sent = match form.read(|parts| read(parts, max)).await {
        Ok(sent) => sent,
        Err(e) => return answer(&req, &visitor, "", Err(e)),
    };
    let genuine_form = visitor
        .presented_nonce
        .as_deref()
        .is_some_and(|n| state.issuer.keys.form_token_valid(n, &sent.csrf));
    if !genuine_form {
        return answer(&req, &visitor, &sent.query, Err(AppError::CsrfRejected));
    }
    let asked = match (sent.file, service::parse_typed(&sent.query)) {
        (Some(bytes), _) => Asked::File(bytes),
        (None, Some(asked)) => asked,
        (None, None) if sent.query.trim().is_empty() => {
            let e = AppError::field("file", "choose a PDF file or type a report id or SHA-256");
            return answer(&req, &visitor, "", Err(e));
        }
        (None, None) => {
            let e = AppError::field("query", "not a report id or SHA-256");
            return answer(&req, &visitor, &sent.query, Err(e));
        }
    };
    let result = db_call(&state, move |_, conn| service::check(conn, asked)).await;
    answer(&req, &visitor, &sent.query, result)
}

/// Throttles and checks.
async fn run(
    state: &State,
    req: &HttpRequest,
    visitor: &Visitor,
    asked: Asked,
) -> Result<Outcome, AppError> {
    visitor.admit(req, state).await?;
    db_call(state, move |_, conn| service::check(conn, asked)).await
}

/// The page with the outcome, or with what stopped the check.
fn answer(
    req: &HttpRequest,
    visitor: &Visitor,
    typed: &str,
    result: Result<Outcome, AppError>,
) -> HttpResponse {
    let lang = visitor.lang;
    match result {
        Ok(outcome) => {
            let view = markup::View {
                typed,
                outcome: Some(&outcome),
                problem: None,
            };
            visitor.respond(req, StatusCode::OK, &view)
        }
        Err(e) => {
            let (status, problem) = problem(lang, &e);
            let view = markup::View {
                typed,
                outcome: None,
                problem: Some(&problem),
            };
            visitor.respond(req, status, &view)
        }
    }
}

/// The status and the words for what stopped a check.
fn problem(lang: Lang, e: &AppError) -> (StatusCode, String) {
    let status = actix_web::ResponseError::status_code(e);
    let text = match e {
        AppError::TooManyRequests { retry_after_secs } => match lang {
            Lang::Zh => format!("此地址的核验次数过多，请 {retry_after_secs} 秒后再试。"),
            Lang::En => format!("Too many checks from this address; try again in {retry_after_secs} s."),
        },
        AppError::CsrfRejected => lang
            .t(
                "表单已过期或不是从本页面提交的，请在本页面重新提交。",
                "The form has expired or was not sent from this page; send it again from here.",
            )
            .to_owned(),
        AppError::PayloadTooLarge => lang
            .t("文件太大，不是本服务签发的报告。", "The file is too large to be a report of this service.")
            .to_owned(),
        AppError::Validation { fields, .. } if fields.contains_key("file") => lang
            .t(
                "请选择 PDF 文件，或输入报告编号或 SHA-256。",
                "Choose a PDF file, or type a report id or SHA-256.",
            )
            .to_owned(),
        AppError::Validation { .. } | AppError::BadRequest { .. } => lang
            .t(
                "无法识别：报告编号形如 DCMM-1A2B-3C4D-5E6F-7A8B，SHA-256 为 64 位十六进制数字。",
                "Not recognised: a report id looks like DCMM-1A2B-3C4D-5E6F-7A8B, a SHA-256 is 64 hex digits.",
            )
            .to_owned(),
        other => {
            tracing::error!(error = %other, "report check failed");
            lang.t("服务出错，请稍后再试。", "Something went wrong; try again later.")
                .to_owned()
        }
    };
    (status, text)
}

/// What the form sent.
#[derive(Default)]
struct Sent {
    csrf: String,
    query: String,
    /// The file's bytes; none when no file was chosen (browsers send an empty part).
    file: Option<Vec<u8>>,
}

async fn read(mut form: Multipart, max_file_bytes: usize) -> Result<Sent, AppError> {
    let mut sent = Sent::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest {
            code: crate::error::ErrorCode::BadBody,
            message: format!("the form could not be read: {e}"),
        })?;
        let name = field.name().unwrap_or_default().to_owned();
        let limit = if name == "file" {
            max_file_bytes
        } else {
            MAX_TEXT_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest {
                code: crate::error::ErrorCode::BadBody,
                message: format!("the form could not be read: {e}"),
            })?;
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    AppError::PayloadTooLarge
                } else {
                    AppError::field(name.as_str(), "is too long")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "file" if !bytes.is_empty() => sent.file = Some(bytes),
            "file" => {}
            "csrf" => sent.csrf = text(),
            "query" => sent.query = text(),
            // Anything else a browser adds is ignored.
            _ => {}
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests;
