//! Running a campaign in the browser: opening one (`/campaigns/new`), its page with the due
//! date, the exports and the cluster report (`/campaigns/{id}`), closing it behind a
//! confirmation (`/campaigns/{id}/close`), and whom to remind (`/campaigns/{id}/chase`, also as
//! CSV). Every change goes through the campaign lifecycle service the API calls, checked by the
//! same policy.

mod chase;
mod render;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use self::render::{CampaignView, NewCampaignForm};
use super::html::{page, respond, Lang};
use super::session::{PageError, PageUser};
use crate::access;
use crate::auth::policy::{self, Action, Decision, Kind, Resource};
use crate::campaign::chase::chase as load_chase;
use crate::campaign::download::{download, FileType};
use crate::campaign::lifecycle::{self, NewCampaign};
use crate::db::{campaigns, clusters};
use crate::domain::{Actor, Tenancy};
use crate::error::AppError;
use crate::ids::{CampaignId, ClusterId};
use crate::state::{db_call, State};

pub use chase::{chase_csv, show as chase};

/// Field errors of a form, by field name.
type Errors = BTreeMap<&'static str, String>;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Whether the actor may open or change campaigns in `cluster`.
fn may_manage(actor: &Actor, cluster: ClusterId) -> bool {
    policy::decide(
        actor,
        Action::Update,
        &Resource::new(Kind::Campaign, Tenancy::Cluster(cluster)),
    ) == Decision::Allow
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    cluster: Option<String>,
}

/// The clusters the actor may open campaigns in, with the one asked for (or the only one).
async fn cluster_choice(
    state: &State,
    page_user: &PageUser,
    asked: Option<&str>,
) -> Result<(Vec<clusters::ClusterRow>, Option<ClusterId>), AppError> {
    let actor = page_user.user.actor.clone();
    let all = db_call(state, move |_, conn| {
        Ok(clusters::list(conn, &actor, None, 500)?)
    })
    .await?;
    let open_in: Vec<_> = all
        .into_iter()
        .filter(|c| may_manage(&page_user.user.actor, c.id))
        .collect();
    if open_in.is_empty() {
        return Err(AppError::Forbidden);
    }
    let chosen = match asked {
        Some(text) => Some(
            open_in
                .iter()
                .find(|c| c.id.to_string() == text)
                .map(|c| c.id)
                .ok_or(AppError::NotFound)?,
        ),
        None if open_in.len() == 1 => Some(open_in[0].id),
        None => None,
    };
    Ok((open_in, chosen))
}

/// The edition of the cluster's latest campaign, to say what starting from previous answers
/// would carry over.
async fn previous_edition(
    state: &State,
    cluster: Option<ClusterId>,
) -> Result<Option<String>, AppError> {
    let Some(cluster) = cluster else {
        return Ok(None);
    };
    db_call(state, move |_, conn| {
        let rows = campaigns::list(conn, cluster, None, 1000)?;
        Ok(rows
            .into_iter()
            .max_by_key(|r| r.created_at)
            .map(|r| r.questionnaire_id))
    })
    .await
}

async fn new_form_page(
    state: &State,
    page_user: &PageUser,
    status: StatusCode,
    mut form: NewCampaignForm,
) -> Result<HttpResponse, AppError> {
    let lang = page_user.lang;
    let (clusters, chosen) = cluster_choice(state, page_user, form.cluster.as_deref()).await?;
    if form.cluster.is_none() {
        form.cluster = chosen.map(|c| c.to_string());
    }
    let previous = previous_edition(state, chosen).await?;
    let html = render::new_campaign(
        lang,
        page_user,
        &form,
        &clusters,
        &state.questionnaires,
        previous.as_deref(),
    );
    Ok(respond(
        status,
        page(
            lang,
            lang.t("开启评估活动", "Open a campaign"),
            Some(page_user),
            &html,
        ),
    ))
}

pub async fn new_form(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let form = NewCampaignForm {
        cluster: query.cluster.clone(),
        due_date: (today() + chrono::Duration::days(60)).to_string(),
        target_level: "3".to_owned(),
        questionnaire: state
            .questionnaires
            .default_dcmm()
            .map(|q| q.id.clone())
            .unwrap_or_default(),
        ..NewCampaignForm::default()
    };
    new_form_page(&state, &page_user, StatusCode::OK, form)
        .await
        .map_err(|e| PageError::new(&req, e))
}

