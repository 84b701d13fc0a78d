//! The login form, session renewal and logout. Logging in runs the API's login (same
//! throttling, same answers) and keeps the tokens in the page session's cookies; renewal
//! trades the refresh token for a new pair, as `POST /api/v1/auth/refresh` does.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::form_nonce;
use super::html::{escape, page, respond, Lang, LangQuery};
use super::next::local_page;
use super::origin::{self, Said};
use super::session;
use crate::auth::login as login_flow;
use crate::auth::throttle::client_address;
use crate::error::AppError;
use crate::state::{blocking, db_call, State};

#[derive(Deserialize)]
pub struct FormQuery {
    lang: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    lang: String,
    /// The form's token, for a browser that sends neither `Origin` nor `Referer`.
    #[serde(default)]
    csrf: String,
}

/// The cookie that holds the login form's nonce, sent only to `/login`.
const NONCE_COOKIE: &str = "dcmm_login";

/// The login form's nonce: the one of the request's cookie, or a new one.
fn nonce(req: &HttpRequest) -> Result<String, AppError> {
    form_nonce::presented(req, NONCE_COOKIE).map_or_else(form_nonce::new, Ok)
}

/// Whether a form post came from the service's own login form or page frame: the browser's
/// `Origin` (or `Referer`) names this service, or, when it names nothing, the form carries
/// the token of its nonce cookie. A post from another site is refused whatever it carries.
fn from_own_form(state: &State, req: &HttpRequest, token: Option<&str>) -> bool {
    match origin::said(req, state.settings.public_url.as_ref()) {
        Said::Same => true,
        Said::Other => false,
        Said::Nothing => token.is_some_and(|token| {
            crate::auth::extractor::cookie(req, NONCE_COOKIE)
                .is_some_and(|n| state.issuer.keys.form_token_valid(&n, token))
        }),
    }
}

/// The login page with its nonce cookie.
fn respond_form(
    state: &State,
    req: &HttpRequest,
    status: StatusCode,
    view: View<'_>,
) -> HttpResponse {
    let issued = nonce(req).and_then(|n| Ok((state.issuer.keys.form_token(&n)?, n)));
    let (token, nonce) = match issued {
        Ok(issued) => issued,
        Err(e) => return super::html::error_page(view.lang, &e, "/login"),
    };
    let mut response = respond(status, render(&view, &token));
    let cookie = form_nonce::set_cookie(req, NONCE_COOKIE, "/login", &nonce);
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// What the login form shows.
struct View<'a> {
    lang: Lang,
    next: &'a str,
    username: &'a str,
    error: Option<&'a str>,
}

/// Only a page of this service is followed after login, never another host.
fn next_or_home(next: &str, lang: Lang) -> String {
    match local_page(next) {
        Some(page) => page.to_owned(),
        None => lang.link("/campaigns"),
    }
}

fn render(view: &View<'_>, token: &str) -> String {
    let View {
        lang,
        next,
        username,
        error,
    } = *view;
    let error = error
        .map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    let lang_value = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let body = format!(
        r#"<section class="card login">
<h1>{title}</h1>
{error}
<form method="post" action="/login" id="login">
<label>{user_label}<input name="username" id="username" autocomplete="username" required value="{username}"></label>
<label>{password_label}<input name="password" id="password" type="password" autocomplete="current-password" required></label>
<input type="hidden" name="next" value="{next}">
<input type="hidden" name="lang" value="{lang_value}">
<input type="hidden" name="csrf" value="{token}">
<button type="submit" id="submit">{submit}</button>
</form>
<p class="note"><a href="{verify_link}" id="verify-link">{verify}</a></p>
</section>"#,
        title = lang.t("登录", "Log in"),
        user_label = lang.t("用户名", "Username"),
        password_label = lang.t("密码", "Password"),
        submit = lang.t("登录", "Log in"),
        verify_link = lang.link("/verify"),
        verify = lang.t(
            "核验报告：无需登录，查看一份报告是否由本服务签发",
            "Verify a report: check without logging in whether this service issued it",
        ),
        username = escape(username),
        next = escape(next),
        token = escape(token),
    );
    page(lang, lang.t("登录", "Log in"), None, &body)
}

pub async fn form(state: State, req: HttpRequest, query: web::Query<FormQuery>) -> HttpResponse {
    let view = View {
        lang: Lang::of(query.lang.as_deref()),
        next: query.next.as_deref().and_then(local_page).unwrap_or(""),
        username: "",
        error: None,
    };
    respond_form(&state, &req, StatusCode::OK, view)
}

