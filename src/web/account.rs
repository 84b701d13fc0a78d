//! The account page (`/account`, every role): who the account is, its display name and the
//! language of its pages and reports (stored on the account, as `PATCH /api/v1/me` does), and
//! the password change (the service of `POST /api/v1/me/password`: same rules, same
//! throttling; every session ends, and this page's session continues with the new tokens).

pub(super) mod render;
#[cfg(test)]
mod tests;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use self::render::{body, weakness, Facts, PasswordForm, Preferences};
use super::html::{page, respond, Lang};
use super::session::{self, PageError, PageUser};
use crate::auth::account::DisplayName;
use crate::auth::login;
use crate::auth::manage::Patch;
use crate::auth::password::Password;
use crate::auth::session::Tokens;
use crate::auth::throttle::client_address;
use crate::db::{clusters, refs};
use crate::domain::Actor;
use crate::error::AppError;
use crate::state::{blocking, db_call, State};

/// The enterprise, cluster or clusters the account belongs to, by name.
async fn scope(state: &State, page_user: &PageUser) -> Result<String, AppError> {
    let (actor, lang) = (page_user.user.actor.clone(), page_user.lang);
    db_call(state, move |_, conn| {
        Ok(match &actor {
            Actor::Admin => lang.t("整个系统", "The whole installation").to_owned(),
            Actor::ClusterManager { cluster } => clusters::find(conn, *cluster)?.name,
            Actor::Enterprise { enterprise, .. } => refs::enterprise(conn, *enterprise)?.name,
            Actor::Auditor { clusters: ids } => {
                let mut names = Vec::new();
                for id in ids {
                    names.push(clusters::find(conn, *id)?.name);
                }
                names.join(lang.t("、", ", "))
            }
        })
    })
    .await
}

async fn facts(state: &State, page_user: &PageUser) -> Result<Facts, AppError> {
    let u = &page_user.user;
    Ok(Facts {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.actor.role(),
        scope: scope(state, page_user).await?,
        language: u.language,
    })
}