#[derive(Debug, Deserialize)]
pub struct NewFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cluster: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    questionnaire: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    target_level: String,
    copy_previous: Option<String>,
}

/// The message of a 422 for one of the form's fields, in the page's language.
fn field_message(lang: Lang, field: &str) -> String {
    match field {
        "name" => lang.t(
            "请填写 1 至 200 个字符的名称。",
            "Enter a name of 1 to 200 characters.",
        ),
        "questionnaire" => lang.t("请选择一个问卷版本。", "Choose a questionnaire edition."),
        "due_date" => lang.t("请选择今天或以后的日期。", "Choose today or a later day."),
        "target_level" => lang.t("请选择 1 至 5 级。", "Choose a level from 1 to 5."),
        _ => lang.t("此项有误。", "This is not valid."),
    }
    .to_owned()
}

/// The form's fields the service named, each with its message; anything else fails the page.
fn refused(
    lang: Lang,
    e: AppError,
    errors: &mut Errors,
    known: &[&'static str],
) -> Result<(), AppError> {
    match e {
        AppError::Validation { fields, .. }
            if fields.keys().all(|f| known.contains(&f.as_str())) =>
        {
            for f in known {
                if fields.contains_key(*f) {
                    errors.insert(f, field_message(lang, f));
                }
            }
            Ok(())
        }
        other => Err(other),
    }
}

/// Opens the campaign; on success, its page.
pub async fn open(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<NewFields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let f = form.into_inner();
    let mut shown = NewCampaignForm {
        cluster: Some(f.cluster.clone()),
        name: f.name.clone(),
        questionnaire: f.questionnaire.clone(),
        due_date: f.due_date.clone(),
        target_level: f.target_level.clone(),
        copy_previous: f.copy_previous.is_some(),
        errors: Errors::new(),
    };
    let (_, cluster) = cluster_choice(&state, &page_user, Some(&f.cluster))
        .await
        .map_err(fail)?;
    let due_date = NaiveDate::parse_from_str(f.due_date.trim(), "%Y-%m-%d").ok();
    if due_date.is_none() {
        shown
            .errors
            .insert("due_date", field_message(lang, "due_date"));
    }
    let target_level = f.target_level.trim().parse::<i32>().ok();
    if target_level.is_none() {
        shown
            .errors
            .insert("target_level", field_message(lang, "target_level"));
    }
    if let (Some(cluster), Some(due_date), Some(target_level)) = (cluster, due_date, target_level) {
        let new = NewCampaign {
            name: f.name,
            questionnaire: Some(f.questionnaire).filter(|q| !q.is_empty()),
            due_date,
            target_level,
            copy_previous: f.copy_previous.is_some(),
        };
        let user = page_user.user.clone();
        let opened = db_call(&state, move |s, conn| {
            lifecycle::open(s, conn, &user, cluster, &new, today())
        })
        .await;
        match opened {
            Ok((row, _)) => {
                return Ok(super::see_other(
                    &lang.link(&format!("/campaigns/{}?opened=1", row.id)),
                ))
            }
            Err(e) => refused(
                lang,
                e,
                &mut shown.errors,
                &["name", "questionnaire", "due_date", "target_level"],
            )
            .map_err(fail)?,
        }
    }
    new_form_page(&state, &page_user, StatusCode::UNPROCESSABLE_ENTITY, shown)
        .await
        .map_err(fail)
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    opened: Option<String>,
    moved: Option<String>,
    closed: Option<String>,
}

/// What the campaign page shows besides the campaign: a notice, the due date form's state.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    due_date: Option<String>,
    errors: Errors,
}