pub async fn submit(state: State, req: HttpRequest, form: web::Form<LoginForm>) -> HttpResponse {
    let LoginForm {
        username,
        password,
        next,
        lang,
        csrf,
    } = form.into_inner();
    let lang = Lang::of(Some(&lang));
    if !from_own_form(&state, &req, Some(&csrf)) {
        tracing::warn!(
            client = ?client_address(&req, state.settings.trust_forwarded_for),
            "login form posted from another site; refused"
        );
        return super::html::error_page(lang, &AppError::CsrfRejected, "/login");
    }
    let client = client_address(&req, state.settings.trust_forwarded_for);
    let who = username.clone();
    let result = blocking(&state, move |s| {
        login_flow::login(&s.pool, &s.issuer, &who, &password, client)
    })
    .await;
    match result {
        Ok(tokens) => with_cookies(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, next_or_home(&next, lang)))
                .insert_header((header::CACHE_CONTROL, "no-store")),
            session::start(&req, &tokens, state.issuer.refresh_ttl_secs),
        ),
        Err(e) => {
            let (status, message) = match e {
                AppError::TooManyRequests { .. } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    lang.t(
                        "登录失败次数过多，请稍后再试。",
                        "Too many failed logins; try again later.",
                    ),
                ),
                AppError::Unauthorized | AppError::Validation { .. } => (
                    StatusCode::UNAUTHORIZED,
                    lang.t("用户名或密码错误。", "Wrong username or password."),
                ),
                other => {
                    tracing::error!(error = %other, "page login failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        lang.t(
                            "服务出错，请稍后再试。",
                            "Something went wrong; try again later.",
                        ),
                    )
                }
            };
            let view = View {
                lang,
                next: local_page(&next).unwrap_or(""),
                username: &username,
                error: Some(message),
            };
            respond_form(&state, &req, status, view)
        }
    }
}

fn with_cookies(
    response: &mut actix_web::HttpResponseBuilder,
    cookies: [String; 2],
) -> HttpResponse {
    for c in cookies {
        response.append_header((header::SET_COOKIE, c));
    }
    response.finish()
}

#[derive(Deserialize)]
pub struct RenewQuery {
    next: Option<String>,
}

/// Renews the page session with its refresh token and goes back to `next`; a script that asks
/// for JSON gets 204 (or 401). Without a good refresh token the session's cookies are cleared
/// and the way leads to the login form.
pub async fn renew(state: State, req: HttpRequest, query: web::Query<RenewQuery>) -> HttpResponse {
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let next = query
        .next
        .as_deref()
        .and_then(local_page)
        .unwrap_or_default()
        .to_owned();
    let client = client_address(&req, state.settings.trust_forwarded_for);
    let renewed = match session::refresh_token(&req) {
        Some(presented) => {
            db_call(&state, move |s, conn| {
                s.issuer.refresh(conn, &presented, client)
            })
            .await
        }
        None => Err(AppError::Unauthorized),
    };
    match (renewed, wants_json) {
        (Ok(tokens), true) => with_cookies(
            &mut HttpResponse::NoContent(),
            session::start(&req, &tokens, state.issuer.refresh_ttl_secs),
        ),
        (Ok(tokens), false) => with_cookies(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, next_or_home(&next, Lang::Zh)))
                .insert_header((header::CACHE_CONTROL, "no-store")),
            session::start(&req, &tokens, state.issuer.refresh_ttl_secs),
        ),
        (Err(e), true) => {
            let mut response = actix_web::ResponseError::error_response(&e);
            for c in session::clear(&req) {
                if let Ok(value) = header::HeaderValue::from_str(&c) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        (Err(_), false) => with_cookies(
            HttpResponse::SeeOther()
                .insert_header((
                    header::LOCATION,
                    match next.as_str() {
                        "" => "/login".to_owned(),
                        next => format!("/login?next={}", super::html::encode(next)),
                    },
                ))
                .insert_header((header::CACHE_CONTROL, "no-store")),
            session::clear(&req),
        ),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// Ends the session behind the cookie, if any, and clears the cookies. The form must carry the
/// session's CSRF token and come from no other site, so another site cannot log the user out.
pub async fn logout(
    state: State,
    req: HttpRequest,
    query: web::Query<LangQuery>,
    form: web::Form<LogoutForm>,
) -> HttpResponse {
    let lang = Lang::of(query.lang.as_deref());
    // The session's CSRF token below covers a post without these headers.
    if origin::said(&req, state.settings.public_url.as_ref()) == Said::Other {
        return super::html::error_page(lang, &AppError::CsrfRejected, "/campaigns");
    }
    if let Ok(user) = session::user(&req, &state).await {
        if !state.issuer.keys.csrf_valid(user.session, &form.csrf) {
            return super::html::error_page(lang, &AppError::CsrfRejected, "/campaigns");
        }
        let client = client_address(&req, state.settings.trust_forwarded_for);
        let ended = db_call(&state, move |_, conn| {
            login_flow::logout(conn, &user, client)
        })
        .await;
        if let Err(e) = ended {
            tracing::warn!(error = %e, "ending a page session failed");
        }
    }
    with_cookies(
        HttpResponse::SeeOther().insert_header((header::LOCATION, lang.link("/login"))),
        session::clear(&req),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            next_or_home("/campaigns/x/dashboard", Lang::Zh),
            "/campaigns/x/dashboard"
        );
        assert_eq!(next_or_home("//evil.example", Lang::Zh), "/campaigns");
        assert_eq!(
            next_or_home("https://evil.example", Lang::En),
            "/campaigns?lang=en"
        );
        assert_eq!(next_or_home("", Lang::Zh), "/campaigns");
    }
}
