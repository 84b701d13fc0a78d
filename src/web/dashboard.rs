//! The cluster dashboard of a campaign: the roll-up of `GET /api/v1/campaigns/{id}/dashboard`
//! as a page, every chart drawn from the report chart model with a table beside it.
//!
//! Figures a reader (or the browser test) compares carry `data-figure` names.

mod sections;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::html::{error_page, escape, here, page, respond, table, Lang};
use super::session;
use crate::campaign::{dashboard, Dashboard, Filter, Loaded};
use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::domain::Actor;
use crate::ids::CampaignId;
use crate::report::chart::{progress_bar, Progress};
use crate::report::svg;
use crate::scoring::rollup::RollupPolicy;
use crate::state::{db_call, State};

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    lang: Option<String>,
    industry: Option<String>,
    size: Option<String>,
}

impl DashboardQuery {
    fn filter(&self) -> Filter {
        Filter {
            industry: self.industry.clone().filter(|i| !i.is_empty()),
            size: self.size.as_deref().and_then(Size::parse),
        }
    }
}

pub async fn show(
    state: State,
    req: HttpRequest,
    path: web::Path<CampaignId>,
    query: web::Query<DashboardQuery>,
) -> HttpResponse {
    let lang = Lang::of(query.lang.as_deref());
    let here = here(&req);
    let user = match session::user(&req, &state).await {
        Ok(u) => u,
        Err(e) => return error_page(lang, e, &here),
    };
    let id = path.into_inner();
    let filter = query.filter();
    let who = user.clone();
    let result = db_call(&state, move |s, conn| {
        dashboard(s, conn, &who, id, Utc::now().date_naive(), &filter)
    })
    .await;
    match result {
        Ok((dash, loaded)) => {
            let title = format!(
                "{} · {}",
                dash.campaign.name,
                lang.t("集群看板", "Cluster dashboard")
            );
            // Cluster managers read an enterprise's report only when it shares everything.
            let all_reports = !matches!(user.actor, Actor::ClusterManager { .. });
            let body = render(lang, &dash, &loaded, &query.filter(), all_reports);
            respond(
                StatusCode::OK,
                page(lang, &title, Some(&user.username), &body),
            )
        }
        Err(e) => error_page(lang, e, &here),
    }
}

/// A figure the browser test reads: `<span data-figure="name">value</span>`.
pub fn fig(name: &str, value: impl std::fmt::Display) -> String {
    format!(
        r#"<span data-figure="{name}">{}</span>"#,
        escape(&value.to_string())
    )
}

/// A chart beside its table view.
pub fn chart_section(id: &str, heading: &str, note: &str, chart: &str, table: &str) -> String {
    layout_section(id, "pair", heading, note, chart, table)
}

/// A chart above its table view, for a table too wide to sit beside it.
pub fn stacked_section(id: &str, heading: &str, note: &str, chart: &str, table: &str) -> String {
    layout_section(id, "pair stacked", heading, note, chart, table)
}

fn layout_section(
    id: &str,
    class: &str,
    heading: &str,
    note: &str,
    chart: &str,
    table: &str,
) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(r#"<p class="note">{note}</p>"#)
    };
    format!(
        r#"<section class="card" id="{id}"><h2>{heading}</h2>{note}<div class="{class}"><figure>{chart}</figure><div class="tableview">{table}</div></div></section>"#
    )
}

