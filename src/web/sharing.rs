//! The sharing page (`/sharing`, enterprise users): what the enterprise lets its cluster
//! manager see, as three choices each saying in plain words what the manager sees and does not
//! see under it. The words are asked of the access policy itself (`policy::shown` for a
//! cluster manager of the enterprise's cluster, detail by detail), so they cannot drift from
//! what the service enforces. Saving goes through the service `PATCH
//! /api/v1/enterprises/{id}` uses, audited alike.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{escape, page, respond, Lang};
use super::profile::own_enterprise;
use super::session::{PageError, PageUser};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::db::enterprises::{self, EnterpriseRow};
use crate::db::refs;
use crate::domain::sharing::{Detail, Sharing};
use crate::domain::Actor;
use crate::enterprise::{industries, update};
use crate::error::AppError;
use crate::ids::ClusterId;
use crate::state::{db_call, State};

/// The name of a setting.
fn name(lang: Lang, sharing: Sharing) -> &'static str {
    match sharing {
        Sharing::Full => lang.t("全部共享", "Share everything"),
        Sharing::Scores => lang.t("仅共享分数", "Scores only"),
        Sharing::Anonymous => lang.t("仅匿名统计", "Anonymous statistics only"),
    }
}

/// A detail in plain words.
fn detail(lang: Lang, detail: Detail) -> &'static str {
    match detail {
        Detail::Answers => lang.t(
            "每条评估条款的自评结果和说明",
            "your rating and comment on every criterion",
        ),
        Detail::Evidence => lang.t(
            "上传的证明材料，包括文件本身",
            "the evidence you upload, the files included",
        ),
        Detail::Report => lang.t("企业评估报告（PDF）", "your assessment report (PDF)"),
        Detail::Scores => lang.t(
            "得分、能力等级和差距；集群看板的热力图、企业名单和导出表中显示贵企业的名称",
            "your scores, levels and gaps, and your name in the dashboard's heat map, roster and exports",
        ),
        Detail::Profile => lang.t(
            "企业基本情况与首席数据官信息",
            "your profile and chief data officer",
        ),
    }
}

/// What a cluster manager of `cluster` sees and does not see under `sharing`, by the policy.
pub(crate) fn split(cluster: ClusterId, sharing: Sharing) -> (Vec<Detail>, Vec<Detail>) {
    let manager = Actor::ClusterManager { cluster };
    Detail::ALL
        .into_iter()
        .partition(|d| policy::shown(&manager, sharing, *d))
}

fn list(lang: Lang, details: &[Detail]) -> String {
    let items: String = details
        .iter()
        .map(|d| format!("<li>{}</li>", escape(detail(lang, *d))))
        .collect();
    format!("<ul>{items}</ul>")
}

/// One choice: the radio, its name, and what the manager sees and does not see under it.
fn choice(lang: Lang, cluster: ClusterId, sharing: Sharing, current: Sharing) -> String {
    let value = sharing.as_str();
    let (sees, hidden) = split(cluster, sharing);
    let what = if sees.is_empty() {
        format!(
            r#"<p class="hides">{}</p>{}"#,
            lang.t(
                "集群管理员只能看到不具名的集群汇总统计，看不到贵企业的名称，也看不到：",
                "Your cluster manager sees only unnamed cluster statistics: not your name, nor",
            ),
            list(lang, &hidden)
        )
    } else {
        let mut what = format!(
            r#"<p class="sees">{}</p>{}"#,
            lang.t("集群管理员可以看到：", "Your cluster manager sees"),
            list(lang, &sees)
        );
        if !hidden.is_empty() {
            what.push_str(&format!(
                r#"<p class="hides">{}</p>{}"#,
                lang.t("看不到：", "but not"),
                list(lang, &hidden)
            ));
        }
        what
    };
    let current_mark = if sharing == current {
        format!(
            r#" <span class="current">{}</span>"#,
            lang.t("（当前设置）", "(current setting)")
        )
    } else {
        String::new()
    };
    format!(
        r#"<div class="choice{selected}" data-sharing="{value}">
<input type="radio" name="sharing" id="sharing-{value}" value="{value}"{checked} aria-describedby="sharing-{value}-what">
<label for="sharing-{value}">{name}</label>{current_mark}
<div class="what" id="sharing-{value}-what">{what}</div>
</div>"#,
        selected = if sharing == current { " selected" } else { "" },
        checked = if sharing == current { " checked" } else { "" },
        name = escape(name(lang, sharing)),
    )
}

