//! A form's nonce cookie, for forms a visitor posts before there is a session (login, report
//! verification): a random nonce kept in an HttpOnly, SameSite=Strict cookie sent only to the
//! form's path; the form carries an HMAC of it (`JwtKeys::form_token`), which another site can
//! neither read nor make.

use actix_web::HttpRequest;

use crate::auth::extractor::cookie;
use crate::error::AppError;

/// The well-formed nonce the request's cookie `name` holds, if any.
pub fn presented(req: &HttpRequest, name: &str) -> Option<String> {
    cookie(req, name).filter(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A new random nonce.
pub fn new() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("nonce: {e}"))?;
    Ok(hex::encode(bytes))
}

/// The `Set-Cookie` value that keeps `nonce` as cookie `name` for the form at `path`.
pub fn set_cookie(req: &HttpRequest, name: &str, path: &str, nonce: &str) -> String {
    let secure = if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={nonce}; Path={path}; HttpOnly; SameSite=Strict{secure}")
}
