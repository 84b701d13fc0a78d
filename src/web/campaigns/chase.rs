//! Whom to remind (`/campaigns/{id}/chase`): the campaign's enterprises by stage, with their
//! progress, the auditor's note on a returned draft and the days overdue; sortable, filtered
//! by stage, copied with one button or downloaded as CSV.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::today;
use crate::campaign::chase::{chase as load, to_csv, Chase, Entry, Order};
use crate::domain::assessment::Stage;
use crate::error::AppError;
use crate::ids::CampaignId;
use crate::state::{db_call, State};
use crate::web::html::{escape, page_with, respond, Lang};
use crate::web::session::{PageError, PageUser};

const STAGES: [Stage; 5] = [
    Stage::NotStarted,
    Stage::InProgress,
    Stage::Returned,
    Stage::AwaitingReview,
    Stage::Accepted,
];

#[derive(Debug, Deserialize, Default)]
pub struct ChaseQuery {
    sort: Option<String>,
    stage: Option<String>,
}

/// The order and stage asked for; an unknown value is ignored (the default order, every stage).
struct Asked {
    order: Order,
    stage: Option<Stage>,
}

impl Asked {
    fn parse(q: &ChaseQuery) -> Self {
        Self {
            order: q.sort.as_deref().and_then(Order::parse).unwrap_or_default(),
            stage: q
                .stage
                .as_deref()
                .and_then(|s| STAGES.into_iter().find(|st| st.as_str() == s)),
        }
    }

    /// The query string that keeps this choice, with `order` instead of the current one.
    fn query(&self, order: Order) -> String {
        match self.stage {
            Some(s) => format!("?sort={}&stage={}", order.as_str(), s.as_str()),
            None => format!("?sort={}", order.as_str()),
        }
    }

    fn keep(&self, mut entries: Vec<Entry>) -> Vec<Entry> {
        entries.retain(|e| self.stage.is_none_or(|s| e.stage == s));
        self.order.sort(&mut entries);
        entries
    }
}

async fn loaded(state: &State, page_user: &PageUser, id: CampaignId) -> Result<Chase, AppError> {
    let user = page_user.user.clone();
    db_call(state, move |s, conn| load(s, conn, &user, id, today())).await
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    query: web::Query<ChaseQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = page_user.lang;
    let list = loaded(&state, &page_user, path.into_inner())
        .await
        .map_err(|e| PageError::new(&req, e))?;
    let asked = Asked::parse(&query);
    let entries = asked.keep(list.entries.clone());
    let html = body(lang, &list, &entries, &asked);
    Ok(respond(
        StatusCode::OK,
        page_with(
            lang,
            &format!(
                "{} · {}",
                list.campaign.name,
                lang.t("催办名单", "Whom to remind")
            ),
            Some(&page_user),
            &html,
            &["chase.js"],
        ),
    ))
}

/// The list as shown (same stage and order) as a CSV attachment.
pub async fn chase_csv(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<CampaignId>,
    query: web::Query<ChaseQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = page_user.lang;
    let id = path.into_inner();
    let list = loaded(&state, &page_user, id).await.map_err(fail)?;
    let entries = Asked::parse(&query).keep(list.entries);
    let bytes = to_csv(&entries, lang).map_err(|e| fail(AppError::Internal(e.into())))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"dcmm-chase-{id}.csv\""),
        ))
        .body(bytes))
}