fn render(
    lang: Lang,
    dash: &Dashboard,
    loaded: &Loaded,
    filter: &Filter,
    all_reports: bool,
) -> String {
    let c = &dash.campaign;
    let r = &dash.rollup;
    let mut out = format!(
        r#"<h1>{} <small>{}</small></h1><p class="muted">{} {} · {} · {} {}</p>"#,
        escape(&c.name),
        lang.t("集群看板", "cluster dashboard"),
        lang.t("问卷", "Questionnaire"),
        escape(&r.questionnaire.edition),
        c.status.label(lang),
        lang.t("目标等级", "target level"),
        fig("target-level", r.target_level),
    );
    out.push_str(&format!(
        r#"<p class="downloads"><a id="cluster-report" href="{}">{}</a> <span class="muted">{}</span></p>"#,
        lang.link(&format!("/campaigns/{}/report.pdf", c.id)),
        lang.t("下载集群就绪度报告（PDF）", "Download the cluster readiness report (PDF)"),
        lang.t(
            "报告编号与 SHA-256 均有记录，可随时核验。",
            "Each report's id and SHA-256 are recorded, so any copy can be verified."
        ),
    ));
    out.push_str(&filters(lang, loaded, filter, &c.id.to_string()));
    if !all_reports && withheld(loaded, filter) {
        out.push_str(&participation(lang, dash, loaded));
        out.push_str(&format!(
            r#"<section class="card" id="withheld"><h2>{}</h2><p class="note">{}</p></section>"#,
            lang.t("分数未显示", "Scores withheld"),
            lang.t(
                "此筛选下通过评估的企业不足 5 家，且其中有企业仅共享匿名统计：显示分数会暴露其结果。请放宽筛选。",
                "Fewer than 5 accepted assessments match this filter and some of their enterprises share anonymous statistics only: scores would reveal their results. Widen the filter."
            ),
        ));
        out.push_str(&enterprises(lang, loaded, filter, all_reports));
        return out;
    }
    out.push_str(r#"<div class="glance">"#);
    out.push_str(&sections::readiness(lang, r));
    out.push_str(&participation(lang, dash, loaded));
    out.push_str("</div>");
    out.push_str(&sections::levels(lang, r));
    out.push_str(&sections::radar(lang, r));
    out.push_str(&sections::heat(lang, r));
    out.push_str(&sections::weakest(lang, r));
    out.push_str(r#"<div class="glance">"#);
    out.push_str(&sections::cdo(lang, r));
    out.push_str(&sections::eligibility(lang, r));
    out.push_str("</div>");
    out.push_str(&sections::bias(lang, r));
    out.push_str(&sections::change(lang, r, filter));
    out.push_str(&enterprises(lang, loaded, filter, all_reports));
    out
}

/// Whether a filter narrows the roll-up to fewer accepted assessments than the smallest group
/// shown ([`RollupPolicy::min_group`]) while one of them shares anonymous statistics only: its
/// scores could then be read off the figures, which a cluster manager must not see.
fn withheld(loaded: &Loaded, filter: &Filter) -> bool {
    if filter.is_empty() {
        return false;
    }
    let accepted: Vec<_> = loaded
        .enterprises
        .iter()
        .filter(|e| filter.keeps(e) && e.status == Status::Accepted)
        .collect();
    accepted.len() < RollupPolicy::default().min_group
        && accepted.iter().any(|e| e.sharing == Sharing::Anonymous)
}

fn filters(lang: Lang, loaded: &Loaded, filter: &Filter, id: &str) -> String {
    let mut industries: Vec<&str> = loaded
        .enterprises
        .iter()
        .map(|e| e.industry.as_str())
        .collect();
    industries.sort_unstable();
    industries.dedup();
    let option = |value: &str, label: &str, selected: bool| {
        format!(
            r#"<option value="{}"{}>{}</option>"#,
            escape(value),
            if selected { " selected" } else { "" },
            escape(label)
        )
    };
    let mut industry = option(
        "",
        lang.t("全部行业", "All industries"),
        filter.industry.is_none(),
    );
    for i in industries {
        industry.push_str(&option(i, i, filter.industry.as_deref() == Some(i)));
    }
    let mut size = option("", lang.t("全部规模", "All sizes"), filter.size.is_none());
    for s in Size::ALL {
        size.push_str(&option(s.as_str(), s.label(lang), filter.size == Some(s)));
    }
    let lang_field = match lang {
        Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
        Lang::Zh => "",
    };
    let note = if filter.is_empty() {
        String::new()
    } else {
        format!(
            r#" <a href="{}">{}</a>"#,
            lang.link(&format!("/campaigns/{id}/dashboard")),
            lang.t("清除筛选", "Clear filters")
        )
    };
    format!(
        r#"<form method="get" class="filters card"><label>{}<select name="industry" id="filter-industry">{industry}</select></label><label>{}<select name="size" id="filter-size">{size}</select></label>{lang_field}<button type="submit">{}</button>{note}</form>"#,
        lang.t("行业", "Industry"),
        lang.t("规模", "Size"),
        lang.t("筛选", "Filter"),
    )
}

fn participation(lang: Lang, dash: &Dashboard, loaded: &Loaded) -> String {
    let p = &dash.rollup.participation;
    let c = &dash.campaign;
    let start = loaded.campaign.created_at.date();
    let span = (c.due_date - start).num_days().max(1) as f64;
    let elapsed = (span - c.days_left as f64) / span;
    let when = if c.days_left >= 0 {
        format!("{} {}", lang.t("距截止天数", "days left:"), c.days_left)
    } else {
        format!("{} {}", lang.t("已逾期天数", "days overdue:"), -c.days_left)
    };
    let chart = progress_bar(
        lang.t("参与进度", "Participation"),
        &Progress {
            done: p.accepted,
            pending: p.awaiting_review,
            total: p.invited,
            label: format!(
                "{} {} / {} · {} {}",
                lang.t("已通过", "accepted"),
                p.accepted,
                p.invited,
                lang.t("待审核", "awaiting review"),
                p.awaiting_review
            ),
            time: Some((elapsed, when.clone())),
        },
    );
    let rows = vec![
        vec![lang.t("受邀", "Invited").into(), fig("invited", p.invited)],
        vec![
            lang.t("未开始", "Not started").into(),
            fig("not-started", p.not_started),
        ],
        vec![
            lang.t("已开始", "Started").into(),
            fig("started", p.started),
        ],
        vec![
            lang.t("已提交", "Submitted").into(),
            fig("submitted", p.submitted),
        ],
        vec![
            lang.t("待审核", "Awaiting review").into(),
            fig("awaiting-review", p.awaiting_review),
        ],
        vec![
            lang.t("已通过", "Accepted").into(),
            fig("accepted", p.accepted),
        ],
        vec![lang.t("逾期", "Overdue").into(), fig("overdue", p.overdue)],
    ];
    format!(
        r#"<section class="card" id="participation"><h2>{}</h2><p>{} {} · {}</p><figure>{}</figure>{}</section>"#,
        lang.t("参与情况", "Participation"),
        lang.t("截止日期", "Due"),
        c.due_date,
        escape(&when),
        svg::render(&chart),
        table(
            "figures",
            lang.t("参与情况表", "Participation table"),
            &[
                lang.t("状态", "Status").into(),
                lang.t("企业数", "Enterprises").into()
            ],
            &rows
        )
    )
}

fn enterprises(lang: Lang, loaded: &Loaded, filter: &Filter, all_reports: bool) -> String {
    let mut list: Vec<_> = loaded
        .enterprises
        .iter()
        .filter(|e| filter.keeps(e))
        .collect();
    list.sort_by(|a, b| (b.overdue, &a.name).cmp(&(a.overdue, &b.name)));
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|e| {
            let overdue = if e.overdue {
                format!(r#"<td class="flag">{}</td>"#, lang.t("逾期", "overdue"))
            } else {
                String::new()
            };
            let sharing = match e.sharing {
                Sharing::Full => lang.t("全部", "full"),
                Sharing::Scores => lang.t("仅分数", "scores"),
                Sharing::Anonymous => lang.t("仅匿名统计", "anonymous statistics only"),
            };
            let report = if all_reports || e.sharing == Sharing::Full {
                format!(
                    r#"<a class="report" href="{}">PDF</a>"#,
                    lang.link(&format!(
                        "/campaigns/{}/enterprises/{}/report.pdf",
                        loaded.campaign.id, e.id
                    ))
                )
            } else {
                String::new()
            };
            vec![
                escape(&e.name),
                escape(&e.industry),
                e.size.label(lang).into(),
                e.status.label(lang).into(),
                overdue,
                sharing.into(),
                report,
            ]
        })
        .collect();
    format!(
        r#"<section class="card" id="enterprises"><h2>{}</h2><p class="note">{}</p>{}</section>"#,
        lang.t("企业与进度", "Enterprises and status"),
        lang.t(
            "只显示评估进度；仅共享匿名统计的企业，其分数不出现在任何按企业的视图中。",
            "Status only; enterprises sharing anonymous statistics only never appear by name with scores."
        ),
        table(
            "sortable",
            lang.t("企业列表", "Enterprise list"),
            &[
                lang.t("企业", "Enterprise").into(),
                lang.t("行业", "Industry").into(),
                lang.t("规模", "Size").into(),
                lang.t("状态", "Status").into(),
                lang.t("逾期", "Overdue").into(),
                lang.t("共享设置", "Sharing").into(),
                lang.t("评估报告", "Report").into(),
            ],
            &rows
        )
    )
}
