//! The review queue (`/reviews`): the assessments waiting for review in the auditor's clusters
//! (an admin's: all), oldest submission first, each linking to its review page; the same list
//! as `GET /api/v1/reviews`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{escape, page, respond, Lang};
use super::session::{PageError, PageUser};
use crate::assessment::review::queue_filter;
use crate::db::reviews::{self, Waiting};
use crate::ids::CampaignId;
use crate::state::{db_call, State};

/// The queue is shown whole up to this many (far more than a cluster has waiting at once).
const LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    campaign: Option<String>,
    returned: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let lang = page_user.lang;
    let campaign = query
        .campaign
        .as_deref()
        .filter(|c| !c.is_empty())
        .and_then(|c| c.parse::<CampaignId>().ok());
    let user = page_user.user.clone();
    let rows = db_call(&state, move |s, conn| {
        let filter = queue_filter(&user, None, campaign, None)?;
        let rows = reviews::queue(conn, &filter, LIMIT)?;
        let mut out = Vec::with_capacity(rows.len());
        for w in rows {
            let n = s
                .questionnaire(conn, &w.questionnaire_id, &w.questionnaire_hash)?
                .criterion_count();
            out.push((w, n));
        }
        Ok(out)
    })
    .await
    .map_err(fail)?;
    let body = render(lang, &rows, query.returned.is_some());
    Ok(respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("审核队列", "Review queue"),
            Some(&page_user),
            &body,
        ),
    ))
}

fn render(lang: Lang, rows: &[(Waiting, usize)], returned: bool) -> String {
    let mut out = format!(
        r#"<section class="card"><h1 id="queue-h">{}</h1><p class="muted">{}</p>"#,
        lang.t("审核队列", "Review queue"),
        lang.t(
            "等待审核的评估，最早提交的在前。审核可分多次完成：每个评定即时保存。",
            "Assessments waiting for review, the earliest submission first. A review can take several sittings: every rating is saved at once."
        )
    );
    if returned {
        out.push_str(&format!(
            r#"<p class="notice" role="status">{}</p>"#,
            lang.t(
                "评估已退回企业修改。",
                "The assessment went back to the enterprise."
            )
        ));
    }
    if rows.is_empty() {
        out.push_str(&format!(
            r#"<p class="empty" id="queue-empty">{}</p></section>"#,
            lang.t("目前没有等待审核的评估。", "Nothing waits for review.")
        ));
        return out;
    }
    out.push_str(&format!(
        r#"<div class="tableview" tabindex="0" role="region" aria-labelledby="queue-h"><table class="queue sortable" id="queue" aria-labelledby="queue-h"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        lang.t("企业", "Enterprise"),
        lang.t("评估活动", "Campaign"),
        lang.t("提交时间", "Submitted"),
        lang.t("条款", "Criteria"),
        lang.t("证据文件", "Evidence"),
        lang.t("审核进度", "Review"),
    ));
    for (w, criteria) in rows {
        let progress = if w.rated > 0 || w.sampled {
            match lang {
                Lang::Zh => format!(
                    "进行中：已评定 {} 条{}",
                    w.rated,
                    if w.sampled { "，已抽样" } else { "" }
                ),
                Lang::En => format!(
                    "in progress: {} rated{}",
                    w.rated,
                    if w.sampled { ", sampled" } else { "" }
                ),
            }
        } else {
            lang.t("未开始", "not started").to_owned()
        };
        out.push_str(&format!(
            r#"<tr data-assessment="{id}"><td><a href="{href}">{enterprise}</a></td><td>{campaign}</td><td data-sort="{ts}">{at}</td><td data-sort="{criteria}">{criteria}</td><td data-sort="{evidence}">{evidence}</td><td class="{class}">{progress}</td></tr>"#,
            id = w.id,
            href = lang.link(&format!("/assessments/{}/review", w.id)),
            enterprise = escape(&w.enterprise),
            campaign = escape(&w.campaign),
            ts = w.submitted_at.and_utc().timestamp(),
            at = w.submitted_at.format("%Y-%m-%d %H:%M"),
            evidence = w.evidence,
            class = if w.rated > 0 || w.sampled {
                "in-progress"
            } else {
                "muted"
            },
        ));
    }
    out.push_str("</tbody></table></div></section>");
    out
}
