//! The login form and logout. Logging in runs the API's login (same throttling, same answers)
//! and keeps the access token in the page session cookie.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{escape, page, respond, Lang, LangQuery};
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
}

/// Only a path on this service is followed after login, never another host.
fn next_or_home(next: &str, lang: Lang) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        lang.link("/campaigns")
    }
}

fn render(lang: Lang, next: &str, username: &str, error: Option<&str>) -> String {
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
<button type="submit" id="submit">{submit}</button>
</form>
</section>"#,
        title = lang.t("登录", "Log in"),
        user_label = lang.t("用户名", "Username"),
        password_label = lang.t("密码", "Password"),
        submit = lang.t("登录", "Log in"),
        username = escape(username),
        next = escape(next),
    );
    page(lang, lang.t("登录", "Log in"), None, &body)
}

pub async fn form(query: web::Query<FormQuery>) -> HttpResponse {
    let lang = Lang::of(query.lang.as_deref());
    let next = query.next.as_deref().unwrap_or("");
    respond(StatusCode::OK, render(lang, next, "", None))
}

pub async fn submit(state: State, req: HttpRequest, form: web::Form<LoginForm>) -> HttpResponse {
    let LoginForm {
        username,
        password,
        next,
        lang,
    } = form.into_inner();
    let lang = Lang::of(Some(&lang));
    let client = client_address(&req, state.settings.trust_forwarded_for);
    let who = username.clone();
    let result = blocking(&state, move |s| {
        login_flow::login(&s.pool, &s.issuer, &who, &password, client)
    })
    .await;
    match result {
        Ok(tokens) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, next_or_home(&next, lang)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((
                header::SET_COOKIE,
                session::start(&req, &tokens.access_token, tokens.expires_in),
            ))
            .finish(),
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
            respond(status, render(lang, &next, &username, Some(message)))
        }
    }
}

/// Ends the session behind the cookie, if any, and clears the cookie.
pub async fn logout(state: State, req: HttpRequest, query: web::Query<LangQuery>) -> HttpResponse {
    if let Ok(user) = session::user(&req, &state).await {
        let ended = db_call(&state, move |_, conn| {
            crate::auth::session::end(conn, user.session)
        })
        .await;
        if let Err(e) = ended {
            tracing::warn!(error = %e, "ending a page session failed");
        }
    }
    let lang = Lang::of(query.lang.as_deref());
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, lang.link("/login")))
        .insert_header((header::SET_COOKIE, session::clear(&req)))
        .finish()
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
