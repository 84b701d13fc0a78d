//! The page session: the access token in an HttpOnly, SameSite=Strict cookie, and the refresh
//! token in another sent only to `/session/`. The token is the API's own, checked the same way
//! (signature, expiry, live session, current user), so logging out or disabling a user ends
//! page sessions too. When the access token has run out, a page goes through `/session/renew`
//! (one use of the refresh token) and comes back; the pages' scripts do the same on a 401.
//!
//! Every state-changing request made with the session carries the session's CSRF token: forms
//! in a hidden `csrf` field (checked by [`PageUser::check_csrf`]), scripts in `X-CSRF-Token`
//! (checked by the API's `AuthUser`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::html::{encode, error_page, here, Lang};

use crate::auth::extractor::{cookie, REFRESH_COOKIE, SESSION_COOKIE};
use crate::auth::session::Tokens;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::state::{authenticate, State};

/// The token in the request's session cookie.
fn token(req: &HttpRequest) -> Option<String> {
    cookie(req, SESSION_COOKIE)
}

/// The logged-in user of a page request; [`AppError::Unauthorized`] without a live session.
pub async fn user(req: &HttpRequest, state: &State) -> Result<AuthUser, AppError> {
    let token = token(req).ok_or(AppError::Unauthorized)?;
    authenticate(state, token).await
}

/// The logged-in user of a page, with the page's language (`?lang=`, else the account's) and
/// the session's CSRF token. Without a live session the page answers with a redirect that
/// renews the session or goes to the login form, and comes back here; any other failure is
/// the HTML error page.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: AuthUser,
    pub lang: Lang,
    /// Put in every form (`csrf`) and in the page for its scripts.
    pub csrf: String,
}

impl PageUser {
    /// A form posted with this session must carry its CSRF token; otherwise a 403.
    pub fn check_csrf(&self, state: &State, presented: &str) -> Result<(), AppError> {
        if state.issuer.keys.csrf_valid(self.user.session, presented) {
            Ok(())
        } else {
            Err(AppError::CsrfRejected)
        }
    }

    /// The hidden form field that carries the CSRF token.
    pub fn csrf_field(&self) -> String {
        format!(
            r#"<input type="hidden" name="csrf" value="{}">"#,
            super::html::escape(&self.csrf)
        )
    }
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
            lang: page_lang(req).unwrap_or_default(),
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
        // The refresh cookie goes only to /session/, so a page cannot tell whether there is
        // one: without a live access token the way is through renewal, which leads on to the
        // login form when it cannot renew.
        if matches!(self.error, AppError::Unauthorized) {
            return super::see_other(&format!("/session/renew?next={}", encode(&self.back_to)));
        }
        // A password someone else set is changed before any other page opens.
        if matches!(self.error, AppError::PasswordChangeRequired) {
            return super::see_other(&self.lang.link("/account"));
        }
        error_page(self.lang, &self.error, &self.back_to)
    }
}

/// The language a page asks for with `?lang=`, if it does.
fn page_lang(req: &HttpRequest) -> Option<Lang> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| Lang::of(Some(&v)))
}

/// The pages an account that must change its password may open: the account page with the
/// password form, and the change itself.
const PASSWORD_PAGES: &[&str] = &["/account", "/account/password"];

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
                Ok(user) if user.must_change_password && !PASSWORD_PAGES.contains(&req.path()) => {
                    Err(PageError::new(&req, AppError::PasswordChangeRequired))
                }
                Ok(user) => {
                    let csrf = state
                        .issuer
                        .keys
                        .csrf_token(user.session)
                        .map_err(|e| PageError::new(&req, e.into()))?;
                    Ok(PageUser {
                        lang: page_lang(&req).unwrap_or(user.language),
                        user,
                        csrf,
                    })
                }
                Err(e) => Err(PageError::new(&req, e)),
            }
        })
    }
}

/// The `Set-Cookie` values that start (or renew) a page session with `tokens`; the refresh
/// token lives as long as the issuer lets it.
pub fn start(req: &HttpRequest, tokens: &Tokens, refresh_max_age: i64) -> [String; 2] {
    let secure = secure(req);
    [
        format!(
            "{SESSION_COOKIE}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
            tokens.access_token, tokens.expires_in
        ),
        format!(
            "{REFRESH_COOKIE}={}; Path=/session/; Max-Age={refresh_max_age}; HttpOnly; SameSite=Strict{secure}",
            tokens.refresh_token
        ),
    ]
}

/// The `Set-Cookie` values that end the page session.
pub fn clear(req: &HttpRequest) -> [String; 2] {
    let secure = secure(req);
    [
        format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
        format!("{REFRESH_COOKIE}=; Path=/session/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    ]
}

/// The refresh token of the request's page session.
pub fn refresh_token(req: &HttpRequest) -> Option<String> {
    cookie(req, REFRESH_COOKIE)
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
    use actix_web::http::header;
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
    fn the_cookies_are_http_only_and_strict() {
        let req = TestRequest::default().to_http_request();
        let tokens = Tokens {
            access_token: "a".into(),
            expires_in: 900,
            refresh_token: "r".into(),
            session: crate::ids::SessionId::new(),
        };
        let [access, refresh] = start(&req, &tokens, 3600);
        assert!(access.starts_with("dcmm_session=a;") && access.contains("Max-Age=900"));
        assert!(refresh.starts_with("dcmm_refresh=r;") && refresh.contains("Path=/session/"));
        for c in [&access, &refresh] {
            assert!(
                c.contains("HttpOnly") && c.contains("SameSite=Strict"),
                "{c}"
            );
        }
        assert!(clear(&req).iter().all(|c| c.contains("Max-Age=0")));
    }
}
