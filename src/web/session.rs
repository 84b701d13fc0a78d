//! The page session: the access token in an HttpOnly, SameSite=Strict cookie. The token is the
//! API's own, checked the same way (signature, expiry, live session, current user), so
//! logging out or disabling a user ends page sessions too.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use super::html::{error_page, here, Lang};

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::state::{authenticate, State};

pub const COOKIE: &str = "dcmm_session";

/// The token in the request's session cookie.
fn token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The logged-in user of a page request; [`AppError::Unauthorized`] without a live session.
pub async fn user(req: &HttpRequest, state: &State) -> Result<AuthUser, AppError> {
    let token = token(req).ok_or(AppError::Unauthorized)?;
    authenticate(state, token).await
}

/// The logged-in user of a page, with the page's language (`?lang=`, Chinese by default).
/// Without a live session the page answers with a redirect to the login form that comes
/// back here; any other failure is the HTML error page.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: AuthUser,
    pub lang: Lang,
}

/// Why a page could not be shown, rendered as the page's error (never the API's JSON).
#[derive(Debug)]
pub struct PageError {
    lang: Lang,
    back_to: String,
    error: AppError,
}

impl PageError {
    pub fn new(req: &HttpRequest, error: AppError) -> Self {
        Self {
            lang: page_lang(req),
            back_to: here(req),
            error,
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl actix_web::ResponseError for PageError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.error.status_code()
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        error_page(self.lang, &self.error, &self.back_to)
    }
}

/// The language a page asks for: `?lang=en`, else Chinese.
fn page_lang(req: &HttpRequest) -> Lang {
    let lang = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    Lang::of(lang.as_deref())
}

impl FromRequest for PageUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<State>().cloned().ok_or_else(|| {
                PageError::new(&req, anyhow::anyhow!("application state missing").into())
            })?;
            match user(&req, &state).await {
                Ok(user) => Ok(PageUser {
                    user,
                    lang: page_lang(&req),
                }),
                Err(e) => Err(PageError::new(&req, e)),
            }
        })
    }
}

/// The `Set-Cookie` value that starts a page session of `max_age` seconds.
pub fn start(req: &HttpRequest, token: &str, max_age: i64) -> String {
    format!(
        "{COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        secure(req)
    )
}

/// The `Set-Cookie` value that ends the page session.
pub fn clear(req: &HttpRequest) -> String {
    format!(
        "{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}",
        secure(req)
    )
}

/// Browsers drop Secure cookies set over plain HTTP, which the embedded default serves.
fn secure(req: &HttpRequest) -> &'static str {
    if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let req = TestRequest::default()
            .insert_header((header::COOKIE, "a=1; dcmm_session=tok.en; b=2"))
            .to_http_request();
        assert_eq!(token(&req).as_deref(), Some("tok.en"));
        let req = TestRequest::default()
            .insert_header((header::COOKIE, "dcmm_session="))
            .to_http_request();
        assert_eq!(token(&req), None);
    }

    #[test]
    fn the_cookie_is_http_only_and_strict() {
        let req = TestRequest::default().to_http_request();
        let c = start(&req, "t", 900);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Max-Age=900")
        );
        assert!(clear(&req).contains("Max-Age=0"));
    }
}