async fn campaign_page(
    state: &State,
    page_user: &PageUser,
    id: CampaignId,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let (row, cluster, participation) = db_call(state, move |_, conn| {
        let row = access::campaign_report(conn, &user, id)?;
        let cluster = clusters::find(conn, row.cluster_id)?;
        let p = campaigns::participation(conn, id)?;
        Ok((row, cluster, p))
    })
    .await?;
    let edition = state
        .questionnaires
        .dcmm(&row.questionnaire_id)
        .map(|q| q.title.get(lang).to_owned())
        .unwrap_or_else(|| row.questionnaire_id.clone());
    let view = CampaignView {
        may_manage: may_manage(&page_user.user.actor, row.cluster_id),
        campaign: &row,
        cluster: &cluster.name,
        edition: &edition,
        participation,
        today: today(),
        notice: shown.notice.as_deref(),
        due_date: shown.due_date.unwrap_or_else(|| row.due_date.to_string()),
        errors: &shown.errors,
    };
    let html = render::campaign(lang, page_user, &view);
    Ok(respond(
        status,
        page(lang, &row.name, Some(page_user), &html),
    ))
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = page_user.lang;
    let notice = if query.opened.is_some() {
        Some(lang.t(
            "评估活动已开启：集群内每家企业都有了一份草稿。",
            "The campaign is open: every enterprise of the cluster has a draft.",
        ))
    } else if query.moved.is_some() {
        Some(lang.t("截止日期已修改。", "The due date is changed."))
    } else if query.closed.is_some() {
        Some(lang.t("评估活动已结束。", "The campaign is closed."))
    } else {
        None
    };
    let shown = Shown {
        notice: notice.map(str::to_owned),
        ..Shown::default()
    };
    campaign_page(&state, &page_user, path.into_inner(), StatusCode::OK, shown)
        .await
        .map_err(|e| PageError::new(&req, e))
}

#[derive(Debug, Deserialize)]
pub struct DueDateFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    due_date: String,
}

/// Moves the due date; a day in the past is named next to the field.
pub async fn move_due_date(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    form: web::Form<DueDateFields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let id = path.into_inner();
    let mut errors = Errors::new();
    match NaiveDate::parse_from_str(form.due_date.trim(), "%Y-%m-%d") {
        Ok(day) => {
            let user = page_user.user.clone();
            let moved = db_call(&state, move |_, conn| {
                lifecycle::reschedule(conn, &user, id, day, today())
            })
            .await;
            match moved {
                Ok(_) => {
                    return Ok(super::see_other(
                        &lang.link(&format!("/campaigns/{id}?moved=1")),
                    ))
                }
                Err(e) => refused(lang, e, &mut errors, &["due_date"]).map_err(fail)?,
            }
        }
        Err(_) => {
            errors.insert("due_date", field_message(lang, "due_date"));
        }
    }
    let shown = Shown {
        due_date: Some(form.due_date.clone()),
        errors,
        ..Shown::default()
    };
    campaign_page(
        &state,
        &page_user,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        shown,
    )
    .await
    .map_err(fail)
}

/// The confirmation before closing: what stays unfinished.
pub async fn confirm_close(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = page_user.lang;
    let id = path.into_inner();
    let user = page_user.user.clone();
    let list = db_call(&state, move |s, conn| {
        load_chase(s, conn, &user, id, today())
    })
    .await
    .map_err(fail)?;
    if !may_manage(&page_user.user.actor, list.campaign.cluster_id) {
        return Err(fail(AppError::Forbidden));
    }
    let html = render::confirm_close(lang, &page_user, &list);
    Ok(respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("结束评估活动", "Close the campaign"),
            Some(&page_user),
            &html,
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn close(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let id = path.into_inner();
    let user = page_user.user.clone();
    db_call(&state, move |_, conn| lifecycle::close(conn, &user, id))
        .await
        .map_err(fail)?;
    Ok(super::see_other(
        &page_user.lang.link(&format!("/campaigns/{id}?closed=1")),
    ))
}

/// The campaign's results as CSV or XLSX for the page session: the API's export.
pub async fn export(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<(CampaignId, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, extension) = path.into_inner();
    let file = match extension.as_str() {
        "csv" => FileType::Csv,
        "xlsx" => FileType::Xlsx,
        _ => return Err(PageError::new(&req, AppError::NotFound)),
    };
    download(state, page_user.user, id, file)
        .await
        .map_err(|e| PageError::new(&req, e))
}