/// Whether auditors and administrators see every detail whatever the setting.
fn reviewers_see_everything(cluster: ClusterId) -> bool {
    [
        Actor::Admin,
        Actor::Auditor {
            clusters: vec![cluster],
        },
    ]
    .iter()
    .all(|a| {
        Sharing::ALL
            .into_iter()
            .all(|s| Detail::ALL.into_iter().all(|d| policy::shown(a, s, d)))
    })
}

/// The page's body.
pub(crate) fn render(
    lang: Lang,
    page_user: &PageUser,
    enterprise: &EnterpriseRow,
    saved: bool,
    error: Option<&str>,
) -> String {
    let choices: String = Sharing::ALL
        .into_iter()
        .map(|s| choice(lang, enterprise.cluster_id, s, enterprise.sharing))
        .collect();
    let saved = if saved {
        format!(
            r#"<p class="saved" role="status" id="post-result">{}{}{}</p>"#,
            lang.t("已保存：现在的设置是“", "Saved: the setting is now “"),
            escape(name(lang, enterprise.sharing)),
            lang.t("”。", "”.")
        )
    } else {
        String::new()
    };
    let error = error
        .map(|e| {
            format!(
                r#"<p class="field-error" id="error-sharing" role="alert">{}</p>"#,
                escape(e)
            )
        })
        .unwrap_or_default();
    let reviewers = if reviewers_see_everything(enterprise.cluster_id) {
        lang.t(
            "审核员和系统管理员不受此设置影响，始终可以查看评估的全部内容。",
            "Auditors and administrators are not affected by this setting: they always see the whole assessment.",
        )
    } else {
        ""
    };
    format!(
        r#"<h1>{title} <small>{name}</small></h1>
{saved}
<section class="card">
<p>{intro}</p>
<p class="note">{always} {reviewers}</p>
<form method="post" action="{action}" id="sharing-form" class="sharing">
{csrf}
<fieldset>
<legend>{legend}</legend>
{error}
<div class="choices">{choices}</div>
</fieldset>
<button type="submit" id="sharing-save">{save}</button>
</form>
</section>"#,
        title = lang.t("共享设置", "Sharing"),
        name = escape(&enterprise.name),
        intro = lang.t(
            "选择集群管理员可以看到贵企业的哪些内容。可以随时更改，更改立即生效。",
            "Choose what your cluster manager may see of your enterprise. You can change it at any time; it applies at once.",
        ),
        always = lang.t(
            "无论选择哪一项，贵企业的结果都会不具名地计入集群的汇总统计（平均分、等级分布等）。",
            "Whatever you choose, your results count, without your name, in the cluster's statistics (means, level distribution and so on).",
        ),
        action = lang.link("/sharing"),
        csrf = page_user.csrf_field(),
        legend = lang.t("向集群管理员共享", "Shared with your cluster manager"),
        save = lang.t("保存", "Save"),
    )
}

/// The caller's enterprise, which it may read.
async fn load(state: &State, page_user: &PageUser) -> Result<EnterpriseRow, AppError> {
    let id = own_enterprise(page_user)?;
    let user = page_user.user.clone();
    db_call(state, move |_, conn| {
        let e = refs::enterprise(conn, id)?;
        policy::require(
            &user.actor,
            Action::Read,
            &Resource::new(Kind::Enterprise, e.tenancy()),
        )?;
        Ok(enterprises::find(conn, id)?)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let enterprise = load(&state, &page_user)
        .await
        .map_err(|e| PageError::new(&req, e))?;
    let lang = page_user.lang;
    let body = render(lang, &page_user, &enterprise, query.saved.is_some(), None);
    Ok(respond(
        StatusCode::OK,
        page(lang, lang.t("共享设置", "Sharing"), Some(&page_user), &body),
    ))
}

#[derive(Debug, Deserialize)]
pub struct SharingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    sharing: String,
}

pub async fn submit(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<SharingForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let id = own_enterprise(&page_user).map_err(fail)?;
    let lang = page_user.lang;
    let change = update::Update {
        sharing: Some(form.sharing.clone()),
        ..update::Update::default()
    };
    let (user, industries) = (page_user.user.clone(), industries(&state));
    let saved = db_call(&state, move |_, conn| {
        update::update(conn, &user, id, change, &industries)
    })
    .await;
    match saved {
        Ok(_) => Ok(super::see_other(&lang.link("/sharing?saved=1"))),
        Err(AppError::Validation { .. }) => {
            let enterprise = load(&state, &page_user).await.map_err(fail)?;
            let message = lang.t("请选择三项中的一项。", "Choose one of the three settings.");
            let body = render(lang, &page_user, &enterprise, false, Some(message));
            Ok(respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(lang, lang.t("共享设置", "Sharing"), Some(&page_user), &body),
            ))
        }
        Err(e) => Err(fail(e)),
    }
}
