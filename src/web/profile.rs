//! The enterprise profile page (`/profile`, enterprise users, their own enterprise): the
//! profile questionnaire as a form beside the eligibility pre-check and the CDO summary.
//!
//! With scripts, `profile.js` saves the whole profile through `PUT
//! /api/v1/enterprises/{id}/profile` as it is filled and redraws both panels from the answer.
//! Without them the form posts here, to the same service, and the page comes back with the
//! result: saved, the answers to correct (named next to each), or a conflict.

mod form;
mod panels;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

use super::html::{escape, page_with, respond, Lang};
use super::session::{PageError, PageUser};
use crate::domain::Actor;
use crate::enterprise::profile as service;
use crate::error::{AppError, ErrorCode};
use crate::ids::EnterpriseId;
use crate::questionnaire::model::Profile;
use crate::questionnaire::profile::REQUIRED;
use crate::scoring::profile::{cdo_summary, eligibility};
use crate::state::{db_call, State};

/// The enterprise of an enterprise user; the pages of one's own enterprise are refused (403)
/// to every other role.
pub(super) fn own_enterprise(page_user: &PageUser) -> Result<EnterpriseId, AppError> {
    match page_user.user.actor {
        Actor::Enterprise { enterprise, .. } => Ok(enterprise),
        _ => Err(AppError::Forbidden),
    }
}

/// What the page says above the form after a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Saved(i32),
    Invalid(usize),
    Conflict,
}

/// Everything one rendering of the page needs.
struct View<'a> {
    lang: Lang,
    profile: &'a Profile,
    enterprise: EnterpriseId,
    enterprise_name: &'a str,
    version: i32,
    /// The answers the form shows: the stored ones, or those just posted when refused.
    shown: &'a BTreeMap<String, Value>,
    /// The stored answers, which the panels describe.
    stored: &'a BTreeMap<String, Value>,
    errors: &'a BTreeMap<String, String>,
    notice: Option<Notice>,
}

fn notice(lang: Lang, notice: Notice) -> String {
    let (class, role, text) = match notice {
        Notice::Saved(v) => (
            "saved",
            "status",
            match lang {
                Lang::Zh => format!("已保存（第 {v} 版）。"),
                Lang::En => format!("Saved (version {v})."),
            },
        ),
        Notice::Invalid(n) => (
            "notice",
            "alert",
            match lang {
                Lang::Zh => format!("未保存：有 {n} 项需要修改，请看各项下方的提示。"),
                Lang::En => format!(
                    "Not saved: {n} answers need attention; see the message below each."
                ),
            },
        ),
        Notice::Conflict => (
            "notice",
            "alert",
            lang.t(
                "未保存：其他人在此期间修改了基本情况。下面是最新的内容，请在此基础上重新修改。",
                "Not saved: someone else changed the profile meanwhile. Below is the latest; make your change again.",
            )
            .to_owned(),
        ),
    };
    format!(
        r#"<p class="{class}" role="{role}" id="post-result">{}</p>"#,
        escape(&text)
    )
}