fn body(lang: Lang, list: &Chase, entries: &[Entry], asked: &Asked) -> String {
    let c = &list.campaign;
    let id = c.id;
    let stage_options: String = std::iter::once(format!(
        r#"<option value="">{}</option>"#,
        lang.t("全部", "All")
    ))
    .chain(STAGES.into_iter().map(|s| {
        let n = list.entries.iter().filter(|e| e.stage == s).count();
        format!(
            r#"<option value="{}"{}>{} ({n})</option>"#,
            s.as_str(),
            if asked.stage == Some(s) {
                " selected"
            } else {
                ""
            },
            s.label(lang)
        )
    }))
    .collect();
    let order_options: String = Order::ALL
        .into_iter()
        .map(|o| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                o.as_str(),
                if asked.order == o { " selected" } else { "" },
                order_name(lang, o)
            )
        })
        .collect();
    let head = |text: &str, order: Order| {
        let sort = if asked.order == order {
            r#" aria-sort="ascending""#
        } else {
            ""
        };
        format!(
            r#"<th scope="col"{sort}><a href="{}">{}</a></th>"#,
            escape(&lang.link(&format!("/campaigns/{id}/chase{}", asked.query(order)))),
            escape(text)
        )
    };
    let rows: String = entries.iter().map(|e| row(lang, e)).collect();
    let empty = if entries.is_empty() {
        format!(
            r#"<p class="muted">{}</p>"#,
            lang.t("没有符合条件的企业。", "No enterprise matches.")
        )
    } else {
        String::new()
    };
    let csv_query = match asked.stage {
        Some(s) => format!("?sort={}&stage={}", asked.order.as_str(), s.as_str()),
        None => format!("?sort={}", asked.order.as_str()),
    };
    format!(
        r#"<h1>{title}</h1>
<p class="muted">{name} · {due_label} {due} · {status}</p>
<form method="get" action="/campaigns/{id}/chase" class="filters">
{lang_field}<label for="stage">{stage_label}</label><select id="stage" name="stage">{stage_options}</select>
<label for="sort">{sort_label}</label><select id="sort" name="sort">{order_options}</select>
<button type="submit">{apply}</button>
</form>
<p class="actions"><button type="button" id="copy-list" data-copied="{copied}">{copy}</button> <a href="{csv}" download>{csv_label}</a> <a href="{back}">{back_label}</a></p>
<p class="saved" id="copy-status" role="status" hidden></p>
<div class="tableview">
<table class="chase" id="chase-list"><caption>{caption}</caption>
<thead><tr>{h_name}{h_stage}{h_progress}<th scope="col">{h_note}</th>{h_overdue}<th scope="col">{h_contact}</th></tr></thead>
<tbody>{rows}</tbody></table>
</div>
{empty}"#,
        title = lang.t("催办名单", "Whom to remind"),
        name = escape(&c.name),
        due_label = lang.t("截止", "due"),
        due = c.due_date,
        status = c.status.label(lang),
        lang_field = match lang {
            Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
            Lang::Zh => "",
        },
        stage_label = lang.t("状态", "Status"),
        sort_label = lang.t("排序", "Order"),
        apply = lang.t("筛选", "Apply"),
        copy = lang.t("复制名单", "Copy the list"),
        copied = lang.t("已复制到剪贴板。", "Copied to the clipboard."),
        csv = escape(&lang.link(&format!("/campaigns/{id}/chase.csv{csv_query}"))),
        csv_label = lang.t("下载 CSV", "Download CSV"),
        back = lang.link(&format!("/campaigns/{id}")),
        back_label = lang.t("返回评估活动", "Back to the campaign"),
        caption = match lang {
            Lang::Zh => format!("{} 家企业", entries.len()),
            Lang::En => format!("{} enterprises", entries.len()),
        },
        h_name = head(lang.t("企业", "Enterprise"), Order::Name),
        h_stage = head(lang.t("状态", "Status"), Order::Stage),
        h_progress = head(lang.t("进度", "Progress"), Order::Progress),
        h_note = lang.t("退回说明", "Returned because"),
        h_overdue = head(lang.t("逾期天数", "Days overdue"), Order::Overdue),
        h_contact = lang.t("联系人", "Contact"),
    )
}

fn order_name(lang: Lang, o: Order) -> &'static str {
    match o {
        Order::Stage => lang.t("按状态", "By status"),
        Order::Overdue => lang.t("逾期最久在前", "Most overdue first"),
        Order::Progress => lang.t("进度最少在前", "Least progress first"),
        Order::Name => lang.t("按名称", "By name"),
    }
}

fn row(lang: Lang, e: &Entry) -> String {
    let progress = match e.stage {
        Stage::NotStarted | Stage::InProgress | Stage::Returned => {
            format!("{} / {} ({}%)", e.answered, e.total, e.percent())
        }
        _ => lang.t("已提交", "handed in").to_owned(),
    };
    let label = |zh: &str, en: &str| escape(lang.t(zh, en));
    format!(
        r#"<tr data-stage="{stage_id}"><td data-label="{l_name}">{name}</td><td data-label="{l_stage}" class="stage-{stage_id}">{stage}</td><td data-label="{l_progress}">{progress}</td><td data-label="{l_note}">{note}</td><td data-label="{l_overdue}">{overdue}</td><td data-label="{l_contact}">{contact}</td></tr>"#,
        stage_id = e.stage.as_str(),
        name = escape(&e.name),
        stage = e.stage.label(lang),
        note = escape(e.note.as_deref().unwrap_or("")),
        overdue = e.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
        l_name = label("企业", "Enterprise"),
        l_stage = label("状态", "Status"),
        l_progress = label("进度", "Progress"),
        l_note = label("退回说明", "Returned because"),
        l_overdue = label("逾期天数", "Days overdue"),
        l_contact = label("联系人", "Contact"),
        contact = contact(&e.contact),
    )
}

/// The contact's parts that are given, the email as a mail link.
fn contact(c: &crate::campaign::chase::Contact) -> String {
    let mut parts = Vec::new();
    if !c.name.is_empty() {
        parts.push(escape(&c.name));
    }
    if !c.phone.is_empty() {
        parts.push(escape(&c.phone));
    }
    if !c.email.is_empty() {
        parts.push(format!(r#"<a href="mailto:{0}">{0}</a>"#, escape(&c.email)));
    }
    parts.join(" · ")
}