/// The page with these forms, answered with `status`.
async fn answer(
    state: &State,
    page_user: &PageUser,
    status: StatusCode,
    prefs: Preferences,
    pw: PasswordForm,
) -> Result<HttpResponse, AppError> {
    let lang = page_user.lang;
    let facts = facts(state, page_user).await?;
    let pw = PasswordForm {
        must_change: page_user.user.must_change_password,
        ..pw
    };
    let html = body(lang, page_user, &facts, &prefs, &pw);
    Ok(respond(
        status,
        page(lang, lang.t("账户", "Account"), Some(page_user), &html),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    password: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let prefs = Preferences {
        display_name: page_user.user.display_name.clone(),
        saved: query.saved.is_some(),
        ..Preferences::default()
    };
    let pw = PasswordForm {
        changed: query.password.as_deref() == Some("changed"),
        ..PasswordForm::default()
    };
    answer(&state, &page_user, StatusCode::OK, prefs, pw)
        .await
        .map_err(|e| PageError::new(&req, e))
}

#[derive(Debug, Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    language: String,
}

/// Saves the display name and language; the next page is in the language chosen.
pub async fn save_preferences(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<PreferencesForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let mut prefs = Preferences {
        display_name: form.display_name.clone(),
        ..Preferences::default()
    };
    let display_name = DisplayName::parse(&form.display_name)
        .map_err(|_| {
            prefs.errors.insert(
                "display_name",
                lang.t(
                    "请填写 1 至 100 个字符的显示名称（不含控制字符）。",
                    "Enter a display name of 1 to 100 characters (no control characters).",
                )
                .to_owned(),
            );
        })
        .ok();
    let language = Lang::parse(&form.language)
        .map_err(|_| {
            prefs.errors.insert(
                "language",
                lang.t("请选择中文或 English。", "Choose 中文 or English.")
                    .to_owned(),
            );
        })
        .ok();
    prefs.language = language;
    let (Some(display_name), Some(language)) = (display_name, language) else {
        return answer(
            &state,
            &page_user,
            StatusCode::UNPROCESSABLE_ENTITY,
            prefs,
            PasswordForm::default(),
        )
        .await
        .map_err(fail);
    };
    let patch = Patch {
        display_name: Some(display_name),
        language: Some(language),
        ..Patch::default()
    };
    let user = page_user.user.clone();
    db_call(&state, move |_, conn| {
        crate::me::update(conn, &user, &patch)
    })
    .await
    .map_err(fail)?;
    // No `lang` in the way back: the page follows the account's language now.
    Ok(super::see_other("/account?saved=1"))
}

#[derive(Debug, Deserialize)]
pub struct PasswordFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

/// What is wrong with the form before the service is asked, by field: the same password rules
/// as the service (it checks them again), and the repeat, which only the page has.
fn precheck(lang: Lang, username: &str, f: &PasswordFields) -> PasswordForm {
    let mut pw = PasswordForm::default();
    if f.current_password.is_empty() {
        pw.errors.insert(
            "current_password",
            lang.t("请输入当前密码。", "Enter your current password.")
                .into(),
        );
    }
    if let Err(w) = Password::check(&f.new_password, username) {
        pw.errors.insert("new_password", weakness(lang, w));
    } else if f.new_password == f.current_password {
        pw.errors.insert(
            "new_password",
            lang.t(
                "新密码不能与当前密码相同。",
                "Must differ from your current password.",
            )
            .into(),
        );
    }
    if f.repeat_password != f.new_password {
        pw.errors.insert(
            "repeat_password",
            lang.t(
                "两次输入的新密码不一致。",
                "Does not match the new password.",
            )
            .into(),
        );
    }
    pw
}

/// Changes the password; the session goes on with the fresh tokens the change answers.
pub async fn change_password(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<PasswordFields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let checked = precheck(lang, &page_user.user.username, &form);
    let (status, pw) = if checked.errors.is_empty() {
        let form = form.into_inner();
        let id = page_user.user.id;
        let client = client_address(&req, state.settings.trust_forwarded_for);
        let result = blocking(&state, move |s| {
            login::change_password(
                &s.pool,
                &s.issuer,
                id,
                &form.current_password,
                &form.new_password,
                client,
            )
        })
        .await;
        match result {
            Ok(tokens) => return Ok(changed(&req, &state, lang, &tokens)),
            Err(e) => refusal(lang, e).map_err(fail)?,
        }
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, checked)
    };
    let prefs = Preferences {
        display_name: page_user.user.display_name.clone(),
        ..Preferences::default()
    };
    answer(&state, &page_user, status, prefs, pw)
        .await
        .map_err(fail)
}

/// Back to the page, with the session's cookies holding the new tokens.
fn changed(req: &HttpRequest, state: &State, lang: Lang, tokens: &Tokens) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response
        .insert_header((header::LOCATION, lang.link("/account?password=changed")))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    for c in session::start(req, tokens, state.issuer.refresh_ttl_secs) {
        response.append_header((header::SET_COOKIE, c));
    }
    response.finish()
}

/// Why the service refused the change, next to the field it concerns; anything else fails
/// the page.
fn refusal(lang: Lang, e: AppError) -> Result<(StatusCode, PasswordForm), AppError> {
    let mut pw = PasswordForm::default();
    let status = match e {
        AppError::Validation { fields, .. } | AppError::Rules { fields, .. } => {
            if fields.contains_key("current_password") {
                pw.errors.insert(
                    "current_password",
                    lang.t("当前密码不正确。", "This is not your current password.")
                        .into(),
                );
            }
            if let Some(messages) = fields.get("new_password") {
                pw.errors.insert("new_password", messages.join("; "));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::TooManyRequests { retry_after_secs } => {
            let text = match lang {
                Lang::Zh => format!("当前密码错误次数过多，请 {retry_after_secs} 秒后再试。"),
                Lang::En => {
                    format!("Too many wrong current passwords; try again in {retry_after_secs} s.")
                }
            };
            pw.errors.insert("current_password", text);
            StatusCode::TOO_MANY_REQUESTS
        }
        other => return Err(other),
    };
    Ok((status, pw))
}