fn render(v: &View<'_>, page_user: &PageUser) -> String {
    let lang = v.lang;
    let questions: String = v
        .profile
        .questions
        .iter()
        .map(|q| {
            form::question(
                lang,
                v.profile,
                q,
                v.shown.get(&q.id),
                v.errors.get(&q.id).map(String::as_str),
            )
        })
        .collect();
    let precheck = panels::precheck(lang, &eligibility(v.stored, &Default::default()));
    let cdo = panels::cdo(lang, v.profile, &cdo_summary(v.stored));
    let body = format!(
        r#"<h1>{title} <small>{name}</small></h1>
<p class="note">{intro}</p>
{notice}
<div class="profile-layout">
<aside class="summary" aria-label="{summary_label}">{precheck}{cdo}</aside>
<form method="post" action="{action}" id="profile-form" class="card profile-form" data-enterprise="{enterprise}" data-required-message="{required}">
{csrf}<input type="hidden" name="version" id="profile-version" value="{version}">
{questions}
<div class="actions">
<button type="submit" id="profile-save">{save}</button>
<p id="save-state" class="save-state" role="status" aria-live="polite" data-idle="{idle}" data-saving="{saving}" data-saved="{saved}" data-failed="{failed}" data-invalid="{invalid}" data-waiting="{waiting}"></p>
</div>
<div id="conflict" class="notice" role="alert" hidden>
<p>{conflict}</p>
<button type="button" id="conflict-reload">{reload}</button>
</div>
</form>
</div>"#,
        title = escape(lang.text(&v.profile.title)),
        name = escape(v.enterprise_name),
        intro = lang.t(
            "填写本企业的基本情况。认证资格预检和首席数据官概况根据保存的内容计算。",
            "Describe your enterprise. The eligibility pre-check and the chief-data-officer summary are computed from what is saved.",
        ),
        notice = v.notice.map(|n| notice(lang, n)).unwrap_or_default(),
        summary_label = lang.t("预检与概况", "Pre-check and summary"),
        action = lang.link("/profile"),
        enterprise = v.enterprise,
        required = escape(REQUIRED),
        csrf = page_user.csrf_field(),
        version = v.version,
        save = lang.t("保存", "Save"),
        idle = lang.t(
            "每项修改都会自动保存，预检和概况随之更新。",
            "Each change is saved as you go; the pre-check and the summary follow it.",
        ),
        saving = lang.t("正在保存…", "Saving…"),
        saved = lang.t("已保存", "Saved"),
        failed = lang.t(
            "保存失败（网络或服务问题），稍后自动重试。",
            "Saving failed (network or service); retrying shortly.",
        ),
        invalid = lang.t(
            "未保存：有 {n} 项需要修改，请看各项下方的提示。",
            "Not saved: {n} answers need attention; see the message below each.",
        ),
        waiting = lang.t(
            "尚有 {n} 项必填未填写：全部填写后自动保存。",
            "{n} required answers are still empty: the profile is saved once they are given.",
        ),
        conflict = lang.t(
            "其他人在此期间修改了基本情况，您的修改未保存。",
            "Someone else changed the profile meanwhile; your change was not saved.",
        ),
        reload = lang.t("载入最新内容", "Load the latest"),
    );
    page_with(
        lang,
        lang.text(&v.profile.title),
        Some(page_user),
        &body,
        &["profile.js"],
    )
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// The stored profile and the enterprise's name.
async fn stored(
    state: &State,
    page_user: &PageUser,
    id: EnterpriseId,
) -> Result<(i32, BTreeMap<String, Value>, String), AppError> {
    let user = page_user.user.clone();
    let (row, name) = db_call(state, move |_, conn| {
        let row = service::load(conn, &user, id)?;
        let name = crate::db::refs::enterprise(conn, id)?.name;
        Ok((row, name))
    })
    .await?;
    let answers = service::answers(row.as_ref())?;
    Ok((row.map_or(0, |r| r.version), answers, name))
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = own_enterprise(&page_user).map_err(fail)?;
    let profile = service::questionnaire(&state).map_err(fail)?;
    let (version, answers, name) = stored(&state, &page_user, id).await.map_err(fail)?;
    let saved = query.saved.as_deref().and_then(|s| s.parse().ok());
    let view = View {
        lang: page_user.lang,
        profile: &profile,
        enterprise: id,
        enterprise_name: &name,
        version,
        shown: &answers,
        stored: &answers,
        errors: &BTreeMap::new(),
        notice: saved.map(Notice::Saved),
    };
    Ok(respond(StatusCode::OK, render(&view, &page_user)))
}

/// The form posted without scripts: the same service as the API, then back to the page.
pub async fn submit(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    page_user.check_csrf(&state, field("csrf")).map_err(fail)?;
    let id = own_enterprise(&page_user).map_err(fail)?;
    let version: i32 = field("version").parse().map_err(|_| {
        fail(AppError::field(
            "version",
            "must be the version the form shows",
        ))
    })?;
    let profile = service::questionnaire(&state).map_err(fail)?;
    let answers = form::read(&profile, &pairs);
    let (user, checked, posted) = (page_user.user.clone(), profile.clone(), answers.clone());
    let saved = db_call(&state, move |_, conn| {
        service::save(conn, &user, id, Some(version), &checked, &posted)
    })
    .await;
    let lang = page_user.lang;
    let (status, errors, notice, shown_posted) = match saved {
        Ok(row) => {
            let to = lang.link(&format!("/profile?saved={}", row.version));
            return Ok(super::see_other(&to));
        }
        Err(AppError::Validation { fields, .. }) => {
            let errors = form::errors_by_question(lang, &profile, &fields);
            let n = errors.len();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                Notice::Invalid(n),
                true,
            )
        }
        Err(AppError::Conflict {
            code: ErrorCode::VersionConflict,
            ..
        }) => (
            StatusCode::CONFLICT,
            BTreeMap::new(),
            Notice::Conflict,
            false,
        ),
        Err(e) => return Err(fail(e)),
    };
    let (current, stored_answers, name) = stored(&state, &page_user, id).await.map_err(fail)?;
    let view = View {
        lang,
        profile: &profile,
        enterprise: id,
        enterprise_name: &name,
        // Answers to correct keep the version they were made on, so a change someone made
        // meanwhile is still a conflict when they are posted again.
        version: if shown_posted { version } else { current },
        shown: if shown_posted {
            &answers
        } else {
            &stored_answers
        },
        stored: &stored_answers,
        errors: &errors,
        notice: Some(notice),
    };
    Ok(respond(status, render(&view, &page_user)))
}
